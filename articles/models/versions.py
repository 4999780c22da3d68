"""A commentary's versions in other languages, through its translation link (the
translations app's TranslationLink, reached by its reverse names: articles never imports it)."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from .content import Article
from .queries import CARD_FIELDS

# Articles in no pair, as either original or translation.
UNLINKED = Q(link_as_original__isnull=True, link_as_translation__isnull=True)


def link_of(article):
    """The pair an article belongs to, in either role, or None."""
    return getattr(article, "link_as_original", None) or getattr(
        article, "link_as_translation", None
    )


def linked_version(article):
    """The article's version in the other language, or None; select_related the links
    (link_as_original__translation, link_as_translation__original) to save the queries."""
    link = link_of(article)
    if link is None:
        return None
    return link.translation if link.original_id == article.pk else link.original


def other_versions(article):
    """The versions of an article in other languages, as an Article queryset."""
    return Article.objects.filter(
        Q(link_as_original__translation=article) | Q(link_as_translation__original=article)
    )


def public_other_versions(article):
    """The article's versions in other languages that the public may see, as cards, each
    carrying `is_original` (whether it is the original of this one)."""
    return list(
        other_versions(article)
        .published()
        .select_related("series")
        .only(*CARD_FIELDS)
        .annotate(
            is_original=ExpressionWrapper(
                Q(link_as_original__translation=article), output_field=BooleanField()
            )
        )
    )


def public_versions(article):
    """{language: article} of the versions the public may see, the article itself included.
    The others are asked once a page (or put in `article.public_other_versions` beforehand)."""
    if not hasattr(article, "public_other_versions"):
        article.public_other_versions = public_other_versions(article)
    return {
        article.language: article,
        **{other.language: other for other in article.public_other_versions},
    }
