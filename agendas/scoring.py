"""Summaries of ratings, computed from rows already in memory (no queries).

The overall score is the weighted mean (Criterion.weight) of the per-criterion means, so a
criterion rated by many assessors counts no more than one rated by a single assessor. The
database computes the same number for sorting (AgendaQuerySet.with_overall_score) and, with
the disagreement, for pages that list many agendas (ScoreSummary). It does not round each
criterion's mean to 2 places first, so the two can differ by under 0.005 (none of the 1,000
demo agendas does at 2 places).
"""

from dataclasses import dataclass, field
from statistics import mean


@dataclass
class CriterionSummary:
    criterion: object
    ratings: list = field(default_factory=list)

    @property
    def scores(self):
        return [rating.score for rating in self.ratings]

    @property
    def mean(self):
        return round(mean(self.scores), 2) if self.ratings else None

    @property
    def spread(self):
        """Disagreement: the gap between the highest and the lowest score."""
        return max(self.scores) - min(self.scores) if self.ratings else None

    def score_by(self, assessor_id):
        for rating in self.ratings:
            if rating.assessor_id == assessor_id:
                return rating.score
        return None


@dataclass
class AgendaScore:
    """Everything the pages show about one agenda's ratings."""

    criteria: list  # of CriterionSummary, one per criterion in rubric order, rated or not

    @property
    def rated(self):
        return [summary for summary in self.criteria if summary.ratings]

    @property
    def overall(self):
        rated = self.rated
        if not rated:
            return None
        total_weight = sum(float(summary.criterion.weight) for summary in rated)
        weighted = sum(float(summary.criterion.weight) * summary.mean for summary in rated)
        return round(weighted / total_weight, 2)

    @property
    def disagreement(self):
        """The largest gap between two assessors on any one criterion (0 to 4)."""
        spreads = [summary.spread for summary in self.rated]
        return max(spreads) if spreads else None

    @property
    def rating_count(self):
        return sum(len(summary.ratings) for summary in self.criteria)

    @property
    def assessors(self):
        """Every assessor who rated this agenda, by name, without repeats."""
        seen = {}
        for summary in self.criteria:
            for rating in summary.ratings:
                seen.setdefault(rating.assessor_id, rating.assessor)
        return sorted(seen.values(), key=lambda assessor: assessor.name)


@dataclass(frozen=True)
class ScoreSummary:
    """The overall score and disagreement alone, as AgendaQuerySet annotates them
    (with_overall_score, with_disagreement): for pages that list many agendas."""

    overall: float | None
    disagreement: int | None

    @classmethod
    def of(cls, agenda):
        overall = agenda.overall_score
        return cls(None if overall is None else round(overall, 2), agenda.disagreement)


def summarise_by_criterion(ratings, criteria=None):
    """One summary per criterion, in rubric order.

    With `criteria` (every criterion of the rubric), unrated criteria get an empty summary so
    charts and tables keep the same axes for every agenda.
    """
    summaries = {}
    for criterion in criteria or []:
        summaries[criterion.pk] = CriterionSummary(criterion)
    for rating in ratings:
        summary = summaries.setdefault(rating.criterion_id, CriterionSummary(rating.criterion))
        summary.ratings.append(rating)
    return list(summaries.values())


def score_agenda(agenda, criteria=None):
    """Score an agenda whose ratings were prefetched with their criterion."""
    return AgendaScore(summarise_by_criterion(agenda.ratings.all(), criteria))


def score_band(value):
    """A word for a 1-5 score, so pages never rely on colour alone."""
    if value is None:
        return "not rated"
    if value >= 4:
        return "strong"
    if value >= 3:
        return "fair"
    if value >= 2:
        return "weak"
    return "poor"
