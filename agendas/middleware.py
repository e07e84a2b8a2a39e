from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string

# Longer query strings than any page needs are refused before any view runs.
MAX_QUERY_STRING = 4096


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503 instead of a 500 traceback while the database is unreachable.

    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the site recovers by
    itself when the database comes back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            type(exception) is DatabaseError
        ):
            return unavailable_response()
        return None


def unavailable_response():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class MalformedAddressMiddleware:
    """Refuse addresses no page can use with a clear 400, before any view runs.

    Absurdly long query strings are not parsed, and NUL characters never reach the database
    (PostgreSQL refuses them in text, which would otherwise surface as a 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = address_problem(request)
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)


def address_problem(request: HttpRequest) -> str | None:
    """What makes the address unusable, in words, or None when nothing does."""
    query_string = request.META.get("QUERY_STRING", "")
    if len(query_string) > MAX_QUERY_STRING:
        return f"The address is too long (over {MAX_QUERY_STRING} characters)."
    if "\x00" in request.path or "%00" in query_string or "\x00" in query_string:
        return "The address contains a NUL character."
    return None


def bad_request(request, message):
    return HttpResponse(render_to_string("400.html", {"message": message}, request), status=400)


CSRF_MESSAGE = (
    "The form could not be accepted: it may have been open too long, or your browser may be "
    "blocking cookies for this site. Reload the page and try again."
)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's 403 page with what to do next; `reason` is for
    developers and stays out of the page."""
    return HttpResponseForbidden(render_to_string("403.html", {"message": CSRF_MESSAGE}, request))
