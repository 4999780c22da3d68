"""A list per existing series and language (made now: nothing published before is mailed),
and the Editors' permissions over lists, subscribers and issues."""

from django.conf import settings
from django.db import migrations

from core.permissions import grant

EDITORS = [
    "view_newsletter", "add_newsletter", "change_newsletter",
    "view_subscriber", "add_subscriber", "change_subscriber", "delete_subscriber",
    "view_issue",
]  # fmt: skip


def make_lists(apps, schema_editor):
    Newsletter = apps.get_model("newsletters", "Newsletter")
    for series in apps.get_model("articles", "Series").objects.all():
        for language, _name in settings.LANGUAGES:
            Newsletter.objects.get_or_create(series=series, language=language)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [
        migrations.RunPython(make_lists, migrations.RunPython.noop),  # lists outlive a revert
        migrations.RunPython(*grant("newsletters", EDITORS)),
    ]
