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

# Forwarded headers (X-Forwarded-Proto and the like, which set wsgi.url_scheme) are trusted
# only behind a proxy that sets TRUSTED_PROXY_HEADER, and only from the proxy's addresses,
# FORWARDED_ALLOW_IPS (comma-separated addresses or networks): by default from nobody, not
# even 127.0.0.1 (gunicorn's own default), so a client cannot claim https.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "") if TRUSTED_PROXY_HEADER else ""
secure_scheme_headers = {TRUSTED_PROXY_HEADER.upper(): "https"} if TRUSTED_PROXY_HEADER else {}
