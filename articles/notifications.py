"""E-mail to the people a step of the desk concerns, through Django's mail framework.

The workflow calls these after commit. Nothing is sent to users without an address, nor to
the person who made the step. The mail is sent by a job (articles.tasks.send_mail), retried
while the server is away, so a slow SMTP server never holds a save. The backend is Django's
EMAIL_* settings (console by default).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs


def editors():
    publishers = Q(groups__permissions__codename="publish_article") | Q(
        user_permissions__codename="publish_article"
    )
    return (
        get_user_model()
        .objects.filter(publishers | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )


def admin_url(article):
    return settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])


def send(recipients, subject, lines, by=None):
    addresses = sorted({user.email for user in recipients if user and user.email and user != by})
    if not addresses:
        return 0
    body = "\n\n".join(line for line in lines if line)
    messages = [[subject, body, settings.DEFAULT_FROM_EMAIL, [address]] for address in addresses]
    from .tasks import send_mail

    jobs.after_commit(send_mail, messages)
    return len(messages)


def with_comment(comment):
    return _("Comment: %(comment)s") % {"comment": comment} if comment else ""


def submitted(article, by, comment=""):
    with translation.override(settings.LANGUAGE_CODE):
        return send(
            editors(),
            _("For review: %(article)s") % {"article": article},
            [
                _("%(user)s submitted “%(article)s” for review.")
                % {"user": by, "article": article},
                with_comment(comment),
                admin_url(article),
            ],
            by,
        )


def returned(article, by, comment=""):
    with translation.override(settings.LANGUAGE_CODE):
        return send(
            [article.created_by],
            _("Returned to you: %(article)s") % {"article": article},
            [
                _("%(user)s returned “%(article)s” to you.") % {"user": by, "article": article},
                with_comment(comment),
                admin_url(article),
            ],
            by,
        )


def published(article, writer, by=None):
    when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
    with translation.override(settings.LANGUAGE_CODE):
        return send(
            [writer],
            _("Published: %(article)s") % {"article": article},
            [
                _("“%(article)s” is published (%(when)s).") % {"article": article, "when": when},
                settings.SITE_URL + article.get_absolute_url(),
            ],
            by,
        )


def original_changed(translation_article, original, translators):
    with translation.override(settings.LANGUAGE_CODE):
        return send(
            translators,
            _("Original changed: %(article)s") % {"article": original},
            [
                _("The original of your translation “%(translation)s” changed: it is stale.")
                % {"translation": translation_article},
                admin_url(translation_article),
            ],
        )
