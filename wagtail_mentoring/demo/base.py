"""Shared demo context and the users and page tree every other demo step builds on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

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


def _user(username: str, first: str, last: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com", **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
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
    users["admin"] = _user("admin", "Ada", "Admin", is_superuser=True, is_staff=True)
    users["editor"] = _user("editor", "Eddie", "Editor", is_staff=True)
    users["coordinator"] = _user("coordinator", "Cora", "Coordinator", is_staff=True)
    n_mentors = 3 * ctx.scale
    n_mentees = 6 * ctx.scale
    for i in range(1, n_mentors + 1):
        users[f"mentor{i}"] = _user(
            f"mentor{i}", FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 3) % len(LAST_NAMES)]
        )
    for i in range(1, n_mentees + 1):
        users[f"mentee{i}"] = _user(
            f"mentee{i}", FIRST_NAMES[(i + 7) % len(FIRST_NAMES)], LAST_NAMES[(i * 7 + 1) % len(LAST_NAMES)]
        )
    users["employee"] = _user("employee", "Emma", "Employee")
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
