"""Property-based tests: whatever a signed-in user sends to the admin, it never answers 5xx.

For each role (contributor, editor, superuser) Hypothesis sends requests to every registered
admin, other apps' included: changelists with invented filters, orderings, searches and
pages; change, delete, history and revert URLs with bad primary keys; add and change forms,
filled in as the page would send them, with fields replaced by non-numeric and out-of-range
foreign keys and other junk; actions with bad selections; the autocomplete and /admin/r/
views. The test client re-raises a view's exception, so a 500 fails with the request that
caused it. Each request runs in a transaction that is rolled back, so all meet the same data.
"""

from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from agendas.admin.base import HardenedAdmin, HardenedInline
from agendas.models import Critique
from tests.builders import (
    make_agenda,
    make_agenda_alias,
    make_area,
    make_assessor,
    make_assumption,
    make_criterion,
    make_critique,
    make_figure,
    make_organisation,
    make_problem,
    make_rating,
    make_reliance,
    make_source,
)
from tests.fuzzing import examples
from tests.test_history import admin_page_data

FUZZ = settings(max_examples=examples(300))  # per role

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _field_paths(model):
    """Names a filter or ordering could use: the model's fields and one hop further."""
    paths = []
    for field in model._meta.get_fields():
        paths.append(field.name)
        if field.is_relation and field.related_model is not None:
            paths += [f"{field.name}__{other.name}" for other in field.related_model._meta.fields]
    return paths


PATHS = sorted({path for model in MODELS for path in _field_paths(model)})
FIELD_NAMES = sorted({field.name for model in MODELS for field in model._meta.fields})
LOOKUPS = [
    *["", "__exact", "__id__exact", "__pk__exact", "__isnull", "__in", "__gte", "__lt"],
    *["__year", "__month", "__day", "__icontains", "__regex", "__range", "__exact__exact"],
]
RISKY_LOOKUPS = ["__in", "__regex", "__iregex", "__year", "__month", "__gte", "__range"]
RISKY_VALUES = ["(", "[", "99999999999999999999", "1,99999999999999999999", "10000", "-1"]
KNOWN = "{known}"  # replaced by the pk of a row that exists

text = st.text(st.characters(codec="utf-8"), max_size=60)
numbers = st.integers(min_value=-(10**25), max_value=10**25).map(str)
odd = st.sampled_from(
    [
        *["", "abc", "0", "-1", "1.5", "1e3", " 1", "1 ", "0x10", "NaN", "None", "null", "on"],
        *["99999999999999999999", "9223372036854775808", "-9223372036854775809", "2147483648"],
        *["%00", "\x00", "../1", "1/2", "1,2", "' OR 1=1 --", "<script>", "😀" * 20, "_1"],
        *["2023-13-45", "9999-12-31", "0000-00-00", "10000", "linked", "published"],
        *["(", "[", "*", "1,abc", "true,false"],
    ]
)
values = st.one_of(odd, numbers, text, st.just(KNOWN))

COMMON_KEYS = [
    *["o", "q", "p", "e", "all", "_popup", "_to_field", "_changelist_filters", "_facets"],
    *["status", "score", "is_approved__exact", "kind__exact", "year", "confidence"],
    *["date__year", "date__month", "date__day", "as_of__year", "as_of__month"],
]
orderings = st.lists(st.integers(min_value=-30, max_value=30), min_size=1, max_size=4).map(
    lambda numbers: ".".join(str(n) for n in numbers)
)


def changelist_params(model):
    """Query strings for one model's changelist: its own fields with lookups (most of which
    no filter declares), the admin's parameters, and anything else."""
    local = [field.name for field in model._meta.fields]
    lookups = st.sampled_from(LOOKUPS)
    keys = st.one_of(
        st.sampled_from(COMMON_KEYS),
        # Local fields first: Django lets any lookup on them through to the database.
        st.builds(str.__add__, st.sampled_from(local), lookups),
        st.builds(str.__add__, st.sampled_from(local), lookups),
        st.builds(str.__add__, st.sampled_from(_field_paths(model)), lookups),
        text,
    )
    # Lookups whose bad values fail only in the database (out of range, a broken pattern).
    risky = st.tuples(
        st.builds(str.__add__, st.sampled_from(local), st.sampled_from(RISKY_LOOKUPS)),
        st.sampled_from(RISKY_VALUES),
    )
    return st.lists(
        st.one_of(
            st.tuples(keys, st.one_of(odd, values)),
            risky,
            st.tuples(st.just("o"), st.one_of(orderings, values)),
        ),
        max_size=6,
    )


form_keys = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(
        [
            *["_save", "_continue", "_addanother", "_saveasnew", "seen_revision", "status"],
            *["is_approved", "revision", "reviewed_revision", "added_by", "overall_score"],
            *["ratings-TOTAL_FORMS", "ratings-0-criterion", "ratings-0-score", "aliases-0-name"],
            *["reliances-0-assumption", "ratings-0-confidence", "ratings-INITIAL_FORMS"],
        ]
    ),
    text,
)
actions = st.one_of(st.sampled_from(["publish", "reject", "approve", "delete_selected", ""]), text)


def _quote(value):
    return quote(value, safe="")


@st.composite
def admin_requests(draw):
    """(method, path, data, fill): one admin request; with fill, data is laid over the form
    values the page itself would send."""
    model = draw(st.sampled_from(MODELS))
    app, name = model._meta.app_label, model._meta.model_name
    base = f"/admin/{app}/{name}/"
    ids = st.one_of(odd, numbers, text, st.just(KNOWN))
    shape = draw(
        st.sampled_from(
            ["changelist", "object", "revert", "form", "action", "autocomplete", "shortcut"]
        )
    )
    if shape == "changelist":
        return "get", f"{base}?{urlencode(draw(changelist_params(model)))}", None, False
    if shape == "object":
        view = draw(st.sampled_from(["change/", "delete/", "history/", ""]))
        method = draw(st.sampled_from(["get", "post"]))
        data = {"post": "yes"} if method == "post" else None
        return method, f"{base}{_quote(draw(ids))}/{view}", data, False
    if shape == "revert":
        version = draw(st.one_of(ids, st.just("{version}")))
        return "get", f"{base}{_quote(draw(ids))}/history/{_quote(version)}/", None, False
    if shape == "form":
        target = draw(
            st.sampled_from(["add/", f"{KNOWN}/change/", f"{KNOWN}/history/{{version}}/"])
        )
        data = dict(draw(st.lists(st.tuples(form_keys, values), max_size=6)))
        return "post", base + target, data, True
    if shape == "action":
        data = {
            "action": draw(actions),
            "_selected_action": draw(st.lists(ids, max_size=4)),
            "index": draw(st.one_of(values, st.just("0"))),
        }
        extra = st.sampled_from(
            ["select_across", "post", f"seen_revision_{KNOWN}", "seen_revision_x"]
        )
        data |= dict(draw(st.lists(st.tuples(extra, values), max_size=3)))
        query = draw(st.sampled_from(["", "?status=all", "?status=linked", "?o=abc"]))
        return "post", base + query, data, False
    if shape == "autocomplete":
        query = {
            "app_label": draw(st.one_of(st.just(app), values)),
            "model_name": draw(st.one_of(st.just(name), values)),
            "field_name": draw(st.one_of(st.sampled_from(PATHS), values)),
            "term": draw(values),
            "page": draw(values),
        }
        return "get", f"/admin/autocomplete/?{urlencode(query)}", None, False
    content_type = draw(st.one_of(st.just("{content_type}"), numbers, odd))
    return "get", f"/admin/r/{_quote(content_type)}/{_quote(draw(ids))}/", None, False


@pytest.fixture
def admin_content(db, contributor, other_contributor):
    """One row of every model, drafts of two contributors, a linked and a rejected critique,
    and a second version of some rows for the history pages."""
    criterion, assessor = make_criterion(), make_assessor()
    organisation = make_organisation()
    agenda = make_agenda(area=make_area(parent=make_area()))
    agenda.organisations.add(organisation)
    agenda.problems.add(make_problem())
    agenda.tags.add("oversight")
    make_agenda_alias(agenda=agenda)
    make_reliance(agenda=agenda, assumption=make_assumption())
    make_rating(agenda=agenda, criterion=criterion, assessor=assessor)
    make_critique(agenda=agenda, source=make_source())
    make_critique(agenda=agenda, status=Critique.Status.SUBMITTED, submitted_by=contributor)
    make_critique(agenda=agenda, status=Critique.Status.SUBMITTED, submitted_by=other_contributor)
    make_critique(agenda=agenda, status=Critique.Status.REJECTED, submitted_by=other_contributor)
    make_critique(agenda=agenda, status=Critique.Status.LINKED)
    make_source(is_approved=False, added_by=other_contributor)
    make_figure(organisation=organisation, source=make_source())
    agenda.summary = "A second version, for the history pages."
    agenda.save()
    return {}  # the form values of each page, filled in on first use


def _known(model):
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).last()
    version = ""
    if hasattr(model, "history") and pk is not None:
        version = model.history.filter(pk=pk).values_list("history_id", flat=True).first()
    return str(pk or 1), str(version or 1)


def _fill(template, replacements):
    for key, value in replacements.items():
        template = template.replace(_quote(key), value).replace(key, value)
    # A form cannot carry NUL bytes through the test client's encoder, nor a browser's;
    # URLs carry them instead.
    return template.replace("\x00", "")


def _model_of(path):
    """The model whose admin the path is under (critiques for /admin/r/ and autocomplete)."""
    for model in MODELS:
        if path.startswith(f"/admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return Critique


def _send(client, form_values, method, path, data, fill):
    model = _model_of(path)
    known, version = _known(model)
    content_type = str(ContentType.objects.get_for_model(model).pk)
    replacements = {KNOWN: known, "{version}": version, "{content_type}": content_type}
    path = _fill(path, replacements)
    if data is not None:
        data = {
            _fill(key, replacements): (
                [_fill(item, replacements) for item in value]
                if isinstance(value, list)
                else _fill(value, replacements)
            )
            for key, value in data.items()
        }
    if fill:
        if path not in form_values:
            page = client.get(path)
            has_form = page.status_code == 200 and page.context and "adminform" in page.context
            form_values[path] = admin_page_data(page) if has_form else {}
        data = form_values[path] | data
    if method == "get":
        return client.get(path)
    return client.post(path, data or {})


def test_every_registered_admin_and_inline_is_hardened():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, HardenedAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, HardenedInline), (model, inline)


@pytest.mark.parametrize("role", ["contributor", "editor", "superuser"])
@FUZZ
@given(shape=admin_requests())
def test_admin_never_answers_5xx(client, request, admin_content, role, shape):
    client.force_login(request.getfixturevalue(role))
    with transaction.atomic():
        response = _send(client, admin_content, *shape)
        transaction.set_rollback(True)
    assert response.status_code < 500, (role, shape, response.status_code)
