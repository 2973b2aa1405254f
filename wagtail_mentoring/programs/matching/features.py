"""Candidates as arrays: sparse set and text matrices per side, and the pairwise quantities criteria read.

:func:`build_sides` turns the mentees and the mentors into two :class:`Side` objects that share
their vocabularies (row ``i`` is candidate ``i``). A :class:`PairBlock` pairs every row of one side
with every row of the other and computes each pairwise quantity (shared languages, seniority gap,
hours apart...) on first use; the ones a criterion and a hard rule both read are kept, the large
float products that one criterion reads once are not (memory stays at a few mentees x mentors
arrays). Criteria see only the block's attributes, so a block over a chunk of mentees
(:meth:`Side.take`) scores that chunk with the same code.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from scipy import sparse

from .candidates import Candidate
from .timezones import hours_apart, utc_offset_hours

#: Set-valued Candidate fields, each compared through a binary (candidates x values) matrix.
SET_FIELDS: tuple[str, ...] = ("skills", "interests", "languages")
#: Code of an unknown department or person in the integer arrays.
UNKNOWN = -1
#: Set fields with at most this many distinct values are compared with dense matrix products ...
DENSE_VOCABULARY = 512
#: ... or, with at most this many, as bit sets (``popcount(a & b)``, NumPy 2 and later).
BIT_VOCABULARY = 256
#: Distinct career-goals texts whose term vectors are remembered (for the per-pair explanations).
TEXT_CACHE_SIZE = 65536
STOP_WORDS = frozenset(
    """a about an and are as at be become becoming by for from get getting have i in into is it its
    me more my of on or our so that the their them this to want wants we what will with would like
    il la le lo gli i un una di da del della e ed in per con su che non mi voglio""".split()
)
HAS_POPCOUNT = hasattr(np, "bitwise_count")
_TOKEN_RE = re.compile(r"[^\W\d_]{2,}")
#: The terms of many texts joined by line breaks, and the line breaks (:func:`text_matrix`).
_TOKENS_AND_BREAKS_RE = re.compile(_TOKEN_RE.pattern + "|\n")


# --- career-goals text ---------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """The terms of a text: case-folded words of two letters or more, stop words removed.

    Args:
        text: Free text.

    Returns:
        The terms, in order, with repeats.
    """
    return [t for t in _TOKEN_RE.findall(text.casefold()) if t not in STOP_WORDS]


def unit_weights(counts: Any, sum_of_squares: Any) -> Any:
    """Term counts divided by the vector's length (NumPy arrays or Python numbers, the same IEEE operations).

    Args:
        counts: Term counts.
        sum_of_squares: The sum of the squared counts of the vector (an exact integer in any order).

    Returns:
        The unit-length weights.
    """
    if isinstance(counts, np.ndarray):
        return counts / np.sqrt(sum_of_squares)
    return counts / math.sqrt(sum_of_squares)


def text_vector(text: str) -> dict[str, float]:
    """Unit-length term-count vector, keys sorted (the summation order is part of the contract).

    Args:
        text: Free text.

    Returns:
        ``{term: weight}``, empty when the text has no terms.
    """
    counts = Counter(tokens(text))
    if not counts:
        return {}
    keys = sorted(counts)
    squares = sum(counts[k] * counts[k] for k in keys)
    return {k: unit_weights(counts[k], squares) for k in keys}


def text_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """:func:`text_vector` of each text as a row of a (texts x terms) matrix, terms sorted.

    Args:
        texts: Free texts.

    Returns:
        The rows; column ``j`` is the ``j``-th term in sorted order, each row's indices ascend.
    """
    # One findall over every text, a line break after each (a text's own breaks become spaces: neither
    # is part of a term, and case folding is per character), instead of one per text: the same terms.
    found = _TOKENS_AND_BREAKS_RE.findall("".join(text.replace("\n", " ") + "\n" for text in texts).casefold())
    vocabulary = {term: index for index, term in enumerate(sorted(set(found) - STOP_WORDS - {"\n"}))}
    code = {**vocabulary, "\n": -2}  # stop words: -1
    codes = np.array([code.get(term, -1) for term in found], dtype=np.int64)
    text_of = np.cumsum(codes == -2) - (codes == -2)  # the text of each term (a break ends its text)
    kept = codes >= 0
    ids, text_of = codes[kept], text_of[kept]
    width = max(len(vocabulary), 1)
    keys, counts = np.unique(text_of * width + ids, return_counts=True)
    rows = keys // width
    counts = counts.astype(np.float64)
    squares = np.bincount(rows, weights=counts * counts, minlength=len(texts))  # integers: exact
    data = unit_weights(counts, squares[rows])
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts)))))
    return sparse.csr_matrix((data, keys - rows * width, indptr), shape=(len(texts), len(vocabulary)))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def cached_text_vector(text: str) -> dict[str, float]:
    """:func:`text_vector`, remembered per text (the result must not be changed).

    Args:
        text: Free text.

    Returns:
        The shared ``{term: weight}`` dict.
    """
    return text_vector(text)


# --- one side as arrays ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side's candidates as arrays, row ``i`` for candidate ``i``.

    Attributes:
        sets: Binary (candidates x vocabulary) matrix per field of :data:`SET_FIELDS`.
        sizes: Number of values per candidate, per field of :data:`SET_FIELDS` (float64).
        bits: The same sets as (candidates x words) uint64 bit sets, per field with at most
            :data:`BIT_VOCABULARY` values (when NumPy has ``bitwise_count``).
        goals: Unit-length career-goals term vectors (candidates x terms).
        department: Department code, :data:`UNKNOWN` when empty (case-insensitive).
        seniority: Seniority (float64).
        offset: Hours from UTC, NaN when unknown.
        person: Person code, :data:`UNKNOWN` when ``person_id`` is None.
    """

    sets: dict[str, sparse.csr_matrix]
    sizes: dict[str, np.ndarray]
    bits: dict[str, np.ndarray]
    goals: sparse.csr_matrix
    department: np.ndarray
    seniority: np.ndarray
    offset: np.ndarray
    person: np.ndarray

    def __len__(self) -> int:
        return len(self.seniority)

    def take(self, rows: slice | np.ndarray) -> Side:
        """The same arrays for some rows only (a chunk of candidates).

        Args:
            rows: A slice or an index array.

        Returns:
            A new :class:`Side` with those rows, in that order (this one for every row in order).
        """
        every = isinstance(rows, np.ndarray) and rows.dtype.kind in "iu" and len(rows) == len(self)
        if every and (rows == np.arange(len(self))).all():
            return self  # frozen: sharing it is safe, and copying a whole side is not free
        return Side(
            sets={name: matrix[rows] for name, matrix in self.sets.items()},
            sizes={name: size[rows] for name, size in self.sizes.items()},
            bits={name: words[rows] for name, words in self.bits.items()},
            goals=self.goals[rows],
            department=self.department[rows],
            seniority=self.seniority[rows],
            offset=self.offset[rows],
            person=self.person[rows],
        )


def _vocabulary(*groups: Iterable[Iterable[str]]) -> dict[str, int]:
    found: set[str] = set()
    for group in groups:
        found.update(*group)
    return {token: index for index, token in enumerate(sorted(found))}


def _distinct(values: Sequence[Hashable]) -> tuple[list[Hashable], np.ndarray]:
    """The distinct values in first-seen order, and each value's position among them."""
    positions: dict[Hashable, int] = dict.fromkeys(values)  # first-seen order
    for index, value in enumerate(positions):
        positions[value] = index
    return list(positions), np.array([positions[v] for v in values], dtype=np.int64)


def _binary(rows: Sequence[frozenset[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Binary (rows x vocabulary) matrix, built once per distinct set (candidates often share one)."""
    distinct, where = _distinct(rows)
    lengths = np.fromiter((len(items) for items in distinct), dtype=np.int64, count=len(distinct))
    indices = np.fromiter((vocab[t] for items in distinct for t in items), dtype=np.int64, count=int(lengths.sum()))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(distinct), len(vocab)))
    matrix.sort_indices()
    return matrix[where]


def _bit_sets(matrix: sparse.csr_matrix) -> np.ndarray:
    """A binary (rows x values) matrix as (rows x words) uint64 bit sets (value ``v``: bit ``v % 64`` of word ``v // 64``)."""
    words = np.zeros((matrix.shape[0], -(-matrix.shape[1] // 64)), dtype=np.uint64)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    values = matrix.indices.astype(np.uint64)
    np.bitwise_or.at(words, (rows, (values // 64).astype(np.int64)), np.left_shift(np.uint64(1), values % 64))
    return words


def build_sides(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> tuple[Side, Side]:
    """The mentees and the mentors as two :class:`Side` objects with shared vocabularies.

    Each distinct set and career-goals text is turned into a matrix row once (the rows of the
    candidates who share it are copies of that row).

    Args:
        mentees: Mentees, in row order.
        mentors: Mentors, in row order.

    Returns:
        ``(mentee side, mentor side)``.
    """
    people = (mentees, mentors)
    vocabularies = {name: _vocabulary(*([getattr(c, name) for c in side] for side in people)) for name in SET_FIELDS}
    texts, text_of = _distinct([c.career_goals for side in people for c in side])
    goals = text_matrix(texts)
    departments = _vocabulary(*([[c.department.casefold()] if c.department else [] for c in side] for side in people))
    persons: dict[Hashable, int] = {
        p: i for i, p in enumerate({c.person_id for side in people for c in side if c.person_id is not None})
    }

    def offsets(candidates: Sequence[Candidate]) -> np.ndarray:
        zones, where = _distinct([c.time_zone for c in candidates])  # each distinct zone parsed once
        hours = [np.nan if (o := utc_offset_hours(zone)) is None else o for zone in zones]
        return np.array(hours, dtype=np.float64)[where]

    def side(candidates: Sequence[Candidate], text_rows: np.ndarray) -> Side:
        sets = {name: _binary([getattr(c, name) for c in candidates], vocab) for name, vocab in vocabularies.items()}
        return Side(
            sets=sets,
            sizes={name: np.diff(matrix.indptr).astype(np.float64) for name, matrix in sets.items()},
            bits={
                name: _bit_sets(matrix)
                for name, matrix in sets.items()
                if HAS_POPCOUNT and 0 < matrix.shape[1] <= BIT_VOCABULARY
            },
            goals=goals[text_rows],
            department=np.array(
                [departments[c.department.casefold()] if c.department else UNKNOWN for c in candidates], dtype=np.int64
            ),
            seniority=np.array([c.seniority for c in candidates], dtype=np.float64),
            offset=offsets(candidates),
            person=np.array(
                [UNKNOWN if c.person_id is None else persons[c.person_id] for c in candidates], dtype=np.int64
            ),
        )

    return side(mentees, text_of[: len(mentees)]), side(mentors, text_of[len(mentees) :])


# --- pairs of rows -------------------------------------------------------------------------------


class PairBlock:
    """Every (mentee row, mentor row) pair of two sides, as dense (mentees x mentors) arrays.

    Quantities that several criteria and rules read are computed once, on first use, and kept. Criteria only use these attributes and :meth:`mentee`/:meth:`mentor`, so another kind
    of block (e.g. a list of candidate pairs) can offer the same attributes with other shapes.
    """

    def __init__(self, mentees: Side, mentors: Side) -> None:
        """Pair every row of ``mentees`` with every row of ``mentors``.

        Args:
            mentees: The mentee side (or a chunk of it).
            mentors: The mentor side.
        """
        self.mentees = mentees
        self.mentors = mentors
        self._shares: dict[str, np.ndarray] = {}

    @property
    def shape(self) -> tuple[int, int]:
        """``(mentees, mentors)``."""
        return len(self.mentees), len(self.mentors)

    @staticmethod
    def mentee(values: np.ndarray) -> np.ndarray:
        """A per-mentee array shaped to broadcast over the block (a column)."""
        return values[:, None]

    @staticmethod
    def mentor(values: np.ndarray) -> np.ndarray:
        """A per-mentor array shaped to broadcast over the block (a row)."""
        return values[None, :]

    def zeros(self) -> np.ndarray:
        """A float64 array of the block's shape, filled with 0."""
        return np.zeros(self.shape)

    @staticmethod
    def _product(a: sparse.csr_matrix, b: sparse.csr_matrix, binary: bool = False) -> np.ndarray:
        if a.shape[1] == 0:
            return np.zeros((a.shape[0], b.shape[0]))
        if binary and a.shape[1] <= DENSE_VOCABULARY:
            # Counts of 0/1 products are exact integers in any summation order: BLAS is much faster.
            return a.toarray() @ b.toarray().T
        return (a @ b.T).toarray()

    def shared(self, field: str) -> np.ndarray:
        """How many values of a set field (see :data:`SET_FIELDS`) each pair has in common (float64).

        Not kept: each scored criterion reads its own counts once (see :meth:`shares`).

        Args:
            field: ``"skills"``, ``"interests"`` or ``"languages"``.

        Returns:
            The counts.
        """
        if field in self.mentees.bits:  # a few words per candidate: popcount(a & b), exact and cheap
            mentee, mentor = self.mentees.bits[field], self.mentors.bits[field]
            counts = np.bitwise_count(mentee[:, None, 0] & mentor[None, :, 0]).astype(np.uint16)
            for word in range(1, mentee.shape[1]):
                counts += np.bitwise_count(mentee[:, None, word] & mentor[None, :, word])
            return counts.astype(np.float64)
        return self._product(self.mentees.sets[field], self.mentors.sets[field], binary=True)

    def shares(self, field: str) -> np.ndarray:
        """Whether each pair has a value of a set field in common (bool, kept for every reader).

        Args:
            field: ``"skills"``, ``"interests"`` or ``"languages"``.

        Returns:
            True where the pair shares at least one value.
        """
        if field not in self._shares:
            self._shares[field] = self.shared(field) > 0
        return self._shares[field]

    @property
    def goals_similarity(self) -> np.ndarray:
        """Cosine similarity of the career-goals term vectors (unclipped; not kept)."""
        return self._product(self.mentees.goals, self.mentors.goals)

    @cached_property
    def seniority_gap(self) -> np.ndarray:
        """Mentor's seniority minus the mentee's."""
        return self.mentor(self.mentors.seniority) - self.mentee(self.mentees.seniority)

    @cached_property
    def hours_apart(self) -> np.ndarray:
        """Hours between the two time zones on the 24-hour circle; NaN when either is unknown."""
        return hours_apart(self.mentee(self.mentees.offset), self.mentor(self.mentors.offset))

    @cached_property
    def time_zones_known(self) -> bool:
        """Some mentee and some mentor of the block have a known time zone."""
        return bool(np.isfinite(self.mentees.offset).any() and np.isfinite(self.mentors.offset).any())

    @cached_property
    def same_department(self) -> np.ndarray:
        """Both in the same, known department."""
        mentee = self.mentee(self.mentees.department)
        return (mentee == self.mentor(self.mentors.department)) & (mentee != UNKNOWN)

    @cached_property
    def known_departments(self) -> np.ndarray:
        """Both departments are known."""
        return (self.mentee(self.mentees.department) != UNKNOWN) & (self.mentor(self.mentors.department) != UNKNOWN)

    @cached_property
    def same_person(self) -> np.ndarray:
        """The same, known person on both sides."""
        mentee = self.mentee(self.mentees.person)
        return (mentee == self.mentor(self.mentors.person)) & (mentee != UNKNOWN)
