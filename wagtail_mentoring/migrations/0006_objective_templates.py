# Objective templates (the editors' library) and their suggested key results.

import django.db.models.deletion
import modelcluster.fields
import modelsearch.index
import uuid
import wagtail_mentoring.snippets.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_mentoring', '0005_session_scheduling'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ObjectiveTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('description', models.TextField(blank=True, max_length=10000, verbose_name='description')),
                ('category', models.CharField(choices=[('skills_transfer', 'Skills transfer'), ('professional_development', 'Professional development'), ('personal_growth', 'Personal growth'), ('confidence', 'Confidence'), ('career_planning', 'Career planning'), ('networking', 'Networking'), ('leadership', 'Leadership'), ('academic', 'Academic'), ('other', 'Other')], default='other', max_length=32, verbose_name='category')),
                ('level', models.CharField(choices=[('pairing', 'Pairing'), ('mentee', 'Mentee'), ('mentor', 'Mentor')], default='mentee', help_text='Who the objective suits: a mentee, a mentor, or the pair together.', max_length=16, verbose_name='level')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('latest_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision')),
                ('locale', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale')),
                ('programs', modelcluster.fields.ParentalManyToManyField(blank=True, help_text='Leave empty to offer the template in every program.', related_name='objective_templates', to='wagtail_mentoring.mentoringprogrampage', verbose_name='programs')),
            ],
            options={
                'verbose_name': 'objective template',
                'verbose_name_plural': 'objective templates',
                'ordering': ['title', 'pk'],
                'abstract': False,
                'unique_together': {('translation_key', 'locale')},
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='ObjectiveTemplateKeyResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('kind', models.CharField(choices=[('number', 'Number'), ('percent', 'Percentage'), ('currency', 'Currency'), ('boolean', 'Yes / no'), ('milestone', 'Milestone')], default='number', max_length=10, verbose_name='kind')),
                ('unit', models.CharField(blank=True, max_length=32, verbose_name='unit')),
                ('start_value', models.FloatField(default=0, validators=[wagtail_mentoring.snippets.validators.validate_finite], verbose_name='start value')),
                ('target_value', models.FloatField(default=1, validators=[wagtail_mentoring.snippets.validators.validate_finite], verbose_name='target value')),
                ('template', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='key_results', to='wagtail_mentoring.objectivetemplate', verbose_name='objective template')),
            ],
            options={
                'verbose_name': 'suggested key result',
                'verbose_name_plural': 'suggested key results',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
    ]
