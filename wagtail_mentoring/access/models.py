"""django-guardian direct foreign-key object permission models."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class MentorshipUserObjectPermission(UserObjectPermissionBase):
    """Per-user permissions on a mentorship (granted to its mentor and mentee)."""

    content_object = models.ForeignKey("wagtail_mentoring.Mentorship", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class MentorshipGroupObjectPermission(GroupObjectPermissionBase):
    """Per-group permissions on a mentorship."""

    content_object = models.ForeignKey("wagtail_mentoring.Mentorship", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class ProgramUserObjectPermission(UserObjectPermissionBase):
    """Per-user permissions on a program page (e.g. ``coordinate_program``)."""

    content_object = models.ForeignKey("wagtail_mentoring.MentoringProgramPage", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class ProgramGroupObjectPermission(GroupObjectPermissionBase):
    """Per-group permissions on a program page (the program's coordinators group)."""

    content_object = models.ForeignKey("wagtail_mentoring.MentoringProgramPage", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
