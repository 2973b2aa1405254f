"""Aggregates of an editor-built survey's extra questions (pure): choice counts, averages, free text.

The caller passes only the answers an aggregate may include (``surveys.anonymity`` for an anonymous
program) and withholds a survey with fewer answers than the minimum (:func:`survey_shown`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: Form-builder field types whose answers are counted by choice.
CHOICE_TYPES = ("dropdown", "radio", "checkboxes", "multiselect", "checkbox")
#: Form-builder field types whose answers are averaged.
NUMBER_TYPES = ("number",)


@dataclass(frozen=True)
class Question:
    """One extra question: its name in the answers, its label, its form-builder type and its choices."""

    name: str
    label: str
    field_type: str
    choices: tuple[str, ...] = ()


@dataclass
class QuestionResult:
    """One question's aggregate: ``counts`` (choice, n) for a choice, ``average`` for a number, ``texts``
    (the non-empty answers, sorted so their order tells nothing) otherwise; ``answered`` people answered."""

    question: Question
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``"choice"``, ``"number"`` or ``"text"``."""
        if self.question.field_type in CHOICE_TYPES:
            return "choice"
        if self.question.field_type in NUMBER_TYPES:
            return "number"
        return "text"


def survey_shown(responses: int, minimum: int, anonymous: bool) -> bool:
    """Whether a survey's results may be shown: always in a named program, from ``minimum`` answers in an
    anonymous one (the rule of ``surveys.anonymity``, applied to the survey as a whole).

    Example:
        >>> survey_shown(2, 3, anonymous=True), survey_shown(2, 3, anonymous=False)
        (False, True)
    """
    return not anonymous or responses >= minimum


def _values(value) -> list[str]:
    """An answer as a list of non-empty strings (a multiple choice is a list; a checkbox a boolean)."""
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return ["yes"] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def aggregate(questions: Iterable[Question], answers: Iterable[Mapping]) -> list[QuestionResult]:
    """Each question's aggregate over ``answers`` (one mapping per response, by question name).

    Example:
        >>> q = Question("topic", "Topic", "radio", ("A", "B"))
        >>> [r.counts for r in aggregate([q], [{"topic": "A"}, {"topic": "A"}, {"topic": ""}])]
        [[('A', 2), ('B', 0)]]
    """
    answers = list(answers)
    results = []
    for question in questions:
        result = QuestionResult(question)
        given = [_values(a.get(question.name)) for a in answers]
        given = [values for values in given if values]
        result.answered = len(given)
        if result.kind == "choice":
            counted = Counter(v for values in given for v in values)
            choices = list(question.choices) or (["yes"] if question.field_type == "checkbox" else [])
            result.counts = [(choice, counted.pop(choice, 0)) for choice in choices]
            result.counts += sorted(counted.items())
        elif result.kind == "number":
            numbers = []
            for values in given:
                try:
                    numbers.append(float(values[0]))
                except ValueError:
                    continue
            result.average = round(sum(numbers) / len(numbers), 2) if numbers else None
        else:
            result.texts = sorted(v for values in given for v in values)
        results.append(result)
    return results
