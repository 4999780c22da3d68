"""Data migrations that give a role (a group, "Editor" unless said) an app's permissions.

Each app's migration names its permissions and calls these through RunPython, on the
historical models it is given (`apps`): this code is part of those migrations' history, so
change what it does only with a new migration.
"""

from functools import partial

from django.contrib.auth.management import create_permissions


def grant(app_label, codenames, group="Editor"):
    """RunPython's pair of functions: forwards makes the app's permissions now (Django makes
    them only after the whole migrate) and adds these to the group, made if it is missing;
    backwards takes every permission of the app from the group."""
    return (
        partial(_grant, app_label=app_label, codenames=codenames, group=group),
        partial(_revoke, app_label=app_label, group=group),
    )


def _grant(apps, schema_editor, *, app_label, codenames, group):
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - {permission.codename for permission in permissions}
    if missing:  # a misspelt codename would otherwise grant nothing, silently
        raise LookupError(f"No such permissions in {app_label}: {', '.join(sorted(missing))}")
    role, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group)
    role.permissions.add(*permissions)


def _revoke(apps, schema_editor, *, app_label, group):
    Permission = apps.get_model("auth", "Permission")
    for role in apps.get_model("auth", "Group").objects.filter(name=group):
        role.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))
