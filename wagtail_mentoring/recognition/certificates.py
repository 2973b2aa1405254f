"""Completion certificates, issued when every readable rule is met (sessions, objectives, training)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.snippets.models import Objective
from wagtail_mentoring.training.requirements import remaining_resource_ids, required_path

FINAL_OBJECTIVE_STATUSES = ("achieved", "missed")


@dataclass(frozen=True)
class RuleResult:
    """One certificate rule as shown to the participant: what it asks, whether it is met, and why."""

    label: str
    met: bool
    detail: str


class CertificateRule:
    """A rule of the completion certificate."""

    def evaluate(self, mentorship, role: str, user) -> RuleResult:  # pragma: no cover - abstract
        """Decide whether ``user``, in ``role``, meets this condition of the certificate for ``mentorship``.

        Args:
            mentorship: the pairing the certificate is for.
            role: ``"mentor"`` or ``"mentee"`` (rules such as required training depend on it).
            user: the person the certificate would name.

        Returns:
            A :class:`RuleResult`: the condition's label, whether it is met, and what was found.
        """
        raise NotImplementedError


class MentorshipCompletedRule(CertificateRule):
    """The pairing has ended as *completed* (not merely ended)."""

    def evaluate(self, mentorship, role, user):
        """Met when the mentorship's status is *completed*; the detail shows the current status."""
        return RuleResult(
            _("The mentorship is completed"),
            mentorship.status == "completed",
            _("Status: %(status)s") % {"status": mentorship.get_status_display()},
        )


class SessionsHeldRule(CertificateRule):
    """The pairing logged at least ``minimum`` sessions (default: the ``CERTIFICATE_MIN_SESSIONS`` setting)."""

    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    def evaluate(self, mentorship, role, user):
        """Met when the pairing's logged sessions reach the minimum (the setting is read at call time)."""
        minimum = self.minimum or mentoring_settings.CERTIFICATE_MIN_SESSIONS
        held = mentorship.sessions.held().count()
        return RuleResult(
            ngettext("At least %(n)d session held", "At least %(n)d sessions held", minimum) % {"n": minimum},
            held >= minimum,
            ngettext("%(n)d session logged", "%(n)d sessions logged", held) % {"n": held},
        )


class ObjectivesGradedRule(CertificateRule):
    """Every objective of the pairing the pair took up (``Objective.TAKEN_UP_STATUSES``: not a draft, not closed)
    ended as achieved or missed."""

    def evaluate(self, mentorship, role, user):
        """Met when the pairing has objectives and each is graded (``FINAL_OBJECTIVE_STATUSES``); none is not met."""
        statuses = list(
            mentorship.objectives.filter(status__in=Objective.TAKEN_UP_STATUSES).values_list("status", flat=True)
        )
        graded = sum(1 for s in statuses if s in FINAL_OBJECTIVE_STATUSES)
        return RuleResult(
            _("Every objective of the pairing graded (achieved or missed)"),
            bool(statuses) and graded == len(statuses),
            ngettext(
                "%(graded)d of %(total)d objective graded", "%(graded)d of %(total)d objectives graded", len(statuses)
            )
            % {"graded": graded, "total": len(statuses)},
        )


class RequiredTrainingRule(CertificateRule):
    """The user completed the learning path the program requires of their role (``training.requirements``)."""

    def evaluate(self, mentorship, role, user):
        """Met when no step of the required path is left, or when the program requires none for the role."""
        path = required_path(mentorship.program, role)
        if path is None:
            return RuleResult(_("Required training done"), True, _("The program requires no training."))
        left = remaining_resource_ids(path, [user.pk])[user.pk]
        return RuleResult(
            _("Required training done"),
            not left,
            ngettext("“%(path)s”: %(n)d step left", "“%(path)s”: %(n)d steps left", len(left))
            % {"path": path.title, "n": len(left)},
        )


#: The rules, in the order they are shown. Projects may replace this list.
CERTIFICATE_RULES: list[CertificateRule] = [
    MentorshipCompletedRule(),
    SessionsHeldRule(),
    ObjectivesGradedRule(),
    RequiredTrainingRule(),
]


@dataclass(frozen=True)
class Certificate:
    """The certificate check for one participant of one mentorship."""

    mentorship: object
    user: object
    role: str
    results: list[RuleResult]

    @property
    def issued(self) -> bool:
        """True when every rule is met; the certificate page shows the rules either way."""
        return all(r.met for r in self.results)


def certificate_for(mentorship, user) -> Certificate:
    """Evaluate every certificate rule for ``user`` (the mentor or the mentee of ``mentorship``)."""
    role = "mentor" if user.pk == mentorship.mentor_id else "mentee"
    return Certificate(mentorship, user, role, [rule.evaluate(mentorship, role, user) for rule in CERTIFICATE_RULES])
