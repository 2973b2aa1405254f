"""The admin's one access layer: scoped policies and views, and the superuser rule shared with the API.

A superuser coordinates every program, so in the admin (as through the API and on the front end)
they see every program's objectives but never someone else's personal objective (one outside any
program), in any view: listing, edit, delete, history, usage, inspect, revisions, chooser, bulk
actions and exports.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from tests.api.conftest import client_for as api_client
from tests.factories import CheckInFactory, KeyResultFactory, ObjectiveFactory
from wagtail_mentoring import compat, models
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.access.policies import ScopedPermissionPolicy
from wagtail_mentoring.access.viewsets import ScopedObjectViewMixin, ScopedViewSetMixin

pytestmark = pytest.mark.django_db

PRIVATE = (
    models.Objective,
    models.CheckIn,
    models.Enrolment,
    models.Mentorship,
    models.Outcome,
    models.WebhookEndpoint,
    models.WebhookDelivery,
)
NS = "wagtailsnippets_wagtail_mentoring_objective"
OBJECT_VIEWS = ("edit", "delete", "history", "usage", "inspect", "revisions_compare", "revisions_revert")


@pytest.fixture
def personal(admin_roles):
    """A personal objective of the other mentee (no program), with a key result, a check-in and revisions."""
    objective = ObjectiveFactory(owner=admin_roles["other_mentee"], title="PERSONAL-SECRET")
    assert objective.program_id is None and objective.mentorship_id is None
    objective.save_revision(user=admin_roles["other_mentee"])
    objective.save_revision(user=admin_roles["other_mentee"])
    key_result = KeyResultFactory(objective=objective, title="PERSONAL-KR")
    check_in = CheckInFactory(key_result=key_result, author=admin_roles["other_mentee"], note="PERSONAL-NOTE")
    return {"objective": objective, "checkin": check_in}


@pytest.fixture
def program_objective(admin_roles):
    return ObjectiveFactory(owner=admin_roles["mentee"], mentorship=admin_roles["mentorship"], title="PAIRING-GOAL")


def object_url(view: str, objective) -> str:
    if view == "revisions_compare":
        first, last = objective.revisions.order_by("pk")[:2]
        return reverse(f"{NS}:{view}", args=(objective.pk, first.pk, last.pk))
    if view == "revisions_revert":
        return reverse(f"{NS}:{view}", args=(objective.pk, objective.latest_revision.pk))
    return reverse(f"{NS}:{view}", args=(objective.pk,))


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_superuser_gets_404_for_a_personal_objective_in_every_view(view, admin_roles, personal, client_for):
    client = client_for(admin_roles["superuser"])
    url = object_url(view, personal["objective"])
    assert client.get(url).status_code == 404, url
    assert client.post(url, {"title": "pwned"}).status_code in (404, 405), url
    personal["objective"].refresh_from_db()
    assert personal["objective"].title == "PERSONAL-SECRET"
    # Control: the owner reaches the same view.
    assert client_for(admin_roles["other_mentee"]).get(url).status_code != 404, url


@pytest.mark.parametrize("view", ("inspect", "history", "edit"))
def test_superuser_reaches_program_objectives(view, admin_roles, program_objective, client_for):
    response = client_for(admin_roles["superuser"]).get(reverse(f"{NS}:{view}", args=(program_objective.pk,)))
    assert response.status_code == 200


def test_superuser_listing_export_chooser_and_check_ins_hide_personal_objectives(
    admin_roles, personal, program_objective, client_for
):
    client = client_for(admin_roles["superuser"])
    listing = client.get(reverse(f"{NS}:list"))
    titles = {o.title for o in listing.context["object_list"]}
    assert "PAIRING-GOAL" in titles and "PERSONAL-SECRET" not in titles
    export = client.get(reverse(f"{NS}:list") + "?export=csv")
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert b"PAIRING-GOAL" in body and b"PERSONAL-SECRET" not in body
    chooser = client.get(reverse("wagtailsnippetchoosers_wagtail_mentoring_objective:choose"))
    assert "PERSONAL-SECRET" not in chooser.content.decode()
    check_ins = client.get(reverse("wagtailsnippets_wagtail_mentoring_checkin:list"))
    assert personal["checkin"].pk not in {c.pk for c in check_ins.context["object_list"]}
    inspect = reverse("wagtailsnippets_wagtail_mentoring_checkin:inspect", args=(personal["checkin"].pk,))
    assert client.get(inspect).status_code == 404


def test_superuser_bulk_delete_of_a_personal_objective_is_404(admin_roles, personal, client_for):
    url = reverse("wagtail_bulk_action", args=("wagtail_mentoring", "objective", "delete"))
    client = client_for(admin_roles["superuser"])
    assert client.get(f"{url}?id={personal['objective'].pk}").status_code == 404
    assert client.post(f"{url}?id={personal['objective'].pk}").status_code == 404
    assert models.Objective.objects.filter(pk=personal["objective"].pk).exists()


def test_admin_and_api_agree_on_the_superuser_rule(roles, admin_roles, personal, program_objective, client_for):
    """The same objectives in the admin listing, through the API and in the access queryset."""
    superuser = admin_roles["superuser"]
    admin_ids = {o.pk for o in client_for(superuser).get(reverse(f"{NS}:list")).context["object_list"]}
    api = api_client(roles, "superuser").get("/api/mentoring/v1/objectives/?page_size=100").json()
    api_ids = {row["id"] for row in api["results"]}
    expected = set(access.visible_objectives(superuser).values_list("pk", flat=True))
    assert admin_ids == api_ids == expected
    assert personal["objective"].pk not in expected and program_objective.pk in expected


def test_superuser_edits_only_objectives_they_may_see(admin_roles, personal, program_objective):
    editable = access.editable_objectives(admin_roles["superuser"])
    assert program_objective in editable and personal["objective"] not in editable


# --- structure: one policy class, one viewset mixin, every view scoped --------------------------------
@pytest.mark.parametrize("model", PRIVATE)
def test_every_private_model_uses_the_scoped_policy_and_viewset(model):
    assert isinstance(compat.get_permission_policy(model), ScopedPermissionPolicy)
    assert isinstance(model.snippet_viewset, ScopedViewSetMixin)


@pytest.mark.parametrize("model", PRIVATE)
def test_every_object_view_of_a_private_model_is_scoped(model):
    """Each view that takes an object id is built with the scoped view mixin (none is left out)."""
    patterns = [p for p in model.snippet_viewset.get_urlpatterns() if "pk" in p.pattern.regex.groupindex]
    assert patterns
    for pattern in patterns:
        assert issubclass(pattern.callback.view_class, ScopedObjectViewMixin), (model, pattern.name)


def test_one_bulk_delete_for_every_private_model():
    bulk_action_registry._scan_for_bulk_actions()
    actions = bulk_action_registry.actions["wagtail_mentoring"]
    deletes = {actions[model._meta.model_name]["delete"] for model in PRIVATE}
    assert len(deletes) == 1


def test_no_access_state_is_cached_on_the_user(admin_roles):
    coordinator = admin_roles["coordinator"]
    before = set(vars(coordinator))
    assert access.is_coordinator(coordinator)
    policy = compat.get_permission_policy(models.Enrolment)
    policy.user_has_permission(coordinator, "view")
    assert set(vars(coordinator)) == before
