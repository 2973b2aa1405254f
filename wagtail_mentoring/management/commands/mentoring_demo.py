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
    "wagtail_mentoring.demo.dashboards",
]


class Command(BaseCommand):
    help = "Create demo users, programs, OKRs, training and history. Refuses to run with DEBUG = False."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the number of mentors and mentees.")

    def handle(self, *args, scale: int = 1, **options):
        if not settings.DEBUG:
            raise CommandError(
                "mentoring_demo creates users with a known password; it refuses to run with DEBUG = False."
            )
        if not 1 <= scale <= 1000:
            raise CommandError("--scale must be between 1 and 1000.")
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
