from django.core.management.base import BaseCommand

from archive.export import write


class Command(BaseCommand):
    help = (
        "Writes series, authors, topics, commentaries in both languages, translation links "
        "and media to a folder (commentaries.jsonl + media/) or one .zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", metavar="FOLDER_OR_ZIP")
        parser.add_argument(
            "--revisions", action="store_true", help="Include revisions and workflow steps."
        )

    def handle(self, *args, target, revisions, **options):
        counted = write(target, revisions=revisions)
        summary = ", ".join(f"{count} {kind}" for kind, count in counted.items())
        self.stdout.write(f"Exported to {target}: {summary}.")
