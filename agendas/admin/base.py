"""Rules every admin page shares: who may delete, revert guards, and input that can never
give a 500.

Django's admin, and simple-history's views on top of it, trust some input that comes
straight from a URL or a form. Each entry point below checks it against one definition,
`checked_pk()`: a primary key is valid when the model's pk field accepts it and the
database can store it (integer fields carry the backend's range as validators).

- Object ids in URLs: Django's own change, delete and history views look objects up
  through ModelAdmin.get_object(), which already answers a bad id as "not found".
  simple-history's history and revert views do not (a ValueError for /critique/abc/history/):
  UserWrittenAdmin checks both ids and answers 404.
- Foreign keys in forms: a form re-rendered with an invalid value makes Django's
  autocomplete widget query `pk__in=[value]` unchecked (ValueError for "abc", OverflowError
  on SQLite for 20 digits). The widgets here drop values that are not valid keys first.
- Action selections: Django filters `pk__in=selected` unchecked; HardenedAdmin drops
  selected ids that are not valid keys before the action sees them.
- Changelist filters: Django accepts any lookup on a local field (`?name__regex=(`,
  `?fte_low__in=<20 digits>`) and fails in the database; a date hierarchy year past 9999
  raises OverflowError. StrictFilters (mixed into every admin's ChangeList) accepts only
  what the declared filters and the date hierarchy read, and answers anything else with
  the admin's "invalid filter" redirect.

Every registered ModelAdmin gets HardenedAdmin, other apps' included (harden_site()).
"""

from functools import cache

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from agendas.models import Source


def can_moderate(user):
    """Editors (and superusers): may publish or reject critiques and see undecided ones."""
    return user.has_perm("agendas.moderate_critique")


def checked_pk(field, raw):
    """The value `raw` names in `field` (a primary key or a to_field), or None when the field
    could never hold it: not a value of its type, or out of the database's range."""
    try:
        value = field.to_python(raw)
        field.run_validators(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None
    return value


def pk_or_404(model, raw):
    if checked_pk(model._meta.pk, raw) is None:
        raise Http404(f"There is no {model._meta.verbose_name} with that id.")


# -- form input -----------------------------------------------------------------------------


class _ValidKeysOnly:
    """Autocomplete widget that drops selected values which are not valid keys of the
    target model before Django looks them up (the form shows its own error for them)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = getattr(remote, "field_name", None)  # foreign keys; many-to-many use the pk
        target = remote.model._meta.get_field(to_field) if to_field else remote.model._meta.pk
        empty = self.choices.field.empty_values
        value = [v for v in value if v in empty or checked_pk(target, v) is not None]
        return super().optgroups(name, value, attr)


class AutocompleteSelect(_ValidKeysOnly, admin_widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_ValidKeysOnly, admin_widgets.AutocompleteSelectMultiple):
    pass


UNAPPROVED_SOURCE = (
    "Select a valid choice. A source that awaits an editor's approval can be cited here only "
    "once approved (Sources, action “Approve selected sources”); until then only critiques "
    "may cite it."
)


class ValidFormInput:
    """For ModelAdmins and inlines: autocomplete widgets that survive any submitted value,
    and sources cited only once public.

    A contributor's new source stays off the public site until an editor approves it or a
    published critique cites it (Source.objects.public()). Critiques may cite it before
    (CritiqueAdmin sets cites_unapproved_sources); every other form offers and accepts only
    public sources, so nothing else can put an unapproved source on a page.
    """

    cites_unapproved_sources = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return self._public_sources_only(
            db_field, super().formfield_for_foreignkey(db_field, request, **kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return self._public_sources_only(
            db_field, super().formfield_for_manytomany(db_field, request, **kwargs)
        )

    def _public_sources_only(self, db_field, formfield):
        if db_field.related_model is not Source or formfield is None:
            return formfield
        if self.cites_unapproved_sources:
            return formfield
        formfield.queryset = formfield.queryset.public()
        formfield.error_messages["invalid_choice"] = UNAPPROVED_SOURCE
        return formfield


# -- changelists and actions ----------------------------------------------------------------


class StrictFilters:
    """A ChangeList that filters only by what its declared filters and date hierarchy read."""

    def get_filters(self, request):
        try:
            specs, has_filters, remaining, may_have_duplicates, active = super().get_filters(
                request
            )
        except (OverflowError, ValueError) as error:
            # A date-hierarchy year, month or day that datetime cannot hold (Django catches
            # only the ValueError of building the first date, not the overflow of the last).
            raise IncorrectLookupParameters(error) from error
        hierarchy = {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        unknown = set(remaining) - (hierarchy if self.date_hierarchy else set())
        if unknown:
            # Free-form ORM lookups (Django allows any on a local field) reach the database
            # unchecked; the admin's own links never make them.
            raise IncorrectLookupParameters(f"Unknown filters: {', '.join(sorted(unknown))}")
        return specs, has_filters, remaining, may_have_duplicates, active


@cache
def strict_changelist(changelist_class):
    return type(f"Strict{changelist_class.__name__}", (StrictFilters, changelist_class), {})


class HardenedAdmin(ValidFormInput):
    """Mixed into every registered ModelAdmin (harden_site()): checked filters and
    action selections. Object ids in Django's own views are already checked by
    get_object(); UserWrittenAdmin checks simple-history's."""

    def get_changelist(self, request, **kwargs):
        return strict_changelist(super().get_changelist(request, **kwargs))

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            valid = [raw for raw in selected if checked_pk(self.opts.pk, raw) is not None]
            if len(valid) != len(selected):
                # No row has such an id, so dropping it changes nothing but the crash.
                request.POST = request.POST.copy()
                request.POST.setlist(helpers.ACTION_CHECKBOX_NAME, valid)
        return super().changelist_view(request, extra_context)


class HardenedInline(ValidFormInput):
    """For inlines, which are not registered and so not reached by harden_site()."""


class BaseAdmin(HardenedAdmin, admin.ModelAdmin):
    pass


def harden_site(site):
    """Re-register every ModelAdmin of `site` that is not yet a HardenedAdmin (those of other
    apps: auth, taggit, axes) with HardenedAdmin mixed in, and HardenedInline into its
    inlines. Called once every app's admin module is imported; tests/test_admin_fuzz.py
    checks that none escaped."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, HardenedAdmin):
            continue
        admin_class = type(model_admin)
        inlines = [_mixed(HardenedInline, inline) for inline in admin_class.inlines]
        site.unregister(model)
        site.register(model, _mixed(HardenedAdmin, admin_class, inlines=inlines))


def _mixed(mixin, cls, **attrs):
    if issubclass(cls, mixin):
        return cls
    return type(cls.__name__, (mixin, cls), {"__module__": cls.__module__, **attrs})


# -- history ----------------------------------------------------------------------------------


class UserWrittenAdmin(HardenedAdmin, SimpleHistoryAdmin):
    """Admin for content people wrote: edits are kept as history; only superusers delete.

    simple-history lets whoever may *view* an object open a past version, and its form view
    saves on POST without asking for the change permission. We close that: reverting (a POST
    to the version form) needs the change permission on the current row, and only superusers
    may bring back a deleted row. Its views look ids up unchecked, so bad ones answer 404 here.
    """

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def history_view(self, request, object_id, extra_context=None):
        # Who may open no row of the model is refused whatever the id; a row outside what
        # the user may open answers as a missing one does, so ids tell nothing.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        pk_or_404(self.model, unquote(object_id))
        if self.get_object(request, unquote(object_id)) is None and not request.user.is_superuser:
            raise Http404("There is no such object that you can open.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk_or_404(self.model, unquote(object_id))
        pk_or_404(self.model.history.model, unquote(version_id))
        current = self.get_object(request, unquote(object_id))
        if current is None and not request.user.is_superuser:
            raise Http404("There is no such object that you can open.")
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        # Saved in one transaction, as Django's own change form is (a form's checks may lock
        # the row they check until the save: CritiqueForm).
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)
