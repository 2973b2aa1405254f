"""The admin's "Mentoring" menu shows a user only what they can use; the permission policies decide."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from tests.factories import EnrolmentFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

OKR_ITEMS = {"Objectives", "Check-ins"}
TRAINING_ITEMS = {"Learning paths", "Training events"}


def _admin(user):
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def mentoring_menu(user) -> set[str]:
    """The labels of the "Mentoring" submenu as ``user`` sees it (empty when the menu is hidden)."""
    reverse("wagtailadmin_home")  # loads the admin's URLs, which registers the viewsets' menu items
    request = RequestFactory().get("/admin/")
    request.user = user
    for item in admin_menu.menu_items_for_request(request):
        if item.name == "mentoring":
            return {str(sub.label) for sub in item.menu.menu_items_for_request(request)}
    return set()


def test_editor_sees_no_empty_okr_items(client, roles):
    editor = _admin(roles["editor"])
    assert not mentoring_menu(editor) & OKR_ITEMS
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsnippets_wagtail_mentoring_objective:list") not in html
    # Typed by hand, the listing refuses the editor like any admin page they may not use.
    response = client.get(reverse("wagtailsnippets_wagtail_mentoring_objective:list"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", ["mentee", "mentor", "coordinator"])
def test_participants_and_coordinators_keep_the_okr_items(roles, name):
    assert OKR_ITEMS <= mentoring_menu(_admin(roles[name]))


def test_accepted_applicant_and_objective_owner_keep_the_okr_items(roles, program):
    EnrolmentFactory(program=program, user=roles["employee"], status="accepted")
    assert OKR_ITEMS <= mentoring_menu(_admin(roles["employee"]))
    ObjectiveFactory(owner=roles["editor"], title="Written before")
    assert OKR_ITEMS <= mentoring_menu(_admin(roles["editor"]))


def test_editors_group_with_training_permissions_manages_training_content(client, roles):
    """Training content is the editors' (the roles table): with their group's model permissions they see
    and open learning paths and training events; without them, the menu does not offer them."""
    editor = _admin(roles["editor"])
    assert not mentoring_menu(editor) & TRAINING_ITEMS
    editors = Group.objects.create(name="Training editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wagtail_mentoring",
            codename__in=[
                f"{action}_{model}"
                for action in ("add", "change", "delete", "view")
                for model in ("learningpath", "trainingevent")
            ],
        )
    )
    editor.groups.add(editors)
    editor = type(editor).objects.get(pk=editor.pk)  # fresh permission cache
    assert TRAINING_ITEMS <= mentoring_menu(editor) and not mentoring_menu(editor) & OKR_ITEMS
    client.force_login(editor)
    for name in ("learningpath", "trainingevent"):
        assert client.get(reverse(f"wagtailsnippets_wagtail_mentoring_{name}:list")).status_code == 200
        assert client.get(reverse(f"wagtailsnippets_wagtail_mentoring_{name}:add")).status_code == 200
