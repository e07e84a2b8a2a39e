"""Summaries of ratings, computed from rows already in memory (no queries)."""

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


def summarise_by_criterion(ratings):
    """Group ratings (ordered by criterion) into one summary per criterion, in order."""
    summaries = {}
    for rating in ratings:
        summary = summaries.setdefault(rating.criterion_id, CriterionSummary(rating.criterion))
        summary.ratings.append(rating)
    return list(summaries.values())
