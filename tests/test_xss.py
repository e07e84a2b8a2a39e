"""Hostile input in every user-written field yields nothing executable on any page, feed or export.

The corpus (tests/data/xss_payloads.txt) holds script tags, event handlers, javascript: and
data: URLs, SVG, broken and encoded markup. Each payload goes into every text field a person
can write; then every public page, feed and export is fetched and inspected.
"""

import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from agendas.models import Critique, Figure, Source
from tests.builders import (
    make_agenda,
    make_area,
    make_assessor,
    make_assumption,
    make_criterion,
    make_critique,
    make_organisation,
    make_problem,
    make_rating,
    make_reliance,
    make_source,
)

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "data" / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


class ExecutableFinder(HTMLParser):
    """Collects anything a browser would execute that the site itself did not put there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {attrs}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def executable_parts(markup):
    finder = ExecutableFinder()
    finder.feed(markup)
    finder.close()
    return finder.problems


def test_the_checker_catches_what_it_should():
    assert executable_parts("<p>fine <a href='https://x.org'>x</a></p>") == []
    assert executable_parts("<script>alert(1)</script>")
    assert executable_parts("<img src=x onerror=alert(1)>")
    assert executable_parts("<a href='javascript:alert(1)'>x</a>")
    assert executable_parts("<a href='&#106;avascript:alert(1)'>x</a>")
    assert executable_parts("<svg><a xlink:href='data:text/html,x'>x</a></svg>")


@pytest.fixture
def hostile_site(db):
    """One agenda per payload, the payload in every person-written field around it."""
    area = make_area(name=PAYLOADS[0], description=PAYLOADS[1])
    criterion = make_criterion(question=PAYLOADS[2], guidance_3=PAYLOADS[3])
    assessor = make_assessor(name=PAYLOADS[4], viewpoint=PAYLOADS[5])
    problem = make_problem(number=1, description=PAYLOADS[6])
    agendas = []
    for index, payload in enumerate(PAYLOADS):
        organisation = make_organisation(name=f"{payload} {index}", description=payload)
        source = make_source(title=payload, authors=payload, note=payload)
        agenda = make_agenda(
            name=payload,
            slug=f"hostile-{index}",
            summary=payload,
            description=payload,
            theory_of_change=payload,
            people=f"{payload}, Someone",
            funders=payload,
            fte_text=payload[:100],
            area=area,
        )
        agenda.organisations.add(organisation)
        agenda.sources.add(source)
        agenda.problems.add(problem)
        agenda.tags.add(f"tag-{index}")
        assumption = make_assumption(statement=payload[:300], description=payload)
        make_reliance(agenda=agenda, assumption=assumption, reason=payload, source=source)
        make_critique(
            agenda=agenda,
            assumption=assumption,
            title=payload[:300],
            slug=f"hostile-critique-{index}",
            body=payload,
            author=payload[:300],
            response=payload,
            source=source,
            response_source=source,
        )
        make_rating(agenda=agenda, criterion=criterion, assessor=assessor, rationale=payload)
        agendas.append(agenda)
    Figure.objects.create(
        slug="hostile-figure",
        label=PAYLOADS[7],
        kind=Figure.Kind.ALIGNMENT,
        value_low=300,
        as_of="2023-03-29",
        source=make_source(),
        note=PAYLOADS[8],
        dispute=PAYLOADS[9],
    )
    return agendas


def test_the_corpus_reaches_every_markdown_field(hostile_site):
    """Every Markdown field of every model (from the registry) holds every payload."""
    fields = [
        (model, name)
        for model in apps.get_app_config("agendas").get_models()
        for name in getattr(model, "markdown_fields", ())
    ]
    assert len(fields) >= 6
    for model, name in fields:
        held = set(model.objects.values_list(name, flat=True))
        assert set(PAYLOADS) <= held, f"{model.__name__}.{name}"


def public_urls(agendas):
    first, second = agendas[0], agendas[1]
    critique = Critique.objects.get(slug="hostile-critique-0")
    urls = [
        reverse("agendas:home"),
        reverse("agendas:agenda_list"),
        reverse("agendas:agenda_list") + "?q=script",
        reverse("agendas:compare") + f"?a={first.slug}&a={second.slug}",
        reverse("agendas:compare") + f"?a={first.slug}&a={second.slug}&diff=1",
        reverse("agendas:assumption_list"),
        reverse("agendas:critique_list"),
        critique.get_absolute_url(),
        reverse("agendas:criterion_list"),
        reverse("agendas:problem_list"),
        reverse("agendas:organisation_list"),
        reverse("agendas:tag_list"),
        reverse("agendas:tag_detail", args=["tag-0"]),
        reverse("agendas:search") + "?q=alert",
        reverse("agendas:search") + "?q=" + "%3Cscript%3E",
    ]
    for agenda in agendas:
        urls.append(agenda.get_absolute_url())
        urls.append(agenda.reliances.first().assumption.get_absolute_url())
        urls.append(agenda.organisations.first().get_absolute_url())
    urls.append(agendas[0].ratings.first().criterion.get_absolute_url())
    return urls


def test_no_page_carries_anything_executable(client, hostile_site):
    for url in public_urls(hostile_site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert executable_parts(response.content.decode()) == [], url


def test_feeds_carry_nothing_executable(client, hostile_site):
    feeds = [reverse("agendas:critiques_feed")] + [
        reverse("agendas:agenda_critiques_feed", args=[agenda.slug]) for agenda in hostile_site[:5]
    ]
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ElementTree.fromstring(response.content)  # well-formed XML, nothing broke out
        for element in root.iter():
            # Entry content is HTML that feed readers render: check it as HTML.
            text = element.text or ""
            if element.attrib.get("type") == "html":
                assert executable_parts(text) == [], url
            assert executable_parts(text) == [] or element.attrib.get("type") == "html", url


def test_exports_are_served_as_data_not_pages(client, hostile_site):
    response = client.get(reverse("agendas:export_json"))
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert PAYLOADS[0] in json.dumps(data)  # kept as data, faithfully
    response = client.get(reverse("agendas:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>x</script>"]
)
def test_the_database_refuses_non_web_links(db, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(url=url)
    assert not Source.objects.filter(url=url).exists()


def test_organisation_links_must_be_web_links_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_organisation(url="javascript:alert(1)")
