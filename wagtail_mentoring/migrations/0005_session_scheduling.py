"""Session scheduling: status, place or link, calendar UID and SEQUENCE; mentors' availability slots.

Existing sessions were logged after the fact: they become "held". Each gets its own UID.
"""

import django.db.models.deletion
import uuid
import wagtail_mentoring.inputs
from django.conf import settings
from django.db import migrations, models


def give_each_session_a_uid(apps, schema_editor):
    """A distinct UID per existing session (a callable default gives every row the same one)."""
    session = apps.get_model("wagtail_mentoring", "MentoringSession")
    for pk in session.objects.filter(uid__isnull=True).values_list("pk", flat=True).iterator():
        session.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_mentoring", "0004_mentorship_agreement_confirmed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="mentoringsession",
            name="location",
            field=models.CharField(
                blank=True,
                help_text="A room, an address or a video-call link (https://...).",
                max_length=500,
                validators=[wagtail_mentoring.inputs.validate_place_or_link],
                verbose_name="place or meeting link",
            ),
        ),
        migrations.AddField(
            model_name="mentoringsession",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="calendar sequence"),
        ),
        migrations.AddField(
            model_name="mentoringsession",
            name="status",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("planned", "Planned"),
                    ("held", "Held"),
                    ("cancelled", "Cancelled"),
                ],
                default="held",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="mentoringsession",
            name="uid",
            field=models.UUIDField(null=True, editable=False, verbose_name="calendar UID"),
        ),
        migrations.RunPython(give_each_session_a_uid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="mentoringsession",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="calendar UID"),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="kind",
            field=models.CharField(
                choices=[
                    ("check_in_due", "Check-in due"),
                    ("no_session", "No session for a while"),
                    ("pairing_stalled", "Pairing stalled (coordinators)"),
                    ("enrolment_review", "Enrolments awaiting review (coordinators)"),
                    ("mentee_unmatched", "Mentees left unmatched (coordinators)"),
                    ("survey_due", "Feedback survey due"),
                    ("ending_soon", "Mentorship ending soon"),
                    ("achievement", "Achievements and kudos"),
                    ("session_invitation", "Session invitations (calendar)"),
                    ("session_tomorrow", "Session tomorrow"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="reminderlog",
            name="rule",
            field=models.CharField(
                choices=[
                    ("check_in_due", "Check-in due"),
                    ("no_session", "No session for a while"),
                    ("pairing_stalled", "Pairing stalled (coordinators)"),
                    ("enrolment_review", "Enrolments awaiting review (coordinators)"),
                    ("mentee_unmatched", "Mentees left unmatched (coordinators)"),
                    ("survey_due", "Feedback survey due"),
                    ("ending_soon", "Mentorship ending soon"),
                    ("achievement", "Achievements and kudos"),
                    ("session_invitation", "Session invitations (calendar)"),
                    ("session_tomorrow", "Session tomorrow"),
                ],
                max_length=32,
                verbose_name="rule",
            ),
        ),
        migrations.CreateModel(
            name="AvailabilitySlot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "start",
                    models.DateTimeField(
                        validators=[wagtail_mentoring.inputs.validate_date_window], verbose_name="start"
                    ),
                ),
                (
                    "end",
                    models.DateTimeField(
                        validators=[wagtail_mentoring.inputs.validate_date_window], verbose_name="end"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentoring_availability",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="mentor",
                    ),
                ),
            ],
            options={
                "verbose_name": "availability slot",
                "verbose_name_plural": "availability slots",
                "ordering": ["start", "pk"],
            },
        ),
        migrations.AddField(
            model_name="mentoringsession",
            name="slot",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sessions",
                to="wagtail_mentoring.availabilityslot",
                verbose_name="availability slot",
            ),
        ),
        migrations.AddIndex(
            model_name="mentoringsession",
            index=models.Index(fields=["mentorship", "status", "date"], name="wm_session_pair_status_date"),
        ),
        migrations.AddConstraint(
            model_name="mentoringsession",
            constraint=models.UniqueConstraint(
                condition=models.Q(("slot__isnull", False), ("status__in", ["proposed", "planned", "held"])),
                fields=("slot",),
                name="wm_session_one_per_slot",
            ),
        ),
        migrations.AddIndex(
            model_name="availabilityslot",
            index=models.Index(fields=["mentor", "start"], name="wm_slot_mentor_start"),
        ),
        migrations.AddConstraint(
            model_name="availabilityslot",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gt", models.F("start"))), name="wm_slot_end_after_start"
            ),
        ),
    ]
