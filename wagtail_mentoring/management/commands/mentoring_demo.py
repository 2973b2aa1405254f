"""``mentoring_demo``: fill the example intranet with realistic, idempotent demo data."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_mentoring.demo.base import DEMO_PASSWORD, DemoContext, reference_index_once
from wagtail_mentoring.links import absolute_url as absolute
from wagtail_mentoring.people import display_name

#: Demo steps, in dependency order; each module has ``run(ctx: DemoContext)``.
DEMO_STEPS = [
    "wagtail_mentoring.demo.base",
    "wagtail_mentoring.demo.training",
    "wagtail_mentoring.demo.programs",
    "wagtail_mentoring.demo.templates",
    "wagtail_mentoring.demo.okrs",
    "wagtail_mentoring.demo.engagement",
    "wagtail_mentoring.demo.impact",
    "wagtail_mentoring.demo.journeys",
    "wagtail_mentoring.demo.selfmatch",
    "wagtail_mentoring.demo.groups",
    "wagtail_mentoring.demo.skills",
    "wagtail_mentoring.demo.surveys",
    "wagtail_mentoring.demo.dashboards",
    "wagtail_mentoring.demo.api",
]

#: The largest ``--scale`` accepted: the demo creates mentors and mentees in proportion to it.
MAX_SCALE = 1000

#: Where the demo's e-mails go: kept in memory (counted, not shown) unless ``--show-emails`` is given.
QUIET_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SHOWN_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


class Command(BaseCommand):
    """``manage.py mentoring_demo [--scale N] [--show-emails]``: run :data:`DEMO_STEPS` in one transaction.

    Development only. Prints a short summary: the demo users, their password and where to look.
    """

    help = "Create demo users, programs, OKRs, training and history. Refuses to run with DEBUG = False."

    def add_arguments(self, parser):
        """``--scale`` multiplies the demo mentors and mentees; ``--show-emails`` prints the e-mails sent."""
        parser.add_argument("--scale", type=int, default=1, help="Multiply the number of mentors and mentees.")
        parser.add_argument(
            "--show-emails",
            action="store_true",
            help="Print the e-mails the demo sends (console e-mail backend); by default they are not shown.",
        )

    def handle(self, *args, scale: int = 1, show_emails: bool = False, **options):
        """Create the demo data and print the summary.

        Raises:
            CommandError: ``DEBUG`` is off (the demo users share a known password), or ``--scale`` is
                outside 1 to :data:`MAX_SCALE`. Nothing is created in either case.
        """
        if not settings.DEBUG:
            raise CommandError(
                "mentoring_demo creates users with a known password; it refuses to run with DEBUG = False."
            )
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be between 1 and {MAX_SCALE}.")
        verbose = options.get("verbosity", 1) >= 2
        ctx = DemoContext(stdout=self.stdout, style=self.style, scale=scale, verbose=verbose)
        backend = SHOWN_EMAIL_BACKEND if show_emails else QUIET_EMAIL_BACKEND
        outbox = getattr(mail, "outbox", None)
        sent_before = len(outbox) if outbox is not None else 0
        # E-mails are sent by tasks after the commit: the backend stays overridden until they ran.
        with override_settings(EMAIL_BACKEND=backend):
            with reference_index_once(), transaction.atomic():
                for dotted in DEMO_STEPS:
                    importlib.import_module(dotted).run(ctx)
            held = len(getattr(mail, "outbox", [])) - sent_before if not show_emails else 0
        if not show_emails and outbox is None and hasattr(mail, "outbox"):
            del mail.outbox  # leave no in-memory outbox behind in a long-lived process
        self._summary(ctx, held)

    def _summary(self, ctx: DemoContext, held_emails: int) -> None:
        """Print who can log in, with which password, and where to go."""
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo ready. Log in as any of these users, password: %s") % DEMO_PASSWORD))
        for name in sorted(ctx.users, key=_user_order):
            user = ctx.users[name]
            role = ctx.roles.get(name, "")
            write(f"  {name:<12} {display_name(user):<20} {role}".rstrip())
        write("")
        for label, url in self._urls(ctx):
            write(f"{label:<14} {url}")
        for line in ctx.extra.get("footer", []):
            write(line)
        if held_emails:
            write(
                ngettext(
                    "%(n)d e-mail was not shown; run with --show-emails to print the e-mails.",
                    "%(n)d e-mails were not shown; run with --show-emails to print the e-mails.",
                    held_emails,
                )
                % {"n": held_emails}
            )

    def _urls(self, ctx: DemoContext) -> list[tuple[str, str]]:
        """The front end's, the dashboard's, the admin's, the API docs' and the bulk import's absolute URLs (those that resolve)."""
        home = ctx.pages.get("home")
        urls = [(_("Front end:"), absolute(home.url or "/"))] if home is not None else []
        dashboard = ctx.pages.get("dashboard")
        if dashboard is not None and dashboard.url:
            urls.append((_("Dashboard:"), absolute(dashboard.url)))
        for label, name in ((_("Admin:"), "wagtailadmin_home"), (_("API docs:"), "wagtail_mentoring_api:docs")):
            try:
                urls.append((label, absolute(reverse(name))))
            except NoReverseMatch:
                continue
        leadership = ctx.pages.get("program_leadership")
        if leadership is not None:
            try:  # the coordinator's bulk import (the template CSV is example_site/mentoring-import-example.csv)
                urls.append((_("Bulk import:"), absolute(reverse("wagtail_mentoring_import", args=[leadership.pk]))))
            except NoReverseMatch:
                pass
        return urls


def _user_order(name: str) -> tuple[int, int, str]:
    """Staff first, then mentors, mentees and the rest, numbered users in number order."""
    for rank, prefix in enumerate(("admin", "coordinator", "editor", "mentor", "mentee")):
        if name.startswith(prefix):
            suffix = name[len(prefix) :]
            return rank, int(suffix) if suffix.isdigit() else 0, name
    return 9, 0, name
