"""The bulk-transition confirmation asks a whole sentence, singular or plural, in English and Italian."""

import pytest

from tests.factories import EnrolmentFactory
from tests.programs.test_admin import bulk_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "Apply “Accept” to the item below?"),
        ("en", 3, "Apply “Accept” to the 3 items below?"),
        ("it", 1, "Applicare «Accetta» all’elemento qui sotto?"),
        ("it", 3, "Applicare «Accetta» ai 3 elementi qui sotto?"),
    ],
)
def test_confirmation_is_a_sentence_in_each_language(client, admin_access, program, language, count, expected):
    enrolments = [EnrolmentFactory(program=program, status="applied") for _ in range(count)]
    client.force_login(admin_access["coordinator"])
    response = client.get(
        bulk_url("enrolment", "enrolment_accept", *(e.pk for e in enrolments)), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body
    assert " accept this item" not in body and " accetta questo" not in body
