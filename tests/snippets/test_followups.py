"""The superuser rule in the OKR admin forms, and service refusals at save time shown as form errors."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories.core import ObjectiveFactory
from tests.factories.okr import objective_with_key_results
from tests.snippets.test_admin import CHECKIN_NS, kr_row, objective_post, url
from wagtail_mentoring.models import KeyResult, Objective
from wagtail_mentoring.snippets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def personal(okrs):
    """Another person's personal objective (outside any program), with a key result."""
    return objective_with_key_results(okrs["employee"], n=1, title="Secret personal goal")


class TestSuperuserForms:
    def test_check_in_form_offers_no_personal_key_result_of_anyone_else(self, okrs, personal, login):
        response = login(okrs["superuser"]).get(url("add", ns=CHECKIN_NS))
        assert response.status_code == 200
        choices = set(response.context["form"].fields["key_result"].queryset.values_list("pk", flat=True))
        assert not choices & set(personal.key_results.values_list("pk", flat=True))
        assert "Secret personal goal" not in response.content.decode()

    def test_check_in_on_a_hidden_key_result_is_refused(self, okrs, personal, login):
        kr = personal.key_results.first()
        response = login(okrs["superuser"]).post(url("add", ns=CHECKIN_NS), {"key_result": kr.pk, "value": "2"})
        assert response.status_code == 200
        assert "key_result" in response.context["form"].errors

    def test_objective_form_offers_no_personal_objective_of_anyone_else(self, okrs, personal, login):
        own = ObjectiveFactory(owner=okrs["superuser"], title="My own goal")
        response = login(okrs["superuser"]).get(url("add"))
        assert response.status_code == 200
        form = response.context["form"]
        parents = set(form.fields["parent"].queryset.values_list("pk", flat=True))
        assert personal.pk not in parents
        assert {own.pk, okrs["mine"].pk} <= parents  # own, and the programs' objectives a superuser coordinates
        owners = set(form.fields["owner"].queryset.values_list("pk", flat=True))
        assert okrs["employee"].pk not in owners
        assert {okrs["superuser"].pk, okrs["mentee"].pk, okrs["mentor"].pk} <= owners

    def test_superuser_cannot_pick_a_hidden_parent(self, okrs, personal, login):
        data = objective_post(okrs["superuser"], key_results=[kr_row()], parent=str(personal.pk))
        response = login(okrs["superuser"]).post(url("add"), data)
        assert response.status_code == 200
        assert "parent" in response.context["form"].errors

    def test_superuser_cannot_create_a_personal_objective_for_someone_else(self, okrs, login):
        data = objective_post(okrs["mentee"], key_results=[kr_row()])
        response = login(okrs["superuser"]).post(url("add"), data)
        assert response.status_code == 200
        assert "owner" in response.context["form"].errors
        assert not Objective.objects.filter(title="Lead the quarterly planning").exists()


def test_limit_filled_between_validation_and_save_is_a_form_error(okrs, login, monkeypatch):
    """A concurrent write fills the pairing after the form validated: a form error, nothing written."""
    real = services.check_objective_limit
    calls = []

    def fills_at_save(mentorship, status, exclude_pk=None):
        calls.append(mentorship)
        if len(calls) > 1:
            raise ValidationError({"mentorship": ["This pairing already has the most objectives it may have."]})
        return real(mentorship, status, exclude_pk=exclude_pk)

    monkeypatch.setattr(services, "check_objective_limit", fills_at_save)
    key_results = KeyResult.objects.count()
    data = objective_post(okrs["mentee"], key_results=[kr_row()], mentorship=str(okrs["mentorship"].pk))
    response = login(okrs["mentee"]).post(url("add"), data)
    assert response.status_code == 200
    assert len(calls) == 2
    assert "most objectives" in str(response.context["form"].errors)
    assert not Objective.objects.filter(title="Lead the quarterly planning").exists()
    assert KeyResult.objects.count() == key_results
