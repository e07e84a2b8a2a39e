"""The admin as a superuser sees it: every page answers, changelists cost a fixed number
of queries, and deleting an agenda that people have written about is refused cleanly."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agendas.admin.agendas import AgendaAdmin
from agendas.models import Agenda, Critique
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
    make_suggestion,
)
from tests.test_history import admin_page_data

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)
OURS = [(app, name) for app, name in REGISTERED if app == "agendas"]


def populate(size):
    """`size` agendas, each with everything that hangs off it, so changelists have rows."""
    criterion, assessor = make_criterion(), make_assessor()
    for _ in range(size):
        area = make_area(parent=make_area())
        agenda = make_agenda(area=area)
        organisation = make_organisation()
        agenda.organisations.add(organisation)
        agenda.problems.add(make_problem())
        agenda.tags.add("oversight")
        make_agenda_alias(agenda=agenda)
        make_reliance(agenda=agenda, assumption=make_assumption())
        make_rating(agenda=agenda, criterion=criterion, assessor=assessor, score=4)
        make_rating(agenda=agenda, criterion=make_criterion(), assessor=make_assessor(), score=2)
        make_critique(agenda=agenda)
        make_critique(agenda=agenda, status=Critique.Status.SUBMITTED)
        make_figure(organisation=organisation, source=make_source())
        make_suggestion(agenda=agenda, page=agenda.get_absolute_url())


def changelist(app, name):
    return reverse(f"admin:{app}_{name}_changelist")


def test_every_model_of_the_app_is_in_the_admin():
    expected = {
        "area",
        "problem",
        "source",
        "organisation",
        "agenda",
        "agendaalias",
        "assumption",
        "reliance",
        "critique",
        "criterion",
        "assessor",
        "rating",
        "figure",
        "suggestion",
    }
    assert {name for _, name in OURS} == expected


@pytest.mark.parametrize(("app", "name"), REGISTERED)
def test_every_changelist_and_add_page_answers_for_a_superuser(client, superuser, app, name):
    populate(2)
    client.force_login(superuser)
    assert client.get(changelist(app, name)).status_code == 200
    add_page = client.get(reverse(f"admin:{app}_{name}_add"))
    # django-axes' log of login attempts is read-only by design, and suggestions come only
    # from readers (the public form); everything else is addable.
    assert add_page.status_code == (403 if app == "axes" or name == "suggestion" else 200)


@pytest.mark.parametrize(("app", "name"), OURS)
def test_every_change_page_answers_for_a_superuser(client, superuser, app, name):
    populate(1)
    model = admin.site._registry[
        next(m for m in admin.site._registry if m._meta.model_name == name)
    ].model
    obj = model.objects.first()
    client.force_login(superuser)
    response = client.get(reverse(f"admin:{app}_{name}_change", args=[obj.pk]))
    assert response.status_code == 200


# Queries per changelist: session and user, then two COUNTs (the filtered page count and
# the full count), the page of rows (counts and means are subqueries, foreign keys joined),
# and one per filter or date hierarchy that lists its choices from the data. The same at
# both data sizes.
CHANGELIST_QUERIES = {
    "agenda": 5 + 2,  # filters: area (only areas in use), problems
    "agendaalias": 5,
    "area": 5 + 1,  # filter: parent area
    "assessor": 5,
    "assumption": 5,
    "criterion": 5,
    "critique": 5,
    "figure": 5 + 3,  # filter: organisation; date hierarchy: range and years
    "organisation": 5,
    "problem": 5,
    "rating": 5 + 5,  # filters: criterion, assessor, score; date hierarchy: range, years
    "reliance": 5,
    "source": 5 + 1,  # filter: year
    "suggestion": 5 + 2,  # date hierarchy: range and years
}


# Critiques open on the moderation queue for editors; show all of them here.
QUERY = {"critique": "?status=all"}


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("name", sorted(CHANGELIST_QUERIES))
def test_changelist_costs_a_fixed_number_of_queries(
    client, superuser, django_assert_num_queries, name, size
):
    populate(size)
    client.force_login(superuser)
    with django_assert_num_queries(CHANGELIST_QUERIES[name]):
        response = client.get(changelist("agendas", name) + QUERY.get(name, ""))
        assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= size


def test_agenda_changelist_shows_counts_and_the_stored_score_with_its_confidence(client, superuser):
    agenda = make_agenda(name="Debate")
    make_critique(agenda=agenda)
    make_critique(agenda=agenda, status=Critique.Status.SUBMITTED)
    make_critique(agenda=agenda, status=Critique.Status.SUBMITTED)
    # Weighted 1:3, so the stored score (1.75) is not the plain mean of the ratings (2.5).
    make_rating(agenda=agenda, score=4, criterion=make_criterion(weight=1), confidence="high")
    make_rating(agenda=agenda, score=1, criterion=make_criterion(weight=3), confidence="low")
    strong = make_agenda(name="Strong")
    make_rating(agenda=strong, score=5)
    make_agenda(name="Unrated")
    agenda.refresh_from_db()
    assert (agenda.overall_score, agenda.score_confidence) == (1.75, "low")
    client.force_login(superuser)
    response = client.get(changelist("agendas", "agenda"))
    row = next(row for row in response.context["cl"].result_list if row.pk == agenda.pk)
    assert (row.published_critique_count, row.submitted_critique_count) == (1, 2)
    assert row.rating_count == 2
    assert '<td class="field-overall_score_shown">1.75 (low confidence)</td>' in response.text
    assert "not rated" in response.text
    # The agenda's own page shows the same number.
    client.logout()
    assert ">1.75<" in client.get(agenda.get_absolute_url()).text

    client.force_login(superuser)
    column = AgendaAdmin.list_display.index("overall_score_shown") + 1
    for order, names in [
        (column, ["Unrated", "Debate", "Strong"]),
        (-column, ["Strong", "Debate", "Unrated"]),
    ]:
        page = client.get(changelist("agendas", "agenda"), {"o": order})
        assert [row.name for row in page.context["cl"].result_list] == names


def test_agenda_page_has_reliance_and_rating_inlines_and_links_to_its_critiques(client, superuser):
    agenda = make_agenda()
    make_reliance(agenda=agenda)
    make_rating(agenda=agenda)
    critique = make_critique(agenda=agenda, title="Judges get fooled <b>")
    client.force_login(superuser)
    response = client.get(reverse("admin:agendas_agenda_change", args=[agenda.pk]))
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert {"reliances", "ratings"} <= prefixes
    link = reverse("admin:agendas_critique_change", args=[critique.pk])
    assert f'<a href="{link}">Judges get fooled &lt;b&gt;</a> (Published)' in response.text


def test_deleting_an_agenda_with_critiques_is_refused_with_a_message(client, superuser):
    agenda = make_agenda(name="Debate")
    critique = make_critique(agenda=agenda, title="Honest debaters may lose")
    client.force_login(superuser)
    url = reverse("admin:agendas_agenda_delete", args=[agenda.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.text
    assert "Honest debaters may lose" in page.text

    confirmed = client.post(url, {"post": "yes"})
    assert confirmed.status_code == 200
    assert "protected related objects" in confirmed.text
    assert Agenda.objects.filter(pk=agenda.pk).exists()
    assert Critique.objects.filter(pk=critique.pk).exists()


def test_bulk_delete_of_an_agenda_with_critiques_is_refused_with_a_message(client, superuser):
    agenda = make_agenda()
    critique = make_critique(agenda=agenda)
    client.force_login(superuser)
    response = client.post(
        changelist("agendas", "agenda"),
        {"action": "delete_selected", "_selected_action": [agenda.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "protected related objects" in response.text
    assert Agenda.objects.filter(pk=agenda.pk).exists()
    assert Critique.objects.filter(pk=critique.pk).exists()


def test_superuser_can_delete_an_agenda_nobody_wrote_about(client, superuser):
    agenda = make_agenda()
    make_agenda_alias(agenda=agenda)
    agenda.tags.add("oversight")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:agendas_agenda_delete", args=[agenda.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Agenda.objects.filter(pk=agenda.pk).exists()


def test_editor_gets_no_delete_permission_on_user_written_content(client, editor):
    agenda = make_agenda()
    critique = make_critique(agenda=agenda)
    rating = make_rating(agenda=agenda)
    reliance = make_reliance(agenda=agenda)
    client.force_login(editor)
    for name, obj in [
        ("agenda", agenda),
        ("critique", critique),
        ("rating", rating),
        ("reliance", reliance),
        ("assumption", reliance.assumption),
    ]:
        response = client.post(
            reverse(f"admin:agendas_{name}_delete", args=[obj.pk]), {"post": "yes"}
        )
        assert response.status_code == 403, name
        model_admin = admin.site._registry[type(obj)]
        request = response.wsgi_request
        assert not model_admin.has_delete_permission(request, obj), name
    for name in ["agenda", "critique", "rating", "reliance", "assumption"]:
        page = client.get(changelist("agendas", name) + QUERY.get(name, ""))
        assert page.status_code == 200
        assert 'value="delete_selected"' not in page.text, name
    assert Agenda.objects.filter(pk=agenda.pk).exists()


@pytest.mark.parametrize(
    "query",
    [
        "?q=%00",
        "?q=" + "x" * 2000,
        "?q=%25_%5C'%22",
        "?o=abc",
        "?o=99",
        "?p=999999",
        "?p=-1",
        "?status=nonsense",
        "?area__id__exact=abc",
        "?score=abc",
        "?date__year=abc",
        "?_selected_action=abc",
        # Lookups no filter declares (Django lets any local-field lookup reach the database).
        "?name__regex=(",
        "?fte_low__in=99999999999999999999",
        "?year__in=1,abc",
        "?created__gte=9999-99-99",
        # Declared filters with values out of range.
        "?area__id__exact=99999999999999999999",
        "?score=99999999999999999999",
        "?date__year=99999999999",
        "?date__year=9999&date__month=12",
        "?date__year=2023&date__month=13",
        "?o=1.-1.99999999999999999999",
    ],
)
@pytest.mark.parametrize("name", ["agenda", "critique", "rating", "source"])
def test_odd_changelist_queries_never_give_a_500(client, superuser, name, query):
    populate(1)
    client.force_login(superuser)
    response = client.get(changelist("agendas", name) + query)
    assert response.status_code in (200, 302, 400, 404)


# -- the fields of the field-wide schema ----------------------------------------------------

DERIVED = {
    "overall_score",
    "score_confidence",
    "disagreement",
    "description_html",
    "theory_of_change_html",
    "funders_html",
    "body_html",
    "response_html",
    "revision",
    "reviewed_revision",
}


def form_page(client, name, obj=None):
    url = (
        reverse(f"admin:agendas_{name}_change", args=[obj.pk])
        if obj
        else reverse(f"admin:agendas_{name}_add")
    )
    return url, client.get(url)


@pytest.mark.parametrize("name", ["agenda", "critique", "assumption", "rating"])
def test_derived_fields_are_never_form_fields(client, editor, name):
    client.force_login(editor)
    _, page = form_page(client, name)
    assert not DERIVED & set(page.context["adminform"].form.fields)


def test_agenda_form_edits_dated_people_and_status_and_shows_scores_read_only(client, editor):
    agenda = make_agenda()
    make_rating(agenda=agenda, score=4)
    client.force_login(editor)
    url, page = form_page(client, "agenda", agenda)
    fields = set(page.context["adminform"].form.fields)
    assert {"status_as_of", "status_source", "people_as_of", "people_source"} <= fields
    assert "4.00 (medium confidence)" in page.text

    source = make_source()
    data = admin_page_data(page) | {"people": "A. Researcher", "people_as_of": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "people_as_of" in response.context["adminform"].form.errors
    data |= {"people_as_of": "2025-12-01", "status_source": str(source.pk)}
    assert client.post(url, data).status_code == 302
    agenda.refresh_from_db()
    assert (str(agenda.people_as_of), agenda.status_source) == ("2025-12-01", source)


def test_ratings_carry_their_confidence_inline_and_in_the_rating_admin(client, editor):
    agenda = make_agenda()
    low = make_rating(agenda=agenda, confidence="low")
    make_rating(confidence="high")
    client.force_login(editor)
    _, page = form_page(client, "agenda", agenda)
    inline = next(f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "ratings")
    assert "confidence" in inline.formset.forms[0].fields
    listing = client.get(changelist("agendas", "rating") + "?confidence__exact=low")
    assert [rating.pk for rating in listing.context["cl"].result_list] == [low.pk]
    assert "Low confidence" in listing.text


def test_a_public_rater_needs_its_mapping_rule_and_caveats(client, editor):
    client.force_login(editor)
    url, page = form_page(client, "assessor")
    data = admin_page_data(page) | {
        "name": "Longterm Wiki",
        "slug": "longterm-wiki",
        "kind": "external",
        "viewpoint": "Rates approaches on several dimensions.",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert {"mapping_rule", "caveats"} <= set(response.context["adminform"].form.errors)
    data |= {"mapping_rule": "Their high is our 4.", "caveats": "Mostly unsourced."}
    assert client.post(url, data).status_code == 302


def test_an_organisation_description_needs_its_date(client, editor):
    client.force_login(editor)
    url, page = form_page(client, "organisation")
    data = admin_page_data(page) | {
        "name": "Example Lab",
        "slug": "example-lab",
        "description": "Builds models.",
        "source": str(make_source().pk),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "as_of" in response.context["adminform"].form.errors
    assert client.post(url, data | {"as_of": "2025-06-01"}).status_code == 302


def test_assumption_form_names_its_source(client, editor):
    assumption = make_assumption()
    source = make_source()
    client.force_login(editor)
    url, page = form_page(client, "assumption", assumption)
    data = admin_page_data(page) | {"source": str(source.pk)}
    assert client.post(url, data).status_code == 302
    assumption.refresh_from_db()
    assert assumption.source == source


def test_editor_adds_an_area_alias_on_the_area_page(client, editor):
    area = make_area(name="White-box safety")
    client.force_login(editor)
    url, page = form_page(client, "area", area)
    data = admin_page_data(page) | {"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Interp"}
    assert client.post(url, data).status_code == 302
    assert [alias.name for alias in area.aliases.all()] == ["Interp"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("critique", {"agenda": "abc"}),
        ("critique", {"agenda": "99999999999999999999"}),
        ("critique", {"agenda": "-99999999999999999999"}),
        ("critique", {"source": "1e3"}),
        ("agenda", {"area": "abc", "problems": ["1", "abc", "99999999999999999999"]}),
        ("rating", {"agenda": "99999999999999999999", "criterion": "abc"}),
    ],
)
def test_bad_foreign_keys_are_form_errors(client, superuser, name, data):
    populate(1)
    client.force_login(superuser)
    url = reverse(f"admin:agendas_{name}_add")
    response = client.post(url, admin_page_data(client.get(url)) | data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(data) - {"problems"} <= set(errors)


@pytest.mark.parametrize(
    "selected",
    [["abc", "99999999999999999999", "-1", "", "%00", "1.5"], ["{valid}", "abc"]],
)
@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("admin:agendas_critique_changelist", "publish"),
        ("admin:agendas_critique_changelist", "reject"),
        ("admin:agendas_source_changelist", "approve"),
        ("admin:agendas_area_changelist", "delete_selected"),
        ("admin:auth_user_changelist", "delete_selected"),
    ],
)
def test_bad_action_selections_change_nothing_and_never_give_a_500(
    client, superuser, url, action, selected
):
    populate(1)
    client.force_login(superuser)
    valid = str(superuser.pk)  # a valid id of any model with rows: nothing is posted "yes"
    selected = [valid if value == "{valid}" else value for value in selected]
    response = client.post(reverse(url), {"action": action, "_selected_action": selected})
    assert response.status_code in (200, 302)
