"""The body's and the lead's editors in the admin (django-prose-editor, static/js/body_editor.js)
and what the server keeps of them: their schemas' HTML (core.body, core.lead), an autosaved copy
per user and piece."""

import base64
import hashlib
import re
from functools import cache

from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_prose_editor.widgets import AdminProseEditorWidget

from core import body as body_markup
from core import lead as lead_markup

from .models import Article, Autosave

PRESET = "body"  # settings.DJANGO_PROSE_EDITOR_PRESETS names its script
IMPORT_MAP = re.compile(r'<script type="importmap">(.*?)</script>', re.DOTALL)
MAX_AUTOSAVE_CHARACTERS = 2_000_000


class BodyEditor(AdminProseEditorWidget):
    """The prose editor with the body's schema; Markdown from before the editor (or from a
    script) is shown as the HTML it renders to."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, preset=PRESET, config={"schema": "body"})

    @property
    def media(self):
        return super().media + type(super().media)(css={"all": ["css/body_editor.css"]})

    def format_value(self, value):
        return body_markup.clean(value or "") or ""


class LeadEditor(AdminProseEditorWidget):
    """The same editor with the lead's schema (core.lead): paragraphs and inline marks."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, preset=PRESET, config={"schema": "lead"})

    @property
    def media(self):
        return BodyEditor().media

    def format_value(self, value):
        return lead_markup.clean(value or "")


def import_map_hash(media):
    """The CSP hash of the import map the editor's media writes inline (its paths depend on the
    static files' storage, so it is worked out from the media, once)."""
    found = IMPORT_MAP.search(str(media))
    if not found:
        return None
    digest = base64.b64encode(hashlib.sha256(found.group(1).encode()).digest()).decode()
    return f"'sha256-{digest}'"


@cache
def editor_script_hash():
    return import_map_hash(BodyEditor().media)


def allow_import_map(response):
    """Lets the change form's one inline script, the editor's import map, run by its hash:
    every other inline script stays refused."""
    script_hash = editor_script_hash()
    if script_hash:
        update = getattr(response, "_csp_update", None) or {}
        update["script-src"] = [*update.get("script-src", []), script_hash]
        response._csp_update = update
    return response


def editor_attrs(article):
    admin = reverse("admin:index")
    if article is not None and article.pk:
        autosave = reverse("admin:articles_article_autosave", args=[article.pk])
    else:
        autosave = reverse("admin:articles_article_autosave_new")
    return {
        "data-autosave-url": autosave,
        "data-choose-url": f"{admin}media_library/image/choose/",
        "data-upload-url": f"{admin}media_library/image/upload/",
    }


def still_wanted(copy, article, user):
    """A copy is offered until what it kept was saved: the piece saved since, or (for a new
    piece) a piece this user created since."""
    if article is not None:
        return copy.saved_at > article.updated
    return not Article.objects.filter(created_by=user, created__gt=copy.saved_at).exists()


def autosave(model_admin, request, object_id=None):
    """GET: this user's copy of the form ({} when none); POST: keep what the form holds now
    (title, lead, body, bio line); DELETE: forget it. Never touches the piece."""
    article = None
    if object_id is not None:
        article = model_admin.get_object(request, object_id)
        if article is None or not model_admin.has_change_permission(request, article):
            return JsonResponse({"error": _("You may not edit this commentary.")}, status=403)
    elif not model_admin.has_add_permission(request):
        return JsonResponse({"error": _("You may not add commentaries.")}, status=403)
    copies = Autosave.objects.filter(user=request.user, article=article)
    if request.method == "DELETE":
        copies.delete()
        return JsonResponse({})
    if request.method != "POST":
        copy = copies.first()
        if copy is None or not still_wanted(copy, article, request.user):
            return JsonResponse({})
        return JsonResponse({"saved_at": copy.saved_at.isoformat(), "fields": copy.fields})
    fields = {
        name: request.POST[name] for name in Autosave.AUTOSAVED_FIELDS if name in request.POST
    }
    if sum(len(value) for value in fields.values()) > MAX_AUTOSAVE_CHARACTERS:
        return HttpResponseBadRequest(_("Too much text to keep."))
    if "body" in fields:
        fields["body"] = body_markup.clean(fields["body"])
    if "lead" in fields:
        fields["lead"] = lead_markup.clean(fields["lead"])
    with transaction.atomic():
        copy, _created = Autosave.objects.select_for_update().update_or_create(
            user=request.user, article=article, defaults={"fields": fields}
        )
    return JsonResponse({"saved_at": copy.saved_at.isoformat()})


BODY_KEPT = body_markup.TAGS | set(body_markup.RENAMED_TAGS) | {"colgroup", "col"}
LEAD_KEPT = body_markup.schema(lead_markup.FEATURES)[0] | {"b", "i"}


def dropped_markup(text, kept=BODY_KEPT):
    """The names of the tags a body's (or a lead's) HTML had that its schema does not keep, for
    telling the writer (the editor never sends them; a paste into the HTML source or a script
    may)."""
    if kept is BODY_KEPT and not body_markup.is_html(text or ""):
        return []
    found = {name.lower() for name in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", text or "")}
    return sorted(found - kept)
