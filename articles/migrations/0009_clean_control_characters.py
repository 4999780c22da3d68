"""Text saved before core.text cleaned it at the model boundary may hold control characters
(a vertical tab pasted from a word processor) that no feed can write: clean it in place."""

from django.db import migrations, models
from django.db.models import Q

from core.text import clean_text

MODELS = [
    ("articles", "Article"),
    ("articles", "Series"),
    ("articles", "Tag"),
    ("articles", "Revision"),
    ("articles", "WorkflowEvent"),
    ("authors", "Author"),
]
# Rows that may need cleaning (no NUL or surrogates: Postgres holds neither).
SUSPECT = "[\x01-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]"


def clean_rows(apps, schema_editor):
    for app_label, model_name in MODELS:
        model = apps.get_model(app_label, model_name)
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        suspect = Q()
        for field in fields:
            suspect |= Q(**{f"{field.attname}__regex": SUSPECT})
        names = [field.attname for field in fields]
        for row in model.objects.filter(suspect).values("pk", *names).iterator():
            changed = {}
            for field in fields:
                value = row[field.attname]
                cleaned = clean_text(value, single_line=not isinstance(field, models.TextField))
                if cleaned != value:
                    changed[field.attname] = cleaned
            if changed:
                model.objects.filter(pk=row["pk"]).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_pending_changes_and_end_time"),
        ("authors", "0002_photo_path"),
    ]

    operations = [migrations.RunPython(clean_rows, migrations.RunPython.noop)]
