"""Front-end views of program pages: the program listing, the ``enrol/`` route and profile editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import can_view_page, is_active_user, viewable_pages
from wagtail_mentoring.form_errors import add_validation_error
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.forms import EnrolmentForm, MentoringProfileForm
from wagtail_mentoring.programs.models import Enrolment, MentoringProgramPage


def program_listing(index_page, request) -> list[dict]:
    """The index's live programs the visitor may see, with enrolment status, their own enrolments and
    whether to offer "Enrol" (``MentoringProgramPage.invites_application``).

    Runs a constant number of queries (programs, view restrictions, the user's groups, enrolments).
    """
    programs = list(MentoringProgramPage.objects.child_of(index_page).live().order_by("start_date", "path"))
    programs = viewable_pages(request.user, programs, session=getattr(request, "session", None))
    mine: dict[int, list[Enrolment]] = {}
    if is_active_user(request.user) and programs:
        for enrolment in Enrolment.objects.filter(user=request.user, program__in=[p.pk for p in programs]):
            mine.setdefault(enrolment.program_id, []).append(enrolment)
    return [
        {
            "page": p,
            "status": p.enrolment_status_code,
            "my_enrolments": mine.get(p.pk, []),
            "can_apply": p.invites_application(mine.get(p.pk, [])),
        }
        for p in programs
    ]


def enrol_view(request, program: MentoringProgramPage):
    """Apply to ``program``: login required; invisible programs 404; closed ones explain why."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_active_user(request.user) or not can_view_page(request.user, program, session=request.session):
        raise Http404
    profile = services.profile_for(request.user)
    closed = services.enrolment_closed_reason(program)
    mine = list(program.enrolments.filter(user=request.user))
    open_roles = program.roles_open_to(mine)
    initial = {"languages": profile.languages}
    if len(open_roles) == 1:
        initial["role"] = open_roles[0]  # the other role is taken: offer the one left
    form = EnrolmentForm(request.POST or None, profile=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(
                program,
                request.user,
                form.cleaned_data["role"],
                session=request.session,
                **form.enrolment_fields(),
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "not_visible":
                raise Http404 from exc
            add_validation_error(form, exc)
        else:
            for name, value in form.profile_fields().items():
                setattr(profile, name, value)
            profile.save()
            messages.success(
                request,
                _("Thank you: your application as %(role)s was received.") % {"role": enrolment.get_role_display()},
            )
            return redirect(program.url)
    return TemplateResponse(
        request,
        "wagtail_mentoring/programs/enrol.html",
        {
            "page": program,
            "self": program,
            "form": form,
            "closed_reason": closed,
            "my_enrolments": mine,
            "open_roles": open_roles,
        },
    )


def profile_view(request, index_page):
    """Edit the visitor's own mentoring profile (login required)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_active_user(request.user):
        raise Http404
    profile = services.profile_for(request.user)
    form = MentoringProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your mentoring profile was saved."))
        return redirect(request.path)
    return TemplateResponse(
        request,
        "wagtail_mentoring/programs/profile.html",
        {"page": index_page, "self": index_page, "form": form},
    )
