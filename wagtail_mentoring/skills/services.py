"""The write path of skill ratings: ``rate_skills`` validates and saves one rater's levels at one moment."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import can_rate_skills
from wagtail_mentoring.skills import rules
from wagtail_mentoring.skills.models import ProgramSkill, SkillRating


def rate_skills(rater, program, moment: str, levels: Mapping[int, int], subject=None) -> list[SkillRating]:
    """Save ``rater``'s levels of ``program``'s skills for ``subject`` (themselves when ``None``) at ``moment``.

    A level given again at the same moment replaces the earlier one. Every level is checked before any is
    written, and all are written in one transaction, under a lock on the subject's row so that two
    submissions at once cannot both insert.

    Args:
        rater: the person rating.
        program: the program whose skills are rated.
        moment: ``"start"`` or ``"closing"`` (``skills.rules.MOMENTS``).
        levels: ``{skill id: level}``, levels on the 1-5 scale.
        subject: the person rated (the rater's mentee at closing), the rater themselves when ``None``.

    Returns:
        The saved ratings, in the order of ``levels``.

    Raises:
        ValidationError: keyed by field (``moment``, ``subject``, ``skill``, ``level``); nothing is written.
    """
    subject = subject or rater
    if moment not in rules.MOMENTS:
        raise ValidationError({"moment": _("Choose the start or closing.")})
    if not levels:
        raise ValidationError({"skill": _("Rate at least one skill.")})
    if not can_rate_skills(rater, program, moment, subject):
        if subject.pk != rater.pk:
            message = _("You may rate your mentee only at closing, once your pairing is completed or ended.")
            raise ValidationError({"subject": message})
        if moment == rules.CLOSING:
            message = _("Closing ratings open when your pairing in this program is completed or ended.")
        else:
            message = _("Ratings open once your enrolment in this program is accepted.")
        raise ValidationError({"moment": message})
    skills = {s.pk: s for s in ProgramSkill.objects.filter(program=program, pk__in=[k for k in levels if _is_id(k)])}
    errors: dict[str, list[str]] = {}
    for skill_id, level in levels.items():
        if skill_id not in skills:
            errors.setdefault("skill", []).append(_("This skill is not one of the program's skills."))
        elif not rules.is_level(level):
            errors.setdefault("level", []).append(
                _("Choose a level from %(low)d to %(high)d.") % {"low": rules.LEVEL_MIN, "high": rules.LEVEL_MAX}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=subject.pk).first()
        saved = []
        for skill_id, level in levels.items():
            rating, _created = SkillRating.objects.update_or_create(
                skill=skills[skill_id], subject=subject, rater=rater, moment=moment, defaults={"level": level}
            )
            saved.append(rating)
    return saved


def _is_id(value: object) -> bool:
    """A positive ``int`` primary key (a bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
