"""``mentoring_demo``: fill the example intranet with realistic, idempotent demo data."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wagtail_mentoring.demo.base import DEMO_PASSWORD, DemoContext

#: Demo steps, in dependency order; each module has ``run(ctx: DemoContext)``.
DEMO_STEPS = [
    "wagtail_mentoring.demo.base",
    "wagtail_mentoring.demo.training",
    "wagtail_mentoring.demo.programs",
    "wagtail_mentoring.demo.okrs",
    "wagtail_mentoring.demo.engagement",
    "wagtail_mentoring.demo.dashboards",
    "wagtail_mentoring.demo.api",
]

#: The largest ``--scale`` accepted: the demo creates mentors and mentees in proportion to it.
MAX_SCALE = 1000


class Command(BaseCommand):
    """``manage.py mentoring_demo [--scale N]``: run :data:`DEMO_STEPS` in one transaction (development only)."""

    help = "Create demo users, programs, OKRs, training and history. Refuses to run with DEBUG = False."

    def add_arguments(self, parser):
        """``--scale``: multiply the number of demo mentors and mentees (1 to :data:`MAX_SCALE`)."""
        parser.add_argument("--scale", type=int, default=1, help="Multiply the number of mentors and mentees.")

    def handle(self, *args, scale: int = 1, **options):
        """Create the demo data and print the demo users' names and password.

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
        ctx = DemoContext(stdout=self.stdout, style=self.style, scale=scale)
        with transaction.atomic():
            for dotted in DEMO_STEPS:
                importlib.import_module(dotted).run(ctx)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        for name in sorted(ctx.users):
            self.stdout.write(f"  {name}")
        for line in ctx.extra.get("footer", []):
            self.stdout.write(line)
