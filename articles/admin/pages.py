"""The commentary admin's extra pages: revisions (compare, restore), the pending change's
steps, the schedule, the body's live preview. Plain views, each handed the ModelAdmin whose
permissions it checks; every write is a call to articles.actions."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import body as body_markup
from core.diff import changes

from .. import actions, editor
from ..actions.rules import visible
from ..models import REVISION_FIELDS, Article, Revision, is_live
from ..models.site import Series


def urls(model_admin):
    wrap = model_admin.admin_site.admin_view

    def page(view, post=False):
        def handler(request, *args, **kwargs):
            return view(model_admin, request, *args, **kwargs)

        return wrap(require_POST(handler) if post else handler)

    return [
        path("next-number/", page(next_number), name="articles_article_next_number"),
        path("render-body/", page(render_body, post=True), name="articles_article_render_body"),
        path("schedule/", page(schedule), name="articles_article_schedule"),
        path("autosave/", page(editor.autosave), name="articles_article_autosave_new"),
        path(
            "<path:object_id>/autosave/",
            page(editor.autosave),
            name="articles_article_autosave",
        ),
        path("<path:object_id>/revisions/", page(revisions), name="articles_article_revisions"),
        path(
            "<path:object_id>/revisions/<int:revision_id>/restore/",
            page(restore, post=True),
            name="articles_article_restore",
        ),
        path(
            "<path:object_id>/change/<str:step>/",
            page(change_step, post=True),
            name="articles_article_change_step",
        ),
    ]


def context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **extra}


def viewable(model_admin, request, object_id):
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied(_("You may not open this commentary."))
    return article


def render_body(model_admin, request):
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    language = request.POST.get("language") or request.LANGUAGE_CODE
    return JsonResponse({"html": body_markup.render(request.POST.get("body", ""), language)})


def next_number(model_admin, request):
    """{"number": the next free number} of the series `?series=<pk>`, for the add form."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    chosen = request.GET.get("series", "")
    series = Series.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if series is None:
        return JsonResponse({"error": _("Choose a series.")}, status=400)
    return JsonResponse({"number": series.next_number()})


def revisions(model_admin, request, object_id):
    article = viewable(model_admin, request, object_id)
    history = list(article.revisions.select_related("user"))
    live = Revision(**Revision.snapshot(Article.objects.get(pk=article.pk)),
                    created=article.updated, note=_("Live now"))  # fmt: skip
    chosen = choose_revisions(history, live, request.GET.getlist("compare"))
    comparison = []
    if len(chosen) == 2:
        newer, older = chosen
        comparison = changes(
            (Revision._meta.get_field(field).verbose_name, older.as_text(field),
             newer.as_text(field))
            for field in REVISION_FIELDS
        )  # fmt: skip
    title = _("Revisions of %(article)s") % {"article": article}
    return TemplateResponse(
        request,
        "admin/articles/article/revisions.html",
        context(
            model_admin,
            request,
            title=title,
            original=article,
            revisions=history,
            chosen=chosen,
            comparison=comparison,
            can_restore=model_admin.has_change_permission(request, article),
        ),  # fmt: skip
    )


def restore(model_admin, request, object_id, revision_id):
    article = viewable(model_admin, request, object_id)
    revision = get_object_or_404(article.revisions, pk=revision_id)
    actions.restore_revision(revision, request.user)
    model_admin.message_user(request, _("The revision was restored."), messages.SUCCESS)
    return redirect("admin:articles_article_change", article.pk)


def change_step(model_admin, request, object_id, step):
    """Publishes (now or at a time) or discards the pending change of a live piece."""
    article = viewable(model_admin, request, object_id)
    try:
        if step == "publish":
            at = parse_local(request.POST.get("change_go_live_at", ""))
            actions.publish_change(article, request.user, at=at)
            message = _("The change is published.") if at is None else _("Change scheduled.")
        elif step == "discard":
            actions.discard_change(article, request.user)
            message = _("The pending change was discarded.")
        else:
            raise Http404
    except actions.Conflict:
        message = _("Someone saved first: try again.")
        model_admin.message_user(request, message, messages.ERROR)
        return redirect("admin:articles_article_change", article.pk)
    except ValueError:
        message = _("That is not a date and time: nothing was changed.")
        model_admin.message_user(request, message, messages.ERROR)
        return redirect("admin:articles_article_change", article.pk)
    model_admin.message_user(request, message, messages.SUCCESS)
    return redirect("admin:articles_article_change", article.pk)


def schedule(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    weeks = 4
    title = _("Schedule: the coming %(weeks)d weeks") % {"weeks": weeks}
    days = coming(visible(request.user, Article.objects.all()), weeks)
    return TemplateResponse(
        request,
        "admin/articles/article/schedule.html",
        context(model_admin, request, title=title, days=days),
    )


def coming(articles, weeks=4):
    """What goes live or leaves the site in the coming weeks, by day, each number's two
    languages side by side: [(day, [(kind, time, {language: article})])]. The trash is left
    out: nothing in it goes live."""
    now = timezone.now()
    until = now + timedelta(weeks=weeks)
    coming = articles.filter(is_live()).filter(
        Q(published_at__gt=now, published_at__lte=until)
        | Q(unpublish_at__gt=now, unpublish_at__lte=until)
    )
    pending = Revision.objects.pending().filter(
        go_live_at__gt=now, go_live_at__lte=until, article__in=articles.filter(is_live())
    )
    rows = {}

    def add(moment, kind, article):
        key = (timezone.localtime(moment).date(), kind, article.series_id, article.number)
        row = rows.setdefault(key, {"time": moment, "versions": {}})
        row["versions"][article.language] = article

    for article in coming.select_related("series"):
        for kind, moment in (("publish", article.published_at), ("end", article.unpublish_at)):
            if moment and now < moment <= until:
                add(moment, kind, article)
    for change in pending.select_related("article__series"):
        add(change.go_live_at, "change", change.article)
    days = {}
    for (day, kind, _series, _number), row in sorted(rows.items(), key=lambda i: i[1]["time"]):
        days.setdefault(day, []).append({"kind": kind, **row})
    return list(days.items())


def choose_revisions(revisions, live, wanted):
    """The two revisions to compare: the ticked ones, else the latest two. "live" and
    "pending" name the live text and the pending change."""
    named = {"live": live, "pending": next((r for r in revisions if r.pending), None)}
    if not wanted:
        return revisions[:2]
    chosen = [named.get(key) or next((r for r in revisions if str(r.pk) == key), None)
              for key in wanted]  # fmt: skip
    chosen = [r for r in chosen if r is not None][:2]
    return sorted(chosen, key=lambda r: (r.pending, r.created), reverse=True)


def parse_local(value):
    """A time typed in the form, in the site's time zone; ValueError when it is none."""
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
