from django.http import HttpResponseBadRequest


def reject_nul_bytes(get_response):
    """A NUL byte has no place in a web address, and Postgres refuses it in any query: answer
    400 at the door rather than 500 deep inside whichever view meets it first."""

    def middleware(request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest("Bad request: NUL byte in the address.")
        return get_response(request)

    return middleware
