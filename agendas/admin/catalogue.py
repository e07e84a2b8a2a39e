"""Reference rows the agendas point at: areas, problems, sources, organisations, figures,
the rubric (criteria) and the assessors who apply it."""

from django.contrib import admin
from django.db import models

from agendas.admin.base import BaseAdmin, count_of
from agendas.models import (
    Agenda,
    Area,
    Assessor,
    Criterion,
    Figure,
    Organisation,
    Problem,
    Rating,
    Source,
)


@admin.register(Area)
class AreaAdmin(BaseAdmin):
    list_display = ["name", "parent", "order", "agenda_count"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

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


# Addresses typed without a scheme are taken as https (Django 6's default, opted into now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Source)
class SourceAdmin(BaseAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "kind", "year", "authors", "url"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "slug", "authors", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Organisation)
class OrganisationAdmin(BaseAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "url", "agenda_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

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
    list_display = ["name", "kind", "user", "rating_count"]
    list_select_related = ["user"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "viewpoint"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source", "user"]

    def get_readonly_fields(self, request, obj=None):
        # Linking an assessor to a login is user management, which stays with superusers.
        return [] if request.user.is_superuser else ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rating_count=count_of(Rating, "assessor"))

    @admin.display(description="ratings", ordering="rating_count")
    def rating_count(self, obj):
        return obj.rating_count
