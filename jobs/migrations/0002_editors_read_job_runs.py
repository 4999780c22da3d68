"""Editors read the job runs: the permission joins their group (made by articles' roles)."""

from django.db import migrations

from core.permissions import grant


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(*grant("jobs", ["view_jobrun"]))]
