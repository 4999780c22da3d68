"""What the API shows of each record: named fields, addresses on SITE_URL, nothing of the
editors' bookkeeping (statuses, revisions, pending changes, who saved)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, Series, Tag
from authors.models import Author
from core.i18n import address
from core.site import absolute
from pdfs.models import pdf_address


def page_urls(record, url_name, **kwargs):
    """{language: address} of the record's pages that show something (the in_<code>
    annotations of core.i18n.filled_languages)."""
    return {
        code: absolute(address(url_name, code, **kwargs))
        for code, _name in settings.LANGUAGES
        if getattr(record, f"in_{code}", False)
    }


class LanguageUrls(serializers.Serializer):
    ja = serializers.URLField(required=False)
    en = serializers.URLField(required=False)


class SeriesSerializer(serializers.ModelSerializer):
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Series
        fields = ["slug", "name_ja", "name_en", "description_ja", "description_en", "urls"]

    @extend_schema_field(LanguageUrls)
    def get_urls(self, series):
        return page_urls(series, "articles:series", slug=series.slug)


class AuthorSerializer(serializers.ModelSerializer):
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["slug", "name_ja", "name_en", "bio_ja", "bio_en", "urls"]

    @extend_schema_field(LanguageUrls)
    def get_urls(self, author):
        return page_urls(author, "authors:detail", slug=author.slug)


class TopicSerializer(serializers.ModelSerializer):
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Tag
        fields = ["slug", "name", "name_ja", "urls"]

    @extend_schema_field(LanguageUrls)
    def get_urls(self, tag):
        return page_urls(tag, "articles:tag", slug=tag.slug)


class Named(serializers.Serializer):
    """A series, author or topic as a commentary names it, with its page in the
    commentary's language."""

    slug = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField()
    url = serializers.URLField()


class Image(serializers.Serializer):
    url = serializers.URLField()
    alt = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    caption = serializers.CharField()
    credit = serializers.CharField()


class Translation(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    url = serializers.URLField()
    is_original = serializers.BooleanField(
        help_text="Whether the other version is the original this one was translated from."
    )
    is_stale = serializers.BooleanField(
        help_text="Whether the original has changed since the translation was last brought "
        "in step with it."
    )


class CommentarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    series = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    translation = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    lead = serializers.CharField(
        source="lead_html",
        read_only=True,
        help_text="The lead as HTML: paragraphs with bold, italic, links, sub/superscript, "
        "ruby and language spans (docs/editor.md).",
    )
    lead_text = serializers.CharField(
        read_only=True, help_text="The lead as plain text, for a summary or a description."
    )

    class Meta:
        model = Article
        fields = [
            *("id", "url", "series", "number", "language", "title", "lead", "lead_text"),
            "body_html",
            *("author_note", "published_at", "authors", "topics", "image", "translation"),
            "pdf_url",
        ]

    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    def get_pdf_url(self, article) -> str | None:
        """The A4 PDF (pdfs/), null until the job queue has built it."""
        pdf = pdf_address(article)
        return absolute(pdf) if pdf else None

    @extend_schema_field(Named)
    def get_series(self, article):
        series = article.series
        url = address("articles:series", article.language, slug=series.slug)
        return named(series, series.name_ja, series.name_en, url)

    @extend_schema_field(Named(many=True))
    def get_authors(self, article):
        return [
            named(author, author.name_ja, author.name_en, author_url(author, article.language))
            for author in article.ordered_authors
        ]

    @extend_schema_field(Named(many=True))
    def get_topics(self, article):
        return [
            named(
                tag, tag.name_ja, tag.name, address("articles:tag", article.language, slug=tag.slug)
            )
            for tag in article.topics
        ]

    @extend_schema_field(Image(allow_null=True))
    def get_image(self, article):
        if not article.image:
            return None
        return {
            "url": absolute(article.image.url),
            "alt": article.image_alt,
            "width": article.image_width,
            "height": article.image_height,
            "caption": article.image_caption,
            "credit": article.image_credit,
        }

    @extend_schema_field(Translation(allow_null=True))
    def get_translation(self, article):
        # The other version only while the public may read it (api.views.public_pair).
        other = getattr(article, "public_translation", None)
        if other is None:
            return None
        return {
            "language": other.language,
            "url": absolute(other.get_absolute_url()),
            "is_original": other.is_original,
            "is_stale": article.translation_stale,
        }


def named(record, name_ja, name_en, url):
    return {"slug": record.slug, "name_ja": name_ja, "name_en": name_en, "url": absolute(url)}


def author_url(author, language):
    return address("authors:detail", language, slug=author.slug)


def topic_url(tag, language):
    return address("articles:tag", language, slug=tag.slug)
