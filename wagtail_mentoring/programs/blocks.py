"""Blocks for mentoring program pages: goals, role expectations, timeline, FAQ, quotes, resources, enrol CTA,
and the steps of the program's journey."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from wagtail_mentoring.programs.journeys import COMPLETES_WHEN_CHOICES, MANUAL, MAX_DAYS_AFTER_START, PATH, SURVEY
from wagtail_mentoring.programs.timeline import ANCHORS, MAX_OFFSET_DAYS, milestone_date

TEMPLATE_DIR = "wagtail_mentoring/blocks/"


class ProgramGoalsBlock(blocks.StructBlock):
    """The outcomes the program aims for (e.g. "Increase retention of new managers")."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Program goals"), max_length=120)
    goals = blocks.ListBlock(blocks.CharBlock(label=_("Goal"), max_length=255), label=_("Goals"))

    class Meta:
        icon = "crosshairs"
        label = _("Program goals")
        template = TEMPLATE_DIR + "program_goals.html"


class RoleExpectationsBlock(blocks.StructBlock):
    """What the program expects of mentors or of mentees (role clarity)."""

    role = blocks.ChoiceBlock(
        choices=[("mentor", _("Mentors")), ("mentee", _("Mentees"))], label=_("Role"), default="mentee"
    )
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    expectations = blocks.ListBlock(blocks.CharBlock(label=_("Expectation"), max_length=255), label=_("Expectations"))
    time_commitment = blocks.CharBlock(
        label=_("Time commitment"), required=False, max_length=120, help_text=_("e.g. 1 hour every two weeks")
    )

    class Meta:
        icon = "user"
        label = _("Role expectations")
        template = TEMPLATE_DIR + "role_expectations.html"


class MilestoneBlock(blocks.StructBlock):
    """One step of the program's timeline: on a date, or relative to one of the program's dates."""

    date = blocks.DateBlock(label=_("Date"), required=False)
    anchor = blocks.ChoiceBlock(
        choices=[
            ("enrolment_deadline", _("the enrolment deadline")),
            ("start_date", _("the program's start")),
            ("end_date", _("the program's end")),
        ],
        label=_("Or relative to"),
        required=False,
        help_text=_("The milestone then follows the program's dates (the date above is not used)."),
    )
    offset_days = blocks.IntegerBlock(
        label=_("Days after it"),
        required=False,
        default=0,
        min_value=-MAX_OFFSET_DAYS,
        max_value=MAX_OFFSET_DAYS,
        help_text=_("Negative for days before, e.g. -14."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "date"
        label = _("Milestone")


class TimelineBlock(blocks.StructBlock):
    """The program's timeline, as an ordered list of milestones (``programs.timeline``)."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Timeline"), max_length=120)
    milestones = blocks.ListBlock(MilestoneBlock(), label=_("Milestones"))

    class Meta:
        icon = "calendar-alt"
        label = _("Timeline")
        template = TEMPLATE_DIR + "timeline.html"

    def get_context(self, value, parent_context=None):
        """Adds ``milestones``: ``(date, milestone)`` pairs, each date following the program's (``page``)."""
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        dates = {name: getattr(page, name, None) for name in ANCHORS}
        context["milestones"] = [
            (milestone_date(m.get("date"), m.get("anchor") or "", m.get("offset_days"), dates), m)
            for m in value["milestones"]
        ]
        return context


class FAQItemBlock(blocks.StructBlock):
    """A question and its answer."""

    question = blocks.CharBlock(label=_("Question"), max_length=255)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Question")


class FAQBlock(blocks.StructBlock):
    """Frequently asked questions."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Frequently asked questions"), max_length=120)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = TEMPLATE_DIR + "faq.html"


class QuoteBlock(blocks.StructBlock):
    """A testimonial from a past participant."""

    quote = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Author"), max_length=120)
    role = blocks.CharBlock(label=_("Author's role"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = TEMPLATE_DIR + "quote.html"


class ResourceHighlightsBlock(blocks.StructBlock):
    """A hand-picked list of pages (typically training resources) worth reading before starting."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Recommended resources"), max_length=120)
    pages = blocks.ListBlock(blocks.PageChooserBlock(label=_("Page")), label=_("Pages"))

    class Meta:
        icon = "link"
        label = _("Resource highlights")
        template = TEMPLATE_DIR + "resource_highlights.html"


class EnrolCallToActionBlock(blocks.StructBlock):
    """A call to action linking to the program's enrolment form."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Ready to take part?"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), default=_("Enrol now"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Enrol call to action")
        template = TEMPLATE_DIR + "enrol_cta.html"


class ProgramStreamBlock(blocks.StreamBlock):
    """The body of a MentoringProgramPage."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), icon="pilcrow")
    goals = ProgramGoalsBlock()
    expectations = RoleExpectationsBlock()
    timeline = TimelineBlock()
    faq = FAQBlock()
    quote = QuoteBlock()
    resources = ResourceHighlightsBlock()
    enrol_cta = EnrolCallToActionBlock()

    class Meta:
        label = _("Program content")


def pairing_survey_kinds() -> list[tuple[str, str]]:
    """The kinds of feedback a pair gives about their pairing (``Feedback.KIND_SUBJECTS``): the surveys a
    journey step may wait for."""
    # The model module imports these blocks: read the model from the app registry when the block asks.
    Feedback = apps.get_model("wagtail_mentoring", "Feedback")

    return [
        ("", "---------"),
        *((kind.value, kind.label) for kind in Feedback.Kind if "mentorship" in Feedback.KIND_SUBJECTS[kind][0]),
    ]


class JourneyStepBlock(blocks.StructBlock):
    """One step of the program's journey, due a number of days after each pairing starts.

    The step's id is its block's id in the ``journey`` StreamField: it stays the same when the editor
    reorders or renames steps, so the pairs' completions (``JourneyStepCompletion.step_id``) follow it.
    """

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    days_after_start = blocks.IntegerBlock(
        label=_("Days after the pairing starts"),
        default=0,
        min_value=0,
        max_value=MAX_DAYS_AFTER_START,
        help_text=_("The step is due this many days after the pair's start (0: at the start)."),
    )
    description = blocks.TextBlock(
        label=_("Agenda prompt"),
        required=False,
        max_length=2000,
        help_text=_("What the pair talks about or does in this step."),
    )
    resource = blocks.PageChooserBlock(
        label=_("Training resource"),
        required=False,
        page_type="wagtail_mentoring.TrainingResourcePage",
    )
    path = SnippetChooserBlock("wagtail_mentoring.LearningPath", label=_("Learning path"), required=False)
    survey_kind = blocks.ChoiceBlock(
        label=_("Survey"),
        choices=pairing_survey_kinds,
        required=False,
        help_text=_("The survey the pair answers in this step, if any."),
    )
    completes_when = blocks.ChoiceBlock(
        label=_("Done when"),
        choices=COMPLETES_WHEN_CHOICES,
        default=MANUAL,
        help_text=_("A step other than 'The pair marks it done' is done as soon as the linked thing happens."),
    )

    class Meta:
        icon = "tasks"
        label = _("Journey step")
        label_format = "{title}"
        template = TEMPLATE_DIR + "journey_step.html"

    def clean(self, value):
        """A step completed by a survey names the survey; one completed by training links a path or a resource."""
        value = super().clean(value)
        errors = {}
        if value.get("completes_when") == SURVEY and not value.get("survey_kind"):
            errors["survey_kind"] = ValidationError(_("Choose the survey that completes this step."))
        if value.get("completes_when") == PATH and not (value.get("path") or value.get("resource")):
            errors["path"] = ValidationError(_("Choose the learning path (or a resource) that completes this step."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class JourneyStreamBlock(blocks.StreamBlock):
    """The journey of a MentoringProgramPage: its steps, in the order the pairs take them."""

    step = JourneyStepBlock()

    class Meta:
        label = _("Journey")
