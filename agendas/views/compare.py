"""Compare 2 to 6 agendas side by side at a shareable URL (/compare/?a=x&a=y)."""

from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from agendas import charts
from agendas.cache.key import reads_query
from agendas.forms import (
    COMPARE_MAX,
    COMPARE_MIN,
    CompareForm,
    ComparePickerForm,
    ReaderWeightsForm,
)
from agendas.fte import FteRange
from agendas.links import twin_url
from agendas.models import Agenda, Criterion, Critique
from agendas.scoring import format_score, score_agenda
from agendas.views import weights
from agendas.widgets import QuickSelect


@dataclass
class Row:
    label: str
    cells: list
    # text | overall | criterion | assumption | critique | problems | organisations
    kind: str = "text"
    keys: list = field(default_factory=list)  # what "differs" compares, one per cell
    note: str = ""

    @property
    def differs(self):
        return len({repr(key) for key in self.keys}) > 1


@dataclass
class Section:
    title: str
    rows: list


@reads_query(CompareForm, ComparePickerForm, ReaderWeightsForm)
def compare(request):
    form = CompareForm(request.GET)
    finder = ComparePickerForm(request.GET)
    form_ok, finder_ok = form.is_valid(), finder.is_valid()
    if not finder_ok or not (form_ok or _too_few(form)):
        return _picking(request, form, finder, _problems(form, finder), status=400)
    slugs = form.cleaned_data.get("a") or []
    if len(slugs) < COMPARE_MIN:
        return _picking(request, form, finder, "", status=200)

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
    if len(found) < len(slugs):
        return _picking(request, form, finder, "", status=404)

    agendas = [found[slug] for slug in slugs]
    critique_counts = Agenda.objects.filter(slug__in=slugs).public_critique_counts()
    strongest = {
        critique.agenda_id: critique
        for critique in Critique.objects.published()
        .filter(agenda__in=agendas)
        .most_severe_per_agenda()
    }
    scores = [score_agenda(agenda, criteria) for agenda in agendas]
    diff_only = form.cleaned_data["diff"]
    sections = _sections(agendas, scores, critique_counts, strongest)
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
            charts.Series(
                agenda.name,
                [summary.mean for summary in score.criteria],
                [summary.confidence for summary in score.criteria],
            )
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
            "json_url": twin_url("agendas:compare_json", request),
            "diff_only": diff_only,
            "slugs": slugs,
            "picker": _picker(finder, agendas, diff_only, comparing=True)
            if len(slugs) < COMPARE_MAX
            else None,
            "all_url": _compare_url(slugs, False, weight_items),
            "diff_url": _compare_url(slugs, True, weight_items),
            **weights.context(request, weights_form),
            "max": COMPARE_MAX,
        },
    )


# --- the picker: agendas grouped by area, narrowed first when there are many --------------

# The most agendas one select offers. The whole field fits; at a thousand agendas the reader
# first narrows by area or name, so the page stays small.
PICKER_LIMIT = 100


@dataclass
class Picker:
    finder: object  # the ComparePickerForm
    chosen: list  # agendas already picked, in the order asked
    comparing: bool  # the chosen agendas are being compared (else the reader is still picking)
    groups: list  # (area label, [agendas]) for the select's <optgroup>s
    too_many: bool  # more agendas match than one select offers
    diff_only: bool

    @property
    def narrowed(self):
        return self.finder.is_valid() and self.finder.is_narrowed()

    @property
    def can_add(self):
        return len(self.chosen) < COMPARE_MAX

    @property
    def shows_select(self):
        """Offer the agendas once they fit in one select, or once the reader narrowed them
        (then the first PICKER_LIMIT, with a note)."""
        return self.can_add and self.groups and (self.narrowed or not self.too_many)

    @property
    def chosen_url(self):
        """The chosen agendas, not narrowed: their comparison, or the picker holding them."""
        return _compare_url([agenda.slug for agenda in self.chosen], self.diff_only)

    @property
    def removals(self):
        """(agenda, the address without it) for each chosen agenda."""
        return [
            (agenda, _compare_url([a.slug for a in self.chosen if a != agenda], self.diff_only))
            for agenda in self.chosen
        ]

    @property
    def selects(self):
        """(id, label, rendered select) for each select to fill: enough to reach a
        comparison from here, each listing the offered agendas grouped by area."""
        if self.comparing or len(self.chosen) >= COMPARE_MIN:
            labels = ["Add an agenda"]
        elif self.chosen:
            labels = [f"Compare {self.chosen[0].name} with"]
        else:
            labels = ["First agenda", "Second agenda"][:COMPARE_MIN]
        choices = [
            ("", "Choose an agenda"),
            *(
                (label, [(agenda.slug, agenda.name) for agenda in agendas])
                for label, agendas in self.groups
            ),
        ]
        widget = QuickSelect(choices=choices)
        ids = (
            ["compare-add-select"]
            if len(labels) == 1
            else [f"compare-pick-{n}" for n in range(1, len(labels) + 1)]
        )
        return [
            (select_id, label, widget.render("a", None, {"id": select_id}))
            for select_id, label in zip(ids, labels, strict=True)
        ]


def _picker(finder, chosen, diff_only, comparing=False):
    """What the picker offers: the agendas the finder narrows to (all of them when they fit
    in one select), without those already chosen, grouped by area."""
    offered = []
    if len(chosen) < COMPARE_MAX:
        others = Agenda.objects.exclude(pk__in=[agenda.pk for agenda in chosen])
        if finder.is_valid():  # else the reader sees the error, and every agenda
            others = finder.apply(others)
        offered = list(others.for_picker()[: PICKER_LIMIT + 1])
    groups = [
        (area_label(area), list(agendas))
        for area, agendas in groupby(offered[:PICKER_LIMIT], key=lambda agenda: agenda.area)
    ]
    return Picker(
        finder=finder,
        chosen=chosen,
        comparing=comparing,
        groups=groups,
        too_many=len(offered) > PICKER_LIMIT,
        diff_only=diff_only,
    )


def area_label(area):
    return f"{area.parent.name} › {area.name}" if area.parent_id else area.name


def _problems(form, finder):
    """What is wrong with the address, in words. Too few agendas is not wrong: that reader
    is still picking."""
    messages = [] if _too_few(form) else list(form.errors.get("a", []))
    return " ".join(messages + [error for errors in finder.errors.values() for error in errors])


def _too_few(form):
    """Fewer agendas than a comparison needs, but otherwise fine: the reader is picking."""
    named = [slug for slug in form.data.getlist("a") if slug.strip()]
    return form.has_error("a", "count") and len(named) < COMPARE_MIN


def _chosen(form):
    """The agendas named in the address that exist, each once, in the order asked, and the
    names that match none (for a selection that cannot be compared as it is, so the picker
    keeps what was valid)."""
    slugs = [s.strip() for s in form.data.getlist("a")[: COMPARE_MAX * 2] if s.strip()]
    slugs = list(dict.fromkeys(slugs))
    found = {agenda.slug: agenda for agenda in Agenda.objects.filter(slug__in=slugs)}
    chosen = [found[slug] for slug in slugs if slug in found][:COMPARE_MAX]
    return chosen, [slug for slug in slugs if slug not in found]


def _picking(request, form, finder, message, status):
    """The picker, with what was wrong (if anything) above it. An agenda named in the
    address that does not exist is a 404 that says so."""
    chosen, missing = _chosen(form) if form.data.getlist("a") else ([], [])
    if missing and not message:
        names = ", ".join(f"“{slug}”" for slug in missing)
        message, status = f"No agenda is called {names}. Pick agendas from the list below.", 404
    return render(
        request,
        "agendas/compare.html",
        {
            "message": message,
            "picker": _picker(finder, chosen, form.cleaned_data.get("diff", False)),
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


def _sections(agendas, scores, critique_counts, strongest):
    return [
        Section("Overview", _overview_rows(agendas, scores)),
        Section("Ratings by criterion", _criterion_rows(scores)),
        Section("Assumptions", _assumption_rows(agendas)),
        Section("Critiques by severity", _critique_rows(agendas, critique_counts, strongest)),
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
            scores,
            kind="overall",
            keys=overall,
            note="Out of 5: the weighted mean over criteria of each criterion's mean score.",
        ),
        _text_row("FTEs", [str(FteRange.of(agenda)) for agenda in agendas]),
    ]


def _reader_score_at(section):
    """Just after the published overall score."""
    labels = [row.label for row in section.rows]
    return labels.index("Overall score") + 1 if "Overall score" in labels else len(labels)


def _reader_score_row(agendas):
    values = [agenda.reader_score for agenda in agendas]
    return Row(
        "Overall score, your weights",
        [f"{format_score(value)} / 5" if value is not None else "not rated" for value in values],
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


def _critique_rows(agendas, critique_counts, strongest):
    """critique_counts: {(agenda pk, severity): count}, from public_critique_counts(); severity
    None counts the critiques only linked by the Shallow Review. strongest: {agenda pk: its
    most severe published critique}."""
    severities = list(reversed(Critique.Severity.choices))
    counts = [
        [critique_counts.get((agenda.pk, severity), 0) for severity, _ in severities]
        for agenda in agendas
    ]
    most_severe = [strongest.get(agenda.pk) for agenda in agendas]
    rows = [
        Row(
            "Most severe critique",
            most_severe,
            kind="critique",
            keys=[(c.severity, c.answered) if c else None for c in most_severe],
        )
    ]
    rows += [
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
