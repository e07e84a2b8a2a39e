"""Agendas and what hangs off them: aliases, assumptions, reliances, ratings."""

from django import forms
from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from agendas.admin.base import (
    BaseAdmin,
    HardenedInline,
    UserWrittenAdmin,
    can_moderate,
)
from agendas.models import (
    Agenda,
    AgendaAlias,
    Assumption,
    AssumptionAlias,
    Critique,
    Rating,
    Reliance,
)
from agendas.querysets import count_of
from agendas.templatetags.agenda_tags import score as score_text


class RelianceInline(HardenedInline, admin.TabularInline):
    model = Reliance
    extra = 0
    autocomplete_fields = ["assumption", "source"]
    fields = ["assumption", "load", "reason", "source"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class RatingInline(HardenedInline, admin.TabularInline):
    model = Rating
    extra = 0
    autocomplete_fields = ["criterion", "assessor", "source"]
    fields = ["criterion", "assessor", "score", "confidence", "rationale", "source", "date"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class AliasInline(HardenedInline, admin.TabularInline):
    model = AgendaAlias
    extra = 0


class AssumptionAliasInline(HardenedInline, admin.TabularInline):
    """Other wordings (the Shallow Review's, say) the importer merges into this assumption:
    an imported statement that equals an alias or starts with it is this assumption."""

    model = AssumptionAlias
    extra = 0


class AgendaForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The database refuses undated people (agenda_people_dated); say which field to fill.
        if cleaned.get("people") and not cleaned.get("people_as_of"):
            self.add_error("people_as_of", "Say when these people were known to work on it.")
        return cleaned


@admin.register(Agenda)
class AgendaAdmin(UserWrittenAdmin):
    list_display = [
        "name",
        "area",
        "status",
        "broad_approach",
        "target_case",
        "supervision",
        "published_critiques",
        "critiques_awaiting_review",
        "rating_count",
        "overall_score_shown",
    ]
    list_select_related = ["area"]
    list_filter = [
        "status",
        ("area", admin.RelatedOnlyFieldListFilter),
        "broad_approach",
        "target_case",
        "supervision",
        "problems",
    ]
    search_fields = ["name", "slug", "summary", "people", "aliases__name", "tags__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        *["area", "parent", "problems", "organisations", "sources"],
        *["fte_source", "status_source", "people_source"],
    ]
    readonly_fields = ["critique_links", "overall_score_shown", "disagreement"]
    form = AgendaForm
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "area", "parent", "tags"]}),
        ("Status", {"fields": ["status", "status_as_of", "status_source"]}),
        ("What it is", {"fields": ["description", "theory_of_change", "funders"]}),
        (
            "Classification",
            {"fields": ["broad_approach", "target_case", "supervision", "problems"]},
        ),
        (
            "Who works on it",
            {"fields": ["people", "organisations", "people_as_of", "people_source"]},
        ),
        ("How many", {"fields": ["fte_low", "fte_high", "fte_text", "fte_source", "fte_date"]}),
        ("Sources", {"fields": ["sources"]}),
        (
            "Scores",
            {
                "fields": ["overall_score_shown", "disagreement"],
                "description": "Computed from the ratings below whenever they change; "
                "pages and exports show these same numbers.",
            },
        ),
        ("Critiques", {"fields": ["critique_links"]}),
    ]
    inlines = [AliasInline, RelianceInline, RatingInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_moderate(request.user):
            return fieldsets
        # The list names every critique, undecided ones included: moderators only.
        return [fieldset for fieldset in fieldsets if fieldset[0] != "Critiques"]

    def get_queryset(self, request):
        awaiting = {"status": "submitted"}
        if not can_moderate(request.user):
            # A contributor sees their own drafts only: others' are none of their business.
            awaiting["submitted_by"] = request.user
        return (
            super()
            .get_queryset(request)
            .annotate(
                published_critique_count=count_of(Critique, "agenda", status="published"),
                submitted_critique_count=count_of(Critique, "agenda", **awaiting),
                rating_count=count_of(Rating, "agenda"),
            )
        )

    @admin.display(description="published critiques", ordering="published_critique_count")
    def published_critiques(self, obj):
        return obj.published_critique_count

    @admin.display(description="awaiting review", ordering="submitted_critique_count")
    def critiques_awaiting_review(self, obj):
        return obj.submitted_critique_count

    @admin.display(description="ratings", ordering="rating_count")
    def rating_count(self, obj):
        return obj.rating_count

    @admin.display(description="overall score", ordering=F("overall_score").asc(nulls_first=True))
    def overall_score_shown(self, obj):
        # The stored score (agendas/scoring.py), formatted as the public pages format it.
        if obj.overall_score is None:
            return "not rated"
        return f"{score_text(obj.overall_score)} ({obj.get_score_confidence_display().lower()})"

    @admin.display(description="critiques of this agenda")
    def critique_links(self, obj):
        if obj.pk is None:
            return "–"
        critiques = obj.critiques.only("pk", "title", "status").order_by("status", "title")
        if not critiques:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:agendas_critique_change", args=[critique.pk]),
                        critique.title,
                        critique.get_status_display(),
                    )
                    for critique in critiques
                ),
            ),
        )


@admin.register(AgendaAlias)
class AgendaAliasAdmin(BaseAdmin):
    list_display = ["name", "agenda"]
    list_select_related = ["agenda"]
    search_fields = ["name", "agenda__name"]
    autocomplete_fields = ["agenda"]


@admin.register(Assumption)
class AssumptionAdmin(UserWrittenAdmin):
    list_display = ["statement", "slug", "reliance_count", "published_critique_count"]
    search_fields = ["statement", "slug", "description"]
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["source"]
    inlines = [AssumptionAliasInline, RelianceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                reliance_count=count_of(Reliance, "assumption"),
                published_critique_count=count_of(Critique, "assumption", status="published"),
            )
        )

    @admin.display(description="agendas resting on it", ordering="reliance_count")
    def reliance_count(self, obj):
        return obj.reliance_count

    @admin.display(description="published critiques", ordering="published_critique_count")
    def published_critique_count(self, obj):
        return obj.published_critique_count


@admin.register(Reliance)
class RelianceAdmin(UserWrittenAdmin):
    list_display = ["agenda", "assumption", "load"]
    list_select_related = ["agenda", "assumption"]
    list_filter = ["load"]
    search_fields = ["agenda__name", "assumption__statement", "reason"]
    autocomplete_fields = ["agenda", "assumption", "source"]


@admin.register(Rating)
class RatingAdmin(UserWrittenAdmin):
    list_display = ["agenda", "criterion", "assessor", "score", "confidence", "date"]
    list_select_related = ["agenda", "criterion", "assessor"]
    list_filter = ["score", "confidence", "criterion", "assessor"]
    search_fields = ["agenda__name", "criterion__name", "assessor__name", "rationale"]
    autocomplete_fields = ["agenda", "criterion", "assessor", "source"]
    date_hierarchy = "date"
