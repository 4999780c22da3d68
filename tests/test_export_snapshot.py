"""An export is one snapshot (archive.export.snapshot: REPEATABLE READ, READ ONLY on
Postgres): what editors save while it is written is all in it or all not, never a link to a
commentary it does not hold."""

import io
import json
import threading
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection

from archive import export
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def saved_meanwhile(make_article, link, number):
    """An editor's pair saved and linked on another connection, committed."""

    def save():
        try:
            link(make_article(number=number, language="ja"), make_article(number=number))
        finally:
            connection.close()

    thread = threading.Thread(target=save)
    thread.start()
    thread.join(30)


def test_what_is_saved_while_an_export_runs_is_not_half_in_it(make_article, link):
    link(make_article(number=1, language="ja"), make_article(number=1))
    with export.snapshot():
        records = export.records()
        taken = []
        while not taken or taken[-1]["type"] != "article":
            taken.append(next(records))
        # The commentaries have been read; their links not yet.
        saved_meanwhile(make_article, link, number=2)
        taken += list(records)
    articles = {
        tuple(r[k] for k in ("series", "number", "language"))
        for r in taken
        if r["type"] == "article"
    }
    links = [r for r in taken if r["type"] == "link"]
    assert {number for _series, number, _language in articles} == {1}
    assert [(r["original"][1], r["translation"][1]) for r in links] == [(1, 1)]
    for record in links:
        assert tuple(record["original"]) in articles and tuple(record["translation"]) in articles


def test_the_export_command_runs_in_its_own_read_only_snapshot(make_article, link, tmp_path):
    link(make_article(number=1, language="ja"), make_article(number=1))
    assert not connection.in_atomic_block
    call_command("export_commentaries", str(tmp_path / "site.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "site.zip") as archive:
        lines = archive.read("commentaries.jsonl").decode().splitlines()
    kinds = [json.loads(line)["type"] for line in lines]
    assert kinds.count("article") == 2 and kinds.count("link") == 1
