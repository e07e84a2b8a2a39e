#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's tool: without DEBUG in the environment it runs in
    # development mode, so `manage.py createsuperuser` works straight after `make run`.
    # Production sets DEBUG=0 (and SECRET_KEY) explicitly; gunicorn (config/wsgi.py) has
    # no such default and stays secure.
    os.environ.setdefault("DEBUG", "1")
    # Migrations, imports and the demo data may run statements longer than a web request
    # may (config/settings.py); set DATABASE_STATEMENT_TIMEOUT to bound them too.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
