"""gunicorn's settings, for `make serve` and production alike:

    gunicorn --config python:config.gunicorn config.wsgi --bind 0.0.0.0:8000

Command-line options and GUNICORN_CMD_ARGS still override what is set here. gunicorn itself
reads FORWARDED_ALLOW_IPS: the addresses of the proxies whose X-Forwarded-* headers it
trusts (README, "Deploying").
"""

import os

from gunicorn.http import wsgi

from config.env import env_int

workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)
# Recycle workers now and then, so a slow leak in any library cannot grow without bound.
max_requests = 10_000
max_requests_jitter = 1_000


def _without_server_header(default_headers):
    def headers(response):
        return [line for line in default_headers(response) if not line.startswith("Server:")]

    return headers


# gunicorn has no setting for its `Server: gunicorn` banner, which tells a visitor what to
# attack; this drops it from every response (the workers are forked after this runs).
wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
