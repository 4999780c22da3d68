"""Editors read the counts of reads: the permission joins their group."""

from django.db import migrations

from core.permissions import grant


class Migration(migrations.Migration):
    dependencies = [
        ("reads", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(*grant("reads", ["view_dailyreads"]))]
