"""Editors see which commentaries have a PDF: the permission joins their group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def allow_editors(apps, schema_editor):
    app_config = apps.get_app_config("pdfs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="pdfs", codename="view_pdf")
    )


def disallow_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="pdfs"))


class Migration(migrations.Migration):
    dependencies = [
        ("pdfs", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(allow_editors, disallow_editors)]
