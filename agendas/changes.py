"""What follows every write to the content, whichever path the write takes.

Three things are derived from content rows and must never go stale:
- rendered Markdown (the `<field>_html` columns of MarkdownFields models), rendered before
  the row is written;
- stored scores (agendas/scoring.py), recomputed after ratings or criteria change;
- cached pages (agendas/cache/), made stale after any content change.

The paths, and how each is covered:
- Model.save() and delete(), including loaddata's raw saves and simple-history's revert:
  pre_save, post_save and post_delete receivers, connected from AgendasConfig.ready() for
  every model of the app (from the app registry) and taggit's tags;
- many-to-many changes: m2m_changed on every through model of those models;
- QuerySet.update(), bulk_create(), bulk_update() and bulk delete(): ContentQuerySet
  (agendas/querysets.py) reports them through bulk_write(); taggit's Tag, whose manager is
  taggit's own, gets a QuerySet class that is also a ContentQuerySet at start-up;
- migrations, whose historical models send none of the above: a post_migrate receiver;
- management commands use the ORM, so the paths above; long ones wrap their work in
  batch() so that scores and the cache are updated once, at the end.

Raw SQL is the one path not covered: anything writing SQL by hand must call
content_changed() itself.
"""

import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.apps import AppConfig, apps
from django.db import models
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from agendas import querysets, scoring
from agendas.cache.generation import bump_after_write
from agendas.markdown import render_markdown

ALL = None  # every agenda's scores


class _Pending(threading.local):
    """Score updates and a cache bump waiting for the outermost batch() to end."""

    def __init__(self) -> None:
        self.depth = 0
        self.agenda_ids: set[int] = set()
        self.all_agendas = False
        self.bump = False
        self.using: str | None = None


_pending = _Pending()


@contextmanager
def batch() -> Iterator[None]:
    """Within this block, writes only note what must follow; it happens once, at the end."""
    _pending.depth += 1
    try:
        yield
    finally:
        _pending.depth -= 1
        if _pending.depth == 0:
            _flush()


def content_changed(
    using: str | None = None, agenda_ids: Iterable[int] = (), all_agendas: bool = False
) -> None:
    """Content changed: update the scores of these agendas (all of them with
    all_agendas) and make cached pages stale, now or at the end of the current batch."""
    _pending.bump = True
    _pending.using = using
    _pending.agenda_ids.update(agenda_ids)
    _pending.all_agendas |= all_agendas
    if _pending.depth == 0:
        _flush()


def _flush() -> None:
    agenda_ids, all_agendas = _pending.agenda_ids, _pending.all_agendas
    _pending.agenda_ids, _pending.all_agendas = set(), False
    if all_agendas or agenda_ids:
        # Storing scores is itself a write: it only notes a bump, which is made below.
        _pending.depth += 1
        try:
            scoring.recompute(ALL if all_agendas else agenda_ids)
        finally:
            _pending.depth -= 1
    if _pending.bump:
        bump_after_write(_pending.using)
    _pending.bump, _pending.using = False, None


# -- what a write affects -----------------------------------------------------------------


def _scores_affected(
    model: type[models.Model],
    instances: Iterable[Any] = (),
    queryset: "models.QuerySet[Any] | None" = None,
) -> tuple[set[int], bool]:
    """(agenda ids, all agendas?) whose scores a write to these rows can change."""
    name = model._meta.label
    if name == "agendas.Criterion":
        return set(), True
    if name != "agendas.Rating":
        return set(), False
    ids = {instance.agenda_id for instance in instances}
    ids.update(getattr(instance, "_loaded_agenda_id", None) for instance in instances)
    if queryset is not None:
        ids.update(queryset.values_list("agenda_id", flat=True))
    ids.discard(None)
    return ids, False


def render_markdown_fields(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    instance.render_markdown_fields()


def _after_save_or_delete(
    sender: type[models.Model], instance: Any, using: str | None = None, **kwargs: Any
) -> None:
    ids, everything = _scores_affected(sender, [instance])
    content_changed(using, ids, everything)


def _after_m2m_change(
    sender: type[models.Model], action: str, using: str | None = None, **kwargs: Any
) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed(using)


def _after_migrate(sender: AppConfig, using: str | None = None, **kwargs: Any) -> None:
    # Data migrations write through historical models, which send no signals of ours.
    if sender.name == "agendas":
        content_changed(using, all_agendas=True)


class _BulkWrite:
    def __init__(self, fields: list[str] | None) -> None:
        self.fields = fields


@contextmanager
def bulk_write(
    queryset: "models.QuerySet[Any]",
    update: dict[str, Any] | None = None,
    objs: Sequence[Any] | None = None,
    fields: Iterable[str] | None = None,
) -> Iterator[_BulkWrite]:
    """Around a bulk write by a ContentQuerySet: render Markdown into what is written, then
    note the scores and pages it affects."""
    model = queryset.model
    markdown = getattr(model, "markdown_fields", ())
    write = _BulkWrite(list(fields) if fields is not None else None)
    rerender = False
    if markdown and update is not None:
        rerender = _render_into_update(markdown, update)
    if markdown and objs is not None:
        for obj in objs:
            obj.render_markdown_fields()
        if write.fields is not None and set(write.fields) & set(markdown):
            write.fields += [f"{name}_html" for name in markdown if name in write.fields]
    ids, everything = _scores_affected(model, objs or (), queryset if objs is None else None)
    if update is not None and ids is not None and update.keys() & {"agenda", "agenda_id"}:
        moved_to: Any = update.get("agenda_id", update.get("agenda"))
        ids.add(getattr(moved_to, "pk", moved_to))
    with batch():
        rerender_pks = list(queryset.values_list("pk", flat=True)) if rerender else []
        yield write
        if rerender_pks:
            rows = list(model._base_manager.filter(pk__in=rerender_pks))
            for row in rows:
                row.render_markdown_fields()
            model._base_manager.bulk_update(rows, [f"{name}_html" for name in markdown])
        content_changed(queryset.db, ids, everything)


def _render_into_update(markdown: Iterable[str], update: dict[str, Any]) -> bool:
    """Add the rendered HTML of Markdown fields set to plain values; True when some field
    is set to an expression, whose rows must be rendered after the update."""
    needs_rows = False
    for name in markdown:
        if name not in update:
            continue
        value = update[name]
        if isinstance(value, str):
            update[f"{name}_html"] = render_markdown(value)
        else:
            needs_rows = True
    return needs_rows


# -- wiring ---------------------------------------------------------------------------------


def watched_models() -> list[type[models.Model]]:
    """Every model whose rows pages show: the app's own (from the registry, so a new model
    cannot be missed) and taggit's tags. tests/test_caching.py derives the models every
    public page reads from its SQL and fails when one is missing here."""
    return [*apps.get_app_config("agendas").get_models(), *third_party_models()]


def third_party_models() -> list[type[models.Model]]:
    return [apps.get_model("taggit", "Tag")]


def _report_bulk_writes(model: type[models.Model]) -> None:
    """Make the default manager of another app's model hand out ContentQuerySets, so its
    update() and bulk writes report themselves like ours. The manager keeps its own methods
    (taggit's natural keys); only a plain QuerySet is replaced, so nothing of the other
    app's is lost (tests/test_caching.py checks it took)."""
    manager: Any = model._default_manager
    if manager._queryset_class is QuerySet:
        manager._queryset_class = querysets.ContentQuerySet


def connect() -> None:
    """Connect the receivers. Idempotent (dispatch_uid); called from AgendasConfig.ready()."""
    querysets.report_writes_to(sys.modules[__name__])
    for model in watched_models():
        label = model._meta.label
        if getattr(model, "markdown_fields", ()):
            pre_save.connect(render_markdown_fields, sender=model, dispatch_uid=f"md-{label}")
        post_save.connect(_after_save_or_delete, sender=model, dispatch_uid=f"saved-{label}")
        post_delete.connect(_after_save_or_delete, sender=model, dispatch_uid=f"deleted-{label}")
        for field in model._meta.local_many_to_many:
            through: Any = field.remote_field.through
            m2m_changed.connect(
                _after_m2m_change, sender=through, dispatch_uid=f"m2m-{through._meta.label}"
            )
    for model in third_party_models():
        _report_bulk_writes(model)
    post_migrate.connect(_after_migrate, dispatch_uid="content-after-migrate")
