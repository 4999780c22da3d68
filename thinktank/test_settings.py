"""Settings for the test suite: the real settings, with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from thinktank.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# One process: the in-memory cache behaves as the shared one does, with no table to read.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
