"""The admin's commentary form as a browser would post it, for tests that post it."""

from django.utils import timezone


def inline(prefix, initial=0, **fields):
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update({f"{prefix}-0-{name}": value for name, value in fields.items()})
    return data


def article_form(series, author, **fields):
    data = {
        "series": series.pk,
        "number": "437",
        "language": "en",
        "title": "A new commentary",
        "slug": "a-new-commentary",
        "lead": "",
        "body": "First paragraph.\n\n## Sub-heading\n\nSecond paragraph.",
        "tags": "Russia, diplomacy",
        "author_note": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        **inline("bylines", author=author.pk, position="0"),
        **inline("link_as_original", translation=""),
        **inline("link_as_translation", original=""),
        **inline("preview_links"),
        "preview_links-TOTAL_FORMS": "0",
        "lock_version": "",
        "comment": "",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
    }
    data.update(fields)
    return data


def edit_form(article, **fields):
    """The change form as the browser would send it for an existing article."""
    byline = article.bylines.get()
    data = article_form(
        article.series,
        byline.author,
        number=str(article.number),
        language=article.language,
        title=article.title,
        body=article.body,
        status=article.status,
        lock_version=str(article.version),
        published_at_0=timezone.localtime(article.published_at).strftime("%Y-%m-%d")
        if article.published_at
        else "",
        published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S")
        if article.published_at
        else "",
    )
    data.update(
        inline("bylines", initial=1, id=byline.pk, author=byline.author_id, position=0,
               article=article.pk)
    )  # fmt: skip
    data.update(fields)
    return data
