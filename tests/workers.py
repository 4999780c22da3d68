"""Real servers for the job queue's tests: Celery workers (processes of their own, on a Redis
the tests start), an SMTP sink that counts what it receives (aiosmtpd), and an SMTP server
that has stalled (it takes the connection and never says a word)."""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.services import database_url


class Sink:
    """aiosmtpd's handler: keeps every message, with its envelope."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def smtp_sink(port, handler=None):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per command otherwise
    controller = Controller(handler or Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


class Stall:
    """Listens on the port and never answers: a client waits until its own timeout."""

    def __init__(self, port):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(64)

    def close(self):
        self.socket.close()


@pytest.fixture
def broker(redis_server):
    """This process queues jobs on the tests' Redis instead of running them itself."""
    from thinktank.celery import app

    redis.Redis.from_url(redis_server.url).flushdb()
    app.conf.update(task_always_eager=False, broker_url=redis_server.url)
    app._after_fork()  # forget connections made for an earlier broker URL (Celery's own reset)
    yield redis_server.url
    app.conf.update(task_always_eager=True, broker_url="")
    app._after_fork()


def worker_env(broker_url, smtp_port, tmp_path, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thinktank.settings",
        "SECRET_KEY": "worker-tests",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_REPLICA_URLS": "",  # CI's replica streams another database
        "CELERY_BROKER_URL": broker_url,
        "CACHE_DIR": str(tmp_path / "worker-cache"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        **extra,
    }


class Worker:
    """`celery worker` in a process group of its own, so SIGKILL takes its children too."""

    def __init__(self, env, log, concurrency=1):
        command = [sys.executable, "-m", "celery", "-A", "thinktank", "worker", "-c"]
        command += [str(concurrency), "--without-gossip", "--without-mingle", "-l", "INFO"]
        with log.open("a") as output:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(condition, what, seconds=60):
    """Polls a condition a real process makes true (a worker, an SMTP server): no fixed sleep."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(0.05)
