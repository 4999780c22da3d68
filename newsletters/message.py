"""An issue as mail: HTML and text parts rendered once per issue, the subscriber's own links
put in per mail; the headers mail clients and providers look for (RFC 2369, RFC 8058)."""

from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core import lead

from . import links

# Stands for the subscriber's token while an issue is rendered once for all of them.
TOKEN = "SUBSCRIBER-TOKEN-PLACEHOLDER"


def render_issue(issue):
    """(subject, text, html) with TOKEN where each subscriber's token goes."""
    article = issue.article
    language = issue.newsletter.language
    with translation.override(language):
        context = {
            "issue": issue,
            "article": article,
            "lead": lead.in_mail(article.lead),
            "authors": article.ordered_authors,
            "url": settings.SITE_URL + article.get_absolute_url(),
            "preferences_url": links.absolute("newsletters:preferences", language, token=TOKEN),
            "language": language,
        }
        text = render_to_string("newsletters/mail/issue.txt", context)
        html = render_to_string("newsletters/mail/issue.html", context)
    return issue.subject, text, html


def message_id(issue, subscriber):
    # The same for a mail sent again after a crash: receivers may drop the second copy.
    return f"<issue-{issue.pk}.{subscriber.pk}@{settings.NEWSLETTER_DOMAIN}>"


def build(issue, subscriber, rendered):
    subject, text, html = rendered
    token = links.subscriber_token(subscriber)
    language = issue.newsletter.language
    unsubscribe = links.absolute("newsletters:unsubscribe", language, token=token)
    mailto = (
        f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_EMAIL}?subject={quote('unsubscribe ' + token)}"
    )
    mail = EmailMultiAlternatives(
        subject,
        text.replace(TOKEN, token),
        settings.NEWSLETTER_FROM_EMAIL,
        [subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{issue.newsletter} <{issue.newsletter.list_id}>",
            "Message-ID": message_id(issue, subscriber),
            "Precedence": "list",
            "Auto-Submitted": "auto-generated",
        },
    )
    mail.attach_alternative(html.replace(TOKEN, token), "text/html")
    return mail
