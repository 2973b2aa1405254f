"""Access control: the one place that decides who may see and change mentoring data.

Everything private (mentorships, objectives, key results, check-ins, sessions, enrolments, feedback)
is reached through the ``visible_*`` querysets and ``can_*`` predicates in
``wagtail_mentoring.access.querysets``; grants and revocations happen in
``wagtail_mentoring.access.grants`` in response to lifecycle events. In the Wagtail admin,
``policies`` (one scoped permission policy per private model), ``viewsets`` (the one viewset mixin),
``bulk_actions`` (the scoped bulk-action mixin and the one bulk delete) and ``choosers`` apply those
querysets; ``cache`` holds request-scoped answers (nothing is cached on the user object).
"""
