"""The skills demo step without programs (the full demo is asserted in tests/programs/test_demo.py)."""

import io

import pytest
from django.core.management.color import no_style

from wagtail_mentoring.demo import skills as demo_skills
from wagtail_mentoring.demo.base import DemoContext

pytestmark = pytest.mark.django_db


def test_nothing_without_the_demo_programs(db):
    out = io.StringIO()
    demo_skills.run(DemoContext(stdout=out, style=no_style(), verbose=True))
    assert "nothing created" in out.getvalue()
