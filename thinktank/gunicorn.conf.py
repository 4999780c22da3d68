"""gunicorn settings for `make serve` (gunicorn -c thinktank/gunicorn.conf.py thinktank.wsgi).

Threaded workers: a connection holds a thread only once it has sent something, and each
worker has many threads, so a few slow clients (slowloris) cannot take every worker as they
do sync workers. Request line and headers are bounded here; request bodies by
core.middleware.refuse_large_bodies, from Content-Length, before they are read. In
production put a buffering proxy (nginx) in front as well.
"""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 30
keepalive = 5

limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
