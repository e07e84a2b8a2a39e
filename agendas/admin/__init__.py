"""The Django admin: every model, moderation of critiques, history with revert.

Modules by idea: ``base`` (shared rules: history, who may delete, revert guard, input that
never gives a 500), ``catalogue`` (reference rows: areas, problems, sources, ...),
``agendas`` (agendas and what hangs off them), ``critiques`` (submission and moderation),
``shortcuts`` (the guarded /admin/r/ view).
"""

from django.contrib import admin

from agendas.admin import agendas, catalogue, critiques, suggestions  # noqa: F401  (registers)
from agendas.admin.base import harden_site

# "agendas" comes last in INSTALLED_APPS, so every other app's admin is registered by now.
harden_site(admin.site)
