"""Editors see which commentaries have a PDF: the permission joins their group."""

from django.db import migrations

from core.permissions import grant


class Migration(migrations.Migration):
    dependencies = [
        ("pdfs", "0001_initial"),
        ("articles", "0006_roles"),
    ]
    operations = [migrations.RunPython(*grant("pdfs", ["view_pdf"]))]
