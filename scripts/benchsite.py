"""Settings for `make bench` (scripts/loadbench.py): the site exactly as configured, with
URLs that add a bare Django view (benchurls), served by the same gunicorn as the yardstick."""

import os

from thinktank.settings import *  # noqa: F403

ROOT_URLCONF = "benchurls"

# The "cold" run: pages built as on the first request for each after a change (benchcache).
if os.environ.get("BENCH_COLD"):
    redis = CACHES["default"]["BACKEND"].endswith("RedisCache")  # noqa: F405
    CACHES["default"]["BACKEND"] = "benchcache." + ("RedisCache" if redis else "FileCache")  # noqa: F405
