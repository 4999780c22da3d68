from django.conf import settings
from django.core.management.base import BaseCommand

from articles.actions import purge_older_than


class Command(BaseCommand):
    help = "Deletes for good the commentaries that have been in the trash more than N days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.TRASH_RETENTION_DAYS,
            help="Days a commentary stays in the trash (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        purged = purge_older_than(days)
        self.stdout.write(f"{purged} commentaries purged from the trash (older than {days} days).")
