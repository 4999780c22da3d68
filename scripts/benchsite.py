"""Settings for `make bench` (scripts/loadbench.py): the site exactly as configured, with
URLs that add a bare Django view (benchurls), served by the same gunicorn as the yardstick."""

from thinktank.settings import *  # noqa: F403

ROOT_URLCONF = "benchurls"
