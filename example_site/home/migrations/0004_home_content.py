"""Give a fresh intranet's home page an introduction and quick links (only if the editors left it empty)."""

import json
import uuid

from django.db import migrations

INTRO = "<p>News, people and tools for everyone at Acme, including our mentoring programs.</p>"


def _body() -> str:
    def link(title, url, description):
        return {"type": "item", "id": str(uuid.uuid4()), "value": {
            "title": title, "page": None, "url": url, "description": description}}

    return json.dumps([
        {"type": "quick_links", "id": str(uuid.uuid4()), "value": {"title": "Quick links", "links": [
            link("My mentoring", "/mentoring/", "Your pairing, objectives, check-ins and sessions."),
            link("Mentoring programs", "/programs/", "Find a program and enrol as a mentor or a mentee."),
            link("Training", "/training/", "Guides, courses and events for mentors and mentees."),
            link("Log in", "/accounts/login/", "Use your intranet account."),
        ]}},
        {"type": "callout", "id": str(uuid.uuid4()), "value": {
            "title": "New here?",
            "text": "<p>Mentoring is open to every employee. Read the program page, then enrol before the deadline.</p>",
        }},
    ])


def fill_home_page(apps, schema_editor):
    HomePage = apps.get_model("home.HomePage")
    for page in HomePage.objects.filter(depth=2):
        if not page.intro and not page.body.raw_data:
            HomePage.objects.filter(pk=page.pk).update(intro=INTRO, body=_body())


class Migration(migrations.Migration):
    dependencies = [("home", "0003_intro_and_blocks")]

    operations = [migrations.RunPython(fill_home_page, migrations.RunPython.noop)]
