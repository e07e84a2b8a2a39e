"""Hooks for django-axes, the login throttle (settings: AXES_*)."""

from django.conf import settings

# AccessAttempt.username is a varchar(255). Axes truncates the user agent and path it
# records but not the username, so a long one is a DataError (a 500) on PostgreSQL.
USERNAME_MAX_LENGTH = 255


def attempted_username(request, credentials):
    """The username a login attempt was for, as axes records and counts it."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = request.POST.get(field) if request.method == "POST" else None
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]


def client_ip(request):
    """The address axes counts failures against.

    Behind TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For, the client is
    that many entries from the right (entries further left are whatever the client sent).
    With no trusted proxies it is the connection's own address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
