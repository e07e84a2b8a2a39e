"""Related agendas: the few other agendas that stand or fall with one agenda, or work on
the same problems, each with the reason, ranked by what they share.

The ranking adds up points: each shared assumption counts the lesser of the two agendas'
loads on it (minor 1, significant 2, critical 3: an assumption critical to both links them
most), each shared orthodox problem 1, the same area 2. Ties go to more shared
assumptions, then to the higher overall score, then to the name.

Only agendas that share something are ever read, a few columns each: the shared
assumptions come from the agenda page's prefetched reliances, and two small queries give
the agendas sharing a problem or the area, so the cost follows how much an agenda shares,
not how many agendas there are (an earlier single query scored every agenda with three
correlated subqueries, so its cost grew with the field: docs/performance.md).
"""

from dataclasses import dataclass, field

from django.db.models import Q

from agendas.models import Agenda, Reliance

RELATED_LIMIT = 5


@dataclass(frozen=True)
class Points:
    assumption: int = 1  # times the lesser load, 1 to 3
    problem: int = 1
    area: int = 2


POINTS = Points()


@dataclass
class Related:
    agenda: Agenda | None = None
    assumptions: list = field(default_factory=list)  # (assumption, is it critical to both)
    problems: list = field(default_factory=list)
    same_area: bool = False
    assumption_points: int = 0

    def relatedness(self, points=POINTS):
        return (
            self.assumption_points * points.assumption
            + len(self.problems) * points.problem
            + self.same_area * points.area
        )


def related_agendas(agenda, limit=RELATED_LIMIT, points=POINTS):
    """Up to `limit` Related rows for an agenda loaded with AgendaQuerySet.for_detail(), in
    three queries: which agendas share one of its orthodox problems, the name, area and
    stored score of every agenda sharing anything, and the winners to show."""
    shared = {}  # agenda id -> Related
    for reliance in agenda.reliances.all():
        for other in reliance.assumption.all_reliances:
            if other.agenda_id == agenda.pk:
                continue
            row = shared.setdefault(other.agenda_id, Related())
            lesser = min(reliance.load, other.load)
            row.assumption_points += lesser
            row.assumptions.append((reliance.assumption, lesser == Reliance.Load.CRITICAL))
    problems = {problem.pk: problem for problem in agenda.problems.all()}
    links = (
        Agenda.problems.through.objects.filter(problem_id__in=problems)
        .exclude(agenda_id=agenda.pk)
        .values_list("agenda_id", "problem_id")
    )
    for agenda_id, problem_id in links:
        shared.setdefault(agenda_id, Related()).problems.append(problems[problem_id])

    # The problem-sharers again as a subquery: a list of hundreds of ids cost more to send
    # and parse than the database takes to find them a second time.
    candidates = (
        Agenda.objects.filter(
            Q(pk__in=[pk for pk, row in shared.items() if row.assumptions])
            | Q(pk__in=links.values("agenda_id"))
            | Q(area_id=agenda.area_id)
        )
        .exclude(pk=agenda.pk)
        .order_by()  # ranked below, so the database need not sort hundreds of names
        .values_list("pk", "name", "overall_score", "area_id")
    )
    ranked = []
    for pk, name, score, area_id in candidates:
        row = shared.setdefault(pk, Related())
        row.same_area = area_id == agenda.area_id
        sort_key = (
            -row.relatedness(points),
            -len(row.assumptions),
            score is None,
            -(score or 0),
            name,
            pk,
        )
        ranked.append((sort_key, pk))
    winners = [pk for _, pk in sorted(ranked)[:limit]]
    if not winners:
        return []
    shown = Agenda.objects.select_related("area").only(
        "name", "slug", "summary", "overall_score", "score_confidence", "area__name"
    )
    by_pk = shown.in_bulk(winners)
    rows = []
    for pk in winners:
        row = shared[pk]
        row.agenda = by_pk[pk]
        row.problems.sort(key=lambda problem: problem.number)
        row.assumptions.sort(key=lambda pair: pair[0].statement.casefold())
        rows.append(row)
    return rows
