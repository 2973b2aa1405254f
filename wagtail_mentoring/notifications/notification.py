"""The one message every notification channel receives (:class:`Notification`)."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail_mentoring.people import display_name


@dataclass(frozen=True)
class Notification:
    """One message to one person, as every channel receives it.

    Attributes:
        kind: a ``NotificationKind`` value.
        user: the recipient.
        subject: the title (one line).
        body: the plain-text message (never session notes).
        action_label: the call to action's label, if any.
        action_url: the call to action's URL (relative or absolute), if any.
        program_id: the program concerned (webhooks are configured per program).
        program: the program's title.
        attachments: e-mail attachments, ``(filename, content, mimetype)``; never sent through webhooks.
    """

    kind: str
    user: object
    subject: str
    body: str
    action_label: str = ""
    action_url: str = ""
    program_id: int | None = None
    program: str = ""
    attachments: tuple = ()

    @property
    def recipient_name(self) -> str:
        """The recipient's full name (the username only as a fallback)."""
        return display_name(self.user)
