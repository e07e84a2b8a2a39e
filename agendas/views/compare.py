"""Compare 2 to 6 agendas side by side at a shareable URL (/compare/?a=x&a=y)."""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from agendas import charts
from agendas.forms import COMPARE_MAX, COMPARE_MIN, CompareForm
from agendas.models import Agenda, Criterion, Critique
from agendas.scoring import score_agenda
from agendas.templatetags.agenda_tags import fte_range
from agendas.views import weights


@dataclass
class Row:
    label: str
    cells: list
    kind: str = "text"  # text | criterion | list | assumption
    keys: list = field(default_factory=list)  # what "differs" compares, one per cell
    note: str = ""

    @property
    def differs(self):
        return len({repr(key) for key in self.keys}) > 1


@dataclass
class Section:
    title: str
    rows: list


def compare(request):
    form = CompareForm(request.GET)
    picker = list(Agenda.objects.for_picker())
    if not form.is_valid():
        return _problem(request, form, picker, form.errors["a"][0], status=400)
    slugs = form.cleaned_data["a"]
    if not slugs:
        return _problem(request, form, picker, "", status=200)

    known = {agenda.slug for agenda in picker}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        names = ", ".join(f"“{slug}”" for slug in unknown)
        message = f"No agenda is called {names}. Pick agendas from the list below."
        return _problem(request, form, picker, message, status=404)

    criteria = list(Criterion.objects.all())
    # A reader's weights add their overall score to each column; columns keep their order.
    weights_form = weights.read(request, criteria)
    if not weights_form.is_valid():
        return weights.problem(request, weights_form)
    reader = weights_form.weights
    weight_items = weights_form.query_items()
    found = {
        agenda.slug: agenda
        for agenda in Agenda.objects.for_compare(slugs).annotate(reader_score=reader.score())
    }
    agendas = [found[slug] for slug in slugs]
    critique_counts = Agenda.objects.filter(slug__in=slugs).public_critique_counts()
    scores = [score_agenda(agenda, criteria) for agenda in agendas]
    diff_only = form.cleaned_data["diff"]
    sections = _sections(agendas, scores, critique_counts)
    if reader.is_custom:
        sections[0].rows.insert(_reader_score_at(sections[0]), _reader_score_row(agendas))
    if diff_only:
        sections = [
            Section(section.title, [row for row in section.rows if row.differs])
            for section in sections
        ]
        sections = [section for section in sections if section.rows]
    radar = charts.radar(
        "compare-radar",
        [criterion.name for criterion in criteria],
        [
            charts.Series(agenda.name, [summary.mean for summary in score.criteria])
            for agenda, score in zip(agendas, scores, strict=True)
        ],
        "Scalability ratings of " + ", ".join(agenda.name for agenda in agendas),
    )
    columns = [
        {
            "agenda": agenda,
            "score": score,
            "remove_url": _compare_url(
                [s for s in slugs if s != agenda.slug], diff_only, weight_items
            )
            if len(slugs) > COMPARE_MIN
            else "",
        }
        for agenda, score in zip(agendas, scores, strict=True)
    ]
    return render(
        request,
        "agendas/compare.html",
        {
            "form": form,
            "columns": columns,
            "sections": sections,
            "criteria": criteria,
            "radar": radar,
            "diff_only": diff_only,
            "slugs": slugs,
            "addable": [a for a in picker if a.slug not in found]
            if len(slugs) < COMPARE_MAX
            else [],
            "all_url": _compare_url(slugs, False, weight_items),
            "diff_url": _compare_url(slugs, True, weight_items),
            **weights.context(request, weights_form),
            "max": COMPARE_MAX,
        },
    )


def _problem(request, form, picker, message, status):
    """The picker, with what was wrong (if anything) above it."""
    chosen = set(form.data.getlist("a"))
    return render(
        request,
        "agendas/compare.html",
        {
            "message": message,
            "picker": [(agenda, agenda.slug in chosen) for agenda in picker],
            "min": COMPARE_MIN,
            "max": COMPARE_MAX,
        },
        status=status,
    )


def _compare_url(slugs, diff_only, weight_items=()):
    params = [("a", slug) for slug in slugs]
    if diff_only:
        params.append(("diff", "1"))
    params += weight_items
    return reverse("agendas:compare") + "?" + urlencode(params)


def _sections(agendas, scores, critique_counts):
    return [
        Section("Overview", _overview_rows(agendas, scores)),
        Section("Ratings by criterion", _criterion_rows(scores)),
        Section("Assumptions", _assumption_rows(agendas)),
        Section("Critiques by severity", _critique_rows(agendas, critique_counts)),
        Section("Problems and people", _problem_rows(agendas)),
    ]


def _text_row(label, values):
    return Row(label, values, keys=values)


def _overview_rows(agendas, scores):
    overall = [score.overall for score in scores]
    return [
        _text_row("Summary", [agenda.summary for agenda in agendas]),
        _text_row("Area", [agenda.area.name for agenda in agendas]),
        _text_row(
            "Broad approach", [agenda.get_broad_approach_display() or "—" for agenda in agendas]
        ),
        _text_row("Target case", [agenda.get_target_case_display() or "—" for agenda in agendas]),
        _text_row(
            "Human supervision", [agenda.get_supervision_display() or "—" for agenda in agendas]
        ),
        _text_row("Status", [agenda.get_status_display() for agenda in agendas]),
        Row(
            "Overall score",
            [f"{value:.1f} / 5" if value is not None else "not rated" for value in overall],
            keys=overall,
            note="Weighted mean over criteria of each criterion's mean score.",
        ),
        _text_row("FTEs", [fte_range(agenda) for agenda in agendas]),
    ]


def _reader_score_at(section):
    """Just after the published overall score."""
    labels = [row.label for row in section.rows]
    return labels.index("Overall score") + 1 if "Overall score" in labels else len(labels)


def _reader_score_row(agendas):
    values = [agenda.reader_score for agenda in agendas]
    return Row(
        "Overall score, your weights",
        [f"{value:.2f} / 5" if value is not None else "not rated" for value in values],
        keys=values,
        note="The same weighted mean, with your weights instead of the published ones.",
    )


def _criterion_rows(scores):
    rows = []
    for index, summary in enumerate(scores[0].criteria if scores else []):
        cells = [score.criteria[index] for score in scores]
        rows.append(
            Row(
                summary.criterion.name,
                cells,
                kind="criterion",
                keys=[cell.mean for cell in cells],
            )
        )
    return rows


def _assumption_rows(agendas):
    by_assumption = {}
    for column, agenda in enumerate(agendas):
        for reliance in agenda.reliances.all():
            cells = by_assumption.setdefault(reliance.assumption, [None] * len(agendas))
            cells[column] = reliance
    rows = []
    for assumption, cells in sorted(
        by_assumption.items(),
        key=lambda item: (-sum(1 for c in item[1] if c), item[0].statement),
    ):
        shared = sum(1 for cell in cells if cell)
        rows.append(
            Row(
                assumption.statement,
                cells,
                kind="assumption",
                keys=[cell.load if cell else None for cell in cells],
                note=f"Shared by {shared} of these agendas" if shared > 1 else "",
            )
        )
    return rows


def _critique_rows(agendas, critique_counts):
    """critique_counts: {(agenda pk, severity): count}, from public_critique_counts(); severity
    None counts the critiques only linked by the Shallow Review."""
    severities = list(reversed(Critique.Severity.choices))
    counts = [
        [critique_counts.get((agenda.pk, severity), 0) for severity, _ in severities]
        for agenda in agendas
    ]
    rows = [
        _text_row(label, [count[index] for count in counts])
        for index, (_, label) in enumerate(severities)
    ]
    rows.append(_text_row("All published critiques", [sum(count) for count in counts]))
    rows.append(
        _text_row(
            "Linked by the Shallow Review, not yet summarised",
            [critique_counts.get((agenda.pk, None), 0) for agenda in agendas],
        )
    )
    return rows


def _problem_rows(agendas):
    problem_lists = [list(agenda.problems.all()) for agenda in agendas]
    org_lists = [list(agenda.organisations.all()) for agenda in agendas]
    seen = Counter(p.pk for problems in problem_lists for p in problems)
    return [
        Row(
            "Orthodox problems",
            [
                [(problem, seen[problem.pk] > 1) for problem in problems]
                for problems in problem_lists
            ],
            kind="problems",
            keys=[sorted(p.pk for p in problems) for problems in problem_lists],
        ),
        Row(
            "Organisations",
            org_lists,
            kind="organisations",
            keys=[sorted(o.pk for o in orgs) for orgs in org_lists],
        ),
    ]
