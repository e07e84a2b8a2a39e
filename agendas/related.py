"""Related agendas: the few other agendas that stand or fall with one agenda, or work on
the same problems, each with the reason, ranked by what they share.

The ranking (AgendaQuerySet.related_to) adds up points: each shared assumption counts the
lesser of the two agendas' loads on it (minor 1, significant 2, critical 3: an assumption
critical to both links them most), each shared orthodox problem 1, the same area 2. Ties go
to more shared assumptions, then to the higher overall score.
"""

from dataclasses import dataclass, field

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
    agenda: Agenda
    assumptions: list = field(default_factory=list)  # (assumption, is it critical to both)
    problems: list = field(default_factory=list)
    same_area: bool = False


def related_agendas(agenda, limit=RELATED_LIMIT):
    """Up to `limit` Related rows for an agenda loaded with AgendaQuerySet.for_detail(), in
    two queries: the ranked agendas, and which of this agenda's problems each shares. The
    shared assumptions come from the detail page's prefetched reliances."""
    rows = [Related(other) for other in Agenda.objects.related_to(agenda, limit, POINTS)]
    if not rows:
        return rows
    by_pk = {row.agenda.pk: row for row in rows}
    for reliance in agenda.reliances.all():
        for other in reliance.assumption.all_reliances:
            if other.agenda_id in by_pk:
                critical_to_both = min(reliance.load, other.load) == Reliance.Load.CRITICAL
                by_pk[other.agenda_id].assumptions.append((reliance.assumption, critical_to_both))
    problems = {problem.pk: problem for problem in agenda.problems.all()}
    shared = Agenda.problems.through.objects.filter(
        agenda_id__in=by_pk, problem_id__in=problems
    ).values_list("agenda_id", "problem_id")
    for agenda_id, problem_id in shared.order_by("problem__number"):
        by_pk[agenda_id].problems.append(problems[problem_id])
    for row in rows:
        row.same_area = row.agenda.area_id == agenda.area_id
        row.assumptions.sort(key=lambda pair: pair[0].statement.casefold())
    return rows
