from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ROLES = ["Writer", "Translator", "Editor"]


class Command(BaseCommand):
    help = "Gives a user one role of the desk (Writer, Translator or Editor), and staff access."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=ROLES)

    def handle(self, *args, username, role, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}: add them in the admin (Users) first.")
        user.groups.remove(*Group.objects.filter(name__in=ROLES))
        user.groups.add(Group.objects.get(name=role))
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        self.stdout.write(f"{username} is now a {role}.")
