"""Template tags of the package (``{% load mentoring_pages %}``, ``{% load mentoring_people %}``)."""
