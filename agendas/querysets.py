"""QuerySets named for intent and for the page that uses them.

Templates never query: each page-shaped method returns rows with everything the
page shows already annotated or prefetched.
"""

from collections.abc import Iterable
from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Lower, RowNumber


def model(name: str) -> Any:
    """A model of the app, looked up when a query is built: the models import this module,
    so it cannot import them."""
    return apps.get_model("agendas", name)


def count_of(rows: Any, fk: str, **filters: Any) -> Coalesce:
    """A subquery counting `rows` (a model or a QuerySet) that point at the outer row
    through `fk`, 0 when none do.

    Used instead of Count() over joins so that several counts on one query do not multiply
    each other (no GROUP BY), and each stays a single SELECT.
    """
    queryset = rows if isinstance(rows, models.QuerySet) else rows._default_manager.all()
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# What a critique says, as opposed to its moderation state: a change to any of these is a
# new revision (agendas/models/critiques.py), in a save and in a bulk update alike. The slug
# too: it is the public address, which the editor publishes along with the text.
CONTENT_FIELDS = (
    "slug",
    "agenda_id",
    "assumption_id",
    "title",
    "body",
    "kind",
    "severity",
    "severity_confidence",
    "voice",
    "basis",
    "basis_source_id",
    "author",
    "source_id",
    "response",
    "response_source_id",
)

# Whether the agenda's people replied to a critique, without reading the reply.
ANSWERED = ExpressionWrapper(~Q(response=""), output_field=BooleanField())

# An agenda's long prose and its rendered HTML: read on its own page, not in lists.
LONG_AGENDA_FIELDS = (
    "description",
    "description_html",
    "theory_of_change",
    "theory_of_change_html",
    "funders",
    "funders_html",
    "people",
)


def _first_agendas(limit: int) -> "Prefetch[Any]":
    """Prefetch the first `limit` agendas by name into shown_agendas."""
    Agenda = model("Agenda")

    first = Agenda.objects.only("name", "slug").order_by("name", "pk")[:limit]
    return Prefetch("agendas", queryset=first, to_attr="shown_agendas")


# agendas/changes.py, which sits above the models and these QuerySets: it registers itself
# when the app is ready (AgendasConfig.ready() calls changes.connect()).
_changes: Any = None


def report_writes_to(changes: Any) -> None:
    global _changes
    _changes = changes


class ContentQuerySet(models.QuerySet[Any]):
    """The QuerySet of every content model. Writes that send no model signals (update(),
    bulk_create(), bulk_update(), delete() in bulk) report themselves to agendas/changes.py,
    so rendered Markdown, stored scores and cached pages follow them like any save."""

    def update(self, **kwargs: Any) -> int:
        with _changes.bulk_write(self, kwargs):
            rows: int = super().update(**kwargs)
        return rows

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        with _changes.bulk_write(self, objs=objs):
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        with _changes.bulk_write(self, objs=objs, fields=fields) as write:
            rows: int = super().bulk_update(objs, write.fields, *args, **kwargs)
        return rows

    def delete(self) -> tuple[int, dict[str, int]]:
        # Deleting sends post_delete for every row (receivers are connected), so this only
        # batches what follows: one score update and one cache bump for the whole delete.
        with _changes.batch():
            return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]


class SlugQuerySet(ContentQuerySet):
    """Rows that fixtures and exports name by slug (Django's natural keys)."""

    def get_by_natural_key(self, slug: Any) -> Any:
        return self.get(slug=slug)


class AreaQuerySet(SlugQuerySet):
    def named(self, name: Any) -> Any:
        """The area called `name` or known by it as an alias (case-insensitive), or None."""
        return (
            self.filter(name__iexact=name).first()
            or self.filter(aliases__name__iexact=name).first()
        )


class AliasQuerySet(ContentQuerySet):
    def get_by_natural_key(self, name: Any) -> Any:
        return self.get(name=name)


class SourceQuerySet(SlugQuerySet):
    def public(self) -> Self:
        """Sources readers may see: approved by an editor (or shipped, or imported), or cited
        by a published critique. A contributor's new source stays hidden until then."""
        Critique = model("Critique")

        cited = Critique.objects.published().filter(
            Q(source=OuterRef("pk")) | Q(response_source=OuterRef("pk"))
        )
        return self.filter(Q(is_approved=True) | Exists(cited))


class CritiqueQuerySet(SlugQuerySet):
    def published(self) -> Self:
        return self.filter(status="published")

    def linked(self) -> Self:
        """Linked by the Shallow Review, not yet summarised or assessed by an editor."""
        return self.filter(status="linked")

    def public(self) -> Self:
        """What readers see: published critiques, and merely linked ones (labelled as such)."""
        return self.filter(status__in=["published", "linked"])

    def update(self, **kwargs: Any) -> int:
        """A bulk change to what critiques say is a new revision of each, and sends any
        published one back to review, as a save would (agendas/models/critiques.py)."""
        content = {name for field in CONTENT_FIELDS for name in (field, field.removesuffix("_id"))}
        if kwargs.keys() & content and "revision" not in kwargs:
            kwargs["revision"] = F("revision") + 1
            if "status" not in kwargs:
                was_published = Q(status="published")
                kwargs["status"] = Case(
                    When(was_published, then=Value("submitted")), default=F("status")
                )
                kwargs["reviewed_revision"] = Case(
                    When(was_published, then=Value(None)), default=F("reviewed_revision")
                )
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def awaiting_review(self) -> Self:
        return self.filter(status="submitted")

    def answered(self, yes: bool = True) -> Self:
        """Critiques the agenda's people replied to (or, with yes=False, did not)."""
        return self.exclude(response="") if yes else self.filter(response="")

    def latest_published(self) -> Self:
        return self.published().select_related("agenda", "source").order_by("-reviewed_at", "-pk")

    def for_list(self) -> Self:
        """Public critiques (published and merely linked) with what a list row names; a
        row shows an excerpt of the body's HTML, so the Markdown and the response stay
        unread."""
        return (
            self.public()
            .select_related("agenda", "assumption", "basis_source")
            .annotate(answered=ANSWERED)
            .defer(
                "body",
                "response",
                "response_html",
                *(f"agenda__{name}" for name in LONG_AGENDA_FIELDS),
                "assumption__description",
                "assumption__description_html",
                "basis_source__note",
            )
        )

    def for_detail(self) -> Self:
        return self.public().select_related(
            "agenda", "assumption", "source", "response_source", "basis_source"
        )

    def matching(self, text: Any) -> Self:
        """A plain case-insensitive filter over title, body and credited author."""
        return self.filter(
            Q(title__icontains=text) | Q(body__icontains=text) | Q(author__icontains=text)
        )

    def newest_first(self) -> Self:
        # Linked critiques have no review date: they come after every published one.
        return self.order_by(F("reviewed_at").desc(nulls_last=True), "-pk")

    def most_severe_first(self) -> Self:
        return self.order_by(
            F("severity").desc(nulls_last=True), F("reviewed_at").desc(nulls_last=True), "-pk"
        )

    def most_severe_per_agenda(self) -> Self:
        """The first of `most_severe_first()` for each agenda among these critiques, with
        `answered`: one query, whatever the number of agendas."""
        order = [F("severity").desc(nulls_last=True), F("reviewed_at").desc(nulls_last=True)]
        return (
            self.annotate(
                place=Window(RowNumber(), partition_by=F("agenda_id"), order_by=[*order, "-pk"]),
                answered=ANSWERED,
            )
            .filter(place=1)
            .only("agenda_id", "slug", "title", "author", "severity", "voice", "response")
            .order_by()
        )

    def count_by_status_and_voice(self) -> dict[tuple[str, str], int]:
        """{(status, voice): how many} for these critiques, in one query."""
        rows = self.order_by().values("status", "voice").annotate(n=Count("*"))
        return {(row["status"], row["voice"]): row["n"] for row in rows}

    def count_by_status(self) -> dict[str, int]:
        """{status: how many} for these critiques, in one query."""
        # COUNT(*), not COUNT(id): PostgreSQL can then count from an index on status alone.
        rows = self.order_by().values("status").annotate(n=Count("*"))
        return {row["status"]: row["n"] for row in rows}


class AssumptionQuerySet(SlugQuerySet):
    def with_published_critique_count(self) -> Self:
        # A subquery, not a join: no GROUP BY, so paginating and counting stay cheap.
        Critique = model("Critique")

        return self.annotate(critique_count=count_of(Critique.objects.published(), "assumption"))

    def for_matrix(self, area_slug: Any = None) -> Self:
        """Rows of the assumptions x agendas grid, the most widely shared first.

        agenda_count: how many agendas rest on the assumption; critical_count: how many rest
        on it critically. Rows sort by agenda_count, most first, then by critical_count (the
        imported assumptions come in blocks that the same agendas share, so ties are common),
        then alphabetically. With an area, only reliances of agendas in that area (or its
        sub-areas) count, and only assumptions that one of them rests on are rows. Counts
        are subqueries, so they do not multiply the critique count's join.
        """
        Reliance = model("Reliance")

        reliances = Reliance.objects.all()
        if area_slug:
            reliances = reliances.filter(
                Q(agenda__area__slug=area_slug) | Q(agenda__area__parent__slug=area_slug)
            )
        assumptions = self
        if area_slug:
            assumptions = assumptions.filter(Exists(reliances.filter(assumption=OuterRef("pk"))))

        shown = reliances.select_related("agenda").only(
            "load", "assumption_id", "agenda__name", "agenda__slug"
        )
        return (
            assumptions.with_published_critique_count()
            .annotate(
                agenda_count=count_of(reliances, "assumption"),
                critical_count=count_of(reliances, "assumption", load=Reliance.Load.CRITICAL),
            )
            .prefetch_related(Prefetch("reliances", queryset=shown.order_by("agenda__name")))
            .order_by("-agenda_count", "-critical_count", Lower("statement"), "pk")
        )

    def for_detail(self, critiques_shown: Any) -> Self:
        """The assumption with critique_count (published critiques aimed at it), the agendas
        resting on it with their stored scores and FTEs, and its `critiques_shown` most
        severe published critiques (newest first within a severity)."""
        Critique = model("Critique")
        Reliance = model("Reliance")

        agendas = Reliance.objects.select_related("agenda", "source").only(
            "load",
            "reason",
            "assumption_id",
            "source",
            *(
                f"agenda__{name}"
                for name in (
                    "name",
                    "slug",
                    "summary",
                    "overall_score",
                    "score_confidence",
                    "fte_low",
                    "fte_high",
                    "fte_text",
                )
            ),
        )
        critiques = (
            Critique.objects.published()
            .select_related("agenda", "basis_source")
            .annotate(answered=ANSWERED)
            .order_by("-severity", "-reviewed_at", "-pk")
        )
        return (
            self.select_related("source")
            .with_published_critique_count()
            .prefetch_related(
                Prefetch(
                    "reliances",
                    queryset=agendas.order_by("-load", "agenda__name"),
                    to_attr="reliances_by_load",
                ),
                Prefetch(
                    "critiques", queryset=critiques[:critiques_shown], to_attr="published_critiques"
                ),
            )
        )


class AssessorQuerySet(SlugQuerySet):
    def for_rubric_page(self) -> Self:
        """Every assessor who has rated, with its source and how many ratings it gave."""
        Rating = model("Rating")

        # Counted per assessor from the rating index, not by grouping a join over every
        # rating (docs/performance.md).
        return (
            self.filter(Exists(Rating.objects.filter(assessor=OuterRef("pk"))))
            .annotate(rating_count=count_of(Rating, "assessor"))
            .select_related("source")
            .order_by("kind", "name")
        )


class CriterionQuerySet(SlugQuerySet):
    def for_rubric(self) -> Self:
        """rated_agenda_count: the agendas with a stored score on the criterion (one row per
        rated agenda, agendas/scoring.py), not a DISTINCT count over every rating."""
        return self.annotate(rated_agenda_count=Count("scores")).order_by("order", "name")


class OrganisationQuerySet(SlugQuerySet):
    def _with_figures(self) -> Self:
        Figure = model("Figure")

        return self.prefetch_related(
            Prefetch("figures", queryset=Figure.objects.select_related("source"))
        )

    def for_list(self, agendas_shown: Any) -> Self:
        """Each organisation with agenda_count, its figures, and shown_agendas: the first
        `agendas_shown` of its agendas by name."""
        return (
            self.annotate(agenda_count=Count("agendas", distinct=True))
            ._with_figures()
            .prefetch_related(_first_agendas(agendas_shown))
            .order_by("name")
        )

    def for_detail(self) -> Self:
        Agenda = model("Agenda")

        agendas = Agenda.objects.select_related("area").only(
            "name", "slug", "summary", "status", "area__name", "area__slug"
        )
        return (
            self.select_related("source")
            ._with_figures()
            .prefetch_related(Prefetch("agendas", queryset=agendas.order_by("name")))
        )


class RatingQuerySet(ContentQuerySet):
    def get_by_natural_key(self, agenda_slug: Any, criterion_slug: Any, assessor_slug: Any) -> Any:
        return self.get(
            agenda__slug=agenda_slug, criterion__slug=criterion_slug, assessor__slug=assessor_slug
        )

    def for_display(self) -> Self:
        return self.select_related("criterion", "assessor", "source").order_by(
            "criterion__order", "criterion__name", "assessor__name"
        )

    def for_scores(self) -> Self:
        """As for_display, with only what a score shows (compare): no rationale, source or
        rubric guidance; 180 ratings for a compare of six at the 100x demo size."""
        return (
            self.select_related("criterion", "assessor")
            .order_by("criterion__order", "criterion__name", "assessor__name")
            .only(
                "agenda_id",
                "criterion_id",
                "assessor_id",
                "score",
                "confidence",
                "criterion__name",
                "criterion__slug",
                "criterion__order",
                "criterion__weight",
                "assessor__name",
                "assessor__slug",
                "assessor__kind",
            )
        )

    def by_the_editors(self) -> Self:
        return self.filter(assessor__kind="editors")

    def first_per_score(self, limit: Any) -> Self:
        """At most `limit` ratings of each score, agendas alphabetically, with the agenda's
        name and slug: one query, whatever the number of ratings."""
        return (
            self.annotate(
                place=Window(
                    RowNumber(), partition_by=F("score"), order_by=[Lower("agenda__name"), "pk"]
                )
            )
            .filter(place__lte=limit)
            .select_related("agenda")
            .only("score", "rationale", "agenda__name", "agenda__slug")
            .order_by("-score", "place")
        )

    def for_cells(self, cells: Iterable[Any]) -> Self:
        """The ratings of these (agenda, criterion) cells (CriterionScore rows), with their
        assessors, best score first: one query for a page of cells."""
        pairs = {(cell.agenda_id, cell.criterion_id) for cell in cells}
        if not pairs:
            return self.none()
        return (
            self.filter(
                agenda_id__in={agenda for agenda, _ in pairs},
                criterion_id__in={criterion for _, criterion in pairs},
            )
            .select_related("assessor", "source")
            .order_by("-score", "assessor__name")
        )

    def count_by_score(self) -> dict[int, int]:
        """{score: how many ratings}, in one query."""
        rows = self.order_by().values("score").annotate(n=Count("*"))
        return {row["score"]: row["n"] for row in rows}


class CriterionScoreQuerySet(ContentQuerySet):
    """Derived rows (agendas/scoring.py), shown on pages."""

    def disagreements(self) -> Self:
        """Cells where the assessors' scores differ, the widest gap first, then the cells
        more assessors rated."""
        return (
            self.filter(rating_count__gte=2, spread__gte=1)
            .select_related("agenda", "criterion")
            .only(
                "mean",
                "spread",
                "rating_count",
                "confidence",
                "agenda__name",
                "agenda__slug",
                "criterion__name",
                "criterion__slug",
                "criterion__order",
            )
            .order_by("-spread", "-rating_count", Lower("agenda__name"), "criterion__order", "pk")
        )


class RelianceQuerySet(ContentQuerySet):
    def get_by_natural_key(self, agenda_slug: Any, assumption_slug: Any) -> Any:
        return self.get(agenda__slug=agenda_slug, assumption__slug=assumption_slug)


class ProblemQuerySet(ContentQuerySet):
    def get_by_natural_key(self, number: Any) -> Any:
        return self.get(number=number)

    def for_coverage(self, agendas_shown: Any) -> Self:
        """Each problem with agenda_count, how many agendas address it, and shown_agendas,
        the first `agendas_shown` of them by name (a sliced prefetch: one query, however
        many agendas address it)."""
        return (
            self.annotate(agenda_count=Count("agendas", distinct=True))
            .prefetch_related(_first_agendas(agendas_shown))
            .order_by("number")
        )


class TaggedAgendaQuerySet(ContentQuerySet):
    def get_by_natural_key(self, agenda_slug: Any, tag_name: Any) -> Any:
        return self.get(content_object__slug=agenda_slug, tag__name=tag_name)

    def tags_in_use(self) -> Any:
        """One row per tag on at least one agenda: tag__name, tag__slug, agenda_count.

        A tag is on an agenda at most once (the tag_once_per_agenda constraint), so a plain
        count per tag id is exact; COUNT(DISTINCT) grouped by name took five times longer."""
        return (
            self.exclude(tag__slug="")
            .values("tag_id")
            .annotate(agenda_count=Count("pk"))
            .values("tag__name", "tag__slug", "agenda_count")
            .order_by(Lower("tag__name"))
        )

    def for_tag(self, tag: Any) -> Self:
        """The taggings of one tag, each with its agenda (content_object) and area."""
        return (
            self.filter(tag=tag)
            .select_related("content_object__area")
            .order_by("content_object__name")
        )


class AgendaQuerySet(SlugQuerySet):
    # Scores are stored (agendas/scoring.py); counts and sizes are correlated subqueries,
    # not joins, which would multiply rows and skew the counts.

    def with_criterion_score(self, criterion: Any) -> Self:
        """criterion_score: the stored mean over assessors on one criterion (None unrated)."""
        CriterionScore = model("CriterionScore")

        mean = CriterionScore.objects.filter(agenda=OuterRef("pk"), criterion=criterion)
        return self.annotate(
            criterion_score=Subquery(mean.values("mean")[:1], output_field=FloatField())
        )

    def ranked_on(self, criterion: Any) -> Self:
        """The agendas rated on one criterion, best first, with its stored score (mean,
        spread, rating_count, confidence: agendas/scoring.py). Ties go to the agenda its
        assessors agree on more, then by name."""
        stored = FilteredRelation(
            "criterion_scores", condition=Q(criterion_scores__criterion=criterion)
        )
        return (
            self.annotate(stored=stored)
            .filter(stored__isnull=False)
            .annotate(
                mean=F("stored__mean"),
                spread=F("stored__spread"),
                rating_count=F("stored__rating_count"),
                confidence=F("stored__confidence"),
            )
            .only("name", "slug")
            .order_by("-mean", "spread", Lower("name"), "pk")
        )

    def with_critique_count(self) -> Self:
        """critique_count: published critiques; linked_critique_count: critiques the Shallow
        Review links to that no editor has summarised yet."""
        Critique = model("Critique")

        return self.annotate(
            critique_count=count_of(Critique.objects.published(), "agenda"),
            linked_critique_count=count_of(Critique.objects.linked(), "agenda"),
        )

    def with_fte_midpoint(self) -> Self:
        low = Coalesce("fte_low", "fte_high")
        high = Coalesce("fte_high", "fte_low")
        return self.annotate(
            fte_midpoint=Cast(low, FloatField()) / 2 + Cast(high, FloatField()) / 2
        )

    def matching(self, text: Any) -> Self:
        """A plain text filter for the list page (full search lives at /search/)."""
        return self.filter(
            Q(name__icontains=text) | Q(summary__icontains=text) | Q(description__icontains=text)
        )

    def in_area(self, area: Any) -> Self:
        """Agendas in the area or in one of its sub-areas."""
        return self.filter(Q(area=area) | Q(area__parent=area))

    def tagged(self, tag_slug: Any) -> Self:
        return self.filter(tags__slug=tag_slug)

    def addressing(self, problem: Any) -> Self:
        return self.filter(problems=problem)

    def for_picker(self) -> Self:
        """Names, slugs and areas, grouped by area (areas in taxonomy order, each top-level
        area before its sub-areas), by name within an area: the compare page's select,
        whose <optgroup>s are the areas."""
        return (
            self.select_related("area__parent")
            .only("name", "slug", "area__name", "area__order", "area__parent")
            .order_by(
                Coalesce("area__parent__order", "area__order"),
                Coalesce("area__parent__name", "area__name"),
                Coalesce("area__parent_id", "area_id"),
                F("area__parent_id").asc(nulls_first=True),
                "area__order",
                "area__name",
                "area_id",
                "name",
                "pk",
            )
        )

    def for_landscape(self, weights: Any) -> Any:
        """One small row per agenda for the landscape: name, slug, the score under `weights`
        (scoring.Weights: the stored score, or the reader's), its confidence, the FTE
        estimate and the top-level area's id. Values, not models: at a thousand agendas the
        page needs these few columns and nothing else."""
        return (
            self.annotate(
                shown_score=weights.score(),
                top_area_id=Coalesce("area__parent_id", "area_id"),
                published_views=self.count_of_published_views(),
            )
            .order_by()
            .values(
                "published_views",
                "name",
                "slug",
                "shown_score",
                "score_confidence",
                "fte_low",
                "fte_high",
                "fte_text",
                "top_area_id",
            )
        )

    @staticmethod
    def count_of_published_views() -> Coalesce:
        """How many published works read as assessors (documents: the essay, published
        views) rate the agenda: the agendas readers come looking for."""
        documents = model("Rating").objects.filter(assessor__kind="document")
        rated = (
            documents.filter(agenda=OuterRef("pk"))
            .order_by()
            .values("agenda")
            .annotate(n=Count("assessor", distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(rated, output_field=IntegerField()), 0)

    def for_list(self, weights: Any) -> Self:
        """shown_score: the overall score under `weights` (the stored one, or the reader's).
        A row shows no long text, so none is read."""
        return (
            self.select_related("area")
            .defer(*LONG_AGENDA_FIELDS)
            .prefetch_related("tags")
            .with_critique_count()
            .with_fte_midpoint()
            .annotate(shown_score=weights.score())
        )

    def for_detail(self) -> Self:
        """Everything the agenda page shows but its critiques, which it reads a bounded
        number at a time (views/pages.py)."""
        Rating = model("Rating")
        Reliance = model("Reliance")
        Source = model("Source")

        return self.select_related(
            "area__parent", "parent", "fte_source", "status_source", "people_source"
        ).prefetch_related(
            "aliases",
            "children",
            "problems",
            "organisations",
            Prefetch("sources", queryset=Source.objects.public()),
            "tags",
            Prefetch("ratings", queryset=Rating.objects.for_display()),
            "criterion_scores",
            Prefetch(
                "reliances",
                queryset=Reliance.objects.select_related("assumption", "source")
                .order_by("-load", "assumption__statement")
                .prefetch_related(
                    Prefetch(
                        "assumption__reliances",
                        # Only what "Also rests on it" names: each agenda's link and load.
                        queryset=Reliance.objects.select_related("agenda")
                        .only("load", "assumption_id", "agenda__name", "agenda__slug")
                        .order_by("agenda__name"),
                        to_attr="all_reliances",
                    )
                ),
            ),
        )

    def for_compare(self, slugs: Any) -> Self:
        """Critique counts come from public_critique_counts(), not from critique rows."""
        Rating = model("Rating")
        Reliance = model("Reliance")

        return (
            self.filter(slug__in=slugs)
            .select_related("area")
            .with_fte_midpoint()
            .prefetch_related(
                "problems",
                "organisations",
                Prefetch("ratings", queryset=Rating.objects.for_scores()),
                "criterion_scores",
                Prefetch(
                    "reliances",
                    queryset=Reliance.objects.select_related("assumption").order_by(
                        "-load", "assumption__statement"
                    ),
                ),
            )
        )

    def public_critique_counts(self) -> dict[tuple[int, int], int]:
        """{(agenda pk, severity): number of public critiques} for these agendas, in one
        query; severity None counts the merely linked ones; pairs with none are absent."""
        Critique = model("Critique")

        rows = (
            Critique.objects.public()
            .filter(agenda__in=self.values("pk"))
            .order_by()
            .values("agenda", "severity")
            .annotate(n=Count("pk"))
        )
        return {(row["agenda"], row["severity"]): row["n"] for row in rows}
