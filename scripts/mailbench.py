"""Newsletter sending at scale: N subscribers (100,000 by default) enqueued for one issue and
sent by real Celery workers to a local SMTP sink, while gunicorn serves reading pages.

Prints mails per second (enqueueing and sending), the workers' peak memory (RSS of the whole
process tree), and the reading pages' requests per second during the send as a ratio to the
same pages just before it (uncached pages: each request reads the database the senders use).
Needs a database with public content (`make run` or `seed_demo` loads it) and redis-server;
it makes its subscribers (bench-N@example.invalid) and removes them, with their mail, after.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/thinktank .venv/bin/python scripts/mailbench.py
  … --subscribers 5000 --concurrency 2 --seconds 5     (a brief run)
"""

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
os.environ.setdefault("SECRET_KEY", "mail-benchmark")

from loadbench import free_port, python_load  # noqa: E402


class Sink:
    def __init__(self):
        self.received, self.lock = Counter(), threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.update(envelope.rcpt_tos)
        return "250 OK"


def tree_rss(pid):
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
        pending += [int(child) for child in children]
    return total


def answering(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer")


def setup(count):
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Article
    from newsletters.models import Issue, Newsletter, Subscriber

    article = Article.objects.published().select_related("series").first()
    if article is None:
        sys.exit("No public commentary: load the demo content first (manage.py seed_demo).")
    from django.conf import settings

    settings.NEWSLETTER_MAX_AGE_HOURS = 10**6  # the demo's pieces are older than two days
    lists = Newsletter.objects.filter(series=article.series, language=article.language)
    newsletter, _ = lists.get_or_create()
    lists.update(created=article.published_at - timedelta(seconds=1))
    cleanup()
    now = timezone.now()
    people = Subscriber.objects.bulk_create(
        (Subscriber(email=f"bench-{n}@example.invalid", consent_at=now, consent_text="bench",
                    consent_language="ja", source="import") for n in range(count)),
        batch_size=5000,
    )  # fmt: skip
    Through = Subscriber.newsletters.through
    Through.objects.bulk_create(
        (Through(subscriber=person, newsletter=newsletter) for person in people), batch_size=5000
    )
    Issue.objects.filter(newsletter=newsletter, article=article).delete()
    return newsletter, article


def cleanup():
    from newsletters.models import Subscriber

    Subscriber.objects.filter(
        email__startswith="bench-", email__endswith="@example.invalid"
    ).delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--seconds", type=float, default=10, help="each page measurement")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("needs redis-server")
    from aiosmtpd.controller import Controller

    newsletter, article = setup(args.subscribers)
    from newsletters import issues
    from newsletters.models import Delivery, Issue

    tmp = Path(tempfile.mkdtemp(prefix="mailbench-"))
    redis_port, smtp_port, web_port = free_port(), free_port(), free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no",
         "--maxmemory-policy", "noeviction", "--dir", str(tmp)], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    sink.start()
    env = {**os.environ, "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "PAGE_CACHE_SECONDS": "0",
           "CACHE_DIR": str(tmp / "cache"),
           "NEWSLETTER_SENDERS": str(args.concurrency)}  # fmt: skip
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "thinktank.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{web_port}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        page = f"http://127.0.0.1:{web_port}{article.get_absolute_url()}"
        answering(page)
        before = python_load(page, args.seconds, connections=4)

        started = time.monotonic()
        [issue] = issues.issue_article(article.pk) or [None]
        if issue is None:
            sys.exit("The piece is not recent enough for an issue: publish a new one.")
        enqueue = time.monotonic() - started
        queued = Delivery.objects.filter(issue=issue).count()

        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "thinktank", "worker", "-c",
             str(args.concurrency), "--without-gossip", "--without-mingle", "-l", "WARNING"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        send_started, peak = time.monotonic(), 0
        during = []
        measuring = threading.Thread(
            target=lambda: during.append(python_load(page, args.seconds, connections=4))
        )
        time.sleep(2)  # the worker starts; its senders begin at once (worker_ready)
        measuring.start()
        while sink.handler.received.total() < queued:
            peak = max(peak, tree_rss(worker.pid))
            time.sleep(0.5)
        sending = time.monotonic() - send_started
        measuring.join()
        twice = sum(1 for count in sink.handler.received.values() if count > 1)
        print(f"| subscribers | {queued:,} |")
        print(f"| enqueued (outbox rows) | {enqueue:.1f} s, {queued / enqueue:,.0f} rows/s |")
        print(f"| sent to the SMTP sink | {sending:.1f} s, {queued / sending:,.0f} mails/s "
              f"({args.concurrency} worker processes) |")  # fmt: skip
        print(f"| worker peak memory (all processes) | {peak / 2**20:,.0f} MB |")
        print(f"| mails received twice | {twice} |")
        print(f"| reading page, requests/s before / during the send | {before:,.0f} / "
              f"{during[0]:,.0f} (ratio {during[0] / before:.2f}) |")  # fmt: skip
        Issue.objects.filter(pk=issue.pk).delete()
    finally:
        for process in (worker, web, redis):
            if process is not None:
                process.terminate()
                process.wait(30)
        sink.stop()
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
