"""Leads were plain text; the lead's editor writes HTML of a small schema (core.lead). Convert
every stored lead once, the live pieces', their revisions' and the translation links' record
of the lead they were in step with: escaped, each line a paragraph. Backwards, the HTML is
read as text again."""

from django.db import migrations, models

from core import lead

MODELS = [("articles", "Article", "lead"), ("articles", "Revision", "lead"),
          ("translations", "TranslationLink", "synced_lead")]  # fmt: skip


def convert(apps, change):
    for app, name, field in MODELS:
        model = apps.get_model(app, name)
        for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            model.objects.filter(pk=pk).update(**{field: change(value)})


def forwards(apps, schema_editor):
    convert(apps, lead.from_text)


def backwards(apps, schema_editor):
    convert(apps, lead.text)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_body_as_html"),
        ("translations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="lead",
            field=models.TextField(
                blank=True,
                help_text=(
                    "One or two sentences that sum the piece up, for lists, feeds and search: "
                    "bold, italic and links are kept, as text where a page wants text."
                ),
                verbose_name="lead",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
