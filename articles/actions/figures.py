"""A media-library image's record changed (its alt text, caption or credit) or went: the pieces
whose body shows it render their body again at once, rather than on their next save. Their own
pages alone are touched (core.pagecache, through the save's signals); no revision and no new
version, since what was written did not change, only what the record puts around it."""

from django.db import transaction

from ..models import Article


@transaction.atomic
def refresh_figures(image_id):
    """Renders again the body of every piece that shows this image; returns how many."""
    pieces = Article.objects.filter(body__contains=f'data-image="{int(image_id)}"')
    count = 0
    for article in pieces.select_for_update().order_by("pk"):  # a save in between waits
        article.save(update_fields=["body_html"])  # Article.save renders it
        count += 1
    return count
