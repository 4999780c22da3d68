"""make backup / make restore (core.backup): a backup of a database with the demo content,
restored into a new empty database, gives the same site (its export, with history, and its
media byte for byte); a restore never overwrites a database that holds a site."""

import io
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from authors.models import Author
from tests.conftest import postgres_only
from tests.services import need

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def client_tools():
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        need("pg_dump and pg_restore (apt-get install postgresql-client)")


def database_url(name):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def manage(*args, database, media, check=True):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thinktank.test_settings",
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media),
    }
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def site_of(database, media, folder):
    """The export of a database (with revisions and workflow steps) and its media files."""
    manage("export_commentaries", str(folder), "--revisions", database=database, media=media)
    lines = (folder / "commentaries.jsonl").read_text(encoding="utf-8").splitlines()
    files = {
        str(path.relative_to(folder / "media")): path.read_bytes()
        for path in (folder / "media").rglob("*")
        if path.is_file()
    }
    return lines[1:], files  # the first line says when it was exported


@pytest.fixture
def new_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_is_the_same_site(
    media_root, tmp_path, new_database
):
    call_command("seed_demo", stdout=io.StringIO())
    photo = io.BytesIO()
    Image.new("RGB", (300, 300), "navy").save(photo, format="PNG")
    author = Author.objects.order_by("pk").first()
    author.photo.save("portrait.png", ContentFile(photo.getvalue(), name="p.png"))
    source = connection.settings_dict["NAME"]

    made = manage("backup", str(tmp_path / "backups"), database=source, media=media_root)
    dump = next((tmp_path / "backups").glob("*.dump"))
    assert f"Wrote {dump}" in made.stdout
    assert (tmp_path / "backups" / f"{dump.stem}-media.tar.gz").is_file()

    restored_media = tmp_path / "restored-media"
    done = manage("restore", str(dump), database=new_database, media=restored_media)
    assert f"Restored {dump}" in done.stdout

    before = site_of(source, media_root, tmp_path / "before")
    after = site_of(new_database, restored_media, tmp_path / "after")
    assert len(before[0]) > 20 and author.photo.name in before[1]
    assert after == before


def test_a_restore_never_overwrites_a_database_that_holds_a_site(media_root, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    source = connection.settings_dict["NAME"]
    manage("backup", str(tmp_path / "backups"), database=source, media=media_root)
    dump = next((tmp_path / "backups").glob("*.dump"))
    refused = manage("restore", str(dump), database=source, media=media_root, check=False)
    assert refused.returncode != 0
    assert f"The database {source} is not empty" in refused.stderr
    assert Author.objects.exists()
