from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client

from redirects.models import Redirect

MAX_HOPS = 10
REDIRECTS = (301, 302, 303, 307, 308)


class Command(BaseCommand):
    help = (
        "Asks the site for each old address (one a line in FILE, or every redirect's) and "
        "reports its hops and final status; exits 1 if any ends elsewhere than a 200 or a 410."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, file, **options):
        if file is None:
            addresses = list(Redirect.objects.values_list("old_path", flat=True))
        else:
            try:
                lines = file.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {file}: {error}") from error
            addresses = [line.strip() for line in lines if line.strip()]
        site = urlsplit(settings.SITE_URL)
        client = Client(HTTP_HOST=site.netloc, secure=site.scheme == "https")
        broken = 0
        # Asked in this process and rolled back: a check counts no hit and logs no 404.
        with transaction.atomic():
            for address in addresses:
                hops, status = replay(client, address, site.netloc)
                count = sum(1 for _path, code in hops if code in REDIRECTS)
                fine = status in (200, 410) and count <= 1
                broken += not fine
                trail = " → ".join(f"{path} ({code})" for path, code in hops)
                self.stdout.write(f"{'ok' if fine else 'BROKEN'} {count} hop(s): {trail}")
            transaction.set_rollback(True)
        self.stdout.write(f"{len(addresses)} address(es), {broken} broken")
        if broken:
            raise SystemExit(1)


def replay(client, address, host):
    """[(path, status)] from `address` to where it ends, and the final status."""
    parts = urlsplit(address)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    hops = []
    while len(hops) <= MAX_HOPS:
        response = client.get(path)
        hops.append((path, response.status_code))
        location = response.headers.get("Location")
        if response.status_code not in REDIRECTS or not location:
            return hops, response.status_code
        target = urlsplit(location)
        if target.netloc and target.netloc != host:
            hops.append((location, "elsewhere"))
            return hops, 200
        path = target.path + (f"?{target.query}" if target.query else "")
    return hops, "too many hops"
