"""The translation desk's pages: the desk, a pair's review (what the original changed since
the translation was in step), and "Create translation". Plain views handed their ModelAdmin;
every write is a translations.actions call."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import SUBSTANCE_FIELDS, UNLINKED, Article, Byline, Series
from authors.models import Author
from core import body as body_markup
from core import lead as lead_markup
from core.diff import changes

from . import actions
from .models import TranslationLink

DESK_LIMIT = 100


def page(model_admin, view, post=False):
    def handler(request, *args, **kwargs):
        return view(model_admin, request, *args, **kwargs)

    return model_admin.admin_site.admin_view(require_POST(handler) if post else handler)


def link_urls(model_admin):
    return [
        path("desk/", page(model_admin, desk), name="translations_desk"),
        path(
            "<int:pk>/review/",
            page(model_admin, review),
            name="translations_translationlink_review",
        ),
    ]


def article_urls(model_admin):
    return [
        path(
            "<path:object_id>/translate/",
            page(model_admin, translate, post=True),
            name="articles_article_translate",
        )
    ]


def context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), **extra}


def translate(model_admin, request, object_id):
    original = get_object_or_404(Article, pk=object_id) if object_id.isdigit() else None
    if original is None:
        return redirect("admin:articles_article_changelist")
    try:
        draft = actions.create_translation(original, request.user)
    except actions.TranslationError as error:
        model_admin.message_user(request, str(error), messages.ERROR)
        return redirect("admin:articles_article_change", original.pk)
    message = _("A linked draft in %(language)s was made: translate it below.") % {
        "language": draft.get_language_display()
    }
    if draft.image:
        message += " " + _("Describe its image in %(language)s too.") % {
            "language": draft.get_language_display()
        }
    model_admin.message_user(request, message, messages.SUCCESS)
    return redirect("admin:articles_article_change", draft.pk)


def desk(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    articles = (
        Article.objects.untrashed()
        .select_related("series")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
    )
    links = TranslationLink.objects.select_related("original__series", "translation").filter(
        original__deleted_at__isnull=True, translation__deleted_at__isnull=True
    )
    series = request.GET.get("series", "")
    author = request.GET.get("author", "")
    if series.isdigit():
        articles = articles.filter(series=series)
        links = links.filter(original__series=series)
    if author.isdigit():
        articles = articles.filter(authors=author)
        links = links.filter(original__authors=author)
    sections = [
        (_("Originals without a translation"), articles.filter(UNLINKED).order_by("-number"),
         "article"),
        (_("Stale translations"), links.stale().order_by("-original__number"), "link"),
        (_("Translations not yet published"), links.unpublished().order_by("-original__number"),
         "link"),
    ]  # fmt: skip
    return TemplateResponse(
        request,
        "admin/translations/desk.html",
        context(
            model_admin,
            request,
            title=_("Translation desk"),
            opts=model_admin.model._meta,
            sections=[
                {"title": title, "count": rows.count(), "rows": rows[:DESK_LIMIT], "kind": kind}
                for title, rows, kind in sections
            ],
            limit=DESK_LIMIT,
            all_series=Series.objects.all(),
            all_authors=Author.objects.all(),
            selected_series=series,
            selected_author=author,
        ),  # fmt: skip
    )


def review(model_admin, request, pk):
    link = get_object_or_404(
        TranslationLink.objects.select_related("original__series", "translation__series"), pk=pk
    )
    if not model_admin.has_view_permission(request, link):
        raise PermissionDenied
    if request.method == "POST":
        actions.mark_in_step(link, request.user)
        message = _("The translation is marked in step.")
        model_admin.message_user(request, message, messages.SUCCESS)
        return redirect("admin:translations_translationlink_review", link.pk)
    readable = {"body": body_markup.as_text, "lead": lead_markup.text}  # never tags
    found = changes(
        (Article._meta.get_field(field).verbose_name,
         readable.get(field, str)(getattr(link, f"synced_{field}")),
         readable.get(field, str)(getattr(link.original, field)))
        for field in SUBSTANCE_FIELDS
    )  # fmt: skip
    return TemplateResponse(
        request,
        "admin/translations/review.html",
        context(
            model_admin,
            request,
            title=_("Review translation"),
            opts=model_admin.model._meta,
            link=link,
            changes=found,
            can_change=model_admin.has_change_permission(request, link),
        ),  # fmt: skip
    )
