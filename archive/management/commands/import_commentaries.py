from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from archive.importer import FAILED, Importer
from archive.sources import from_paths
from articles.actions.rules import may_publish


class Command(BaseCommand):
    help = (
        "Imports commentaries from pages of the old site saved as text (files, folders or "
        ".zip archives). Safe to run again: unchanged pages change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; save nothing."
        )
        parser.add_argument(
            "--as-draft", action="store_true", help="Create new commentaries as drafts."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The account the import is made and recorded as: an Editor to publish "
            "(any staff account may import drafts).",
        )

    def handle(self, *args, **options):
        # In English whatever language is active, as Django's own commands speak.
        with translation.override("en"):
            self.run(**options)

    def run(self, *, paths, dry_run, as_draft, user, verbosity, **options):
        if not user:
            raise CommandError(
                "Name the account the import is made as, as the admin would: --user USERNAME."
            )
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user “{user}”.")
        if not as_draft and not may_publish(account):
            raise CommandError(f"{user} may not publish: import as an Editor, or --as-draft.")
        report = Importer(user=account, as_draft=as_draft).run(from_paths(paths), dry_run)
        for entry in report.entries:
            if entry.outcome == FAILED:
                self.stderr.write(f"failed: {entry}")
            elif verbosity >= 2 or (verbosity == 1 and entry.outcome != "unchanged"):
                self.stdout.write(f"{entry.outcome}: {entry}")
        if verbosity:
            self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} page(s) could not be imported.")
