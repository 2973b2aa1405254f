"""Management commands of wagtail-mentoring (``manage.py mentoring_*``)."""
