"""Render and send one notification e-mail (plain text and HTML alternatives)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.links import absolute_url
from wagtail_mentoring.people import display_name


def absolute(path: str) -> str:
    """``path`` made absolute with the site's root URL (``wagtail_mentoring.links.absolute_url``)."""
    return absolute_url(path)


def preferences_url() -> str:
    """The absolute URL of the notification preferences page, or an empty string when the host did not include the
    package's URLs."""
    try:
        return absolute(reverse("wagtail_mentoring:notification_preferences"))
    except NoReverseMatch:
        return ""


def send_notification(
    user, subject: str, body: str, action_label: str = "", action_url: str = "", attachments: tuple = ()
) -> int:
    """Send one message to ``user`` from the templates ``wagtail_mentoring/notifications/email.{txt,html}``.

    Every value is autoescaped in the HTML part. ``attachments``: ``(filename, content, mimetype)``
    triples (a session invitation's ``.ics``). Returns the number of messages sent (0 or 1).
    """
    if not user.email or not user.is_active:
        return 0
    context = {
        "user": user,
        "name": display_name(user),
        "subject": subject,
        "body": body,
        "action_label": action_label,
        "action_url": absolute(action_url),
        "preferences_url": preferences_url(),
    }
    text = render_to_string("wagtail_mentoring/notifications/email.txt", context)
    html = render_to_string("wagtail_mentoring/notifications/email.html", context)
    message = EmailMultiAlternatives(
        # One line: any CR, LF or other whitespace run in a user-written title or name becomes a space.
        subject=" ".join(subject.split()),
        body=text,
        from_email=mentoring_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()
