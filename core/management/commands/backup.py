from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup, media_on_disk


class Command(BaseCommand):
    help = (
        "Backs up the database (pg_dump, custom format) and the media on disk (a .tar.gz) "
        "into a folder, named by the time (UTC). See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default="backups")

    def handle(self, *args, folder, **options):
        try:
            written = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(f"Wrote {path}")
        if not media_on_disk():
            self.stdout.write("Media is on object storage: its bucket versioning keeps it.")
