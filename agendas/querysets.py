"""QuerySets named for intent and for the page that uses them.

Templates never query: each page-shaped method returns rows with everything the
page shows already annotated or prefetched.
"""

from django.db import models
from django.db.models import Avg, Count, Prefetch, Q


class SlugQuerySet(models.QuerySet):
    """Rows that fixtures and exports name by slug (Django's natural keys)."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CritiqueQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status="published")

    def awaiting_review(self):
        return self.filter(status="submitted")

    def latest_published(self):
        return self.published().select_related("agenda", "source").order_by("-reviewed_at", "-pk")


class AssumptionQuerySet(SlugQuerySet):
    pass


class RatingQuerySet(models.QuerySet):
    def get_by_natural_key(self, agenda_slug, criterion_slug, assessor_slug):
        return self.get(
            agenda__slug=agenda_slug, criterion__slug=criterion_slug, assessor__slug=assessor_slug
        )

    def for_display(self):
        return self.select_related("criterion", "assessor", "source").order_by(
            "criterion__order", "criterion__name", "assessor__name"
        )


class RelianceQuerySet(models.QuerySet):
    def get_by_natural_key(self, agenda_slug, assumption_slug):
        return self.get(agenda__slug=agenda_slug, assumption__slug=assumption_slug)


class ProblemQuerySet(models.QuerySet):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class TaggedAgendaQuerySet(models.QuerySet):
    def get_by_natural_key(self, agenda_slug, tag_name):
        return self.get(content_object__slug=agenda_slug, tag__name=tag_name)


class AgendaQuerySet(SlugQuerySet):
    def with_summary_scores(self):
        """Mean score over every criterion and assessor, and the count of published critiques."""
        return self.annotate(
            mean_score=Avg("ratings__score"),
            critique_count=Count(
                "critiques", filter=Q(critiques__status="published"), distinct=True
            ),
        )

    def for_home(self):
        return (
            self.select_related("area")
            .only("name", "slug", "summary", "area__name", "area__slug", "area__order")
            .order_by("area__order", "area__name", "name")
        )

    def for_detail(self):
        from agendas.models import Critique, Rating, Reliance

        return self.select_related("area", "parent", "fte_source").prefetch_related(
            "children",
            "problems",
            "organisations",
            "sources",
            "tags",
            Prefetch("ratings", queryset=Rating.objects.for_display()),
            Prefetch(
                "reliances",
                queryset=Reliance.objects.select_related("assumption", "source").order_by(
                    "-load", "assumption__statement"
                ),
            ),
            Prefetch(
                "critiques",
                queryset=Critique.objects.published()
                .select_related("assumption", "source", "response_source")
                .order_by("-severity", "title"),
                to_attr="published_critiques",
            ),
        )
