"""Editors manage the endpoints and read the delivery log (their group: articles' roles)."""

from django.db import migrations

from core.permissions import grant

CODENAMES = [
    "add_endpoint",
    "change_endpoint",
    "delete_endpoint",
    "view_endpoint",
    "view_delivery",
    "change_delivery",  # "send again"
]


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(*grant("webhooks", CODENAMES))]
