"""A list per existing series and language (made now: nothing published before is mailed),
and the Editors' permissions over lists, subscribers and issues."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    "view_newsletter", "add_newsletter", "change_newsletter",
    "view_subscriber", "add_subscriber", "change_subscriber", "delete_subscriber",
    "view_issue",
]  # fmt: skip


def forwards(apps, schema_editor):
    Newsletter = apps.get_model("newsletters", "Newsletter")
    for series in apps.get_model("articles", "Series").objects.all():
        for language, _name in settings.LANGUAGES:
            Newsletter.objects.get_or_create(series=series, language=language)
    app_config = apps.get_app_config("newsletters")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsletters", codename__in=EDITORS)
    )


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="newsletters"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
