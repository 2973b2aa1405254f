"""Candidate generation for large problems: the allowed pairs and their scores, chunk by chunk.

:class:`ChunkedPairs` never builds a mentees x mentors array. Candidates with equal values of
the per-candidate inputs that hard rules and criteria declare in ``reads`` (languages,
seniority, time zone) form a group. It *blocks* on those hard rules (shared language, mentor
more senior, time-zone gap): they are decided once per (mentee group, mentor group), and a chunk
of mentees is scored only against the mentors of the groups it may pair with. Criteria that read
only such inputs are computed once per pair of groups and looked up; the others run, vectorised,
on the chunk (:func:`~.scoring.block_scores`), so every score equals the dense path's to the
last bit. Rules on the pair itself (same person, department, minimum score) are applied per pair.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from .candidates import Candidate
from .criteria import Criteria, HardRule
from .features import SET_FIELDS, PairBlock, Side, build_sides
from .scoring import block_scores

#: Mentees scored together, or None to size chunks by :data:`CHUNK_CELLS` (a chunk is at most this
#: many rows x the mentors it may pair with).
CHUNK_ROWS: int | None = None
#: Without :data:`CHUNK_ROWS`: about this many (mentee x mentor) cells per chunk, and at least
#: :data:`MIN_CHUNK_ROWS` mentees (fewer, larger chunks cost less per pair; memory stays bounded).
CHUNK_CELLS = 2_000_000
MIN_CHUNK_ROWS = 64
#: Largest (mentee groups x mentor groups) table; above it, nothing is decided per group (e.g.
#: when almost every candidate has a distinct time zone).
MAX_GROUP_CELLS = 8_000_000


def _group_keys(side: Side, inputs: Sequence[str]) -> np.ndarray:
    """A group number per candidate: equal numbers for equal values of ``inputs``."""
    columns: list[list[Any]] = []
    for name in inputs:
        if name in SET_FIELDS:
            matrix = side.sets[name]
            columns.append(
                [matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tobytes() for i in range(matrix.shape[0])]
            )
        else:
            values = getattr(side, name)
            columns.append([None if v != v else v for v in values.tolist()])  # NaN (v != v) -> None
    if not columns:
        return np.zeros(len(side), dtype=np.int64)
    numbers: dict[tuple, int] = {}
    return np.array([numbers.setdefault(key, len(numbers)) for key in zip(*columns, strict=True)], dtype=np.int64)


def _lookup(table: np.ndarray, groups: np.ndarray, row_of: np.ndarray, col_groups: np.ndarray) -> np.ndarray:
    """A (mentee groups x mentor groups) table's values for a block's (rows x columns).

    Args:
        table: The table.
        groups: The distinct mentee groups of the block's rows.
        row_of: Each row's index in ``groups``.
        col_groups: Each column's mentor group.

    Returns:
        The (rows x columns) values.
    """
    # The block's few row groups first: no (every mentee group x columns) intermediate (large problems have thousands of groups).
    return table.take(groups, axis=0).take(col_groups, axis=1).take(row_of, axis=0)


def _first_rows(groups: np.ndarray) -> np.ndarray:
    """The first row of each group number, in group order."""
    _values, first = np.unique(groups, return_index=True)
    return first


class ChunkedPairs:
    """Every allowed (mentee, mentor) pair with its score, produced chunk by chunk.

    Rows and columns index ``mentees`` and ``mentors`` as given.
    """

    def __init__(
        self,
        mentees: Sequence[Candidate],
        mentors: Sequence[Candidate],
        weights: Mapping[str, float],
        rules: Mapping[str, Any],
        criteria: Criteria,
        chunk_rows: int | None = None,
    ) -> None:
        """Build the features, the groups and the per-group tables.

        Args:
            mentees: Mentees (rows).
            mentors: Mentors (columns).
            weights: Resolved weights.
            rules: Resolved rules and parameters.
            criteria: The criteria.
            chunk_rows: Mentees per chunk (default :data:`CHUNK_ROWS`, else sized by :data:`CHUNK_CELLS`).
        """
        self.mentee_side, self.mentor_side = build_sides(mentees, mentors)
        self.weights, self.rules, self.criteria = weights, rules, criteria
        if chunk_rows is None:
            chunk_rows = CHUNK_ROWS
        if chunk_rows is None:
            chunk_rows = max(MIN_CHUNK_ROWS, CHUNK_CELLS // max(len(mentors), 1))
        self.chunk_rows = max(1, int(chunk_rows))
        active = [(rule, rules.get(rule.name)) for rule in criteria.rules if rule.active(rules.get(rule.name))]
        blocking = [(r, s) for r, s in active if r.reads is not None and not r.uses_score]
        looked_up = [c for c in criteria.scored if c.reads is not None and weights[c.name]]
        inputs = sorted({name for item in (*(r for r, _s in blocking), *looked_up) for name in item.reads or ()})
        self.mentee_group = _group_keys(self.mentee_side, inputs)
        self.mentor_group = _group_keys(self.mentor_side, inputs)
        cells = (int(self.mentee_group.max(initial=-1)) + 1) * (int(self.mentor_group.max(initial=-1)) + 1)
        if cells > MAX_GROUP_CELLS:
            blocking, looked_up = [], []
            self.mentee_group = _group_keys(self.mentee_side, ())
            self.mentor_group = _group_keys(self.mentor_side, ())
        self.pair_rules: list[tuple[HardRule, Any]] = [item for item in active if item not in blocking]
        groups = PairBlock(
            self.mentee_side.take(_first_rows(self.mentee_group)), self.mentor_side.take(_first_rows(self.mentor_group))
        )
        #: Allowed (mentee group, mentor group) cells under the blocking rules.
        self.table = np.ones(groups.shape, dtype=bool)
        for rule, setting in blocking:
            self.table &= ~rule.forbids(groups, setting, None)
        #: ``{criterion: (mentee groups x mentor groups) weight * values}`` for the criteria looked up.
        self.values = {c.name: weights[c.name] * c.values(groups, rules) for c in looked_up if c.known(groups)}
        #: Rows in group order, so that a chunk's mentees share their allowed mentors.
        self.order = np.argsort(self.mentee_group, kind="stable")
        #: When every mentee fits in one chunk: that chunk, kept from the first full pass, and each
        #: row's position in it (later calls read their pairs there instead of scoring them again).
        self._whole: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._position: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """``(mentees, mentors)``."""
        return len(self.mentee_side), len(self.mentor_side)

    def chunks(
        self, rows: np.ndarray | None = None, columns: np.ndarray | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """The pairs of ``rows`` (default: every mentee) with their scores, a chunk of mentees at a time.

        Args:
            rows: Mentee rows to cover, or None for all.
            columns: A bool mask of the mentor columns to cover, or None for all.

        Yields:
            ``(rows, cols, scores, allowed)``: the chunk's mentee rows, the mentor columns it may
            pair with, and the (rows x cols) scores and allowed mask.
        """
        whole = rows is None and columns is None and len(self.order) <= self.chunk_rows
        if rows is None:  # in group order, so that a chunk's mentees share their mentors (one chunk: as given)
            rows = np.arange(len(self.order)) if whole else self.order
        else:
            rows = np.asarray(rows, dtype=np.int64)
            rows = rows[np.argsort(self.mentee_group[rows], kind="stable")]
            if self._whole is not None:
                yield from self._from_whole(rows, columns)
                return
        for start in range(0, len(rows), self.chunk_rows):
            chunk = rows[start : start + self.chunk_rows]
            row_groups = self.mentee_group[chunk]
            cells = self.table[row_groups]  # chunk x mentor groups
            wanted = cells.any(axis=0)[self.mentor_group]
            cols = np.flatnonzero(wanted if columns is None else wanted & columns)
            if not len(cols):
                continue
            col_groups = self.mentor_group[cols]
            block = PairBlock(self.mentee_side.take(chunk), self.mentor_side.take(cols))
            groups, row_of = np.unique(row_groups, return_inverse=True)
            lookups = {name: partial(_lookup, table, groups, row_of, col_groups) for name, table in self.values.items()}
            scores = block_scores(block, self.weights, self.rules, self.criteria, lookups)
            allowed = cells[:, col_groups]
            for rule, setting in self.pair_rules:
                allowed &= ~rule.forbids(block, setting, scores)
            if whole:
                self._whole = (chunk, cols, scores, allowed)
            yield chunk, cols, scores, allowed

    def _from_whole(
        self, rows: np.ndarray, columns: np.ndarray | None
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """:meth:`chunks` of some rows, read from the one chunk kept by the full pass (the same numbers)."""
        chunk, cols, scores, allowed = self._whole
        if self._position is None:
            self._position = np.empty(len(self.order), dtype=np.int64)
            self._position[chunk] = np.arange(len(chunk))
        keep = np.flatnonzero(columns[cols]) if columns is not None else np.arange(len(cols))
        if len(rows) and len(keep):
            at = self._position[rows]
            yield rows, cols[keep], scores[at][:, keep], allowed[at][:, keep]
