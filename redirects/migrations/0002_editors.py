"""Editors keep the redirects and read the 404 log: the permissions join their group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_redirect", "change_redirect", "delete_redirect", "view_redirect",
             "view_notfound", "delete_notfound"]  # fmt: skip


def allow_editors(apps, schema_editor):
    app_config = apps.get_app_config("redirects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="redirects", codename__in=CODENAMES)
    )


def disallow_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="redirects"))


class Migration(migrations.Migration):
    dependencies = [
        ("redirects", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(allow_editors, disallow_editors)]
