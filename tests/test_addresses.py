"""Addresses are remembered by the process (core.i18n.address, the {% link %} tag, the static
files' storage), and are still always the ones reverse() and the manifest would give."""

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from core.i18n import address
from core.storage import StaticFilesStorage

pytestmark = pytest.mark.django_db


def test_an_address_is_the_one_reverse_gives_in_each_language_and_under_each_prefix(article):
    for language in ("ja", "en"):
        with translation.override(language):
            assert address("articles:archive") == reverse("articles:archive")
            assert address("articles:series", slug="speaking-out") == f"/{language}/speaking-out/"
            assert article.get_absolute_url() == "/en/speaking-out/434/"  # its own language
    set_script_prefix("/institute/")  # a site served under a path (SCRIPT_NAME)
    try:
        with translation.override("ja"):
            assert address("articles:archive") == "/institute/ja/archive/"
            assert article.get_absolute_url() == "/institute/en/speaking-out/434/"
    finally:
        clear_script_prefix()
    with translation.override("ja"):
        assert address("articles:archive") == "/ja/archive/"


def test_a_renamed_series_or_renumbered_piece_gets_its_new_address(client, article):
    assert 'href="/en/speaking-out/"' in client.get(article.get_absolute_url()).content.decode()
    article.series.slug = "opinion"
    article.series.save()
    article.number = 500
    article.save()
    assert article.get_absolute_url() == "/en/opinion/500/"
    page = client.get("/en/opinion/500/")
    assert page.status_code == 200
    assert 'href="/en/opinion/"' in page.content.decode()
    # The old address is not lost: it leads to the new one in one hop (redirects/).
    old = client.get("/en/speaking-out/434/")
    assert (old.status_code, old["Location"]) == (301, "/en/opinion/500/")


def test_the_menu_links_follow_the_page_language(client, article):
    for language in ("ja", "en"):
        page = client.get(f"/{language}/").content.decode()
        for name in ("authors:list", "articles:archive", "articles:tags", "articles:feed"):
            with translation.override(language):
                assert f'href="{reverse(name)}"' in page


@override_settings(DEBUG=False)
def test_static_addresses_are_the_manifests(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(
        '{"version": "1.1", "paths": {"css/print.css": "css/print.0123456789ab.css"}}'
    )
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/print.css") == "/static/css/print.0123456789ab.css"
    assert storage.url("css/print.css") == "/static/css/print.0123456789ab.css"  # remembered
    with pytest.raises(ValueError):  # what is not in the manifest is an error, as before
        storage.url("css/missing.css")
