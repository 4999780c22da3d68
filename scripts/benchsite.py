"""Settings for `make bench` (scripts/loadbench.py): the site exactly as configured, with
URLs that add a bare Django view (benchurls), served by the same gunicorn as the yardstick."""

import os

from thinktank.settings import *  # noqa: F403

ROOT_URLCONF = "benchurls"

# The "cold" run: nothing kept anywhere, each request built as the first after a change.
if os.environ.get("BENCH_NO_CACHE"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
