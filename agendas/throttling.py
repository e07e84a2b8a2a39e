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
