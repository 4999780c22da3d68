"""One sweep over every public page: nothing unpublished ever shows, in any form."""

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"status": "draft", "published_at": None},
    "review": {"status": "review", "published_at": None},
    "scheduled": {"status": "published", "published_at": "tomorrow"},
    "unpublished": {"status": "archived", "published_at": "yesterday"},
}


@pytest.fixture
def site(make_article, link, yesterday, tomorrow):
    when = {"tomorrow": tomorrow, "yesterday": yesterday, None: None}
    visible = make_article(number=1, title="Visible zebra piece", tags=["zebra"])
    visible_ja = make_article(number=1, language="ja", title="公開済みのシマウマ", tags=["zebra"])
    link(visible_ja, visible)
    hidden = []
    for number, (state, fields) in enumerate(HIDDEN_STATES.items(), start=10):
        original = make_article(
            number=number,
            language="ja",
            title=f"隠れたシマウマ {state}",
            tags=["zebra", f"only-{state}"],
            status=fields["status"],
            published_at=when[fields["published_at"]],
        )
        translation = make_article(
            number=number,
            title=f"Hidden zebra {state}",
            tags=["zebra", f"only-{state}"],
            status=fields["status"],
            published_at=when[fields["published_at"]],
        )
        link(original, translation)
        hidden += [original, translation]
    # A public original whose translation is not public: the link must not show.
    public_original = make_article(number=30, language="ja", title="訳がまだの原文", tags=["zebra"])
    secret_translation = make_article(
        number=30, title="Hidden zebra translation", status="draft", published_at=None
    )
    link(public_original, secret_translation)
    hidden.append(secret_translation)
    deleted = make_article(number=40, title="Deleted zebra piece", tags=["zebra"])
    deleted_url = deleted.get_absolute_url()
    deleted.delete()
    return {"visible": [visible, visible_ja, public_original], "hidden": hidden,
            "deleted_url": deleted_url}  # fmt: skip


def public_pages(site):
    year, month = timezone.localtime(site["visible"][0].published_at).strftime("%Y %m").split()
    pages = []
    for language in ("en", "ja"):
        pages += [
            f"/{language}/",
            f"/{language}/speaking-out/",
            f"/{language}/authors/",
            f"/{language}/authors/kenro-nagoshi/",
            f"/{language}/archive/",
            f"/{language}/archive/{year}/",
            f"/{language}/archive/{year}/{month}/",
            f"/{language}/tags/",
            f"/{language}/tags/zebra/",
            f"/{language}/feed/",
            f"/{language}/feed/atom/",
            f"/{language}/authors/kenro-nagoshi/feed/",
            f"/{language}/tags/zebra/feed/",
            f"/{language}/tags/zebra/feed/atom/",
            f"/{language}/search/?q=zebra&language=all",
            f"/{language}/search/?q=Hidden&language=all",
            f"/{language}/search/?q=シマウマ&language=all",
        ]
    pages += [article.get_absolute_url() for article in site["visible"]]
    pages += ["/sitemap.xml", "/sitemap-commentaries.xml", "/sitemap-tags.xml"]
    return pages


def test_no_public_page_shows_anything_unpublished_or_deleted(client, site):
    hidden_titles = [article.title for article in site["hidden"]]
    hidden_urls = [article.get_absolute_url() for article in site["hidden"]]
    hidden_urls.append(site["deleted_url"])
    for page in public_pages(site):
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        for leaked in hidden_titles + hidden_urls + ["Deleted zebra piece", "only-"]:
            assert leaked not in text, (page, leaked)
    for url in hidden_urls:
        assert client.get(url).status_code == 404, url


def test_the_sweep_sees_what_is_public(client, site):
    # So that the test above cannot pass by looking at empty pages.
    assert "Visible zebra piece" in client.get("/en/tags/zebra/").content.decode()
    assert "Visible zebra piece" in client.get("/en/feed/").content.decode()
    assert "/en/speaking-out/1/" in client.get("/sitemap-commentaries.xml").content.decode()
    assert Article.objects.published().count() == 3
