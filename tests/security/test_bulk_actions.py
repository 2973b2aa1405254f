"""Bulk actions mixing foreign ids: 404, nothing changes, and no foreign title is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from tests.factories import CheckInFactory, EnrolmentFactory, KeyResultFactory, ObjectiveFactory
from wagtail_mentoring.access.bulk_actions import ScopedBulkActionMixin
from wagtail_mentoring.models import Outcome

PRIVATE_MODELS = ("objective", "checkin", "enrolment", "mentorship", "outcome")
COORDINATED = ("enrolment", "mentorship", "outcome")


def private_actions() -> list[tuple[str, str]]:
    bulk_action_registry._scan_for_bulk_actions()
    actions = bulk_action_registry.actions.get("wagtail_mentoring", {})
    return [(model, action) for model in PRIVATE_MODELS for action in actions.get(model, {})]


ACTIONS = private_actions()


def test_every_private_model_has_bulk_actions_covered():
    assert {model for model, _ in ACTIONS} == set(PRIVATE_MODELS)
    assert len(ACTIONS) >= 14


def test_every_bulk_action_of_a_private_model_uses_the_shared_mixin():
    actions = bulk_action_registry.actions["wagtail_mentoring"]
    for model, action in ACTIONS:
        assert issubclass(actions[model][action], ScopedBulkActionMixin), (model, action)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "action"), ACTIONS)
def test_mixed_foreign_ids_are_404(model, action, foreign, admin_roles, program, client_for):
    roles = admin_roles
    own_objective = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], title="OWN")
    own = {
        "objective": own_objective,
        "checkin": CheckInFactory(key_result=KeyResultFactory(objective=own_objective), author=roles["mentee"]),
        "enrolment": EnrolmentFactory(program=program, user=roles["mentee"], status="applied"),
        "mentorship": roles["mentorship"],
        "outcome": Outcome.objects.create(mentorship=roles["mentorship"], kind="retained"),
    }[model]
    theirs = type(foreign[model]).objects.get(pk=foreign[model].pk)
    actor = roles["coordinator"] if model in COORDINATED else roles["mentee"]
    before = {field.attname: getattr(theirs, field.attname) for field in theirs._meta.concrete_fields}
    url = reverse("wagtail_bulk_action", args=("wagtail_mentoring", model, action))
    query = f"?id={own.pk}&id={theirs.pk}"
    client = client_for(actor)
    secret = str(theirs)
    # Control: the same action on the actor's own id alone is not a 404.
    assert client.get(f"{url}?id={own.pk}").status_code != 404
    get = client.get(url + query)
    post = client.post(url + query, {"reason": "x", "end_reason": "x", "mentor": roles["mentor"].pk})
    for response in (get, post):
        # Every bulk action refuses the whole request: the foreign object is neither named nor touched.
        assert response.status_code == 404, (model, action)
        assert secret not in response.content.decode()
    theirs = type(theirs).objects.filter(pk=theirs.pk).first()
    assert theirs is not None
    after = {field.attname: getattr(theirs, field.attname) for field in theirs._meta.concrete_fields}
    assert after == before
    # Nor is the actor's own object: the request was refused as a whole.
    assert type(own).objects.filter(pk=own.pk).exists()
