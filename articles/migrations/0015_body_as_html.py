"""Bodies were Markdown; the editor writes HTML of one schema (core.body). Convert every
stored body once, the live pieces' and their revisions' (and the translation links' record of
the body they were in step with, so the stale-translation diff compares like with like), and
render each piece's HTML again. A body already HTML is cleaned to the schema, nothing more."""

from django.db import migrations

from core import body


def convert(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Revision = apps.get_model("articles", "Revision")
    for row in Article.objects.values("pk", "body", "language").iterator():
        html = body.clean(row["body"])
        Article.objects.filter(pk=row["pk"]).update(
            body=html, body_html=body.render(html, row["language"])
        )
    for row in Revision.objects.values("pk", "body").iterator():
        Revision.objects.filter(pk=row["pk"]).update(body=body.clean(row["body"]))
    TranslationLink = apps.get_model("translations", "TranslationLink")
    for row in TranslationLink.objects.exclude(synced_body="").values("pk", "synced_body"):
        TranslationLink.objects.filter(pk=row["pk"]).update(
            synced_body=body.clean(row["synced_body"])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_autosave"),
        ("translations", "0001_initial"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
