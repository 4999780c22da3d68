import json
from urllib.parse import quote, urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import Article, Series
from core.site import absolute

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# The site's own picture for sharing, where a piece has no lead image (static/icons/).
SHARE_IMAGE = ("icons/share.png", 1200, 630)
CARD_WIDTH = 480


@register.filter
def iso(moment):
    """A time for <time datetime> and metadata: local, in whole seconds (HTML allows at
    most three decimals)."""
    if not moment:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def card_authors(context, article):
    """The article's authors, less the one whose page lists it: none is named on every card."""
    page_author = context.get("author")
    return [person for person in article.ordered_authors if person != page_author]


@register.simple_tag
def share_image(article=None):
    """{url, width, height, alt, own} of the picture that stands for a page when shared: a
    piece's lead image, else the site's picture (not a headshot, too small for a large card).
    """
    if article is not None and article.image:
        return {
            "url": article.image.url,
            "width": article.image_width,
            "height": article.image_height,
            "alt": article.image_alt,
        }
    path, width, height = SHARE_IMAGE
    name = _("Japan Institute for National Fundamentals")
    return {"url": static(path), "width": width, "height": height, "alt": name}


@register.simple_tag
def card_image(article):
    """{url, width, height} of a small copy of the lead image for a list card, or None.
    From the stored sizes: nothing is opened."""
    if not article.image or not article.image_width or not article.image_height:
        return None
    smaller = [(url, width) for url, width in article.image_renditions if width == CARD_WIDTH]
    url, width = smaller[0] if smaller else (article.image.url, article.image_width)
    return {
        "url": url,
        "width": width,
        "height": round(width * article.image_height / article.image_width),
    }


@register.simple_tag(takes_context=True)
def share_links(context, article):
    """[(name, url)] of plain sharing links in the page's language: no third-party script."""
    url = absolute(article.get_absolute_url())
    title = article.numbered_title
    return [
        ("X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LINE", "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url})),
        (_("Hatena Bookmark"), "https://b.hatena.ne.jp/add?" + urlencode({"url": url})),
        (_("E-mail"), "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
    ]


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, authors, topics):
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.numbered_title,
        "description": article.lead_text,
        "inLanguage": article.language,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.updated),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute(author.get_absolute_url()),
            }
            for author in authors
        ],
        "isPartOf": {"@type": "CreativeWorkSeries", "name": article.series.name},
        "publisher": {
            "@type": "Organization",
            "name": _("Japan Institute for National Fundamentals"),
            "url": absolute(reverse("articles:home")),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(static("icons/icon-512.png")),
                "width": 512,
                "height": 512,
            },
        },
        "image": absolute(share_image(article)["url"]),
        "keywords": [tag.label for tag in topics],
    }
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def first_step():
    """What a new site still lacks for its first commentary, for the admin's front page:
    "series" (a commentary belongs to one), then "commentary"; "" once it has both."""
    if not Series.objects.exists():
        return "series"
    if not Article.objects.exists():
        return "commentary"
    return ""


@register.simple_tag
def select_options(field):
    """A form field's <option>s, the one it holds selected, as one string: a template loop
    over the search's sixty authors and twenty years cost more than the search itself."""
    current = str(field.value())  # as the filter stringformat:"s" reads it
    return mark_safe(
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>'
            f"{escape(label)}</option>"
            for value, label in field.field.choices
        )
    )
