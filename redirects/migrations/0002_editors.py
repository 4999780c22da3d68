"""Editors keep the redirects and read the 404 log: the permissions join their group."""

from django.db import migrations

from core.permissions import grant

CODENAMES = ["add_redirect", "change_redirect", "delete_redirect", "view_redirect",
             "view_notfound", "delete_notfound"]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("redirects", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(*grant("redirects", CODENAMES))]
