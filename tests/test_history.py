"""Edits made in the admin are kept, and editors can bring an old version back."""

import pytest
from django.urls import reverse
from taggit.forms import TagField

from agendas.models import Agenda, Critique
from tests.builders import make_agenda, make_critique, make_rating, make_reliance

Status = Critique.Status


def form_values(form):
    """The POST data a browser would send for `form` as rendered (its current values)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field, TagField):
            data[key] = field.widget.format_value(value) or ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is not None:
            data[key] = str(value)
    return data


def admin_page_data(response):
    """Form data for an admin change page, its inlines included."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data |= form_values(formset.management_form)
        for form in formset.forms:
            data |= form_values(form)
    return data


def change_url(obj):
    return reverse(f"admin:agendas_{obj._meta.model_name}_change", args=[obj.pk])


def revert_url(obj, version):
    name = f"admin:agendas_{obj._meta.model_name}_simple_history"
    return reverse(name, args=[obj.pk, version.history_id])


def test_editor_edits_an_agenda_and_reverts_it(client, editor):
    agenda = make_agenda(summary="Train models to debate so judges can follow.")
    agenda.tags.add("oversight")
    make_reliance(agenda=agenda)
    make_rating(agenda=agenda)
    original = agenda.history.earliest()
    client.force_login(editor)

    data = admin_page_data(client.get(change_url(agenda)))
    data |= {"summary": "Something else entirely.", "description": "Rewritten."}
    response = client.post(change_url(agenda), data)
    assert response.status_code == 302, response.context["errors"]
    agenda.refresh_from_db()
    assert agenda.summary == "Something else entirely."

    history = client.get(reverse("admin:agendas_agenda_history", args=[agenda.pk]))
    assert history.status_code == 200
    assert revert_url(agenda, original) in history.text

    form_page = client.get(revert_url(agenda, original))
    assert form_page.status_code == 200
    assert "Revert" in form_page.context["title"]
    response = client.post(revert_url(agenda, original), admin_page_data(form_page))
    assert response.status_code == 302
    agenda.refresh_from_db()
    assert agenda.summary == "Train models to debate so judges can follow."
    assert agenda.description == ""
    assert [tag.name for tag in agenda.tags.all()] == ["oversight"]
    latest = agenda.history.first()
    assert (latest.summary, latest.history_user) == (agenda.summary, editor)
    assert agenda.history.count() == 3


def test_editor_edits_a_critique_and_reverts_it(client, editor):
    critique = make_critique(title="Judges can be fooled", body="The first argument.")
    original = critique.history.earliest()
    client.force_login(editor)

    data = admin_page_data(client.get(change_url(critique)))
    data |= {"title": "A weaker claim", "body": "A different argument."}
    assert client.post(change_url(critique), data).status_code == 302
    critique.refresh_from_db()
    assert critique.title == "A weaker claim"
    assert critique.history.first().history_user == editor

    form_page = client.get(revert_url(critique, original))
    response = client.post(revert_url(critique, original), admin_page_data(form_page))
    assert response.status_code == 302
    critique.refresh_from_db()
    assert (critique.title, critique.body) == ("Judges can be fooled", "The first argument.")
    assert critique.status == Status.PUBLISHED


def test_view_only_users_cannot_revert_by_posting_the_version_form(client, contributor):
    # simple-history's version form saves on POST for anyone who may view the object;
    # the admin requires the change permission for that.
    agenda = make_agenda(summary="As the editors wrote it.")
    original = agenda.history.earliest()
    client.force_login(contributor)
    form_page = client.get(revert_url(agenda, original))
    assert form_page.status_code == 200
    assert "Revert" not in form_page.context["title"]
    data = admin_page_data(form_page) | {"summary": "Vandalised."}
    assert client.post(revert_url(agenda, original), data).status_code == 403
    agenda.refresh_from_db()
    assert agenda.summary == "As the editors wrote it."


def test_contributor_cannot_publish_by_reverting_to_a_published_version(
    client, contributor, editor
):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor)
    client.force_login(editor)
    publish = {
        "action": "publish",
        "_selected_action": [critique.pk],
        f"seen_revision_{critique.pk}": critique.revision,
    }
    client.post(reverse("admin:agendas_critique_changelist"), publish)
    published_version = critique.history.first()
    assert published_version.status == Status.PUBLISHED
    # The editor sends it back for more work, so its author may edit it again.
    data = admin_page_data(client.get(change_url(critique))) | {"status": Status.SUBMITTED}
    assert client.post(change_url(critique), data).status_code == 302

    client.force_login(contributor)
    form_page = client.get(revert_url(critique, published_version))
    assert form_page.status_code == 200
    response = client.post(revert_url(critique, published_version), admin_page_data(form_page))
    assert response.status_code == 302
    critique.refresh_from_db()
    assert critique.status == Status.SUBMITTED
    assert critique.reviewed_by is None


def test_contributor_cannot_revert_their_critique_once_published(client, contributor):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor, title="First")
    Critique.objects.filter(pk=critique.pk).update(title="Second")
    first = critique.history.earliest()
    critique.status = Status.PUBLISHED
    critique.title = "Published"
    critique.reviewed_at = critique.created
    critique.save()
    client.force_login(contributor)
    form_page = client.get(revert_url(critique, first))
    assert form_page.status_code == 200
    response = client.post(revert_url(critique, first), admin_page_data(form_page))
    assert response.status_code == 403
    critique.refresh_from_db()
    assert (critique.title, critique.status) == ("Published", Status.PUBLISHED)


def test_editors_see_who_changed_what(client, editor):
    agenda = make_agenda()
    client.force_login(editor)
    data = admin_page_data(client.get(change_url(agenda))) | {"summary": "New summary."}
    client.post(change_url(agenda), data)
    response = client.get(reverse("admin:agendas_agenda_history", args=[agenda.pk]))
    assert response.status_code == 200
    assert "editor" in response.text
    assert "New summary." in response.text
    assert Agenda.history.filter(id=agenda.pk, history_user=editor).exists()


@pytest.mark.parametrize("name", ["critique", "agenda", "rating", "assumption", "reliance"])
@pytest.mark.parametrize("bad", ["abc", "1e3", "99999999999999999999", "-99999999999999999999"])
def test_bad_ids_in_history_and_revert_urls_are_404(client, editor, name, bad):
    rating = make_rating()
    reliance = make_reliance(agenda=rating.agenda)
    critique = make_critique(agenda=rating.agenda)
    obj = {
        "critique": critique,
        "agenda": rating.agenda,
        "rating": rating,
        "assumption": reliance.assumption,
        "reliance": reliance,
    }[name]
    version = obj.history.first().history_id
    client.force_login(editor)
    for url in [
        f"/admin/agendas/{name}/{bad}/history/",
        f"/admin/agendas/{name}/{bad}/history/{version}/",
        f"/admin/agendas/{name}/{obj.pk}/history/{bad}/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
