"""Reference rows the agendas point at: areas, problems, sources, organisations, figures,
the rubric (criteria) and the assessors who apply it."""

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import ngettext
from simple_history.models import HistoricalChanges

from agendas.admin.base import BaseAdmin, HardenedInline, can_moderate
from agendas.models import (
    Agenda,
    Area,
    AreaAlias,
    Assessor,
    Criterion,
    Critique,
    Figure,
    Organisation,
    Problem,
    Rating,
    Source,
)
from agendas.querysets import count_of


class AreaAliasInline(HardenedInline, admin.TabularInline):
    model = AreaAlias
    extra = 0
    verbose_name_plural = "other names (older Shallow Review sections, our earlier names)"


@admin.register(Area)
class AreaAdmin(BaseAdmin):
    list_display = ["name", "parent", "order", "agenda_count"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [AreaAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(agenda_count=count_of(Agenda, "area"))

    @admin.display(description="agendas", ordering="agenda_count")
    def agenda_count(self, obj):
        return obj.agenda_count


@admin.register(Problem)
class ProblemAdmin(BaseAdmin):
    list_display = ["number", "name", "agenda_count"]
    list_display_links = ["number", "name"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(agenda_count=count_of(Agenda.problems.through, "problem"))
        )

    @admin.display(description="agendas addressing it", ordering="agenda_count")
    def agenda_count(self, obj):
        return obj.agenda_count


class OrganisationForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The database refuses an undated description (organisation_description_dated).
        if cleaned.get("description") and not cleaned.get("as_of"):
            self.add_error("as_of", "Say when the description was last true.")
        return cleaned


class AssessorForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The database refuses a public rater without both (assessor_external_rule_and_caveats).
        if cleaned.get("kind") == Assessor.Kind.EXTERNAL:
            for name in ("mapping_rule", "caveats"):
                if not cleaned.get(name):
                    self.add_error(name, "A public rater's scores are shown with this: fill it in.")
        return cleaned


# Addresses typed without a scheme are taken as https (Django 6's default, opted into now).
HTTPS_URLS: "dict[type[models.Field[Any, Any]], dict[str, Any]]" = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Source)
class SourceAdmin(BaseAdmin):
    """A source a contributor adds is saved unapproved and stays off the public site until
    an editor approves it (the field, or the action) or a published critique cites it.
    Contributors see public sources and their own."""

    formfield_overrides = HTTPS_URLS
    list_display = ["title", "kind", "year", "authors", "url", "is_approved", "added_by"]
    list_select_related = ["added_by"]
    list_filter = ["is_approved", "kind", "year"]
    search_fields = ["title", "slug", "authors", "url"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["approve"]

    def get_queryset(self, request):
        sources = super().get_queryset(request)
        if can_moderate(request.user):
            return sources
        return sources.public() | sources.filter(added_by=request.user)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of a field other than a critique's offers public sources only,
        # the ones that field accepts (ValidFormInput).
        if _is_autocomplete(request) and request.GET.get("model_name") != "critique":
            queryset = queryset.public()
        return super().get_search_results(request, queryset, search_term)

    def get_readonly_fields(self, request, obj=None):
        return ["added_by"] if can_moderate(request.user) else ["is_approved", "added_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "is_approved" in form.base_fields and obj is not None:
            form.base_fields["is_approved"].validators = [_not_cited_outside_critiques(obj)]
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
            if not can_moderate(request.user):
                obj.is_approved = False
        super().save_model(request, obj, form, change)

    def has_moderate_permission(self, request):
        return can_moderate(request.user)

    @admin.action(description="Approve selected sources", permissions=["moderate"])
    def approve(self, request, queryset):
        approved = queryset.filter(is_approved=False).update(is_approved=True)
        self.message_user(
            request,
            ngettext("%d source approved.", "%d sources approved.", approved) % approved,
            messages.SUCCESS,
        )


def _is_autocomplete(request):
    return request.resolver_match is not None and request.resolver_match.url_name == "autocomplete"


def _not_cited_outside_critiques(source):
    """A validator for `is_approved`: a source that agendas, ratings or other rows cite is
    on public pages, so it cannot go back to unapproved."""

    def validate(approved):
        if approved:
            return
        citing = citations_outside_critiques(source)
        if citing:
            raise ValidationError(
                "Other content cites this source, so it stays approved: %(citing)s.",
                params={"citing": ", ".join(citing)},
            )

    return validate


def citations_outside_critiques(source):
    """Names of the models (other than critiques) with a row citing `source`, through any
    foreign key or many-to-many field to Source found in the app registry."""
    citing = []
    for model in apps.get_app_config("agendas").get_models():
        if model is Critique or issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.get_fields():
            cites = (field.many_to_one or field.many_to_many) and not field.auto_created
            if not cites or field.related_model is not Source:
                continue
            if model._default_manager.filter(**{field.name: source}).exists():
                citing.append(str(model._meta.verbose_name_plural))
                break
    return citing


@admin.register(Organisation)
class OrganisationAdmin(BaseAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "url", "as_of", "agenda_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]
    fields = ["name", "slug", "kind", "url", "description", "as_of", "source"]
    form = OrganisationForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(agenda_count=count_of(Agenda.organisations.through, "organisation"))
        )

    @admin.display(description="agendas", ordering="agenda_count")
    def agenda_count(self, obj):
        return obj.agenda_count


@admin.register(Figure)
class FigureAdmin(BaseAdmin):
    list_display = [
        "label",
        "kind",
        "organisation",
        "value_low",
        "value_high",
        "unit",
        "as_of",
        "disputed",
    ]
    list_display_links = ["label"]
    list_select_related = ["organisation"]
    list_filter = ["kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["label", "slug", "note", "dispute"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["organisation", "source"]
    date_hierarchy = "as_of"

    @admin.display(description="disputed", boolean=True)
    def disputed(self, obj):
        return obj.is_disputed


@admin.register(Criterion)
class CriterionAdmin(BaseAdmin):
    """The rubric. Editors may read it; only superusers change questions and weights."""

    list_display = ["name", "question", "weight", "order", "rating_count"]
    search_fields = ["name", "slug", "question"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rating_count=count_of(Rating, "criterion"))

    @admin.display(description="ratings", ordering="rating_count")
    def rating_count(self, obj):
        return obj.rating_count

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Assessor)
class AssessorAdmin(BaseAdmin):
    form = AssessorForm
    list_display = ["name", "kind", "user", "rating_count"]
    list_select_related = ["user"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "viewpoint"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source", "user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "viewpoint", "source", "user"]}),
        (
            "A public rater mapped onto our rubric",
            {
                "fields": ["mapping_rule", "caveats"],
                "description": "Required when the kind is a public rater. Readers see the "
                "rule on the assessor's scores, and the caveats wherever its scores appear.",
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Linking an assessor to a login is user management, which stays with superusers.
        return [] if request.user.is_superuser else ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rating_count=count_of(Rating, "assessor"))

    @admin.display(description="ratings", ordering="rating_count")
    def rating_count(self, obj):
        return obj.rating_count
