"""E-mails of the program lifecycle (text and HTML, rendered from overridable templates)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.links import absolute_url

TEMPLATE_DIR = "wagtail_mentoring/programs/emails/"


def _send(template: str, to: str, context: dict) -> None:
    subject = " ".join(render_to_string(f"{TEMPLATE_DIR}{template}_subject.txt", context).split())
    text = render_to_string(f"{TEMPLATE_DIR}{template}.txt", context)
    html = render_to_string(f"{TEMPLATE_DIR}{template}.html", context)
    sender = mentoring_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL
    message = EmailMultiAlternatives(subject, text, sender, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_pairing_approved(mentorship) -> None:
    """Tell the mentor and the mentee that their pairing was approved (one e-mail each)."""
    program = mentorship.program
    for user, role, partner in (
        (mentorship.mentor, "mentor", mentorship.mentee),
        (mentorship.mentee, "mentee", mentorship.mentor),
    ):
        if not user.email:
            continue
        context = {
            "user": user,
            "role": role,
            "partner": partner,
            "program": program,
            "mentorship": mentorship,
            "program_url": absolute_url(program.get_url()),
        }
        _send("pairing_approved", user.email, context)
