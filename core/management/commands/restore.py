from django.core.management.base import BaseCommand, CommandError

from core import pagecache
from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores a backup made by `manage.py backup` (FILE.dump, and FILE-media.tar.gz "
        "beside it) into the database of DATABASE_URL, which must be empty. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.dump")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop what the database holds first (the site as it is now is lost).",
        )

    def handle(self, *args, file, replace, **options):
        try:
            restored = restore(file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        pagecache.changed()  # every page cached from the database as it was is out of date
        for path in restored:
            self.stdout.write(f"Restored {path}")
