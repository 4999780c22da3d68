from django.core.management.base import BaseCommand

from articles.models import Article
from articles.search import update_search_vector


class Command(BaseCommand):
    help = "Rebuilds the full-text search vector of every commentary (Postgres only)."

    def handle(self, *args, **options):
        articles = Article.objects.prefetch_related("authors", "tags")
        count = 0
        for article in articles.iterator(chunk_size=500):
            update_search_vector(article)
            count += 1
        self.stdout.write(f"Reindexed {count} commentaries.")
