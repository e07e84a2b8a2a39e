"""The one definition of an agenda's scores, and the only code that stores them.

- A criterion's score for an agenda is the mean of every assessor's score on it; its
  spread is the highest minus the lowest score (how much the assessors disagree).
- The overall score is the weighted mean of the criterion scores, over the criteria that
  have any rating, weighted by Criterion.weight (the published weights) or by weights a
  reader chooses. A criterion rated by many assessors counts no more than one rated by a
  single assessor.
- Confidence: each rating carries one (low, medium, high). A criterion score, and the
  overall score, take the lower median of the confidences of the ratings behind it, so a
  score is "high" only when most of its ratings are.
- Scores are stored rounded to 2 places (CriterionScore rows; Agenda.overall_score,
  score_confidence, disagreement), so every page, the admin and the exports show the same
  number. recompute() is called on every write path that can change them: ratings and
  criteria saved, deleted or bulk-written (agendas/changes.py), migrations, loaddata and
  the importers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Case, F, FloatField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Round

from agendas.querysets import model

PLACES = 2


class Confidence(models.TextChoices):
    LOW = "low", "Low confidence"
    MEDIUM = "medium", "Medium confidence"
    HIGH = "high", "High confidence"


_RANK: dict[str, int] = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def combined_confidence(levels: Iterable[str]) -> str:
    """The lower median of some confidence levels ('' for none)."""
    ranked = sorted(levels, key=lambda level: _RANK[level])
    return ranked[(len(ranked) - 1) // 2] if ranked else ""


def weighted_mean(pairs: Iterable[tuple[Any, Any]]) -> float | None:
    """Σ weight × mean / Σ weight over (mean, weight) pairs with a mean and a positive
    weight, rounded to PLACES; None when nothing counts."""
    counted = [(float(mean), float(weight)) for mean, weight in pairs if mean is not None]
    total = sum(weight for _, weight in counted if weight > 0)
    if not total:
        return None
    return round(sum(mean * weight for mean, weight in counted if weight > 0) / total, PLACES)


@dataclass
class CriterionResult:
    scores: list[int] = field(default_factory=list)
    confidences: list[str] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return round(sum(self.scores) / len(self.scores), PLACES)

    @property
    def spread(self) -> int:
        return max(self.scores) - min(self.scores)


def _results(ratings: Iterable[Mapping[str, Any]]) -> dict[int, dict[int, CriterionResult]]:
    """{agenda id: {criterion id: CriterionResult}} from rating value rows."""
    results: dict[int, dict[int, CriterionResult]] = {}
    for rating in ratings:
        by_criterion = results.setdefault(rating["agenda_id"], {})
        result = by_criterion.setdefault(rating["criterion_id"], CriterionResult())
        result.scores.append(rating["score"])
        result.confidences.append(rating["confidence"])
    return results


@transaction.atomic
def recompute(agenda_ids: Iterable[int] | None = None) -> int:
    """Store the scores of these agendas (every agenda when None). Returns how many."""
    Agenda = model("Agenda")
    Criterion = model("Criterion")
    CriterionScore = model("CriterionScore")
    Rating = model("Rating")

    agendas = Agenda.objects.all()
    if agenda_ids is not None:
        agendas = agendas.filter(pk__in=agenda_ids)
    ids = list(agendas.values_list("pk", flat=True))
    weights = dict(Criterion.objects.values_list("pk", "weight"))
    ratings = Rating.objects.filter(agenda_id__in=ids).values(
        "agenda_id", "criterion_id", "score", "confidence"
    )
    results = _results(ratings.order_by())

    stored = {
        (row.agenda_id, row.criterion_id): row
        for row in CriterionScore.objects.filter(agenda_id__in=ids)
    }
    kept: set[int] = set()
    new_rows: list[Any] = []
    agenda_rows: list[Any] = []
    for agenda_id in ids:
        by_criterion = results.get(agenda_id, {})
        for criterion_id, result in by_criterion.items():
            values = {
                "mean": result.mean,
                "spread": result.spread,
                "rating_count": len(result.scores),
                "confidence": combined_confidence(result.confidences),
            }
            row = stored.get((agenda_id, criterion_id))
            if row is None:
                new_rows.append(CriterionScore(agenda_id=agenda_id, criterion_id=criterion_id))
                row = new_rows[-1]
            kept.add(row.pk)
            for name, value in values.items():
                setattr(row, name, value)
        agenda_rows.append(
            Agenda(
                pk=agenda_id,
                overall_score=weighted_mean(
                    (result.mean, weights[criterion_id])
                    for criterion_id, result in by_criterion.items()
                ),
                score_confidence=combined_confidence(
                    [level for result in by_criterion.values() for level in result.confidences]
                ),
                disagreement=max((r.spread for r in by_criterion.values()), default=None),
            )
        )
    # Rows are updated in place, so recomputing unchanged ratings changes nothing stored.
    CriterionScore.objects.filter(
        pk__in=[pk for pk in (row.pk for row in stored.values()) if pk not in kept]
    ).delete()
    CriterionScore.objects.bulk_update(
        [row for row in stored.values() if row.pk in kept],
        ["mean", "spread", "rating_count", "confidence"],
        batch_size=1000,
    )
    CriterionScore.objects.bulk_create(new_rows, batch_size=1000)
    Agenda.objects.bulk_update(
        agenda_rows, ["overall_score", "score_confidence", "disagreement"], batch_size=500
    )
    return len(agenda_rows)


def reader_score(weights: Mapping[int, Any]) -> Subquery:
    """An expression for an Agenda queryset: the overall score under a reader's weights
    ({criterion id: weight}), from the stored criterion scores; None when nothing counts.

    The same definition as weighted_mean(), evaluated by the database so that lists can
    sort and filter by it.
    """
    CriterionScore = model("CriterionScore")

    weight = Case(
        *(When(criterion_id=pk, then=Value(float(w))) for pk, w in weights.items() if w > 0),
        default=Value(0.0),
        output_field=FloatField(),
    )
    per_agenda = (
        CriterionScore.objects.filter(agenda=OuterRef("pk"))
        .order_by()
        .values("agenda")
        .annotate(
            total=Sum(weight * F("mean"), output_field=FloatField()),
            weights=Sum(weight, output_field=FloatField()),
        )
        .filter(weights__gt=0)
        .annotate(score=Round(Cast(F("total"), FloatField()) / F("weights"), PLACES))
        .values("score")
    )
    return Subquery(per_agenda, output_field=FloatField())


def format_score(value: Any, empty: str = "—") -> str:
    """A stored score as every page, the admin and the exports show it: two places, as it
    is stored (PLACES), so the same number reads the same everywhere."""
    if value is None or value == "":
        return empty
    return f"{float(value):.{PLACES}f}"


def score_band(value: float | None) -> str:
    """A word for a 1-5 score (its band's), so pages never rely on colour alone."""
    band = band_of(value)
    return "not rated" if band is None else band.word


# --- score bands: the landscape's headcount and bins, and the list's band filter ---------


@dataclass(frozen=True)
class Band:
    """Overall scores from `low` (included) up to `high` (excluded); None is open."""

    slug: str
    label: str
    low: float | None
    high: float | None
    word: str  # what a score in the band says, beside its colour

    def contains(self, value: float | None) -> bool:
        return (
            value is not None
            and (self.low is None or value >= self.low)
            and (self.high is None or value < self.high)
        )

    def q(self, name: str) -> Q:
        """A filter for a queryset whose score is `name` (a field or an annotation)."""
        condition = Q(**{f"{name}__isnull": False})
        if self.low is not None:
            condition &= Q(**{f"{name}__gte": self.low})
        if self.high is not None:
            condition &= Q(**{f"{name}__lt": self.high})
        return condition


SCORE_BANDS = [
    Band("under-2", "under 2", None, 2, "poor"),
    Band("2-3", "2 to 3", 2, 3, "weak"),
    Band("3-4", "3 to 4", 3, 4, "fair"),
    Band("4-and-over", "4 and over", 4, None, "strong"),
]
BANDS_BY_SLUG = {band.slug: band for band in SCORE_BANDS}


def band_of(value: float | None) -> Band | None:
    """The SCORE_BANDS entry an overall score falls in, or None when unrated."""
    return next((band for band in SCORE_BANDS if band.contains(value)), None)


# --- weights: the published ones, or a reader's ------------------------------------------

READER_WEIGHT_MAX = 5


@dataclass(frozen=True)
class Weights:
    """Criterion weights ({criterion id: weight}): the published ones (Criterion.weight), or
    a reader's own, which only re-rank what they are shown and are never stored."""

    by_criterion: dict[int, Any]  # Decimal weights as published, ints as a reader gives them
    is_custom: bool = False

    @classmethod
    def published(cls, criteria: Iterable[Any]) -> "Weights":
        return cls({criterion.pk: criterion.weight for criterion in criteria})

    @classmethod
    def chosen(cls, criteria: Iterable[Any], chosen: Mapping[int, int]) -> "Weights":
        """A reader's weights ({criterion id: int}); criteria they left out keep the published
        weight. Identical to the published weights, they are the published weights."""
        published = cls.published(criteria)
        weights = {pk: chosen.get(pk, weight) for pk, weight in published.by_criterion.items()}
        if all(Decimal(weights[pk]) == Decimal(w) for pk, w in published.by_criterion.items()):
            return published
        return cls(weights, is_custom=True)

    def score(self) -> F | Subquery:
        """An expression for an Agenda queryset: the overall score under these weights. The
        published weights read the stored score; a reader's are computed by reader_score()."""
        if not self.is_custom:
            return F("overall_score")
        return reader_score(self.by_criterion)


# --- display of one agenda's ratings (rows already in memory, no queries) ---------------


@dataclass
class CriterionSummary:
    """One criterion of one agenda for display: every assessor's rating, with the stored
    mean, spread and confidence (None when unrated)."""

    criterion: Any
    ratings: list[Any] = field(default_factory=list)
    stored: Any = None  # the CriterionScore row

    @property
    def mean(self) -> float | None:
        return self.stored.mean if self.stored else None

    @property
    def spread(self) -> int | None:
        return self.stored.spread if self.stored else None

    @property
    def confidence(self) -> str:
        return self.stored.confidence if self.stored else ""

    def score_by(self, assessor_id: int) -> int | None:
        for rating in self.ratings:
            if rating.assessor_id == assessor_id:
                score: int = rating.score
                return score
        return None


@dataclass
class AgendaScore:
    """Everything the pages show about one agenda's ratings, read from stored scores."""

    agenda: Any
    criteria: list[CriterionSummary]  # one per criterion in rubric order, rated or not

    @property
    def overall(self) -> float | None:
        overall: float | None = self.agenda.overall_score
        return overall

    @property
    def confidence(self) -> str:
        confidence: str = self.agenda.score_confidence
        return confidence

    @property
    def disagreement(self) -> int | None:
        disagreement: int | None = self.agenda.disagreement
        return disagreement

    @property
    def rated(self) -> list[CriterionSummary]:
        return [summary for summary in self.criteria if summary.ratings]

    @property
    def rating_count(self) -> int:
        return sum(len(summary.ratings) for summary in self.criteria)

    @property
    def disagreements(self) -> list[CriterionSummary]:
        """The criteria on which this agenda's assessors gave different scores, the widest
        gap first (rubric order among equals), each with its ratings highest first."""
        split = [summary for summary in self.criteria if summary.spread]
        return sorted(split, key=lambda summary: -(summary.spread or 0))

    @property
    def assessors(self) -> list[Any]:
        """Every assessor who rated this agenda, by name, without repeats."""
        seen: dict[int, Any] = {}
        for summary in self.criteria:
            for rating in summary.ratings:
                seen.setdefault(rating.assessor_id, rating.assessor)
        return sorted(seen.values(), key=lambda assessor: assessor.name)


def score_agenda(agenda: Any, criteria: Iterable[Any] | None = None) -> AgendaScore:
    """Display scores of an agenda whose ratings (with criterion and assessor) and
    criterion_scores were prefetched. With `criteria` (the whole rubric), unrated criteria
    get an empty summary so charts and tables keep the same axes for every agenda."""
    summaries = {criterion.pk: CriterionSummary(criterion) for criterion in criteria or []}
    for rating in agenda.ratings.all():
        summary = summaries.setdefault(rating.criterion_id, CriterionSummary(rating.criterion))
        summary.ratings.append(rating)
    for stored in agenda.criterion_scores.all():
        if stored.criterion_id in summaries:
            summaries[stored.criterion_id].stored = stored
    return AgendaScore(agenda, list(summaries.values()))
