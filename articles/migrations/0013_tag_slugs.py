"""Topics whose names had no letters ("--", an emoji) were saved with an empty slug, which no
page can link to: they get "tag-<id>"."""

from django.db import migrations


def fill_empty_slugs(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    for tag in Tag.objects.filter(slug=""):
        tag.slug = f"tag-{tag.pk}"
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_image_dimensions")]

    operations = [migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop)]
