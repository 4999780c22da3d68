from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, no_translations


class Command(BaseCommand):
    help = (
        "Makes the first admin of a new site (Django's createsuperuser, asked in English "
        "throughout), then says what to do next: a first series, then a first commentary."
    )

    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: DJANGO_SUPERUSER_USERNAME, _EMAIL and _PASSWORD give the login.",
        )

    @no_translations  # Django's own prompts are English only: its field names must be too
    def handle(self, *args, interactive, **options):
        extra = {"stdin": options["stdin"]} if "stdin" in options else {}
        call_command(
            "createsuperuser",
            interactive=interactive,
            stdout=self.stdout,
            stderr=self.stderr,
            **extra,
        )
        admin = f"{settings.SITE_URL}/admin/"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"Next: sign in at {admin} and",
                    "  1. add a series (Series > Add: a slug such as speaking-out, its name in",
                    "     Japanese and in English): every commentary belongs to one;",
                    "  2. add the first commentary in it (Commentaries > Add).",
                    "Other staff: `manage.py set_role <username> Editor` (or Writer, Translator).",
                ]
            )
        )
