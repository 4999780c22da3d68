"""The README's shell blocks, run as written on a fresh clone, as a newcomer would: `make run`
and `make test`, a site of one's own from nothing, Postgres, and production tried locally over
plain http. Each block is marked in the README (`<!-- readme-test: NAME -->`); a block with no
mark, or one whose commands changed, fails here until this file knows how to run it.

Slow: the clone makes its own virtualenv (`make install`; pip's cache makes that quick and
needs no network once it is warm). Blocks that need a missing service are skipped, saying
which (on CI nothing is skipped)."""

import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# What a newcomer's shell does not have: this test run's own settings and services.
NOT_A_NEWCOMERS = {
    "DATABASE_URL", "DATABASE_REPLICA_URLS", "SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE",
    "REDIS_URL", "CELERY_BROKER_URL", "SITE_URL", "ALLOWED_HOSTS", "PORT", "BIND",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "EMAIL_HOST", "CI",
    "PYTEST_ADDOPTS", "PYTEST_ARGS", "VIRTUAL_ENV", "TRUSTED_PROXY_HEADER", "MAKEFLAGS", "MFLAGS",
}  # fmt: skip


def blocks():
    """{name: [command, ...]} of the README's marked shell blocks, comments left out."""
    text = (ROOT / "README.md").read_text()
    found = {}
    for match in re.finditer(r"(<!-- readme-test: ([\w-]+) -->\n)?```sh\n(.*?)```", text, re.S):
        name = match.group(2)
        assert name, f"an unmarked ```sh block in the README:\n{match.group(3)}"
        lines = [re.sub(r"\s+#.*$", "", line).strip() for line in match.group(3).splitlines()]
        found[name] = [line for line in lines if line]
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args} ended ({process.returncode}) before serving {url}")
        try:
            return requests.get(url, timeout=10, allow_redirects=False)
        except (requests.ConnectionError, requests.Timeout):  # not up, or its workers booting
            time.sleep(0.5)
    pytest.fail(f"nothing answered at {url} within {seconds} s")


def stop(process):
    """Ends a server this test started, with its children (runserver's reloader, gunicorn's
    workers): it runs in a process group of its own."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Clone:
    def __init__(self, folder):
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if k not in NOT_A_NEWCOMERS}
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(self, script, env=None, timeout=900):
        return subprocess.run(
            ["bash", "-ec", script], cwd=self.folder, env={**self.env, **(env or {})},
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def serve(self, script, env=None, log="server.log"):
        """Runs a block whose last command serves, in the background; its output to a file."""
        out = open(self.folder / log, "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            ["bash", "-ec", script], cwd=self.folder, env={**self.env, **(env or {})},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        process.log = self.folder / log
        return process


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if not shutil.which("git") or not shutil.which("python3.11"):
        pytest.skip("needs git and python3.11")
    folder = tmp_path_factory.mktemp("readme") / "thinktank"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    clone = Clone(folder)
    install = clone.run("make install messages", timeout=1500)
    if install.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"make install failed on a fresh clone:\n{install.stderr[-3000:]}")
        pytest.skip(f"make install could not install (no network, no pip cache?): "
                    f"{install.stderr[-500:]}")  # fmt: skip
    yield clone
    shutil.rmtree(folder.parent, ignore_errors=True)


def test_every_shell_block_of_the_readme_is_marked_for_this_test():
    assert set(blocks()) == {
        "quickstart", "mail", "first-site", "postgres", "production", "production-locally",
    }  # fmt: skip


def test_make_run_serves_the_demo_and_prints_the_logins_and_make_test_runs(clone):
    commands = blocks()["quickstart"]
    assert commands == ["make run", "make test"], "the block changed: teach this test"
    port = free_port()
    server = clone.serve(commands[0], env={"PORT": str(port)}, log="run.log")
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(base + "/", server).status_code == 302
        home = requests.get(base + "/ja/", timeout=30)
        assert home.status_code == 200 and "今週の直言" in home.text
        login = requests.get(base + "/admin/login/", timeout=30)
        assert login.status_code == 200
    finally:
        stop(server)
    output = server.log.read_text()
    assert f"The admin: {base}/admin/" in output, output[-3000:]
    assert re.search(r"demo-editor / \S+ +\(Editor, demo-editor@example.org\)", output)
    assert "AXES: BEGIN" not in output and "W040" not in output
    assert "Task " not in output and "No hostname" not in output, output[-3000:]
    # The whole suite is CI's (this test is part of it): one file of it shows `make test` works.
    tested = clone.run(
        commands[1], env={"PYTEST_ARGS": "-q -p no:cacheprovider tests/test_first_hour.py"}
    )
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert re.search(r"\d+ passed", tested.stdout)


def expect(master, pattern, seen, seconds=60):
    """Reads the terminal until `pattern` shows; returns all that was read."""
    deadline = time.monotonic() + seconds
    while not re.search(pattern, seen):
        assert time.monotonic() < deadline, f"waited for {pattern!r}; the terminal shows {seen!r}"
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                seen += os.read(master, 4096).decode(errors="replace")
            except OSError:  # the command ended
                break
    return seen


def test_a_site_of_ones_own_starts_empty_and_the_admin_says_what_to_do_first(clone):
    commands = blocks()["first-site"]
    assert [command.split()[0] for command in commands] == [
        "export", "make", "DEBUG=1",
    ], "the block changed: teach this test"  # fmt: skip
    setup = "\n".join(commands[:1])
    # make createsuperuser asks at a terminal, as Django's createsuperuser needs one.
    master, slave = pty.openpty()
    asking = subprocess.Popen(
        ["bash", "-ec", f"{setup}\n{commands[1]}"], cwd=clone.folder, env=clone.env,
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    seen = ""
    for prompt, answer in [
        (r"Username[^:\n]*: $", "founder"),
        (r"Email address: $", "founder@example.org"),
        (r"Password: $", "a long passphrase for the readme"),
        (r"Password \(again\): $", "a long passphrase for the readme"),
    ]:
        seen = expect(master, prompt, seen)
        os.write(master, answer.encode() + b"\n")
    seen = expect(master, r"Other staff", seen)
    assert asking.wait(timeout=60) == 0, seen
    os.close(master)
    asked = seen.split("Superuser created")[0]
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", asked), f"one language: {asked!r}"
    assert "add a series" in seen
    port = free_port()
    command = commands[2].replace("runserver", f"runserver {port}")
    server = clone.serve(f"{setup}\n{command}", log="first-site.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/admin/login/", server)
        session = requests.Session()
        session.get(base + "/admin/login/", timeout=30)
        signed_in = session.post(
            base + "/admin/login/?next=/admin/",
            data={"username": "founder", "password": "a long passphrase for the readme",
                  "csrfmiddlewaretoken": session.cookies["csrftoken"], "next": "/admin/"},
            headers={"Referer": base + "/admin/login/"}, timeout=30,
        )  # fmt: skip
        assert signed_in.url == base + "/admin/", signed_in.text[:2000]
        assert "has no series yet" in signed_in.text or "まだシリーズがありません" in signed_in.text
        assert "/admin/articles/series/add/" in signed_in.text
    finally:
        stop(server)


def test_the_postgres_block_serves_from_postgres(clone):
    commands = blocks()["postgres"]
    assert [command.split()[0] for command in commands] == ["createdb", "export", "make"]
    ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0
    if not ready and not os.environ.get("CI"):
        pytest.skip("needs a Postgres server on 127.0.0.1:5432 (bash .ci/run starts one)")
    # A database of this test's own, not the `thinktank` that CI and others use.
    name = f"thinktank_readme_{os.getpid()}"
    script = "\n".join(command.replace("thinktank", name) for command in commands)
    port = free_port()
    server = clone.serve(script, env={"PORT": str(port)}, log="postgres.log")
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(base + "/en/", server, seconds=180).status_code == 200
    finally:
        stop(server)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
    assert "Demo content ready" in server.log.read_text()


def test_the_production_block_is_a_real_deployment():
    commands = blocks()["production"]
    assert (
        "make serve" in commands
        and "export SECURE_HSTS_SECONDS=31536000 SECURE_SSL_REDIRECT=1" in commands
    )
    pytest.skip(
        "a real deployment: its own host name, https in front and Postgres; .ci/run runs "
        "`manage.py check --deploy` with this environment, and the next block tries it locally"
    )


def test_production_tried_locally_answers_over_plain_http_without_https_redirect(clone):
    commands = blocks()["production-locally"]
    assert commands[-2:] == ["make createsuperuser", "make serve"], "teach this test"
    port = free_port()
    asked_nothing = {  # the README's way to be asked nothing
        "DJANGO_SUPERUSER_USERNAME": "tryout", "DJANGO_SUPERUSER_EMAIL": "tryout@example.org",
        "DJANGO_SUPERUSER_PASSWORD": "a long passphrase for the tryout", "PORT": str(port),
        # What the Production block leaves in a shell: this block unsets it.
        "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000",
    }  # fmt: skip
    server = clone.serve("\n".join(commands), env=asked_nothing, log="production.log")
    try:
        base = f"http://127.0.0.1:{port}"
        root = wait_for(base + "/", server, seconds=240)
        assert root.status_code == 302
        assert root.headers["Location"].startswith("/ja/"), root.headers["Location"]
        page = requests.get(base + "/en/", timeout=30, allow_redirects=False)
        assert page.status_code == 200, page.headers.get("Location")
        assert "Strict-Transport-Security" not in page.headers
        assert "Speaking Out" in page.text or "Latest commentaries" in page.text
        session = requests.Session()
        session.get(base + "/admin/login/", timeout=30)
        signed_in = session.post(
            base + "/admin/login/?next=/admin/",
            data={"username": "tryout", "password": "a long passphrase for the tryout",
                  "csrfmiddlewaretoken": session.cookies["csrftoken"], "next": "/admin/"},
            headers={"Referer": base + "/admin/login/"}, timeout=30,
        )  # fmt: skip
        assert signed_in.url == base + "/admin/", "signing in over http works (SECURE_COOKIES=0)"
        stylesheet = re.search(r'href="(/static/css/print\.[0-9a-f]+\.css)"', page.text)
        assert stylesheet, "whitenoise serves hashed static files"
        assert requests.get(base + stylesheet.group(1), timeout=30).status_code == 200
    finally:
        stop(server)
    assert "Superuser created" in server.log.read_text()


def test_the_mail_catcher_prints_the_desks_mail(clone):
    commands = blocks()["mail"]
    assert commands == ["make mail", "EMAIL_HOST=127.0.0.1 EMAIL_PORT=1025 make run"]
    mail_port, port = free_port(), free_port()
    catcher = clone.serve(commands[0], env={"MAIL_PORT": str(mail_port)}, log="mail.log")
    site = clone.serve(
        commands[1].replace("1025", str(mail_port)), env={"PORT": str(port)}, log="mail-run.log"
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/en/", site, seconds=180).status_code == 200
        # What signing in as demo-writer and pressing "Submit for review" does, as one command.
        submit = (
            "from articles import actions; from articles.models import Article; "
            "from django.contrib.auth.models import User; "
            "writer = User.objects.get(username='demo-writer'); "
            "actions.submit(Article.objects.get(created_by=writer, status='draft'), writer)"
        )
        sent = clone.run(
            f'.venv/bin/python manage.py shell -c "{submit}"',
            env={"DEBUG": "1", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_port)},
        )
        assert sent.returncode == 0, sent.stderr[-2000:]
        deadline = time.monotonic() + 30
        while "demo-editor@example.org" not in catcher.log.read_text():
            assert time.monotonic() < deadline, catcher.log.read_text()[-2000:]
            time.sleep(0.5)
    finally:
        stop(site)
        stop(catcher)
