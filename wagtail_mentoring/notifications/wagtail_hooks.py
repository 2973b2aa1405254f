"""Admin wiring for notification channels: the webhooks viewset and its delivery log."""

from wagtail.snippets.models import register_snippet

from wagtail_mentoring.notifications.viewsets import WebhookDeliveryViewSet, WebhookEndpointViewSet

register_snippet(WebhookEndpointViewSet)
register_snippet(WebhookDeliveryViewSet)
