"""Editors may import: the permission joins their group (made by articles' roles migration)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def allow_editors(apps, schema_editor):
    app_config = apps.get_app_config("archive")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editor")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="archive",
            codename__in=["import_commentaries", "add_importrun", "view_importrun"],
        )
    )


def disallow_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="archive"))


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_import_run"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(allow_editors, disallow_editors)]
