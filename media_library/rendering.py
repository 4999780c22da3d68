"""What the body's figures and videos become on the page. Both take the body's sanitised
HTML (a fixed schema, attributes in double quotes) and return it for readers:

- figures(html, language): `<figure data-image="<pk>">` of the media library get a lazy,
  responsive `<img>` (the WebP copies in srcset, as lead images have) with the alt text of
  the record in that language, and its caption and credit where the record has them (the
  editor inserts a copy of them: an edit of the record shows in every piece); a figure
  whose image is gone keeps its stored src if that is the site's own media, and is dropped
  otherwise (the CSP would block it anyway).
- videos(html): `<div class="video-facade" data-youtube="<id>">` becomes a button with a
  poster from the site; static/js/video_facade.js puts YouTube's (no-cookie) player in its
  place when clicked. Nothing is asked of a third party before that click.
"""

import re
from html import escape, unescape

from django.conf import settings
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Image

FIGURE = re.compile(r"<figure\b(?P<attrs>[^>]*)>(?P<inner>.*?)</figure>", re.S | re.I)
IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)/?>", re.S | re.I)
VIDEO = re.compile(r"<div\b(?P<attrs>[^>]*)>(?P<inner>(?:(?!</?div\b).)*)</div>", re.S | re.I)
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
SIZES = "(max-width: 50rem) 100vw, 40rem"  # as the lead image's: the column's width
POSTER_SIZE = (640, 360)
SPAN = {
    name: re.compile(rf'<span class="figure-{name}">(.*?)</span>', re.S)
    for name in ("caption", "credit")
}


def attributes(text):
    return {
        name.lower(): unescape(double or single) for name, double, single in ATTRIBUTE.findall(text)
    }


def own_media(src):
    prefix = settings.MEDIA_URL
    if not prefix.startswith(("http://", "https://")):
        prefix = "/" + prefix.lstrip("/")
    return src.startswith(prefix) and not src.startswith("//") and ".." not in src


def figures(html, language):
    found = list(FIGURE.finditer(html))
    keys = {attributes(match["attrs"]).get("data-image", "") for match in found}
    pks = [int(key) for key in keys if key.isdigit() and len(key) < 10]
    images = Image.objects.in_bulk(pks) if pks else {}

    def figure(match):
        key = attributes(match["attrs"]).get("data-image")
        if key is None:
            return match[0]  # not the library's: left as it is
        img = IMG.search(match["inner"])
        stored = attributes(img["attrs"]) if img else {}
        image = images.get(int(key)) if key.isdigit() and len(key) < 10 else None
        if image is not None:
            alt = getattr(image, f"alt_{language}", "") or stored.get("alt") or image.alt(language)
            tag = picture(image, alt)
        elif own_media(stored.get("src", "")):
            tag = (
                f'<img src="{escape(stored["src"])}" alt="{escape(stored.get("alt", ""))}" '
                f'loading="lazy" decoding="async">'
            )
        else:
            return ""
        inner = IMG.sub("", match["inner"], count=1)
        if image is not None:
            inner = caption(image, language, inner)
        return f'<figure data-image="{escape(key)}">{tag}{inner}</figure>'

    return FIGURE.sub(figure, html)


def caption(image, language, inner):
    """The figure's caption (`inner`, the body's copy) with the record's caption in this
    language and its credit in place of the copy's, each where the record has one."""
    record = {"caption": getattr(image, f"caption_{language}", ""), "credit": image.credit}
    if not any(record.values()):
        return inner
    spans = ""
    for name, pattern in SPAN.items():
        stored = pattern.search(inner)
        value = escape(record[name]) if record[name] else (stored[1] if stored else "")
        spans += f'<span class="figure-{name}">{value}</span>' if value else ""
    return f"<figcaption>{spans}</figcaption>"


def picture(image, alt):
    size = f' width="{image.width}" height="{image.height}"' if image.width else ""
    srcset = f' srcset="{escape(image.srcset)}" sizes="{SIZES}"' if image.renditions else ""
    return (
        f'<img src="{escape(image.file.url)}"{srcset}{size} alt="{escape(alt)}" '
        f'loading="lazy" decoding="async">'
    )


def videos(html, language=None):
    def video(match):
        found = attributes(match["attrs"])
        if "video-facade" not in found.get("class", "").split():
            return match[0]
        video_id = found.get("data-youtube", "")
        if not YOUTUBE_ID.fullmatch(video_id):
            return ""
        with translation.override(language or translation.get_language()):
            label = _("Play the video (from YouTube)")
            watch = _("Watch on YouTube")
        width, height = POSTER_SIZE
        return (
            f'<div class="video-facade" data-youtube="{video_id}">'
            f'<button type="button" class="video-facade__play" data-youtube="{video_id}">'
            f'<img src="{static("img/video-poster.svg")}" alt="" width="{width}" '
            f'height="{height}" loading="lazy" decoding="async">'
            f'<span class="video-facade__label">{escape(label)}</span></button>'
            f'<a class="video-facade__link" href="https://www.youtube.com/watch?v={video_id}" '
            f'rel="noopener noreferrer">{escape(watch)}</a></div>'
        )

    return VIDEO.sub(video, html)
