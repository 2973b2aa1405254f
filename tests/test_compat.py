"""The Wagtail 7.4/8.0 compatibility layer hands the same permission policy to every admin surface."""

from __future__ import annotations

import pytest
from wagtail.permission_policies.base import ModelPermissionPolicy

from wagtail_mentoring import compat
from wagtail_mentoring.access.policies import ScopedPermissionPolicy
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.reports.models import Outcome
from wagtail_mentoring.snippets.models import CheckIn, Objective, OKRCycle


@pytest.mark.parametrize("model", [Objective, CheckIn, Enrolment, Mentorship, Outcome])
def test_registered_policy_reaches_the_snippet_viewset(model):
    policy = compat.get_permission_policy(model)
    assert isinstance(policy, ScopedPermissionPolicy)
    assert policy.model is model
    # The snippet views (7.4: the viewset's property; 8.0: the registry) use that very object.
    assert model.snippet_viewset.permission_policy is policy


def test_unregistered_model_gets_wagtails_model_policy():
    policy = compat.get_permission_policy(OKRCycle)
    assert type(policy) is ModelPermissionPolicy
    assert policy.model is OKRCycle


def test_version_flag_matches_wagtail():
    from wagtail import VERSION

    assert compat.HAS_POLICY_REGISTRY is (VERSION[:2] >= (8, 0))
