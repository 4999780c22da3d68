from django.core.signing import BadSignature
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Series

from . import links, subscriptions, throttle
from .forms import PreferencesForm, SubscribeForm, consent_text


# csrf_exempt: the form is on every public page, and public pages are cached whole for
# anonymous readers (core.pagecache), so it cannot carry a per-reader CSRF token. A forged
# post can do no more than a real one: ask for a confirmation mail, which changes nothing until
# the address's owner follows the signed link in it. Against floods, requests are throttled
# per client and confirmation mails per address, and the answer is the same whatever the
# address (subscribed, suppressed, throttled or new), so nothing about it can be learnt.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        return page(request, SubscribeForm(), sent=request.GET.get("sent") == "1")
    if not throttle.client_allowed(request):
        return page(request, SubscribeForm(request.POST), status=429, throttled=True)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return page(request, form, status=400)
    newsletters = list(form.newsletters())
    if newsletters:
        subscriptions.ask(form.cleaned_data["email"], newsletters, request.LANGUAGE_CODE)
    return redirect(request.path + "?sent=1", permanent=False)


def page(request, form, status=200, **context):
    series = Series.objects.filter(newsletters__active=True).distinct()
    context.update(form=form, series_choices=series)
    return render(request, "newsletters/subscribe.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """A page with a button, not a confirmation on GET: mail scanners follow links."""
    try:
        data = links.read_confirmation(token)
    except BadSignature:  # expired too
        return render(request, "newsletters/confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        subscriber = subscriptions.confirm(data)
        return redirect("newsletters:preferences", token=links.subscriber_token(subscriber))
    context = {"email": data["e"], "consent": consent_text()}
    return render(request, "newsletters/confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber = subscriptions.subscriber_for(token)
    if subscriber is None:
        raise Http404(_("This link is not valid."))
    form = PreferencesForm(initial={"newsletters": subscriber.newsletters.all()})
    saved = False
    if request.method == "POST":
        if "unsubscribe" in request.POST:
            subscriptions.unsubscribe(subscriber)
            subscriber.refresh_from_db()
            saved = True
        else:
            form = PreferencesForm(request.POST)
            if form.is_valid():
                subscriptions.keep(subscriber, form.cleaned_data["newsletters"])
                saved = True
    context = {"subscriber": subscriber, "form": form, "saved": saved}
    return render(request, "newsletters/preferences.html", context)


# RFC 8058: mail providers post here when a reader presses their "unsubscribe" button, with
# no cookie, no CSRF token and no page to click through; the signed link is the authority.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = subscriptions.subscriber_for(token)
    if subscriber is None:
        raise Http404(_("This link is not valid."))
    if request.method != "POST":
        return redirect("newsletters:preferences", token=token)
    subscriptions.unsubscribe(subscriber)
    return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
