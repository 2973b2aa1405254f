"""Bulk import (``programs.imports``, ``mentoring_import``): preview, all-or-nothing confirm, updates, bad files."""

import io
import pathlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from openpyxl import Workbook

from tests.factories.core import EnrolmentFactory, UserFactory
from tests.factories.programs import MentoringProfileFactory
from wagtail_mentoring.models import Enrolment, MentoringProfile
from wagtail_mentoring.programs import imports, services

pytestmark = pytest.mark.django_db

HEADER = "username,email,role,goals,skills_offered,capacity,department,seniority,status\n"
EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "example_site" / "mentoring-import-example.csv"


def upload(text: str, name: str = "people.csv") -> io.BytesIO:
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


@pytest.fixture
def people(db):
    return {name: UserFactory(username=name, email=f"{name}@example.com") for name in ("ann", "bob", "cy")}


def good_csv() -> str:
    return HEADER + (
        "ann,,mentee,Lead a project,,,Finance,3,\n,bob@example.com,mentor,,Leadership,2,Engineering,7,accepted\n"
    )


def test_preview_plans_each_row_and_writes_nothing(program, people, roles):
    result = imports.preview(upload(good_csv()), program=program, by=roles["coordinator"])
    assert not result.has_errors
    assert [(row.line, row.person, row.action) for row in result.rows] == [
        (2, "ann", "create"),
        (3, "bob@example.com", "create"),
    ]
    assert result.rows[1].user == people["bob"] and result.rows[1].status == "accepted"
    assert not Enrolment.objects.filter(user__in=people.values()).exists()


def test_preview_lists_every_rows_errors_by_column(program, people, roles):
    text = HEADER + (
        "ann,,mentee,,,,,3,\n"  # a mentee without goals
        "nobody,,mentor,,Python,2,,,\n"  # no such account
        "bob,,guide,,,,,,\n"  # unknown role
        "cy,,mentor,,,99,,42,\n"  # capacity and seniority out of range, no skills offered
        "cy,,mentee,Goals,,,,,maybe\n"  # unknown status
    )
    result = imports.preview(upload(text), program=program, by=roles["coordinator"])
    errors = {row.line: {column for column, _message in row.errors} for row in result.rows}
    assert errors == {
        2: {"goals"},
        3: {"username"},
        4: {"role"},
        5: {"capacity", "skills_offered", "seniority"},
        6: {"status"},
    }
    assert all(row.action == "" and row.action_label == "Not imported" for row in result.rows)
    assert "goals: Write down what you want to achieve before you are matched." in result.rows[0].error_texts


def test_one_bad_row_writes_nothing(program, people, roles):
    text = good_csv() + "cy,,mentor,,,2,,,\n"  # a mentor without the skills they offer
    result = imports.confirm(upload(text), program=program, by=roles["coordinator"])
    assert result.has_errors and not result.written
    assert [row.line for row in result.error_rows] == [4]
    assert not Enrolment.objects.filter(user__in=people.values()).exists()
    assert not MentoringProfile.objects.filter(user__in=people.values()).exists()


def test_confirm_writes_through_the_services_even_when_enrolment_is_closed(program, people, roles):
    program.enrolment_open = False
    program.save()
    result = imports.confirm(upload(good_csv()), program=program, by=roles["coordinator"])
    assert result.written and not result.has_errors
    ann = Enrolment.objects.get(program=program, user=people["ann"])
    bob = Enrolment.objects.get(program=program, user=people["bob"])
    assert (ann.role, ann.status, ann.goals) == ("mentee", "applied", "Lead a project")
    assert (bob.role, bob.status, bob.capacity, bob.reviewed_by) == ("mentor", "accepted", 2, roles["coordinator"])
    assert MentoringProfile.objects.get(user=people["bob"]).seniority == 7
    assert MentoringProfile.objects.get(user=people["ann"]).department == "Finance"


def test_importing_the_same_applicant_twice_updates(program, people, roles):
    by = roles["coordinator"]
    imports.confirm(upload(good_csv()), program=program, by=by)
    again = imports.preview(upload(good_csv()), program=program, by=by)
    assert [row.action for row in again.rows] == ["unchanged", "unchanged"]
    changed = HEADER + "ann,,mentee,Lead two projects,,,,,\n"
    result = imports.confirm(upload(changed), program=program, by=by)
    assert [row.action for row in result.rows] == ["update"] and result.written
    assert Enrolment.objects.filter(program=program, user=people["ann"]).count() == 1
    enrolment = Enrolment.objects.get(program=program, user=people["ann"])
    assert enrolment.goals == "Lead two projects"
    assert MentoringProfile.objects.get(user=people["ann"]).department == "Finance"  # empty cell: kept


def test_the_same_row_twice_in_one_file_is_an_error(program, people, roles):
    text = HEADER + "ann,,mentee,Goals,,,,,\nANN@example.com,,mentee,Goals,,,,,\n"
    text = text.replace("ANN@example.com,,", ",ann@example.com,")
    result = imports.preview(upload(text), program=program, by=roles["coordinator"])
    assert result.rows[1].error_texts == ["Repeats row 2 (the same person, program and role)."]


def test_only_programs_the_user_coordinates(program, other_program, people, roles):
    text = "username,program,role,goals\nann,engineering,mentee,Goals\nbob,leadership,mentee,Goals\n"
    result = imports.preview(upload(text), by=roles["coordinator"])
    assert [column for row in result.rows for column, _m in row.errors] == ["program"]
    assert result.rows[1].program == program and not result.rows[1].errors
    pinned = imports.preview(upload(text), program=program, by=roles["coordinator"])
    assert pinned.rows[0].errors[0][0] == "program" and not pinned.rows[1].errors


def test_accounts_are_created_only_when_allowed(program, roles):
    text = "username,email,first_name,role,goals\nnew.person,new@example.com,Nia,mentee,Goals\n"
    refused = imports.preview(upload(text), program=program, by=roles["coordinator"])
    assert refused.rows[0].errors[0][0] == "username"
    with override_settings(WAGTAIL_MENTORING={"IMPORT_CREATE_USERS": True}):
        result = imports.confirm(upload(text), program=program, by=roles["coordinator"])
    assert result.written
    enrolment = Enrolment.objects.get(program=program, user__username="new.person")
    assert enrolment.user.first_name == "Nia" and not enrolment.user.has_usable_password()


def test_inactive_account_is_refused(program, roles):
    text = "username,role,goals\ninactive,mentee,Goals\n"
    result = imports.preview(upload(text), program=program, by=roles["coordinator"])
    assert result.rows[0].error_texts == ["username: This account is inactive."]


def test_existing_profile_and_enrolment_are_updated_not_duplicated(program, people, roles):
    MentoringProfileFactory(user=people["cy"], department="Sales", seniority=4)
    EnrolmentFactory(program=program, user=people["cy"], role="mentor", skills_offered="SQL", capacity=1)
    text = "username,role,capacity,department\ncy,mentor,3,Marketing\n"
    result = imports.confirm(upload(text), program=program, by=roles["coordinator"])
    assert [row.action for row in result.rows] == ["update"] and result.written
    assert Enrolment.objects.get(program=program, user=people["cy"]).capacity == 3
    profile = MentoringProfile.objects.get(user=people["cy"])
    assert (profile.department, profile.seniority) == ("Marketing", 4)


def test_xlsx_and_semicolon_csv(program, people, roles):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Username", "Role", "Goals", "Seniority"])
    sheet.append(["ann", "mentee", "Grow", 2])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "people.xlsx"
    result = imports.preview(data, program=program, by=roles["coordinator"])
    assert not result.has_errors and result.rows[0].profile_fields["seniority"] == 2
    semicolons = imports.preview(upload("\ufeffusername;role;goals\nann;mentee;Grow\n"), program=program, by=None)
    assert not semicolons.has_errors and semicolons.rows[0].enrolment_fields["goals"] == "Grow"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "neither a CSV file (UTF-8) nor an XLSX workbook"),
        (b"PK\x03\x04 not really a workbook", "neither a CSV file (UTF-8) nor an XLSX workbook"),
        (b"", "The file is empty."),
        (b"username,colour\nann,red\n", "Unknown columns: colour."),
        (b"username,goals\nann,x\n", "Missing columns: role."),
        (b"username,role\n\n", "no rows to import"),
        (b"username,role\nann,mentee\nbob,mentee\ncy,mentee\n", "more than 2 rows"),
        (b"username,role\n" + b"x" * 300 + b",mentee\n", "larger than 0.25 KB"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error(program, roles, content, message):
    file = io.BytesIO(content)
    file.name = "people.csv"
    with override_settings(WAGTAIL_MENTORING={"IMPORT_MAX_ROWS": 2, "IMPORT_MAX_FILE_SIZE": 256}):
        with pytest.raises(imports.ImportFileError) as error:
            imports.confirm(file, program=program, by=roles["coordinator"])
    assert message in error.value.messages[0]
    assert not Enrolment.objects.filter(program=program).exclude(user__in=[roles["mentor"], roles["mentee"]]).exists()


def test_template_matches_the_example_sites_file_and_imports(program, roles):
    assert EXAMPLE.read_text(encoding="utf-8") == imports.template_csv()
    with override_settings(WAGTAIL_MENTORING={"IMPORT_CREATE_USERS": True}):
        result = imports.preview(upload(imports.template_csv()), program=program, by=roles["coordinator"])
    assert not result.has_errors, [row.error_texts for row in result.rows]


def preview_queries(program, by, prefix: str, n: int) -> int:
    users = [UserFactory(username=f"{prefix}{i}") for i in range(n)]
    for user in users[::2]:
        EnrolmentFactory(program=program, user=user, role="mentee", goals="Old")
        MentoringProfileFactory(user=user)
    text = "username,role,goals,department\n" + "".join(f"{prefix}{i},mentee,New,Ops\n" for i in range(n))
    with CaptureQueriesContext(connection) as queries:
        result = imports.preview(upload(text), program=program, by=by)
    assert not result.has_errors and len(result.rows) == n
    assert {row.action for row in result.rows} == {"create", "update"}
    return len(queries)


def test_preview_queries_do_not_grow_with_rows(program, roles):
    assert preview_queries(program, roles["coordinator"], "a", 5) == preview_queries(
        program, roles["coordinator"], "b", 50
    )


# --- PROFILE_ATTRIBUTES ---------------------------------------------------------------------------------
def claims(user) -> dict:
    """A ``PROFILE_ATTRIBUTES`` function for the tests: attributes from the user's e-mail domain."""
    return {"department": user.email.split("@")[-1].split(".")[0].title(), "seniority": 5, "unknown": "x"}


HOOK = {"PROFILE_ATTRIBUTES": "tests.programs.test_import.claims"}


def test_profile_attributes_fill_a_new_profile_only(people):
    with override_settings(WAGTAIL_MENTORING=HOOK):
        profile = services.profile_for(people["ann"])
        assert (profile.pk, profile.department, profile.seniority) == (None, "Example", 5)
        MentoringProfileFactory(user=people["bob"], department="Sales")
        assert services.profile_for(people["bob"]).department == "Sales"


def test_import_uses_profile_attributes_under_the_rows_values(program, people, roles):
    text = "username,role,goals,seniority\nann,mentee,Grow,2\n"
    with override_settings(WAGTAIL_MENTORING=HOOK):
        imports.confirm(upload(text), program=program, by=roles["coordinator"])
    profile = MentoringProfile.objects.get(user=people["ann"])
    assert (profile.department, profile.seniority) == ("Example", 2)


def test_enrol_page_prefills_from_profile_attributes(client, program, people):
    client.force_login(people["ann"])
    with override_settings(WAGTAIL_MENTORING=HOOK):
        response = client.get(program.url + "enrol/")
    assert response.context["form"].initial["department"] == "Example"


def test_profile_attributes_check(settings):
    from wagtail_mentoring.checks import check_profile_attributes

    settings.WAGTAIL_MENTORING = {"PROFILE_ATTRIBUTES": "tests.programs.test_import.nothing_here"}
    errors = check_profile_attributes()
    assert [e.id for e in errors] == ["wagtail_mentoring.E005"]
    settings.WAGTAIL_MENTORING = {"PROFILE_ATTRIBUTES": "tests.programs.test_import.HOOK"}
    assert "is not callable" in check_profile_attributes()[0].msg
    settings.WAGTAIL_MENTORING = HOOK
    assert check_profile_attributes() == []
    settings.WAGTAIL_MENTORING = {}
    assert check_profile_attributes() == []


# --- the command ----------------------------------------------------------------------------------------
def write(tmp_path, text: str) -> str:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_dry_run_prints_the_plan(tmp_path, program, people):
    out = io.StringIO()
    call_command("mentoring_import", write(tmp_path, good_csv()), "--program", program.slug, "--dry-run", stdout=out)
    assert "row 2: ann (mentee) - Create" in out.getvalue() and "Dry run" in out.getvalue()
    assert not Enrolment.objects.filter(user__in=people.values()).exists()


def test_command_imports(tmp_path, program, people, roles):
    out = io.StringIO()
    call_command(
        "mentoring_import", write(tmp_path, good_csv()), "--program", program.slug, "--user", "coordinator", stdout=out
    )
    assert "Imported: 2 new, 0 updated, 0 unchanged." in out.getvalue()
    assert Enrolment.objects.get(user=people["bob"]).reviewed_by == roles["coordinator"]


def test_command_refuses_a_file_with_a_bad_row(tmp_path, program, people):
    path = write(tmp_path, good_csv() + "cy,,teacher,,,,,,\n")
    with pytest.raises(CommandError, match=r"row 4: role: Choose mentor or mentee\.") as error:
        call_command("mentoring_import", path, "--program", program.slug, stdout=io.StringIO())
    assert "nothing was written" in str(error.value)
    assert not Enrolment.objects.filter(user__in=people.values()).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", "nowhere"], "No mentoring program"),
        (["--program", "leadership", "--user", "ghost"], "No user 'ghost'"),
        (["--program", "engineering", "--user", "coordinator"], "You do not coordinate"),
    ],
)
def test_command_errors(tmp_path, program, other_program, roles, args, message):
    path = write(tmp_path, "username,role,goals\nmentee,mentee,Grow\n")
    with pytest.raises(CommandError, match=message):
        call_command("mentoring_import", path, *args, stdout=io.StringIO())


def test_command_missing_file(program):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("mentoring_import", "/nonexistent.csv", "--program", program.slug)


def test_example_sites_profile_attributes():
    import importlib.util

    path = pathlib.Path(__file__).resolve().parents[2] / "example_site" / "intranet" / "profiles.py"
    spec = importlib.util.spec_from_file_location("example_profiles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.profile_attributes(UserFactory.build(username="mentee1"))["department"] == "Finance"
    assert module.profile_attributes(UserFactory.build(username="someone")) == {}
    claimed = UserFactory.build(username="x")
    claimed.oidc_claims = {"department": "Legal", "zoneinfo": "Europe/Paris", "locale": "fr-FR"}
    assert module.profile_attributes(claimed)["languages"] == "fr"


def test_people_who_may_not_see_a_private_program_are_refused(program, people, roles):
    from wagtail.models import PageViewRestriction

    from tests.factories.core import GroupFactory

    staff = GroupFactory(name="staff")
    people["bob"].groups.add(staff)
    restriction = PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(staff)
    text = "username,role,goals\nann,mentee,Grow\nbob,mentee,Grow\n"
    result = imports.preview(upload(text), program=program, by=roles["coordinator"])
    assert result.rows[0].error_texts == ["program: This person may not see the program's page."]
    assert not result.rows[1].errors


def test_a_new_person_in_both_roles_gets_one_account(program, roles):
    text = (
        "username,email,role,goals,skills_offered\nnia,nia@example.com,mentee,Grow,\nnia,nia@example.com,mentor,,SQL\n"
    )
    with override_settings(WAGTAIL_MENTORING={"IMPORT_CREATE_USERS": True}):
        result = imports.confirm(upload(text), program=program, by=roles["coordinator"])
    assert result.written
    assert sorted(Enrolment.objects.filter(user__username="nia").values_list("role", flat=True)) == ["mentee", "mentor"]


def test_a_conflict_at_write_time_writes_nothing(program, people, roles, monkeypatch):
    from django.db import IntegrityError

    def conflict(*args, **kwargs):
        raise IntegrityError("duplicate")

    monkeypatch.setattr(services, "save_profile", conflict)
    result = imports.confirm(upload(good_csv()), program=program, by=roles["coordinator"])
    assert not result.written and "preview the file again" in result.rows[0].error_texts[0]
    assert not Enrolment.objects.filter(user__in=people.values()).exists()
