from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest


def reject_nul_bytes(get_response):
    """A NUL byte has no place in a web address, and Postgres refuses it in any query: answer
    400 at the door rather than 500 deep inside whichever view meets it first."""

    def middleware(request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest("Bad request: NUL byte in the address.")
        return get_response(request)

    return middleware


def refuse_large_bodies(get_response):
    """Answer 413 from the declared Content-Length, before anything reads the body: a
    visitor who is not signed in as staff (the login form) may send a few kilobytes, staff an
    image upload. (DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields only, never files.)"""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest("Bad request: invalid Content-Length.")
        if length > settings.ANONYMOUS_REQUEST_MAX_BYTES and (
            length > settings.REQUEST_MAX_BYTES or not request.user.is_staff
        ):
            return HttpResponse("Request body too large.", status=413, content_type="text/plain")
        return get_response(request)

    return middleware
