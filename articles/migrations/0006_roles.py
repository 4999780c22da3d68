"""The three roles of the desk, as groups. Editors alone may publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_series", "view_tag", "authors.view_author"]
WRITE = ["add_article", "change_article", "view_article", "add_byline", "change_byline",
         "delete_byline", "view_byline", "view_revision", "view_workflowevent"]  # fmt: skip
ROLES = {
    "Writer": READ + WRITE,
    "Translator": READ + WRITE + [
        "translations.view_translationlink",
        "translations.add_translationlink",
        "translations.change_translationlink",
    ],
    "Editor": READ + WRITE + [
        "publish_article", "delete_article",
        "add_series", "change_series", "delete_series",
        "add_tag", "change_tag", "delete_tag",
        "authors.add_author", "authors.change_author", "authors.delete_author",
        "add_previewlink", "change_previewlink", "view_previewlink",
        "translations.view_translationlink", "translations.add_translationlink",
        "translations.change_translationlink", "translations.delete_translationlink",
    ],
}  # fmt: skip


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".") if "." in dotted else ("articles", dotted)
            try:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            except Permission.DoesNotExist:
                raise LookupError(f"No permission {app_label}.{codename}") from None
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_workflow_images_revisions"),
        ("authors", "0001_initial"),
        ("translations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
