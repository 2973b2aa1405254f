"""Shared demo context and the users and page tree every other demo step builds on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled
from wagtail.tasks import update_reference_index_task

DEMO_PASSWORD = "mentoring-demo"  # noqa: S105 - printed to the console on purpose; DEBUG only

DEPARTMENTS = ["Engineering", "Sales", "Finance", "People", "Marketing", "Operations"]


@dataclass
class DemoContext:
    """What the demo steps share: the output stream, the scale, the users, their roles and the pages."""

    stdout: Any
    style: Any
    scale: int = 1
    verbose: bool = False
    users: dict[str, Any] = field(default_factory=dict)
    #: A few words per username for the summary ("mentee, paired with ..."); steps add to them.
    roles: dict[str, str] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def say(self, message: str) -> None:
        """Write one progress line to the command's output (only with ``--verbosity 2`` or more)."""
        if self.verbose:
            self.stdout.write(message)

    @property
    def mentors(self) -> list:
        """The demo mentors (``mentor1``, ``mentor2`` ...) in name order."""
        return [u for name, u in sorted(self.users.items()) if name.startswith("mentor") and name[6:].isdigit()]

    @property
    def mentees(self) -> list:
        """The demo mentees (``mentee1``, ``mentee2`` ...) in name order."""
        return [u for name, u in sorted(self.users.items()) if name.startswith("mentee") and name[6:].isdigit()]


@contextmanager
def reference_index_once() -> Iterator[None]:
    """Update Wagtail's reference index once per object the block saves, when it ends.

    Wagtail queues an index update on every save of an indexed model; the demo saves a key result
    again with each of its check-ins, so the same objects were indexed hundreds of times (about a third
    of the demo's time). Inside the block the automatic update is off and the saved objects are
    remembered; at the end each one still there is indexed once, by Wagtail's own task run in place.

    Example:
        >>> with reference_index_once():  # doctest: +SKIP
        ...     build_the_demo()
    """
    if getattr(reference_index_auto_update_disabled, "value", False):
        yield  # the caller turned the index off (Wagtail's context manager does not nest)
        return
    saved: dict[tuple[str, str, str], None] = {}

    def remember(sender, instance, raw: bool = False, **kwargs) -> None:
        if not raw and sender in ReferenceIndex.tracked_models:
            saved[(sender._meta.app_label, sender._meta.model_name, str(instance.pk))] = None

    def forget(sender, instance, **kwargs) -> None:
        saved.pop((sender._meta.app_label, sender._meta.model_name, str(instance.pk)), None)

    post_save.connect(remember, weak=False, dispatch_uid="wagtail_mentoring.demo.remember")
    post_delete.connect(forget, weak=False, dispatch_uid="wagtail_mentoring.demo.forget")
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="wagtail_mentoring.demo.remember")
        post_delete.disconnect(dispatch_uid="wagtail_mentoring.demo.forget")
    with transaction.atomic():  # one commit, not one per object
        for key in saved:
            update_reference_index_task.call(*key)


def _user(username: str, first: str, last: str, password: str, **extra):
    """The demo user ``username``, created with the encoded ``password`` (hashed once per run: each hash
    costs about half a second of CPU with Django's default hasher, and every demo user shares it)."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
            "password": password,
            **extra,
        },
    )
    return user


FIRST_NAMES = [
    "Alice",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elena",
    "Farah",
    "Giulia",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemal",
    "Lucia",
    "Marco",
    "Nadia",
    "Omar",
    "Paola",
    "Quentin",
    "Rosa",
    "Sven",
    "Tara",
]
LAST_NAMES = ["Rossi", "Bianchi", "Smith", "Okafor", "Tanaka", "Novak", "Garcia", "Müller", "Haddad", "Kowalski"]


def run(ctx: DemoContext) -> None:
    """Users for every role, the editors' and coordinators' groups, and the intranet's page tree."""
    users = ctx.users
    password = make_password(DEMO_PASSWORD)
    users["admin"] = _user("admin", "Ada", "Admin", password, is_superuser=True, is_staff=True)
    users["editor"] = _user("editor", "Eddie", "Editor", password, is_staff=True)
    users["coordinator"] = _user("coordinator", "Cora", "Coordinator", password, is_staff=True)
    n_mentors = 3 * ctx.scale
    n_mentees = 6 * ctx.scale
    for i in range(1, n_mentors + 1):
        users[f"mentor{i}"] = _user(
            f"mentor{i}", FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 3) % len(LAST_NAMES)], password
        )
    for i in range(1, n_mentees + 1):
        users[f"mentee{i}"] = _user(
            f"mentee{i}", FIRST_NAMES[(i + 7) % len(FIRST_NAMES)], LAST_NAMES[(i * 7 + 1) % len(LAST_NAMES)], password
        )
    users["employee"] = _user("employee", "Emma", "Employee", password)
    ctx.roles.update(
        admin="superuser",
        editor="editor (pages and training)",
        coordinator="coordinator of both programs",
        employee="employee, on a waiting list",
    )

    editors, _created = Group.objects.get_or_create(name="Editors")
    users["editor"].groups.add(editors)
    _admin_access(editors)  # also where Wagtail's default "Editors" group was deleted or never created
    coordinators, _created = Group.objects.get_or_create(name=_("Mentoring coordinators"))
    users["coordinator"].groups.add(coordinators)
    ctx.extra["coordinators_group"] = coordinators
    _admin_access(coordinators)

    ctx.pages["home"] = _home_page()
    ctx.say(ctx.style.SUCCESS(_("Users and home page ready.")))


def _admin_access(group: Group) -> None:
    perm = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if perm:
        group.permissions.add(perm)


def _home_page() -> Page:
    """The site's root page (whatever type the host uses)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        root = Page.get_first_root_node()
        home = root.get_children().first()
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Intranet")
    return site.root_page.specific


def child_page(parent: Page, page_class, slug: str, **fields) -> Page:
    """Get ``parent``'s child with ``slug`` or create (and publish) it: keeps the demo idempotent."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
