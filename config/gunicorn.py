"""gunicorn's settings, for `make serve` and production alike:

    gunicorn --config python:config.gunicorn config.wsgi --bind 0.0.0.0:8000

Command-line options and GUNICORN_CMD_ARGS still override what is set here.
FORWARDED_ALLOW_IPS, the addresses of the proxies whose X-Forwarded-* headers gunicorn
trusts, counts only with TRUST_X_FORWARDED_PROTO on (README, "Deploying").
"""

import os

from gunicorn.http import wsgi

from config.env import env_bool, env_int

# gunicorn takes a request as https when a trusted address sends X-Forwarded-Proto: https,
# and by default it trusts this host. Trust nobody unless the site is told it sits behind a
# proxy that sets the header (TRUST_X_FORWARDED_PROTO): otherwise anything on this host could
# pass plain HTTP off as HTTPS.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    if env_bool("TRUST_X_FORWARDED_PROTO", False)
    else ""
)
workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)
# Recycle workers now and then, so a slow leak in any library cannot grow without bound.
max_requests = 10_000
max_requests_jitter = 1_000
# gunicorn 27's runtime control socket is one fixed path per user, shared by every instance
# on the host (two sites, or the benchmark next to `make serve`); nothing here uses it.
control_socket_disable = True


def _without_server_header(default_headers):
    def headers(response):
        return [line for line in default_headers(response) if not line.startswith("Server:")]

    return headers


# gunicorn has no setting for its `Server: gunicorn` banner, which tells a visitor what to
# attack; this drops it from every response (the workers are forked after this runs).
wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
