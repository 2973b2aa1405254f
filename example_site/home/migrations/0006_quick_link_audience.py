"""Quick links get an audience; the home page's "Log in" link is shown only to visitors who have not logged in."""

import json

import wagtail.fields
from django.db import migrations

LOGIN_URLS = ("/accounts/login/",)


def login_link_for_visitors(apps, schema_editor):
    HomePage = apps.get_model("home.HomePage")
    for page in HomePage.objects.all():
        data = [dict(block) for block in page.body.raw_data]
        changed = False
        for block in data:
            if block.get("type") != "quick_links":
                continue
            for item in block["value"].get("links", []):
                link = item.get("value", item)
                if link.get("url") in LOGIN_URLS and not link.get("page") and not link.get("audience"):
                    link["audience"] = "anonymous"
                    changed = True
        if changed:
            HomePage.objects.filter(pk=page.pk).update(body=json.dumps(data))


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0005_my_mentoring_block'),
    ]

    operations = [
        migrations.AlterField(
            model_name='homepage',
            name='body',
            field=wagtail.fields.StreamField([('heading', 0), ('paragraph', 1), ('callout', 4), ('quick_links', 11), ('my_mentoring', 13)], blank=True, block_lookup={0: ('home.blocks.HeadingBlock', (), {}), 1: ('wagtail.blocks.RichTextBlock', (), {'label': 'Paragraph'}), 2: ('wagtail.blocks.CharBlock', (), {'label': 'Title'}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link'], 'label': 'Text'}), 4: ('wagtail.blocks.StructBlock', [[('title', 2), ('text', 3)]], {}), 5: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': 'Used when no page is chosen, e.g. /mentoring/.', 'label': 'URL', 'required': False}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Description', 'required': False}), 8: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('', 'Everyone'), ('anonymous', 'Visitors who have not logged in'), ('authenticated', 'People who have logged in')], 'help_text': "e.g. a 'Log in' link only for visitors who have not logged in.", 'label': 'Shown to', 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('title', 2), ('page', 5), ('url', 6), ('description', 7), ('audience', 8)]], {}), 10: ('wagtail.blocks.ListBlock', (9,), {'label': 'Links'}), 11: ('wagtail.blocks.StructBlock', [[('title', 2), ('links', 10)]], {}), 12: ('wagtail.blocks.CharBlock', (), {'default': 'My mentoring', 'label': 'Heading', 'max_length': 100, 'required': False}), 13: ('wagtail.blocks.StructBlock', [[('heading', 12)]], {})}, verbose_name='body'),
        ),
        migrations.RunPython(login_link_for_visitors, migrations.RunPython.noop),
    ]
