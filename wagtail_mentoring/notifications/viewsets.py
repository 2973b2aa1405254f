"""Admin viewsets for coordinators: their programs' webhooks, and the read-only log of delivery attempts.

The signing secret is write-only: the form never shows it back (leave it blank to keep it), and neither
listing, inspect view nor export shows it or the URL's path (a chat webhook's path is itself a credential).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_mentoring.access.querysets import coordinated_programs
from wagtail_mentoring.access.viewsets import ScopedViewSetMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.notifications.models import NotificationKind, WebhookDelivery, WebhookEndpoint

WEBHOOK_FIELDS = [
    "name",
    "program",
    "url",
    "secret",
    "payload_format",
    "receives_reminders",
    "receives_celebrations",
    "receives_todos",
    "active",
]


class WebhookEndpointForm(WagtailAdminModelForm):
    """Programs limited to those the user coordinates; the secret is write-only (blank keeps the saved one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = coordinated_programs(self.for_user).order_by("title")
        self.fields["program"].widget = forms.Select(choices=self.fields["program"].choices)
        secret = self.fields["secret"]
        secret.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
        if self.instance.pk:
            secret.required = False
            secret.help_text = _("A secret is saved. Leave blank to keep it, or type a new one to replace it.")
        self.initial.pop("secret", None)

    def clean_secret(self) -> str:
        """The new secret, or the saved one when the field is left blank on an existing webhook."""
        value = self.cleaned_data.get("secret") or ""
        if not value and self.instance.pk:
            return WebhookEndpoint.objects.filter(pk=self.instance.pk).values_list("secret", flat=True).first() or ""
        return value


def _coordinated_programs_for(request):
    return coordinated_programs(request.user).order_by("title") if request else coordinated_programs(None)


class WebhookEndpointFilterSet(WagtailFilterSet):
    """Filter webhooks by program (only those the user coordinates)."""

    program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)

    class Meta:
        model = WebhookEndpoint
        fields = ["program"]


class WebhookEndpointViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators configure outgoing webhooks (Slack, Teams, JSON) for their programs."""

    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Webhooks")
    menu_name = "mentoring-webhooks"
    menu_order = 240
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/webhooks"
    copy_view_enabled = False
    inspect_view_enabled = False
    list_select_related = ("program",)
    list_display = [
        "name",
        "program",
        Column("host", label=_("Host")),
        "payload_format",
        BooleanColumn("active", label=_("Active")),
    ]
    list_export = []
    filterset_class = WebhookEndpointFilterSet
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name", "pk"]
    panels = [
        FieldPanel("name"),
        FieldPanel("program"),
        FieldPanel("url"),
        FieldPanel("secret"),
        FieldPanel("payload_format"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("receives_reminders"),
                        FieldPanel("receives_celebrations"),
                        FieldPanel("receives_todos"),
                    ]
                )
            ],
            heading=_("Receives"),
        ),
        FieldPanel("active"),
    ]

    def get_form_class(self, for_update=False):
        """The webhook form: programs the user coordinates, a write-only secret."""
        return forms.modelform_factory(WebhookEndpoint, form=WebhookEndpointForm, fields=WEBHOOK_FIELDS)


class WebhookDeliveryFilterSet(WagtailFilterSet):
    """Filter the delivery log by program, kind and outcome."""

    endpoint__program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)
    kind = ChoiceFilter(label=_("Kind"), choices=NotificationKind.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint__program", "kind", "succeeded"]


class WebhookDeliveryViewSet(ScopedViewSetMixin, SnippetViewSet):
    """The read-only log of webhook delivery attempts of the coordinator's programs."""

    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    menu_name = "mentoring-webhook-deliveries"
    menu_order = 241
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/webhook-deliveries"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_select_related = ("endpoint__program",)
    list_display = [
        "title",
        "endpoint",
        "kind",
        "attempt",
        "status_code",
        "error",
        BooleanColumn("succeeded", label=_("Succeeded")),
        "created_at",
    ]
    list_export = []
    filterset_class = WebhookDeliveryFilterSet
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = ["endpoint", "kind", "title", "attempt", "status_code", "error", "succeeded", "created_at"]
