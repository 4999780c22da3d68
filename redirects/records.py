"""Making redirects, and following them: every redirect is made by point(), whoever asks
(the admin, a file's import, the old site's import, a page that moved), so each one is one
hop and none leads back to where it starts."""

from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article, Series, Tag
from authors.models import Author

from .models import TARGETS, NotFound, Redirect, language_of

MAX_PATH = Redirect._meta.get_field("old_path").max_length


def clean_path(address):
    """The path of an address (a full URL, or a path, %-escaped or not), as Django reads a
    request's path: what old_path holds."""
    path = unquote(urlsplit(address.strip()).path)
    if not path.startswith("/"):
        raise ValidationError(
            _("“%(address)s” is not a path starting with “/”.") % {"address": address}
        )
    if len(path) > MAX_PATH:
        raise ValidationError(
            _("The address is longer than %(limit)d characters.") % {"limit": MAX_PATH}
        )
    return path


def page_at(path):
    """The commentary, series, author or tag this site shows at `path`, or None."""
    language = language_of(path)
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    kwargs = match.kwargs
    if match.view_name == "articles:detail":
        found = Article.objects.untrashed().filter(
            series__slug=kwargs["series"], number=kwargs["number"], language=language
        )
    elif match.view_name in ("articles:series", "authors:detail", "articles:tag"):
        model = {"articles:series": Series, "authors:detail": Author, "articles:tag": Tag}
        found = model[match.view_name].objects.filter(slug=kwargs["slug"])
    else:
        return None
    return found.first()


def target_fields(page):
    """{article: …, series: None, …}: the foreign keys of a redirect to `page`."""
    kinds = {Article: "article", Series: "series", Author: "author", Tag: "tag"}
    kind = kinds.get(type(page)._meta.concrete_model) if page is not None else None
    return {name: page if name == kind else None for name in TARGETS}


def plan(old_path, to=None, new_path="", status=Redirect.Status.MOVED):
    """(old_path, to, new_path) as point() will store them, in one hop: an address that is a
    page of the site becomes that page (so the redirect follows it when it moves), and an
    address that is itself redirected becomes where that leads. ValidationError for a loop
    or an address that is none."""
    old_path = clean_path(old_path)
    if status == Redirect.Status.GONE:
        to, new_path = None, ""
    elif to is None and new_path.startswith("/"):
        new_path = clean_path(new_path)
        to = page_at(new_path)
        onward = Redirect.objects.filter(old_path=new_path).first() if to is None else None
        if onward is not None:
            to, new_path = onward.target(), onward.new_path
    if to is not None:
        new_path = ""
    redirect = Redirect(old_path=old_path, new_path=new_path, status=status, **target_fields(to))
    redirect.clean()
    destination = redirect.destination()
    destination = destination and urlsplit(destination).path
    if destination == old_path:
        raise ValidationError(_("%(path)s would lead to itself.") % {"path": old_path})
    if destination and Redirect.objects.filter(new_path=old_path, old_path=destination).exists():
        raise ValidationError(
            _("%(path)s would lead back to where it starts: a loop.") % {"path": old_path}
        )
    return old_path, to, new_path


@transaction.atomic
def point(old_path, *, to=None, new_path="", status=Redirect.Status.MOVED, source="manual"):
    """Makes `old_path` lead to the page `to` or the address `new_path` (or nowhere: 410), as
    plan() says, and the redirects that led to `old_path` lead there too. Returns
    (redirect, outcome): "created", "updated" or "unchanged"."""
    old_path, to, new_path = plan(old_path, to, new_path, status)
    redirect = Redirect.objects.select_for_update().filter(old_path=old_path).first()
    if redirect is None:
        redirect, outcome = Redirect(old_path=old_path, source=source), "created"
    elif (redirect.target(), redirect.new_path, redirect.status) == (to, new_path, status):
        return redirect, "unchanged"
    else:
        outcome = "updated"
    for name, value in target_fields(to).items():
        setattr(redirect, name, value)
    redirect.new_path, redirect.status = new_path, status
    redirect.save()
    chained = Redirect.objects.filter(new_path=old_path)
    chained.update(new_path=new_path, status=status, **target_fields(to))
    return redirect, outcome


def moved(old_path, page):
    """A page of the site left `old_path` for its new address (a changed number, series or
    slug): the old address leads there. Nothing stays redirected from where it lives now."""
    with translation.override(language_of(old_path)):
        new_path = page.get_absolute_url()
    Redirect.objects.filter(old_path=new_path).delete()
    if old_path != new_path:
        point(old_path, to=page, source=Redirect.Source.MOVED)


def address_moved(old_path, new_path):
    """An address that is no page of its own (a feed) left `old_path` for `new_path`."""
    Redirect.objects.filter(old_path=new_path).delete()
    if old_path != new_path:
        point(old_path, new_path=new_path, source=Redirect.Source.MOVED)


def old_address(address, article):
    """The old site's address of an imported commentary leads to it. Returns what the
    import's report says of it (the page is imported even if the address is refused)."""
    try:
        with transaction.atomic():
            redirect, _outcome = point(address, to=article, source=Redirect.Source.OLD_SITE)
    except ValidationError as error:
        return _("old address %(address)s not redirected: %(reason)s") % {
            "address": address,
            "reason": " ".join(error.messages),
        }
    return _("redirected from %(path)s") % {"path": redirect.old_path}


def find(path):
    """The redirect for a request's path (with or without its final slash), or None."""
    other = path[:-1] if path.endswith("/") else path + "/"
    found = Redirect.objects.filter(old_path__in=[path, other]).select_related(*TARGETS)
    return min(found, key=lambda redirect: redirect.old_path != path, default=None)


def leads_to_public(redirect):
    """A redirect to a commentary is followed only while the public may read it: no
    address of a draft, a scheduled or a trashed piece is ever told. That holds for one
    named by its address, too (a piece made there after the redirect was)."""
    article = redirect.article
    if article is None and redirect.new_path.startswith("/"):
        page = page_at(redirect.new_path)
        article = page if isinstance(page, Article) else None
    return article is None or article.is_published()


def count_hit(redirect):
    Redirect.objects.filter(pk=redirect.pk).update(hits=F("hits") + 1, last_hit=timezone.now())


def log_not_found(path):
    if len(path) > MAX_PATH:
        return
    now = timezone.now()
    if NotFound.objects.filter(path=path).update(hits=F("hits") + 1, last_seen=now):
        return
    try:
        with transaction.atomic():
            NotFound.objects.create(path=path)
    except IntegrityError:  # logged by another request meanwhile
        NotFound.objects.filter(path=path).update(hits=F("hits") + 1, last_seen=now)


def prune_not_found(keep_days):
    """Forgets the addresses nobody has asked for in `keep_days`; returns how many."""
    before = timezone.now() - timedelta(days=keep_days)
    deleted, _kinds = NotFound.objects.filter(last_seen__lt=before).delete()
    return deleted
