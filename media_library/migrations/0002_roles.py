"""Writers and Editors add and change images of the library; Editors alone delete them;
Translators see them (to choose one for a translation)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_image"]
WRITE = READ + ["add_image", "change_image"]
ROLES = {"Writer": WRITE, "Translator": READ, "Editor": [*WRITE, "delete_image"]}


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("media_library")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="media_library", codename__in=codenames)
        )


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="media_library"))


class Migration(migrations.Migration):
    dependencies = [
        ("media_library", "0001_image"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
