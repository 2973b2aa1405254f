"""Objective templates: the model's rules, the locale fallback, and ``objective_from_template`` (the one write path)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale

from tests.factories.okr import ObjectiveFactory, objective_template
from wagtail_mentoring.models import KeyResult, Objective, ObjectiveTemplate, ObjectiveTemplateKeyResult
from wagtail_mentoring.snippets import limits
from wagtail_mentoring.snippets.library import in_active_locale
from wagtail_mentoring.snippets.services import objective_from_template, save_objective_template

pytestmark = pytest.mark.django_db


def test_a_draft_objective_with_the_suggested_key_results(roles):
    template = objective_template("Speak up", n=3, category="confidence", level="pairing", description="Why")
    objective = objective_from_template(template, owner=roles["mentee"], mentorship=roles["mentorship"])
    objective.refresh_from_db()
    assert objective.status == Objective.Status.DRAFT
    assert (objective.title, objective.description, objective.category, objective.level) == (
        "Speak up",
        "Why",
        "confidence",
        "pairing",
    )
    assert objective.owner == roles["mentee"]
    assert objective.program_id == roles["mentorship"].program_id
    krs = list(objective.key_results.order_by("sort_order"))
    assert [kr.title for kr in krs] == ["Speak up KR 1", "Speak up KR 2", "Speak up KR 3"]
    assert all((kr.unit, kr.start_value, kr.target_value, kr.owner) == ("talks", 0, 5, roles["mentee"]) for kr in krs)
    # The template is untouched: the objective is a copy.
    assert template.key_results.count() == 3


def test_the_pairing_objective_limit_is_the_same_as_for_any_objective(roles, program):
    program.max_objectives = 1
    program.save()
    ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"])
    template = objective_template(n=1)
    with pytest.raises(ValidationError) as exc:
        objective_from_template(template, owner=roles["mentee"], mentorship=roles["mentorship"])
    assert "mentorship" in exc.value.message_dict
    assert Objective.objects.filter(owner=roles["mentee"]).count() == 1


def test_the_key_result_limit_of_the_program_applies(roles, program):
    template = objective_template(n=4)
    program.max_key_results = 3
    program.save()
    before = (Objective.objects.count(), KeyResult.objects.count())
    with pytest.raises(ValidationError) as exc:
        objective_from_template(template, owner=roles["mentee"], mentorship=roles["mentorship"])
    assert exc.value.messages[0].startswith("An objective can have at most 3 key results")
    assert (Objective.objects.count(), KeyResult.objects.count()) == before


def test_a_pairing_template_needs_a_pairing_in_one_of_its_programs(roles, other_program):
    pairing_template = objective_template(level="pairing")
    with pytest.raises(ValidationError) as exc:
        objective_from_template(pairing_template, owner=roles["mentee"])
    assert list(exc.value.message_dict) == ["mentorship"]
    elsewhere = objective_template("Engineering only", programs=[other_program])
    with pytest.raises(ValidationError) as exc:
        objective_from_template(elsewhere, owner=roles["mentee"], mentorship=roles["mentorship"])
    assert list(exc.value.message_dict) == ["mentorship"]
    assert not Objective.objects.filter(owner=roles["mentee"]).exists()


def test_bad_dates_are_field_errors_and_nothing_is_written(roles):
    import datetime as dt

    template = objective_template()
    with pytest.raises(ValidationError) as exc:
        objective_from_template(
            template, owner=roles["mentee"], start_date=dt.date(2026, 5, 1), due_date=dt.date(2026, 4, 1)
        )
    assert "due_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        objective_from_template(template, owner=roles["mentee"], due_date=dt.date(1800, 1, 1))
    assert "due_date" in exc.value.message_dict
    assert not Objective.objects.filter(owner=roles["mentee"]).exists()


def test_template_key_result_limit_is_the_smallest_of_its_programs(program, other_program, settings):
    settings.WAGTAIL_MENTORING = {"MAX_KEY_RESULTS_PER_OBJECTIVE": 4}
    assert limits.template_key_result_limit([]) == 4
    program.max_key_results, other_program.max_key_results = 2, 5
    assert limits.template_key_result_limit([program, other_program]) == 2


def test_save_objective_template_reuses_the_key_result_limit(program):
    program.max_key_results = 2
    program.save()
    rows = [{"title": f"KR {i}", "kind": "number", "unit": "", "start_value": 0, "target_value": 3} for i in range(3)]
    with pytest.raises(ValidationError) as exc:
        save_objective_template(ObjectiveTemplate(title="Too many"), programs=[program], key_results=rows)
    assert "key_results" in exc.value.message_dict
    assert not ObjectiveTemplate.objects.filter(title="Too many").exists()
    template = save_objective_template(ObjectiveTemplate(title="Fine"), programs=[program], key_results=rows[:2])
    assert list(template.key_results.values_list("title", flat=True)) == ["KR 0", "KR 1"]
    assert list(template.programs.all()) == [program]


def test_a_suggested_key_result_needs_a_target_other_than_its_start():
    rows = [{"title": "Flat", "kind": "number", "unit": "", "start_value": 3, "target_value": 3}]
    with pytest.raises(ValidationError) as exc:
        save_objective_template(ObjectiveTemplate(title="Flat"), key_results=rows)
    assert "key_results" in exc.value.message_dict
    assert not ObjectiveTemplate.objects.filter(title="Flat").exists()
    item = ObjectiveTemplateKeyResult(title="Done", kind="milestone", start_value=0, target_value=0)
    item.clean()  # yes/no and milestones have no start-to-target range


def test_target_text_says_what_is_measured():
    assert ObjectiveTemplateKeyResult(kind="number", unit="talks", start_value=0, target_value=6).target_text == (
        "from 0 talks to 6 talks"
    )
    assert ObjectiveTemplateKeyResult(kind="percent", unit="%", start_value=40, target_value=80).target_text == (
        "from 40% to 80%"
    )
    assert ObjectiveTemplateKeyResult(kind="milestone", start_value=0, target_value=1).target_text == "Milestone"


def test_in_active_locale_falls_back_to_the_default_locale():
    italian, _created = Locale.objects.get_or_create(language_code="it")
    both = objective_template("Speak up")
    objective_template("Intervenire", locale=italian, translation_key=both.translation_key)
    english_only = objective_template("Only in English")
    everything = ObjectiveTemplate.objects.all()
    assert set(in_active_locale(everything).values_list("title", flat=True)) == {"Speak up", "Only in English"}
    with translation.override("it"):
        assert set(in_active_locale(everything).values_list("title", flat=True)) == {
            "Intervenire",
            english_only.title,
        }
