"""One JSON line per request, saying which server and which request did what: method, path,
status, time taken, and which databases answered how many queries.

The request id comes from the load balancer's X-Request-ID when it sends a sane one, so a
line can be followed from the balancer to the app; otherwise one is made. Either way the
response carries it back.
"""

import json
import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.db import connections

from .health import SERVER_ID

logger = logging.getLogger("thinktank.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def counter(queries, alias):
    def count(execute, sql, params, many, context):
        queries[alias] = queries.get(alias, 0) + 1
        return execute(sql, params, many, context)

    return count


def request_log(get_response):
    def middleware(request):
        request_id = request.headers.get("X-Request-ID", "")
        if not REQUEST_ID.fullmatch(request_id):
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        queries = {}
        start = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter(queries, alias)))
            response = get_response(request)
        log_line(request, response, start, queries)
        return response

    return middleware


def log_line(request, response, start, queries):
    """The request's line, and its id on the response (also for pages the page cache
    answers before this middleware: core.pagecache)."""
    request_id = getattr(request, "request_id", None)
    if request_id is None:
        request_id = request.headers.get("X-Request-ID", "")
        if not REQUEST_ID.fullmatch(request_id):
            request_id = uuid.uuid4().hex
    response["X-Request-ID"] = request_id
    line = {
        "server": SERVER_ID,
        "request_id": request_id,
        "method": request.method,
        "path": request.get_full_path(),
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
        "db": queries,
    }
    logger.info(json.dumps(line, ensure_ascii=False))
