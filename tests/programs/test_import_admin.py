"""The Import tab of the coordinator area: upload, preview of every row, confirm; who may use it."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.urls import reverse

from tests.factories.core import UserFactory
from wagtail_mentoring.models import Enrolment
from wagtail_mentoring.programs import imports

pytestmark = pytest.mark.django_db

GOOD = "username,role,goals,skills_offered,capacity\nann,mentee,Grow,,\nbob,mentor,,Python,2\n"


def url(program) -> str:
    return reverse("wagtail_mentoring_import", args=[program.pk])


@pytest.fixture
def people(db):
    return [UserFactory(username=name) for name in ("ann", "bob")]


def post_file(client, program, text: str | bytes, name: str = "people.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(url(program), {"action": "preview", "file": SimpleUploadedFile(name, content)})


def test_coordinator_previews_then_confirms(client, admin_access, program, people):
    client.force_login(admin_access["coordinator"])
    page = client.get(url(program))
    html = page.content.decode()
    assert page.status_code == 200 and "<label" in html and 'for="id_file"' in html
    assert reverse("wagtail_mentoring_import_template", args=[program.pk]) in html
    response = post_file(client, program, GOOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in html and '<th scope="col">' in html and '<th scope="row">2</th>' in html
    assert "2 rows: 2 new, 0 updated, 0 unchanged." in html
    assert not Enrolment.objects.filter(user__in=people).exists()
    packed = response.context["packed"]
    confirmed = client.post(url(program), {"action": "confirm", "packed": packed, "file_name": "people.csv"})
    assert confirmed.status_code == 302 and confirmed["Location"] == url(program)
    assert Enrolment.objects.filter(program=program, user__in=people).count() == 2
    unchanged = post_file(client, program, GOOD).content.decode()
    assert "Every row is unchanged: there is nothing to import." in unchanged and 'value="confirm"' not in unchanged
    again = client.post(url(program), {"action": "confirm", "packed": packed, "file_name": "people.csv"}, follow=True)
    assert "Imported: 0 new, 0 updated, 2 unchanged." in again.content.decode()
    assert Enrolment.objects.filter(program=program, user__in=people).count() == 2


def test_preview_shows_every_rows_errors_and_no_confirm(client, admin_access, program, people):
    client.force_login(admin_access["coordinator"])
    html = post_file(client, program, GOOD + "ghost,mentee,Grow,,\nann,teacher,,,\n").content.decode()
    assert "2 rows have errors, so nothing will be imported." in html
    assert "username: No account has this username; accounts are not created by imports." in html
    assert "role: Choose mentor or mentee." in html
    assert 'value="confirm"' not in html


def test_confirm_revalidates_and_writes_nothing_on_error(client, admin_access, program, people):
    client.force_login(admin_access["coordinator"])
    packed = post_file(client, program, GOOD).context["packed"]
    people[1].is_active = False
    people[1].save()
    response = client.post(url(program), {"action": "confirm", "packed": packed, "file_name": "people.csv"})
    assert response.status_code == 200 and "This account is inactive." in response.content.decode()
    assert not Enrolment.objects.filter(user__in=people).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "photo.png", "neither a CSV file (UTF-8) nor an XLSX workbook"),
        (b"username,role\n" + b"ann,mentee\n" * 30, "people.csv", "more than 10 rows"),
        (b"username,role\n" + b"x" * 600 + b",mentee\n", "people.csv", "larger than 0.5 KB"),
        (b"username,goals\nann,Grow\n", "people.csv", "Missing columns: role."),
    ],
)
def test_bad_files_give_a_form_error(client, admin_access, program, content, name, message):
    client.force_login(admin_access["coordinator"])
    with override_settings(WAGTAIL_MENTORING={"IMPORT_MAX_ROWS": 10, "IMPORT_MAX_FILE_SIZE": 512}):
        response = post_file(client, program, content, name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "result" not in response.context


def test_no_file_and_a_tampered_confirm_give_form_errors(client, admin_access, program, people):
    client.force_login(admin_access["coordinator"])
    response = client.post(url(program), {"action": "preview"})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = client.post(url(program), {"action": "confirm", "packed": "not base64!", "file_name": "x.csv"})
    assert response.status_code == 200 and "upload the file again" in response.content.decode()
    assert not Enrolment.objects.filter(user__in=people).exists()


def test_other_coordinator_gets_404_and_writes_nothing(client, admin_access, program, people):
    client.force_login(admin_access["other_coordinator"])
    assert client.get(url(program)).status_code == 404
    assert post_file(client, program, GOOD).status_code == 404
    template = reverse("wagtail_mentoring_import_template", args=[program.pk])
    assert client.get(template).status_code == 404


def test_mentee_is_denied(client, admin_access, program):
    mentee = admin_access["mentee"]
    client.force_login(mentee)
    response = client.get(url(program))
    assert response.status_code == 302 and "login" in response["Location"]  # no admin access
    mentee.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert client.get(url(program)).status_code == 404


def test_anonymous_is_sent_to_login(client, program):
    response = client.get(url(program))
    assert response.status_code == 302 and "login" in response["Location"]


def test_template_download(client, admin_access, program):
    client.force_login(admin_access["coordinator"])
    response = client.get(reverse("wagtail_mentoring_import_template", args=[program.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == imports.template_csv()
    assert "attachment" in response["Content-Disposition"]


def test_xlsx_upload(client, admin_access, program, people):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["username", "role", "goals"])
    workbook.active.append(["ann", "mentee", "Grow"])
    data = io.BytesIO()
    workbook.save(data)
    client.force_login(admin_access["coordinator"])
    response = post_file(client, program, data.getvalue(), "people.xlsx")
    assert response.context["result"].rows[0].action == "create"


def test_cells_are_escaped_in_the_preview(client, admin_access, program):
    client.force_login(admin_access["coordinator"])
    html = post_file(client, program, 'username,role\n"<script>alert(1)</script>",<b>x</b>\n').content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
