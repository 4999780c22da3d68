from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from redirects.importing import import_csv, summary


class Command(BaseCommand):
    help = (
        "Makes redirects from a CSV file of old_path,new_path[,status] rows (status 301, 302 "
        "or 410; 301 if left out). Safe to run again: a row already in place is unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; change nothing."
        )

    def handle(self, file, dry_run, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        report = import_csv(text, dry_run=dry_run)
        for row in report:
            self.stdout.write(f"line {row.line}: {row.outcome} {row.old_path} {row.detail}")
        prefix = "Dry run, nothing saved. " if dry_run else ""
        self.stdout.write(prefix + summary(report))
