"""Two languages, linked versions, and the translation desk."""

import re
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from authors.models import Author
from tests.forms import edit_form, inline
from translations import actions as translation_actions
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
DESK_URL = reverse("admin:translations_desk")


@pytest.fixture
def pair(make_article, link):
    original = make_article(
        number=434,
        language="ja",
        title="米露、対立演出しつつ関係調整も",
        lead="対立の裏で調整が進む。",
        published_at=datetime(2017, 4, 17, 9, 0, tzinfo=TOKYO),
        tags=["Russia"],
    )
    translation = make_article(
        number=434,
        title="U.S., Russia May Adjust Relations While Demonstrating Confrontation",
        published_at=datetime(2017, 4, 18, 9, 0, tzinfo=TOKYO),
    )
    link(original, translation)
    return original, translation


def switcher_links(response):
    nav = re.search(r'<nav class="language-switch".*?</nav>', response.text, re.S).group(0)
    return dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)[::1])


def switch_target(response, language):
    return {code: url for url, code in switcher_links(response).items()}[language]


def test_switcher_leads_to_the_published_translation(client, pair):
    original, translation = pair
    response = client.get(original.get_absolute_url())
    assert switch_target(response, "en") == translation.get_absolute_url()
    response = client.get(translation.get_absolute_url())
    assert switch_target(response, "ja") == original.get_absolute_url()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": "draft", "published_at": None},
        {"published_at": datetime(2099, 1, 1, tzinfo=TOKYO)},
    ],
)
def test_switcher_never_leaks_a_draft_or_scheduled_translation(client, pair, hidden):
    original, translation = pair
    Article.objects.filter(pk=translation.pk).update(**hidden)
    response = client.get(original.get_absolute_url())
    assert switch_target(response, "en") == "/en/speaking-out/?from=434"
    assertNotContains(response, translation.title)
    assertNotContains(response, 'hreflang="en" href')


def test_japanese_only_commentary_has_no_english_url(client, make_article):
    only = make_article(number=105, language="ja", title="日本語だけの論考")
    assert client.get("/en/speaking-out/105/").status_code == 404
    response = client.get(only.get_absolute_url())
    assert switch_target(response, "en") == "/en/speaking-out/?from=105"
    landing = client.get("/en/speaking-out/?from=105")
    # The English reader is told where the piece is, though no English piece exists yet.
    assertContains(
        landing,
        "【#105】日本語だけの論考 is available in Japanese only: "
        '<a href="/ja/speaking-out/105/" hreflang="ja">read it in Japanese</a>.',
    )
    assertContains(landing, '<meta name="robots" content="noindex">')
    assertNotContains(landing, '/en/speaking-out/"')  # no canonical to a page not there
    assert client.get("/en/speaking-out/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/{}/", "/{}/speaking-out/", "/{}/authors/", "/{}/authors/kenro-nagoshi/"]
)
def test_same_paths_work_in_both_languages(client, pair, path):
    ja = client.get(path.format("ja"))
    en = client.get(path.format("en"))
    assert ja.status_code == en.status_code == 200
    assert switch_target(ja, "en") == path.format("en")
    assert switch_target(en, "ja") == path.format("ja")


def test_not_found_page_switches_to_the_other_home(client):
    response = client.get("/en/speaking-out/999/")
    assert response.status_code == 404
    assert switch_target(response, "ja") == "/ja/"


def test_no_switch_link_on_the_demo_site_is_broken_or_leaks(client):
    call_command("seed_demo", stdout=StringIO())
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    hidden_urls = {article.get_absolute_url() for article in hidden}
    pages = ["/ja/", "/en/", "/ja/authors/", "/en/authors/"]
    pages += [article.get_absolute_url() for article in Article.objects.published()]
    pages += [
        f"/{lang}/authors/{author.slug}/"
        for author in Author.objects.all()
        for lang in ("ja", "en")
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for url in switcher_links(response):
            assert url not in hidden_urls, (page, url)
            assert client.get(url).status_code == 200, (page, url)


def test_hreflang_alternates_and_canonical(client, pair):
    original, translation = pair
    response = client.get(translation.get_absolute_url())
    base = "http://testserver"
    assertContains(response, f'<link rel="canonical" href="{base}/en/speaking-out/434/">')
    assertContains(
        response, f'<link rel="alternate" hreflang="ja" href="{base}/ja/speaking-out/434/">'
    )
    assertContains(
        response, f'<link rel="alternate" hreflang="en" href="{base}/en/speaking-out/434/">'
    )
    assertContains(
        response, f'<link rel="alternate" hreflang="x-default" href="{base}/ja/speaking-out/434/">'
    )


def test_english_page_names_its_japanese_original_and_date(client, pair):
    original, translation = pair
    response = client.get(translation.get_absolute_url())
    assertContains(
        response,
        'Translated from the <a href="/ja/speaking-out/434/" hreflang="ja">Japanese original</a> '
        "of April\u00a017,\u00a02017.",  # no-break spaces: the date is never split (issue 23)
    )
    assertContains(response, "2017.04.18 (Tue)")
    assertNotContains(client.get(original.get_absolute_url()), "Translated from")


def test_unpublished_original_is_not_named(client, pair):
    original, translation = pair
    Article.objects.filter(pk=original.pk).update(status="draft")
    response = client.get(translation.get_absolute_url())
    assertNotContains(response, "Translated from")
    assertNotContains(response, original.get_absolute_url())


def test_interface_and_names_follow_the_language(client, pair, author):
    original, _ = pair
    from articles.models import Tag

    Tag.objects.filter(name="Russia").update(name_ja="ロシア")
    response = client.get(original.get_absolute_url())
    assertContains(response, '<html lang="ja">')
    assertContains(response, "国家基本問題研究所")
    assertContains(response, "名越 健郎")
    assertContains(response, '<a href="/ja/tags/russia/" rel="tag">ロシア</a>', html=True)
    assertContains(response, "2017年4月17日(月)")
    assertContains(response, "約1分で読めます")
    english = client.get("/en/authors/kenro-nagoshi/")
    assertContains(english, "Kenro Nagoshi")
    assertContains(english, "Japan Institute for National Fundamentals")


def test_names_fall_back_to_the_other_language(client, make_article):
    only_english = Author.objects.create(slug="guest", name_en="Guest Writer")
    make_article(number=3, language="ja", authors=[only_english])
    assertContains(client.get("/ja/speaking-out/3/"), "Guest Writer")


@pytest.mark.parametrize(
    ("accept", "target"), [("ja,en;q=0.5", "/ja/"), ("en-US,en;q=0.9", "/en/")]
)
def test_root_follows_the_browser_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response["Location"] == target


# Staleness


def test_tags_or_slug_changes_keep_the_translation_in_step(pair):
    original, _ = pair
    original.tags.add("diplomacy")
    original.slug = "new-slug"
    original.save()
    assert not TranslationLink.objects.get().is_stale
    assert not TranslationLink.objects.stale().exists()


@pytest.mark.parametrize("field", ["title", "lead", "body"])
def test_changing_the_substance_makes_it_stale_until_marked(pair, field, editor):
    original, _ = pair
    setattr(original, field, getattr(original, field) + "追記")
    original.save()
    link = TranslationLink.objects.get()
    assert link.is_stale
    assert list(TranslationLink.objects.stale()) == [link]
    translation_actions.mark_in_step(link, editor)
    assert not TranslationLink.objects.get().is_stale
    assert not TranslationLink.objects.stale().exists()


def test_review_page_shows_what_changed_and_marks_in_step(editor_client, pair):
    original, translation = pair
    original.body = original.body.replace("An opening paragraph.", "A rewritten opening.")
    original.save()
    link = TranslationLink.objects.get()
    url = reverse("admin:translations_translationlink_review", args=[link.pk])
    response = editor_client.get(url)
    assertContains(response, "<del>An</del><ins>A rewritten</ins> opening<del> paragraph</del>.")
    assertContains(response, translation.title)
    assertContains(response, original.title)
    response = editor_client.post(url)
    assert response.status_code == 302
    assert not TranslationLink.objects.get().is_stale
    assertContains(editor_client.get(url), "None: the translation follows the current original.")


def test_state_shows_on_both_articles_and_filters(editor_client, pair):
    original, translation = pair
    original.title += "（改訂）"
    original.save()
    for article in pair:
        page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assertContains(page, "Stale")
    changelist = reverse("admin:articles_article_changelist")
    stale = editor_client.get(changelist, {"translation": "stale"}).context["cl"].result_list
    assert set(stale) == set(pair)
    in_step = editor_client.get(changelist, {"translation": "in_step"}).context["cl"].result_list
    assert list(in_step) == []


# Creating translations


def test_create_translation_makes_a_linked_draft_and_opens_it(editor_client, make_article, author):
    second = Author.objects.create(
        slug="second", name_en="Second", name_ja="二人目", bio_en="Fellow at the institute"
    )
    original = make_article(
        number=7, language="ja", authors=[second, author], tags=["Russia", "energy"]
    )
    response = editor_client.post(reverse("admin:articles_article_translate", args=[original.pk]))
    draft = Article.objects.get(language="en", number=7)
    assert response["Location"] == reverse("admin:articles_article_change", args=[draft.pk])
    assert draft.status == "draft"
    assert draft.series == original.series
    assert draft.ordered_authors == [second, author]
    assert sorted(tag.name for tag in draft.tags.all()) == ["Russia", "energy"]
    assert TranslationLink.objects.get(original=original).translation == draft
    assert draft.author_note.startswith("Second is Fellow at the institute.\nKenro Nagoshi is")
    page = editor_client.get(response["Location"])
    assertContains(page, "translate it below")


def test_create_translation_twice_is_a_message_not_a_crash(editor_client, pair):
    original, _ = pair
    url = reverse("admin:articles_article_translate", args=[original.pk])
    response = editor_client.post(url, follow=True)
    assertContains(response, "already linked")
    assert Article.objects.count() == 2


def test_create_translation_needs_post_and_staff(editor_client, make_article):
    original = make_article(number=7, language="ja")
    url = reverse("admin:articles_article_translate", args=[original.pk])
    assert editor_client.get(url).status_code == 405
    assert Client().post(url).status_code == 302  # to the login page
    assert not TranslationLink.objects.exists()


def test_unlinking_is_an_explicit_inline_delete(editor_client, pair):
    original, translation = pair
    link = TranslationLink.objects.get()
    url = reverse("admin:articles_article_change", args=[original.pk])
    unlink = inline("link_as_original", initial=1, id=link.pk, original=original.pk,
                    translation=translation.pk, DELETE="on")  # fmt: skip
    response = editor_client.post(url, edit_form(original, **unlink))
    assert response.status_code == 302
    assert not TranslationLink.objects.exists()
    assert Article.objects.count() == 2


# The desk


@pytest.fixture
def desk_data(make_article, link, author):
    other = Author.objects.create(slug="other", name_en="Other")
    make_article(number=1, language="ja", title="未翻訳の論考")
    stale_original = make_article(number=2, language="ja", title="変更された原文")
    stale_translation = make_article(number=2, title="Stale translation")
    link(stale_original, stale_translation)
    stale_original.body += "\n\n追加の段落。"
    stale_original.save()
    draft_original = make_article(
        number=3, language="ja", title="訳が下書きの原文", authors=[other]
    )
    draft_translation = make_article(
        number=3, title="Draft translation", status="draft", published_at=None, authors=[other]
    )
    link(draft_original, draft_translation)
    done = make_article(number=4, language="ja", title="訳済みの原文")
    link(done, make_article(number=4, title="Finished translation"))
    return other


def test_desk_lists_missing_stale_and_unpublished_translations(editor_client, desk_data):
    response = editor_client.get(DESK_URL)
    sections = {str(s["title"]): s for s in response.context["sections"]}
    assert [a.title for a in sections["Originals without a translation"]["rows"]] == [
        "未翻訳の論考"
    ]
    assert [row.translation.title for row in sections["Stale translations"]["rows"]] == [
        "Stale translation"
    ]
    assert [
        row.translation.title for row in sections["Translations not yet published"]["rows"]
    ] == ["Draft translation"]
    assert {s["count"] for s in sections.values()} == {1}
    assertNotContains(response, "Finished translation")
    assertContains(
        response,
        reverse(
            "admin:articles_article_change", args=[Article.objects.get(title="未翻訳の論考").pk]
        ),
    )


def test_desk_filters_by_author_and_series(editor_client, desk_data, series):
    response = editor_client.get(DESK_URL, {"author": desk_data.pk})
    counts = [s["count"] for s in response.context["sections"]]
    assert counts == [0, 0, 1]
    response = editor_client.get(DESK_URL, {"series": series.pk + 100})
    assert [s["count"] for s in response.context["sections"]] == [0, 0, 0]
    response = editor_client.get(DESK_URL, {"series": "not-a-number", "author": "x"})
    assert response.status_code == 200


def test_desk_queries_do_not_grow(editor_client, make_article, link, django_assert_max_num_queries):
    for number in range(10, 70):
        original = make_article(number=number, language="ja", body=f"本文{number}")
        if number % 2:
            translation = make_article(number=number, status="draft", published_at=None)
            link(original, translation)
            original.body += "変更"
            original.save()
    with django_assert_max_num_queries(14):
        response = editor_client.get(DESK_URL)
    assert response.status_code == 200


def test_desk_is_for_staff_only(client, django_user_model):
    assert client.get(DESK_URL).status_code == 302
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert client.get(DESK_URL).status_code == 302
