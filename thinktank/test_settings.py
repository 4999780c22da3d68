"""Settings for the test suite: the real settings, with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from thinktank.settings import *  # noqa: E402,F403

# The address of Django's test client: pages' absolute addresses are on SITE_URL.
SITE_URL = "http://testserver"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# One process: the in-memory cache behaves as the shared one does, with no table to read.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Replicas (DATABASE_REPLICA_URLS, as CI sets it) are used only by the tests that switch the
# router on (tests/test_deployment_replica.py); they stream the primary's test database, so
# no test database is ever made on them.
for alias in DATABASE_REPLICAS:  # noqa: F405
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}  # noqa: F405
DATABASE_REPLICAS = []
DATABASE_ROUTERS = []

# A commentary's PDF (pdfs/) takes half a second to build: only tests/test_pdfs.py builds them.
PDFS_BUILD = False
