"""Integrity rules that live in the models and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from articles.models import Article, Series
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db


def test_one_number_per_series_and_language(make_article):
    make_article(number=434, language="en")
    make_article(number=434, language="ja")  # the original of the same number is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(number=434, language="en")


def test_duplicate_number_is_a_form_error_not_a_crash(make_article, series):
    make_article(number=434)
    duplicate = Article(series=series, number=434, language="en", title="x", body="y")
    with pytest.raises(ValidationError, match="already has a commentary with this number"):
        duplicate.full_clean()


def test_published_needs_a_date(series):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            series=series, number=1, language="en", title="t", body="b", status="published"
        )


def test_number_zero_is_refused(series):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(series=series, number=0, language="en", title="t", body="b")


def test_series_slug_may_not_shadow_site_pages():
    series = Series(slug="authors", name_ja="著者", name_en="Authors")
    with pytest.raises(ValidationError, match="used by another page"):
        series.full_clean()


def test_body_is_rendered_and_sanitised_when_saved(make_article):
    article = make_article(
        body="## Heading\n\nText with <script>alert(1)</script> and "
        '<a href="javascript:alert(1)" onclick="x()">a link</a> and [ok](https://example.org).'
        '\n\n<img src="x" onerror="alert(1)">'
    )
    html = article.body_html
    assert "<h2>Heading</h2>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert 'href="https://example.org"' in html


def test_body_html_follows_a_partial_save(article):
    article.body = "New *text*"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>New <em>text</em></p>"


def test_deleting_an_author_with_articles_is_refused(article, author):
    with pytest.raises(ProtectedError):
        author.delete()


def test_japanese_bio_line_has_name_then_titles(author, make_article):
    article = make_article(language="ja")
    assert (
        article.default_author_note()
        == "名越 健郎　国家基本問題研究所企画委員、拓殖大学海外事情研究所教授"
    )


def test_urls_never_use_the_slug_or_the_title(make_article):
    article = make_article(language="ja", title="日本語だけの題", slug="")
    assert article.get_absolute_url() == "/ja/speaking-out/434/"


def test_translation_link_must_cross_languages(make_article):
    english = make_article(number=1, language="en")
    other_english = make_article(number=2, language="en")
    with pytest.raises(ValidationError, match="other language"):
        TranslationLink(original=english, translation=other_english).full_clean()


def test_an_article_has_one_version_per_language(make_article, link):
    japanese = make_article(number=1, language="ja")
    english = make_article(number=1, language="en")
    second_japanese = make_article(number=2, language="ja")
    link(japanese, english)
    with pytest.raises(ValidationError, match="already the translation of another"):
        TranslationLink(original=second_japanese, translation=english).full_clean()
    with pytest.raises(ValidationError, match="already linked"):
        TranslationLink(original=english, translation=second_japanese).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        TranslationLink.objects.create(original=japanese, translation=japanese)


def test_deleting_a_linked_original_is_refused_until_unlinked(make_article, link):
    japanese = make_article(number=1, language="ja")
    english = make_article(number=1, language="en")
    pair = link(japanese, english)
    with pytest.raises(ProtectedError):
        japanese.delete()
    assert Article.objects.filter(pk=english.pk).exists()
    pair.delete()
    japanese.delete()
    assert Article.objects.filter(pk=english.pk).exists()
