"""Admin for coordinators: their programs' mentoring groups and peer circles, and filling groups by matching.

The listing shows each group's people and how often it met (the dates of its sessions), never the words of
its sessions: those are the group's own (``access.can_read_group_words``). Members are chosen among the
accepted participants of the programs the user coordinates, and saved through ``programs.groups`` (the
rules of who may join and how many, under the group's lock).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from wagtail_mentoring.access.querysets import coordinated_programs, is_coordinator
from wagtail_mentoring.access.viewsets import ScopedViewSetMixin
from wagtail_mentoring.form_errors import ServiceErrorsMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import groups
from wagtail_mentoring.programs.models import Enrolment, MentoringGroup
from wagtail_mentoring.programs.selectors import unmatched_mentees
from wagtail_mentoring.programs.viewsets import _coordinated_programs_for

GROUP_FIELDS = ["name", "program", "kind", "status", "mentor", "max_size", "meeting_cadence_days", "focus"]


def _participants(user, role: str | None = None):
    """Users with an accepted enrolment (in ``role``, any when None) in a program ``user`` coordinates."""
    enrolments = Enrolment.objects.filter(
        program__in=coordinated_programs(user).values("pk"), status=Enrolment.Status.ACCEPTED
    )
    if role:
        enrolments = enrolments.filter(role=role)
    return (
        get_user_model()
        .objects.filter(pk__in=enrolments.values("user_id"), is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    """People by name (``people.display_name``)."""

    def label_from_instance(self, obj) -> str:
        """The person's name."""
        return display_name(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """People by name (``people.display_name``)."""

    def label_from_instance(self, obj) -> str:
        """The person's name."""
        return display_name(obj)


class MentoringGroupForm(WagtailAdminModelForm):
    """A group of a program the user coordinates; its mentor and members among the program's accepted people."""

    people = PeopleChoiceField(
        label=gettext_lazy("Members"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12, "style": "min-width: 24rem"}),
        help_text=gettext_lazy(
            "Accepted mentees of the program (any accepted participant in a peer circle). "
            "Hold Ctrl or Cmd to choose several."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["program"].queryset = coordinated_programs(user).order_by("title")
        self.fields["program"].widget = forms.Select(choices=self.fields["program"].choices)
        mentor = PersonChoiceField(
            label=self.fields["mentor"].label,
            queryset=_participants(user, Enrolment.Role.MENTOR),
            required=False,
            help_text=self.fields["mentor"].help_text,
        )
        self.fields["mentor"] = mentor
        self.fields["people"].queryset = _participants(user)
        if self.instance.pk:
            self.initial["people"] = list(self.instance.members.values_list("user_id", flat=True))

    def clean(self) -> dict:
        """The rules of ``programs.groups``: a mentoring group's mentor, who may join, and how many."""
        data = super().clean()
        program, kind = data.get("program"), data.get("kind")
        if program is None or not kind:
            return data
        mentor = data.get("mentor")
        if kind == MentoringGroup.Kind.GROUP and (problem := groups.mentor_problem(program, mentor and mentor.pk)):
            self.add_error("mentor", problem)
        probe = MentoringGroup(
            pk=self.instance.pk,
            program=program,
            kind=kind,
            status=data.get("status") or MentoringGroup.Status.FORMING,
            mentor=mentor,
            max_size=data.get("max_size") or self.instance.max_size,
        )
        people = list(data.get("people") or [])
        problems = groups.member_problems(probe, [p.pk for p in people]) if probe.is_open else {}
        for person in people:
            if person.pk in problems:
                self.add_error("people", f"{display_name(person)}: {problems[person.pk]}")
        if problem := groups.size_problem(probe, len(people)):
            self.add_error("people", problem)
        return data

    def save(self, commit: bool = True):
        """Save the group, then its members through ``programs.groups`` (their rules, under the group's lock)."""
        group = super().save(commit=commit)
        if commit:
            self.save_members(group)
        return group

    def save_members(self, group: MentoringGroup) -> None:
        """Add the chosen people who are not members yet and take the others' places away."""
        chosen = {p.pk: p for p in self.cleaned_data.get("people") or []}
        current = set(group.members.values_list("user_id", flat=True))
        if leaving := current - set(chosen):
            groups.remove_members(group, leaving)
        new = [person for pk, person in chosen.items() if pk not in current]
        if new:
            groups.add_members(group, new)


class GroupSaveMixin(ServiceErrorsMixin):
    """Save the group and its members in one transaction; a service refusal is a form error."""

    def save_instance(self):
        """Save through the form (``MentoringGroupForm.save`` adds the members through the service)."""
        return self.form.save()


class MentoringGroupCreateView(GroupSaveMixin, CreateView):
    """Create a group with its members."""


class MentoringGroupEditView(GroupSaveMixin, EditView):
    """Edit a group and its members."""


class MentoringGroupIndexView(IndexView):
    """The groups listing, with a "Fill groups by matching" button for coordinators."""

    @property
    def header_buttons(self):
        """Wagtail's buttons, and "Fill groups by matching" for coordinators."""
        buttons = list(super().header_buttons)
        if is_coordinator(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Fill groups by matching"), url=reverse("wagtail_mentoring_fill_groups"), icon_name="group"
                )
            )
        return buttons


class MentoringGroupFilterSet(WagtailFilterSet):
    """Filter groups by program (only those the user coordinates), kind and status."""

    program = ModelChoiceFilter(label=gettext_lazy("Program"), queryset=_coordinated_programs_for)
    kind = ChoiceFilter(label=gettext_lazy("Kind"), choices=MentoringGroup.Kind.choices)
    status = ChoiceFilter(label=gettext_lazy("Status"), choices=MentoringGroup.Status.choices)

    class Meta:
        model = MentoringGroup
        fields = ["program", "kind", "status"]


class MentoringGroupViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators form their programs' mentoring groups and peer circles."""

    model = MentoringGroup
    icon = "group"
    menu_label = gettext_lazy("Groups")
    menu_name = "mentoring-groups"
    menu_order = 215
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/groups"
    index_view_class = MentoringGroupIndexView
    add_view_class = MentoringGroupCreateView
    edit_view_class = MentoringGroupEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "name",
        "program",
        "kind",
        "status",
        Column(
            "mentor", label=gettext_lazy("Mentor"), accessor=lambda g: display_name(g.mentor) if g.mentor_id else "—"
        ),
        Column("member_count", label=gettext_lazy("Members"), sort_key="member_count"),
        Column("session_count", label=gettext_lazy("Sessions"), sort_key="session_count"),
        DateColumn("last_session", label=gettext_lazy("Last session"), sort_key="last_session"),
    ]
    list_filter = None
    filterset_class = MentoringGroupFilterSet
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name", "pk"]
    panels = [
        FieldPanel("name"),
        FieldPanel("program"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("mentor"),
        FieldPanel("people"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("max_size"), FieldPanel("meeting_cadence_days")]), FieldPanel("focus")],
            heading=gettext_lazy("How the group works"),
        ),
    ]

    def get_listing_queryset(self, queryset):
        """The groups the policy lets the user see, with their counts and last session date (no words)."""
        return (
            queryset.select_related("program", "mentor")
            .annotate(
                member_count=Count("members", distinct=True),
                session_count=Count("sessions", distinct=True),
                last_session=Max("sessions__date"),
            )
            .order_by("name", "pk")
        )

    def get_form_class(self, for_update=False):
        """The group form: programs, mentors and members limited to what the user coordinates."""
        return forms.modelform_factory(MentoringGroup, form=MentoringGroupForm, fields=GROUP_FIELDS)


class FillGroupsView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the programs the user coordinates that have open mentoring groups; POST: fill one program's groups
    with its unmatched mentees by matching (``programs.groups.fill_groups``). Coordinators only (else 404)."""

    template_name = "wagtail_mentoring/programs/admin/fill_groups.html"
    page_title = gettext_lazy("Fill groups by matching")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        """Coordinators only: anyone else gets a 404."""
        if not is_coordinator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        """Home, Groups, this page."""
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("wagtailsnippets_wagtail_mentoring_mentoringgroup:list"), "label": _("Groups")},
            {"url": "", "label": self.page_title},
        ]

    def programs(self):
        """The programs the user coordinates."""
        return coordinated_programs(self.request.user).order_by("title")

    def get_context_data(self, **kwargs):
        """Each program with open mentoring groups: how many, their free places, and the unmatched mentees
        (``programs.selectors.unmatched_mentees``) that matching may place. Three queries."""
        programs = self.programs()
        open_groups = (
            MentoringGroup.objects.filter(
                program__in=programs.values("pk"),
                kind=MentoringGroup.Kind.GROUP,
                status__in=MentoringGroup.OPEN_STATUSES,
            )
            .annotate(n=Count("members"))
            .values_list("program_id", "max_size", "n")
        )
        groups_of: dict[int, int] = {}
        free_of: dict[int, int] = {}
        for program_id, size, members in open_groups:
            groups_of[program_id] = groups_of.get(program_id, 0) + 1
            free_of[program_id] = free_of.get(program_id, 0) + max(size - members, 0)
        unmatched = dict(
            unmatched_mentees(Enrolment.objects.filter(program_id__in=list(groups_of)))
            .values("program_id")
            .annotate(n=Count("pk"))
            .values_list("program_id", "n")
        )
        rows = [
            {
                "program": program,
                "groups": groups_of[program.pk],
                "free": free_of[program.pk],
                "unmatched": unmatched.get(program.pk, 0),
            }
            for program in programs.filter(pk__in=list(groups_of)).only("pk", "title")
        ]
        return super().get_context_data(rows=rows, **kwargs)

    def post(self, request):
        """Fill the chosen program's groups, then say how many mentees were placed."""
        raw = request.POST.get("program", "")
        program = self.programs().filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
        if program is None:
            raise Http404
        try:
            added = groups.fill_groups(program)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            placed = sum(len(ids) for ids in added.values())
            messages.success(
                request,
                ngettext(
                    "%(n)d mentee placed in the groups of “%(program)s”.",
                    "%(n)d mentees placed in the groups of “%(program)s”.",
                    placed,
                )
                % {"n": placed, "program": program.title},
            )
        return HttpResponseRedirect(reverse("wagtail_mentoring_fill_groups"))
