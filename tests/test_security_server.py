"""gunicorn as `make serve` runs it (thinktank/gunicorn.conf.py), with real sockets: slow
clients do not hold up others, and oversized request lines, headers and bodies are refused
at once."""

import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "thinktank" / "gunicorn.conf.py"
ANSWER_WITHIN = 5  # seconds: a bound on failure, never a wait


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "SECRET_KEY": "gunicorn-test-key-" + "x" * 40,
        # Pages that read no database: robots.txt, refusals.
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'unused.sqlite3'}",
        "PAGE_CACHE_SECONDS": "0",
        "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
        "DEBUG": "",
    }
    for name in ("BIND", "REDIS_URL"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "thinktank.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=30)


def exchange(port, data):
    """Sends raw bytes and returns the status line of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN) as connection:
        connection.sendall(data)
        answer = connection.recv(4096)
    return answer.split(b"\r\n", 1)[0].decode()


def get(port, path="/robots.txt", headers=""):
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
    return exchange(port, request.encode())


def test_a_normal_request_is_answered_while_slow_clients_hang(server):
    slow = []
    try:
        for _ in range(8):  # headers begun, never finished
            connection = socket.create_connection(("127.0.0.1", server), timeout=ANSWER_WITHIN)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(connection)
        for _ in range(3):
            assert get(server) == "HTTP/1.1 200 OK"
    finally:
        for connection in slow:
            connection.close()


def test_an_overlong_request_line_is_refused(server):
    assert get(server, path="/" + "a" * 5000).split()[1] in {"400", "414"}


def test_too_many_or_too_long_headers_are_refused(server):
    many = "".join(f"X-H{number}: 1\r\n" for number in range(60))
    assert get(server, headers=many).split()[1] in {"400", "431"}
    assert get(server, headers=f"X-Long: {'a' * 9000}\r\n").split()[1] in {"400", "431"}


def test_an_oversized_body_is_refused_before_it_is_sent(server):
    head = (
        "POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\nCookie: csrftoken={'x' * 32}\r\n\r\n"
    )
    # Only the first bytes of the 100 MB are ever sent: the answer comes all the same.
    assert exchange(server, head.encode() + b"username=x&password=").split()[1] == "413"


def test_the_server_binds_to_localhost_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("BIND", raising=False)
    monkeypatch.setenv("PORT", "8123")
    assert runpy.run_path(str(CONFIG))["bind"] == "127.0.0.1:8123"
    monkeypatch.setenv("BIND", "0.0.0.0:80")
    assert runpy.run_path(str(CONFIG))["bind"] == "0.0.0.0:80"
    assert "gunicorn -c thinktank/gunicorn.conf.py" in (ROOT / "Makefile").read_text()


def test_a_server_process_keeps_what_it_loaded_at_start_out_of_the_collector_s_way():
    # thinktank.wsgi freezes what start-up loaded (the URLconf and every view among it), so
    # full collections stop walking it (docs/performance.md: 135-263 ms pauses otherwise).
    probe = (
        "import gc, sys; import thinktank.wsgi; "
        "print(gc.get_freeze_count(), 'articles.views.commentary' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thinktank.settings", "DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 10_000 and out[1] == "True"
