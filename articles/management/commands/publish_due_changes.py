from django.core.management.base import BaseCommand

from articles import actions


class Command(BaseCommand):
    help = (
        "Puts live the pending changes to published pieces whose scheduled time has come. "
        "Run it every few minutes (cron). New pieces and end times need no job."
    )

    def handle(self, *args, **options):
        count = actions.publish_due_changes()
        self.stdout.write(f"{count} scheduled change(s) published.")
