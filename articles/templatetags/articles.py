import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def article_image(article):
    """The picture that stands for an article when shared: its lead image, else its first
    author's photo."""
    if article.image:
        return article.image.url
    for author in article.ordered_authors:
        if author.photo:
            return author.photo.url
    return ""


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    image = article_image(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.numbered_title,
        "description": article.lead,
        "inLanguage": article.language,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.published_at,
        "dateModified": article.updated,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.ordered_authors
        ],
        "isPartOf": {"@type": "CreativeWorkSeries", "name": article.series.name},
        "publisher": {
            "@type": "Organization",
            "name": _("Japan Institute for National Fundamentals"),
        },
        "keywords": [tag.label for tag in article.topics],
    }
    if image:
        data["image"] = request.build_absolute_uri(image)
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
