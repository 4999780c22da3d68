"""Real servers for the deployment tests: an S3-compatible store (moto in server mode), the
streaming replica CI makes, and gunicorn app servers. Import the fixtures a module needs."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
import uuid

import boto3
import dj_database_url
import pytest
from django.conf import settings
from django.db import connection, connections


def need(reason):
    """Skip with the reason, except in CI, where every service must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"{what} did not listen on port {port} within {seconds} s")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server with an empty bucket: the environment an app server needs for it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process, "moto_server")
    env = {
        "AWS_STORAGE_BUCKET_NAME": f"media-{uuid.uuid4().hex[:12]}",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    made = bucket(env)
    made.create()
    # As docs/deployment.md asks of a real bucket: anyone may read, only the app may write.
    made.Policy().put(Policy=json.dumps(public_read(made.name)))
    yield env
    stop(process)


def public_read(name):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }


def bucket(env):
    return boto3.resource(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    ).Bucket(env["AWS_STORAGE_BUCKET_NAME"])


def replica_urls():
    return [url for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if url]


@pytest.fixture(scope="session")
def replica(django_db_setup, django_db_blocker):
    """The alias of the first replica, pointed at the copy of the primary's test database.

    Test settings make replicas mirrors of the primary, so no test database is made on a
    read-only server; here the alias is sent back to the replica's own host and port, where
    the test database arrives by streaming replication."""
    if connection.vendor != "postgresql" or not replica_urls():
        need("needs a streaming replica of Postgres in DATABASE_REPLICA_URLS (.ci/run makes one)")
    alias = next(alias for alias in settings.DATABASES if alias != "default")
    real = dj_database_url.parse(replica_urls()[0])
    connections[alias].close()
    connections[alias].settings_dict = {
        **connections["default"].settings_dict,
        "HOST": real["HOST"],
        "PORT": real["PORT"],
        "TEST": {**connections["default"].settings_dict["TEST"], "MIRROR": "default"},
    }
    with django_db_blocker.unblock():
        run(alias, "SELECT pg_wal_replay_resume()")
    return alias


def run(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def replayed(alias, position="replay"):
    """Waits until the replica has replayed (or only received) all the primary committed."""
    lsn = run("default", "SELECT pg_current_wal_flush_lsn()")
    deadline = time.monotonic() + 30
    while not run(alias, f"SELECT pg_last_wal_{position}_lsn() >= %s::pg_lsn", [lsn]):
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not {position} the primary's WAL within 30 s")
        time.sleep(0.02)


def database_url(settings_dict, host=None, port=None):
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@"
        f"{host or settings_dict['HOST'] or '127.0.0.1'}:{port or settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A Redis of the tests' own, which a test may stop and start again."""
    if not shutil.which("redis-server"):
        need("needs redis-server (apt-get install redis-server; .ci/run does)")
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))]

    def start():
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_port(port, process, "redis-server")
        return process

    server = types.SimpleNamespace(url=f"redis://127.0.0.1:{port}/0", start=start)
    server.process = start()
    yield server
    stop(server.process)


class AppServer:
    """gunicorn serving the site from the test database; its log lines kept for reading."""

    def __init__(self, name, env, log, args=()):
        self.name, self.log = name, log
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "thinktank.wsgi", "--workers", "1", *args]
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [*command, "--bind", f"127.0.0.1:{port}"],
                cwd=settings.BASE_DIR,
                env={**env, "SERVER_ID": name},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(port, self.process, f"gunicorn {name}")

    def stop(self):
        """SIGTERM, then SIGKILL after ten seconds: threads kept alive by clients' open
        connections must not hold a test run past gunicorn's 30-second grace."""
        stop(self.process)

    def lines(self):
        """The JSON line of each request this server answered."""
        lines = []
        for text in self.log.read_text().splitlines():
            if text.startswith('{"server"'):
                lines.append(json.loads(text))
        return lines

    def line(self, request_id):
        return next(line for line in self.lines() if line["request_id"] == request_id)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once, as a release does, for every app server the tests start."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thinktank.settings", "DEBUG": "0",
           "SECRET_KEY": "collectstatic", "STATIC_ROOT": str(root)}  # fmt: skip
    manage = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(manage, cwd=settings.BASE_DIR, env=env, check=True)
    return root
