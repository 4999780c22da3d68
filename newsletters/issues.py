"""When a commentary becomes public, one issue per list that takes it, with its outbox.

A list takes a piece of its series and language published after the list was made and no
more than NEWSLETTER_MAX_AGE_HOURS ago: an import of old pieces, or a list made today, mails
nothing from the archive. The issue and its outbox rows are written in one transaction, and
the issue is unique per list and piece, so a second run (the signal and the sweep, two
workers) makes nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Article

from .models import Delivery, Issue, Newsletter, Subscriber


def oldest_mailed():
    return timezone.now() - timedelta(hours=settings.NEWSLETTER_MAX_AGE_HOURS)


def lists_for(article):
    return Newsletter.objects.filter(
        active=True,
        series_id=article.series_id,
        language=article.language,
        created__lte=article.published_at,
    )


def issue_article(article_id):
    """The new issues of one piece, if it is public now and recent; returns them."""
    article = (
        Article.objects.published()
        .filter(pk=article_id, published_at__gte=oldest_mailed())
        .select_related("series")
        .first()
    )
    if article is None:
        return []
    made = []
    for newsletter in lists_for(article):
        with transaction.atomic():
            issue, created = Issue.objects.get_or_create(
                newsletter=newsletter, article=article, defaults={"subject": str(article)}
            )
            if created:
                fill(issue)
                made.append(issue)
    return made


def fill(issue):
    receiving = Subscriber.objects.receiving().filter(newsletters=issue.newsletter)
    ids = receiving.values_list("pk", flat=True).iterator(chunk_size=5000)
    rows = (Delivery(issue=issue, subscriber_id=pk) for pk in ids)
    while batch := [row for _ in range(5000) if (row := next(rows, None))]:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)


def due_articles():
    """Public pieces some list should have had an issue of by now (the sweep's work)."""
    recent = Article.objects.published().filter(published_at__gte=oldest_mailed())
    due = []
    for newsletter in Newsletter.objects.filter(active=True):
        due += (
            recent.filter(
                series_id=newsletter.series_id,
                language=newsletter.language,
                published_at__gte=newsletter.created,
            )
            .exclude(newsletter_issues__newsletter=newsletter)
            .values_list("pk", flat=True)
        )
    return sorted(set(due))
