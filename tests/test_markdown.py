"""Markdown is bounded by construction (agendas/markdown.py).

- render_markdown: CommonMark through cmark-gfm, then nh3's allow-list; never raises, and
  its output is bounded in size and depth whatever the input.
- Hostile payloads (the issue's and cmark's own pathological cases, and more) through every
  Markdown field of every model: each is refused with a form error in the admin, or is
  stored rendered, and every page that shows it answers 200.
- No request renders Markdown: pages show the `<field>_html` stored at write time.

Nothing here is timed. bench/markdown.py measures the payloads below (worst render time
of each); the numbers are in docs/performance.md.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from xml.etree import ElementTree

import cmarkgfm
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, connection, transaction
from django.urls import reverse

from agendas.markdown import (
    _UNSHOWABLE,
    MAX_CHARS,
    MAX_DEPTH,
    nesting_depth,
    plain_text,
    render_markdown,
    validate_markdown,
)
from agendas.models import Agenda, Assumption, Critique
from agendas.models.base import CONTROL_CHARACTERS
from tests.builders import (
    make_agenda,
    make_assumption,
    make_critique,
    make_landscape,
    make_reliance,
)
from tests.test_history import admin_page_data

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = connection.vendor == "postgresql"
ATOM = "{http://www.w3.org/2005/Atom}"
LIMIT = 20_000  # the longest Markdown field's max_length (agendas/models/base.py)


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    too_deep: bool = False  # nests lists or quotes deeper than MAX_DEPTH

    def __str__(self):
        return self.name


def _fill(unit, head="", tail="", size=LIMIT):
    """`unit` repeated to make the whole text `size` characters at most."""
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


PAYLOADS = [
    # The two: Python-Markdown recursed on the first and went quadratic on the second.
    Payload("nested list markers (issue)", "- " * 1_000 + "x", too_deep=True),
    Payload("open brackets (issue)", "[" * 20_000),
    # Nesting, the one thing the renderer's downstream cost grows with faster than size.
    Payload("deep block quotes", _fill("> ", tail="x"), too_deep=True),
    Payload("quotes in lists in quotes", _fill("> - ", tail="x"), too_deep=True),
    Payload(
        "indented nested lists",
        "".join("  " * depth + "- item\n" for depth in range(120)),
        too_deep=True,
    ),
    Payload(
        "17 nested lists",
        "".join("  " * depth + "- item\n" for depth in range(17)),
        too_deep=True,
    ),
    Payload("16 nested lists (allowed)", "".join("  " * d + "- item\n" for d in range(16))),
    # Inline constructs: cmark's own pathological cases (its test/pathological_tests.py).
    Payload("nested emphasis", "*" * 9_999 + "x" + "*" * 9_999),
    Payload("nested strong emphasis", "*a **a " * 1_250 + "b" + " a** a*" * 1_250),
    Payload("mixed emphasis", "*_" * 4_999 + "x" + "_*" * 4_999),
    Payload("mismatched emphasis", _fill("*a_ ")),
    Payload("emphasis closers without openers", _fill("a_ ")),
    Payload("link openers and emphasis closers", _fill("[ a_")),
    Payload("link closers without openers", _fill("a]")),
    Payload("nested brackets", "[" * 9_999 + "a" + "]" * 9_999),
    Payload("unclosed link destinations", _fill("[a](<b")),
    Payload("unclosed links", _fill("[a](b")),
    Payload("backtick runs", "".join("e" + "`" * length for length in range(1, 199))),
    Payload("backticks", "`" * 20_000),
    Payload("backslashes", _fill("\\", head="x")),
    # Raw HTML, which the parser drops: floods of its openers.
    Payload("< flood", "<" * 20_000),
    Payload("HTML tag openers", _fill("<a ")),
    Payload("unclosed HTML comments", _fill("<!--", head="</")),
    Payload("processing instructions", _fill("<?", head="x")),
    Payload("CDATA openers", _fill("<![CDATA[", head="x")),
    Payload("entity openers", _fill("&#")),
    # References and images: output amplification.
    Payload(
        "reference definitions",
        "".join(f"[r{n}]: https://example.org/{n}\n" for n in range(450)) + "[r1] " * 800,
    ),
    Payload(
        "references to one long link",
        "[x]" * 6_000 + "\n\n[x]: https://example.org/" + "a" * 1_900,
    ),
    Payload("images", _fill("![alt](https://example.org/i.png) ")),
    Payload("images in links", "[![" * 2_000 + "a" + "](i)](https://example.org)" * 400),
    # Characters.
    Payload("unicode", _fill("Ünïcödé 監督 🤖 \u202ertl\u202c zero\u200bwidth e\u0301 ")),
    Payload("NUL characters", _fill("a\x00")),
    Payload("control characters", _fill("".join(chr(c) for c in range(1, 32) if c != 0))),
    Payload("whitespace only", " \n\t " * 100),
    # Size: over every field's limit, and at the renderer's own limit.
    Payload("50 KB of prose", _fill("A sentence of plain prose. ", size=50_000)),
    Payload("50 KB of brackets", "[" * 50_000),
]
PAYLOADS_BY_NAME = {payload.name: payload for payload in PAYLOADS}


def test_payloads_fit_the_longest_field_unless_they_test_size():
    oversized = [payload.name for payload in PAYLOADS if len(payload.text) > LIMIT]
    assert oversized == ["50 KB of prose", "50 KB of brackets"]


def markdown_fields():
    """(model, field) for every Markdown field, from the app registry."""
    return [
        (model, model._meta.get_field(name))
        for model in apps.get_app_config("agendas").get_models()
        for name in getattr(model, "markdown_fields", ())
    ]


MARKDOWN_FIELDS = markdown_fields()


def field_id(model_field):
    model, field = model_field
    return f"{model._meta.model_name}.{field.name}"


# -- the renderer --------------------------------------------------------------------------


def test_it_renders_emphasis_and_links_with_nofollow():
    text = "Some *emphasis* and a [link](https://example.org/)."
    assert render_markdown(text) == (
        "<p>Some <em>emphasis</em> and a "
        '<a href="https://example.org/" rel="nofollow noopener">link</a>.</p>\n'
    )


def test_it_removes_scripts_handlers_and_javascript_links():
    text = (
        'Fine text.<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[a](javascript:alert(1))"
    )
    html = render_markdown(text)
    # The tags go; what stood between them stays, as inert text.
    assert "<script" not in html and "javascript:" not in html
    assert "<img" not in html and "onerror" not in html
    assert "Fine text." in html


def test_different_texts_get_different_output():
    assert render_markdown("**bold**") == "<p><strong>bold</strong></p>\n"
    assert render_markdown("*slanted*") == "<p><em>slanted</em></p>\n"


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_nesting_up_to_the_limit_renders_as_lists():
    html = render_markdown(PAYLOADS_BY_NAME["16 nested lists (allowed)"].text)
    assert nesting_depth(html) == 2 * MAX_DEPTH
    assert html.count("<ul>") == MAX_DEPTH


def test_nesting_past_the_limit_is_shown_as_the_text_typed():
    html = render_markdown(PAYLOADS_BY_NAME["nested list markers (issue)"].text)
    assert html == "<p>" + "- " * 999 + "- x</p>"


def test_text_past_the_renderers_limit_is_shown_cut_and_escaped():
    html = render_markdown("*a* <b>" * 10_000)  # 70,000 characters
    assert html.startswith("<p>*a* &lt;b&gt;*a*")
    assert len(plain_text(html)) <= MAX_CHARS


def test_characters_html_forbids_become_replacement_characters():
    html = render_markdown("a\x00b\x0bc\x7fd\ufffee\ud800f")
    assert html == "<p>a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf</p>\n"
    validate_markdown("a\ud800")  # neither raises on a lone surrogate


def test_plain_text_gives_the_words():
    html = render_markdown("See [Leike and Wu](https://openai.com/x) & `a<b`.\n\n- one\n- two")
    assert plain_text(html) == "See Leike and Wu & a<b. one two"


# Bounds: escaping makes at most 6 characters of one ("&quot;"), and cmark caps what
# references expand to at 100 KB beyond the input's own size.
def output_bound(text):
    return 6 * len(text) + 100_000 + 1_000


@pytest.mark.parametrize(
    "payload",
    [*PAYLOADS, Payload("lone surrogates", _fill("a\ud800"))],
    ids=str,
)
def test_every_payload_renders_within_bounds(payload):
    html = render_markdown(payload.text)
    assert isinstance(html, str)
    assert len(html) <= output_bound(payload.text)
    assert nesting_depth(html) <= 2 * MAX_DEPTH
    assert not _UNSHOWABLE.search(html)
    if payload.too_deep:
        # Shown as typed: escaped text in paragraphs, no lists or quotes.
        assert nesting_depth(html) == 0 and html.startswith("<p>")


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_validation_refuses_exactly_the_payloads_nested_too_deep(payload):
    if payload.too_deep:
        with pytest.raises(ValidationError, match="nested more than 16 levels deep"):
            validate_markdown(payload.text)
    else:
        validate_markdown(payload.text)


# -- every Markdown field, through the admin and the pages ---------------------------------


def test_the_markdown_fields_are_the_ones_the_pages_show():
    """The registry finds every Markdown field; each has its stored HTML, a length limit
    and the nesting validator. A new one must be added to the page checks below."""
    assert {field_id(pair) for pair in MARKDOWN_FIELDS} == {
        "agenda.description",
        "agenda.theory_of_change",
        "agenda.funders",
        "assumption.description",
        "critique.body",
        "critique.response",
    }
    for model, field in MARKDOWN_FIELDS:
        stored = model._meta.get_field(f"{field.name}_html")
        assert not stored.editable
        assert validate_markdown in field.validators
        assert field.max_length and field.max_length <= MAX_CHARS


def expected_refusal(payload, field):
    """The form error a payload must get in this field, or None when it must be stored."""
    text = payload.text.strip()  # as the form cleans it
    if len(text) > field.max_length:
        return f"Ensure this value has at most {field.max_length} characters (it has {len(text)})."
    if "\x00" in text:
        return "Null characters are not allowed."
    control = CONTROL_CHARACTERS.search(text)
    if control:
        return (
            f"Remove the invisible control character U+{ord(control.group()):04X} "
            f"(character {control.start() + 1}): only tabs and line breaks may be used."
        )
    if payload.too_deep:
        return f"Lists or quotes are nested more than {MAX_DEPTH} levels deep; flatten them."
    return None


@pytest.fixture
def writable_rows(contributor):
    """One row per Markdown model, each editable by the role that writes it: editors write
    agendas and assumptions, a contributor writes a critique awaiting review."""
    agenda = make_agenda(description="Short.", theory_of_change="Short.", funders="Short.")
    return {
        Agenda: agenda,
        Assumption: make_assumption(description="Short."),
        Critique: make_critique(
            agenda=agenda, status=Critique.Status.SUBMITTED, submitted_by=contributor
        ),
    }


MARKDOWN_MODELS = sorted({model for model, _ in MARKDOWN_FIELDS}, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", MARKDOWN_MODELS, ids=lambda model: model._meta.model_name)
def test_the_admin_refuses_each_payload_or_stores_it_rendered(
    client, editor, contributor, writable_rows, model
):
    """Each payload goes into every Markdown field of the model at once, in one post of its
    change form: each field shows its own error or none; when none has one, all are stored
    with their rendered HTML."""
    row = writable_rows[model]
    fields = [field for owner, field in MARKDOWN_FIELDS if owner is model]
    client.force_login(contributor if model is Critique else editor)
    url = reverse(f"admin:agendas_{model._meta.model_name}_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = admin_page_data(page)
    assert all(field.name in data for field in fields)
    for payload in PAYLOADS:
        before = model.objects.get(pk=row.pk)
        response = client.post(url, data | {field.name: payload.text for field in fields})
        refusals = {field.name: expected_refusal(payload, field) for field in fields}
        if model is Critique and not payload.text.strip():
            # An assessed critique needs its argument, however it was cleared.
            refusals["body"] = "Write the argument in our own words before it can be reviewed."
        after = model.objects.get(pk=row.pk)
        if any(refusals.values()):
            assert response.status_code == 200, payload.name
            errors = response.context["adminform"].form.errors
            for name, refusal in refusals.items():
                if refusal:
                    assert refusal in errors.get(name, []), (payload.name, name, errors)
                    assert refusal in response.text, (payload.name, name)
                else:
                    assert name not in errors, (payload.name, name, errors)
            for field in fields:
                assert getattr(after, field.name) == getattr(before, field.name), payload.name
        else:
            assert response.status_code == 302, (payload.name, response.context["errors"])
            for field in fields:
                assert getattr(after, field.name) == payload.text.strip(), payload.name
                rendered = render_markdown(payload.text.strip())
                assert getattr(after, f"{field.name}_html") == rendered, payload.name


def fits(payload, model, name):
    return len(payload.text) <= model._meta.get_field(name).max_length


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_pages_showing_any_stored_markdown_answer_200(client, db, payload):
    """The payload in every Markdown field that can hold it, written as an importer or a
    script would (no form), shown on every page that shows those fields."""
    if ON_POSTGRES and "\x00" in payload.text:
        with pytest.raises(DataError), transaction.atomic():
            make_agenda(description=payload.text)
        pytest.skip("PostgreSQL cannot hold NUL in text; the forms refuse it on both.")

    def text_for(model, name):
        return payload.text if fits(payload, model, name) else "Too long for this field."

    agenda = make_agenda(
        name="Hostile agenda",
        **{name: text_for(Agenda, name) for name in Agenda.markdown_fields},
    )
    assumption = make_assumption(
        statement="Hostile assumption", description=text_for(Assumption, "description")
    )
    make_reliance(agenda=agenda, assumption=assumption)
    critique = make_critique(
        agenda=agenda,
        assumption=assumption,
        title="Hostile critique",
        body=text_for(Critique, "body") if payload.text.strip() else "An argument.",
        response=text_for(Critique, "response"),
    )
    for row in (agenda, assumption, critique):
        row.refresh_from_db()
    pages = {
        agenda.get_absolute_url(): [
            agenda.description_html,
            agenda.theory_of_change_html,
            agenda.funders_html,
            critique.body_html,
            critique.response_html,
        ],
        critique.get_absolute_url(): [critique.body_html, critique.response_html],
        assumption.get_absolute_url(): [assumption.description_html],
    }
    for url, shown in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        for html in shown:
            assert html in response.text, url  # the stored HTML, as stored
    feed = client.get(reverse("agendas:agenda_critiques_feed", args=[agenda.slug]))
    assert feed.status_code == 200
    entry = ElementTree.fromstring(feed.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}content").text == critique.body_html
    response = client.get(reverse("agendas:search"), {"q": "hostile"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3  # agenda, assumption, critique


# -- no request renders Markdown -----------------------------------------------------------


def public_pages(agenda, other, critique, assumption):
    criterion = agenda.ratings.first().criterion
    organisation = agenda.organisations.first()
    return [
        reverse("agendas:home"),
        reverse("agendas:agenda_list"),
        agenda.get_absolute_url(),
        reverse("agendas:compare") + f"?a={agenda.slug}&a={other.slug}",
        reverse("agendas:assumption_list"),
        assumption.get_absolute_url(),
        reverse("agendas:critique_list"),
        critique.get_absolute_url(),
        reverse("agendas:criterion_list"),
        criterion.get_absolute_url(),
        reverse("agendas:problem_list"),
        reverse("agendas:organisation_list"),
        organisation.get_absolute_url(),
        reverse("agendas:tag_list"),
        reverse("agendas:tag_detail", args=["tag-0"]),
        reverse("agendas:critiques_feed"),
        reverse("agendas:agenda_critiques_feed", args=[agenda.slug]),
        reverse("agendas:search") + "?q=detail",
        reverse("agendas:search") + "?q=argument",
        reverse("agendas:search") + "?q=falsify",
        reverse("agendas:export_json"),
        reverse("agendas:export_csv"),
        "/sitemap.xml",
    ]


def test_no_page_parses_markdown(client, superuser):
    """With the parser made to fail, every page that shows Markdown still answers: what
    they show was rendered when the rows were written."""
    first, second, *_ = make_landscape(agendas=2)
    first.theory_of_change = "How it *would* work."
    first.funders = "Funded by [someone](https://example.org/)."
    first.save()
    assumption = first.reliances.first().assumption
    assumption.description = "What would *falsify* it."
    assumption.save()
    critique = first.critiques.published().first()
    critique.response = "The *response*."
    critique.decide(Critique.Status.PUBLISHED, None)  # an editor publishes the new text
    critique.save()
    admin_pages = [
        reverse(f"admin:agendas_{row._meta.model_name}_change", args=[row.pk])
        for row in (first, assumption, critique)
    ]
    urls = public_pages(first, second, critique, assumption)
    client.force_login(superuser)

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was parsed during a request")

    with (
        mock.patch.object(cmarkgfm, "markdown_to_html", refuse),
        mock.patch.object(cmarkgfm, "github_flavored_markdown_to_html", refuse),
        mock.patch("agendas.markdown._parse", refuse),
    ):
        for url in urls + admin_pages:
            response = client.get(url)
            assert response.status_code == 200, url
    detail = client.get(critique.get_absolute_url()).text
    assert critique.body_html in detail and "<em>response</em>" in detail


# Modules that may render Markdown: the renderer, and the write path that stores its output.
RENDERING_MODULES = {"agendas/markdown.py", "agendas/models/base.py", "agendas/changes.py"}
RENDERER_LIBRARIES = {"cmarkgfm", "markdown", "mistune", "markdown_it", "commonmark"}
RENDERER_NAMES = {
    "render_markdown",
    "render_markdown_fields",
    "_parse",
    "markdown_to_html",
    "github_flavored_markdown_to_html",
}


def rendering_references(path):
    """The Markdown renderers a module imports or calls."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names} & RENDERER_LIBRARIES
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] in RENDERER_LIBRARIES:
                found.add(node.module)
            found |= {alias.name for alias in node.names} & RENDERER_NAMES
        elif isinstance(node, ast.Attribute) and node.attr in RENDERER_NAMES:
            found.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in RENDERER_NAMES:
            found.add(node.id)
    return found


def test_only_the_write_path_refers_to_a_markdown_renderer():
    offenders = {}
    for path in sorted((ROOT / "agendas").rglob("*.py")) + sorted((ROOT / "config").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        # Migrations render stored rows when they run, never during a request.
        if relative in RENDERING_MODULES or "/migrations/" in relative:
            continue
        if found := rendering_references(path):
            offenders[relative] = found
    assert offenders == {}
    assert rendering_references(ROOT / "agendas" / "changes.py")  # the check can see one


def test_templates_mark_safe_only_the_stored_html():
    uses = []
    for path in (ROOT / "templates").rglob("*.html"):
        uses += re.findall(r"\{\{\s*([\w.]+)\s*\|\s*sanitised", path.read_text())
    assert uses, "no template shows stored Markdown?"
    assert [use for use in uses if not use.endswith("_html")] == []
    for path in (ROOT / "templates").rglob("*.html"):
        assert "|markdown" not in path.read_text().replace(" ", ""), path


def test_a_save_limited_to_a_markdown_field_stores_its_html(db):
    from tests.builders import make_agenda

    agenda = make_agenda(funders="")
    agenda.funders = "Funded by [a fund](https://example.org/fund)."
    agenda.save(update_fields=["funders"])

    agenda.refresh_from_db()
    assert 'href="https://example.org/fund"' in agenda.funders_html
