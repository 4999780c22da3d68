"""Backups of the site: the database as a pg_dump custom-format archive, and the uploaded
media as a tar beside it (docs/backup.md). `make backup`, `make restore FILE=…` call these
through manage.py backup / restore.

Media on object storage (AWS_STORAGE_BUCKET_NAME) is not copied: the bucket's own
versioning keeps it (docs/backup.md says how); the archive notes that it was left out.
"""

import os
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def client_environment():
    """How pg_dump and pg_restore reach the database of settings: the PG* variables."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups are of Postgres (DATABASE_URL); an SQLite database is one file to copy."
        )
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    env = {**os.environ, "PGDATABASE": database["NAME"]}
    env.update({variable: str(database[key]) for key, variable in names.items() if database[key]})
    return env


def tool(name):
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def media_on_disk():
    return not os.environ.get("AWS_STORAGE_BUCKET_NAME")


def backup(folder):
    """Writes <folder>/<UTC time>.dump and, for media on disk, <UTC time>-media.tar.gz;
    returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dump = folder / f"{stamp}.dump"
    run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
    written = [dump]
    if media_on_disk():
        media = folder / f"{stamp}-media.tar.gz"
        with tarfile.open(media, "w:gz") as archive:
            root = Path(settings.MEDIA_ROOT)
            if root.is_dir():
                archive.add(root, arcname=".")
        written.append(media)
    return written


def media_of(dump):
    return Path(dump).with_name(Path(dump).stem + "-media.tar.gz")


def restore(dump, replace=False):
    """Restores the archive `dump` (and its media tar, if there is one) into the database of
    settings, which must be empty unless `replace`; returns what was restored."""
    dump = Path(dump)
    if not dump.is_file():
        raise BackupError(f"No backup {dump}.")
    if connection.introspection.table_names() and not replace:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty: restore into a "
            "new one (createdb), or pass --replace to drop what it holds first."
        )
    connection.close()  # pg_restore works alone: this process holds no session on it
    command = [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={client_environment()['PGDATABASE']}"]
    if replace:
        command += ["--clean", "--if-exists"]
    run([*command, str(dump)])
    restored = [dump]
    media = media_of(dump)
    if media.is_file() and media_on_disk():
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media, "r:gz") as archive:
            archive.extractall(root, filter="data")  # no absolute paths, links out or devices
        restored.append(media)
    return restored


def run(command):
    result = subprocess.run(command, env=client_environment(), capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
