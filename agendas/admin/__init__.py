"""The Django admin: every model, moderation of critiques, history with revert.

Modules by idea: ``base`` (shared rules: history, who may delete, revert guard),
``catalogue`` (reference rows: areas, problems, sources, ...), ``agendas`` (agendas and
what hangs off them), ``critiques`` (submission and moderation).
"""

from agendas.admin import agendas, catalogue, critiques  # noqa: F401  (registers the admins)
