from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.security import client_address

from .counting import count, first_today, is_bot


@csrf_exempt  # nothing of the reader's is read or changed, and no cookie is set
@require_POST
def read(request, pk):
    """The beacon of static/js/reads.js: 204 whatever happens, counted for a reader on this
    site (the browser says the request is same-origin) who is neither a robot nor staff
    (signed in: editors reading their own pieces are not readers), once a day per piece."""
    same_site = request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    staff = settings.SESSION_COOKIE_NAME in request.COOKIES
    reader = same_site and not staff and not is_bot(request.headers.get("User-Agent"))
    if reader and first_today(client_address(request), pk):
        count(pk)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    response.sets_no_cookie = True  # not even the replicas' pin (thinktank.routers)
    return response
