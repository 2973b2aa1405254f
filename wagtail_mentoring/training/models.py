"""Training library pages, learning paths, completions, events and registrations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH, validate_date_window
from wagtail_mentoring.people import display_name
from wagtail_mentoring.training.blocks import TrainingStreamBlock

#: The longest length a training resource may state (minutes).
MAX_RESOURCE_MINUTES = 100000
#: Places at a new training event.
DEFAULT_EVENT_CAPACITY = 20


class Audience(models.TextChoices):
    """Who a training resource or event is for; *everyone* matches every audience filter."""

    MENTORS = "mentors", _("Mentors")
    MENTEES = "mentees", _("Mentees")
    COORDINATORS = "coordinators", _("Coordinators")
    EVERYONE = "everyone", _("Everyone")


class TrainingLibraryPage(Page):
    """The index of training resources: filters, search and pagination."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = ["wagtail_mentoring.TrainingResourcePage"]
    template = "wagtail_mentoring/training/library_page.html"

    class Meta:
        verbose_name = _("training library")

    def get_context(self, request, *args, **kwargs):
        """Add the filtered, searched, paginated resources the visitor may see (``views.library_context``)."""
        # Wagtail dispatch: page methods hand the request to the views, which import these models.
        from wagtail_mentoring.training.views import library_context

        context = super().get_context(request, *args, **kwargs)
        context.update(library_context(self, request))
        return context


class TrainingResourceTopic(TaggedItemBase):
    """Through model for a resource's topic tags (django-taggit on a page: a ``ParentalKey``)."""

    content_object = ParentalKey("TrainingResourcePage", on_delete=models.CASCADE, related_name="tagged_topics")


class TrainingResourcePage(Page):
    """One training resource: an article, book, video, webinar, workshop, course, template or podcast."""

    class ResourceType(models.TextChoices):
        ARTICLE = "article", _("Article")
        BOOK = "book", _("Book")
        VIDEO = "video", _("Video")
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        COURSE = "course", _("Course")
        TEMPLATE = "template", _("Template")
        PODCAST = "podcast", _("Podcast")

    resource_type = models.CharField(
        _("type"), max_length=12, choices=ResourceType.choices, default=ResourceType.ARTICLE
    )
    audience = models.CharField(_("audience"), max_length=14, choices=Audience.choices, default=Audience.EVERYONE)
    topics = ClusterTaggableManager(_("topics"), through=TrainingResourceTopic, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESOURCE_MINUTES)],
    )
    summary = models.TextField(_("summary"), max_length=MAX_TEXT_LENGTH, blank=True)
    body = StreamField(TrainingStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("resource_type"),
        FieldPanel("audience"),
        FieldPanel("topics"),
        FieldPanel("duration_minutes"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("resource_type"),
        index.FilterField("audience"),
        index.FilterField("duration_minutes"),
    ]
    api_fields = [
        APIField("resource_type"),
        APIField("audience"),
        APIField("topic_names"),
        APIField("duration_minutes"),
        APIField("summary"),
        APIField("body"),
    ]
    parent_page_types = ["wagtail_mentoring.TrainingLibraryPage"]
    subpage_types: list[str] = []
    template = "wagtail_mentoring/training/resource_page.html"

    class Meta:
        verbose_name = _("training resource")

    @property
    def topic_names(self) -> list[str]:
        """The resource's topics, by name (for the page API)."""
        return [tag.name for tag in self.topics.all()]

    @property
    def duration_display(self) -> str:
        """The length as people say it: "45 min", "2 h", "1 h 30 min"; empty when unknown."""
        minutes = self.duration_minutes
        if not minutes:
            return ""
        hours, mins = divmod(minutes, 60)
        if not hours:
            return _("%(m)d min") % {"m": mins}
        if not mins:
            return _("%(h)d h") % {"h": hours}
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}

    def get_context(self, request, *args, **kwargs):
        """Add the visitor's completion of this resource and its learning paths (``views.resource_context``)."""
        # Wagtail dispatch: page methods hand the request to the views, which import these models.
        from wagtail_mentoring.training.views import resource_context

        context = super().get_context(request, *args, **kwargs)
        context.update(resource_context(self, request))
        return context


class LearningPath(ClusterableModel):
    """An ordered list of training resources, e.g. "Mentor onboarding"."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=MAX_TEXT_LENGTH, blank=True)
    audience = models.CharField(_("audience"), max_length=14, choices=Audience.choices, default=Audience.EVERYONE)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("audience"),
        InlinePanel("items", label=_("Resources")),
    ]

    class Meta:
        verbose_name = _("learning path")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class LearningPathItem(Orderable):
    """One step of a learning path: a resource, in order; a resource appears at most once per path."""

    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        TrainingResourcePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("resource")
    )

    panels = [FieldPanel("resource")]

    class Meta(Orderable.Meta):
        verbose_name = _("learning path step")
        constraints = [models.UniqueConstraint(fields=["path", "resource"], name="wm_path_item_unique")]


class TrainingCompletion(models.Model):
    """A user has completed a training resource."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions", verbose_name=_("user")
    )
    resource = models.ForeignKey(
        TrainingResourcePage, on_delete=models.CASCADE, related_name="completions", verbose_name=_("resource")
    )
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training completion")
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="wm_completion_unique")]

    def __str__(self) -> str:
        return f"{display_name(self.user)} \u2713 {self.resource}"


class TrainingEvent(models.Model):
    """A scheduled training session (webinar, workshop) with limited places."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=MAX_TEXT_LENGTH, blank=True)
    start = models.DateTimeField(_("start"), validators=[validate_date_window])
    end = models.DateTimeField(_("end"), validators=[validate_date_window])
    location = models.CharField(_("location"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=DEFAULT_EVENT_CAPACITY, validators=[MinValueValidator(1)]
    )
    audience = models.CharField(_("audience"), max_length=14, choices=Audience.choices, default=Audience.EVERYONE)
    resource = models.ForeignKey(
        TrainingResourcePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("resource"),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("location"),
        FieldPanel("online_url"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("audience")]),
        FieldPanel("resource"),
    ]

    class Meta:
        verbose_name = _("training event")
        ordering = ["start"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Reject an event whose end is not after its start."""
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class TrainingRegistration(models.Model):
    """A user's place at a training event."""

    event = models.ForeignKey(
        TrainingEvent, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training registration")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="wm_registration_unique")]

    def __str__(self) -> str:
        return f"{display_name(self.user)} @ {self.event}"
