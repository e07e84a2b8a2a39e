"""Critiques go from submitted to published or rejected, and only editors decide."""

import pytest
from django.urls import reverse

from agendas.models import Critique
from tests.builders import make_agenda, make_critique, make_source
from tests.test_history import admin_page_data

Status = Critique.Status
CHANGELIST = reverse("admin:agendas_critique_changelist")


def change_url(critique):
    return reverse("admin:agendas_critique_change", args=[critique.pk])


def critique_form(agenda, **overrides):
    data = {
        "agenda": agenda.pk,
        "assumption": "",
        "title": "Judges can be fooled",
        "slug": "judges-can-be-fooled",
        "kind": Critique.Kind.SCALABILITY,
        "severity": Critique.Severity.MAJOR,
        "severity_confidence": "medium",
        "body": "A strong enough debater wins with a false answer.",
        "author": "A. Critic",
        "voice": Critique.Voice.OUTSIDE,
        "basis": Critique.Basis.ABSTRACT,
        "basis_source": "",
        "source": "",
        "response": "",
        "response_source": "",
    }
    return data | overrides


def act(client, action, critiques, query="", follow=True):
    """Post an action as the queue's form does: each row with the revision it showed."""
    data = {"action": action, "_selected_action": [c.pk for c in critiques]}
    data |= {f"seen_revision_{c.pk}": c.revision for c in critiques}
    return client.post(CHANGELIST + query, data, follow=follow)


def messages_on(response):
    return [str(message) for message in response.context["messages"]]


def test_contributor_submission_is_saved_as_submitted_by_them(client, contributor):
    agenda = make_agenda()
    client.force_login(contributor)
    # Trying to publish one's own critique through the form is ignored.
    response = client.post(
        reverse("admin:agendas_critique_add"),
        critique_form(agenda, status=Status.PUBLISHED, reviewed_by=contributor.pk),
    )
    assert response.status_code == 302
    critique = Critique.objects.get(slug="judges-can-be-fooled")
    assert critique.status == Status.SUBMITTED
    assert critique.submitted_by == contributor
    assert critique.reviewed_by is None
    assert critique.reviewed_at is None


def test_contributor_form_shows_status_but_never_as_a_field(client, contributor):
    client.force_login(contributor)
    form = client.get(reverse("admin:agendas_critique_add")).context["adminform"].form
    assert {"status", "reviewed_by", "reviewed_at", "submitted_by"}.isdisjoint(form.fields)
    assert {"agenda", "title", "body"} <= set(form.fields)


def test_editor_form_lets_them_set_status_but_not_who_reviewed(client, editor):
    client.force_login(editor)
    form = client.get(reverse("admin:agendas_critique_add")).context["adminform"].form
    assert "status" in form.fields
    assert {"reviewed_by", "reviewed_at", "submitted_by"}.isdisjoint(form.fields)


def test_editor_publishing_through_the_form_records_the_review(client, editor):
    critique = make_critique(status=Status.SUBMITTED)
    client.force_login(editor)
    response = client.post(
        change_url(critique),
        critique_form(critique.agenda, status=Status.PUBLISHED, seen_revision=critique.revision),
    )
    assert response.status_code == 302
    critique.refresh_from_db()
    assert critique.status == Status.PUBLISHED
    assert critique.reviewed_by == editor
    assert critique.reviewed_at is not None


@pytest.mark.parametrize("size", [3, 8])
@pytest.mark.parametrize(
    ("action", "status"), [("publish", Status.PUBLISHED), ("reject", Status.REJECTED)]
)
def test_editor_action_decides_selected_critiques_in_one_update(
    client, editor, django_assert_num_queries, action, status, size
):
    queued = [make_critique(status=Status.SUBMITTED) for _ in range(size)]
    untouched = make_critique(status=Status.SUBMITTED)
    client.force_login(editor)
    # session, user, the editor's user and group permissions, the changelist's filtered
    # and full counts; then in a transaction (SAVEPOINT ... RELEASE): the selected rows,
    # locked, one UPDATE, one INSERT of their history.
    with django_assert_num_queries(11) as captured:
        response = act(client, action, queued, follow=False)
    assert response.status_code == 302
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert f"{size} critiques {status.label.lower()}." in messages_on(client.get(CHANGELIST))
    for critique in queued:
        critique.refresh_from_db()
        assert (critique.status, critique.reviewed_by) == (status, editor)
        assert critique.reviewed_at is not None
        # The decision is in the history too, made by the editor.
        latest = critique.history.first()
        assert (latest.status, latest.history_user) == (status, editor)
    untouched.refresh_from_db()
    assert untouched.status == Status.SUBMITTED


def test_action_counts_only_critiques_it_changed(client, editor):
    published = make_critique(status=Status.PUBLISHED)
    submitted = make_critique(status=Status.SUBMITTED)
    client.force_login(editor)
    response = act(client, "publish", [published, submitted], query="?status=all")
    assert "1 critique published." in messages_on(response)


def test_editor_can_reject_a_published_critique(client, editor):
    critique = make_critique(status=Status.PUBLISHED)
    client.force_login(editor)
    act(client, "reject", [critique], query="?status=published")
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_by) == (Status.REJECTED, editor)


def test_contributor_cannot_publish_by_posting_the_action(client, contributor):
    own = make_critique(status=Status.SUBMITTED, submitted_by=contributor)
    client.force_login(contributor)
    response = client.get(CHANGELIST)
    assert 'value="publish"' not in response.text
    for action in ["publish", "reject"]:
        act(client, action, [own])
        own.refresh_from_db()
        assert own.status == Status.SUBMITTED
        assert own.reviewed_by is None


def test_editors_open_the_critiques_on_the_moderation_queue(client, editor):
    make_critique(title="Waiting for a decision", status=Status.SUBMITTED)
    make_critique(title="Already out", status=Status.PUBLISHED)
    make_critique(title="Turned down", status=Status.REJECTED)
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assert response.context["title"] == "Moderation queue: critiques awaiting review"
    titles = [c.title for c in response.context["cl"].result_list]
    assert titles == ["Waiting for a decision"]
    assert "Awaiting review (moderation queue)" in response.text

    everything = client.get(CHANGELIST + "?status=all")
    assert len(everything.context["cl"].result_list) == 3
    published = client.get(CHANGELIST + "?status=published")
    assert [c.title for c in published.context["cl"].result_list] == ["Already out"]


def test_unknown_status_filter_value_falls_back_to_the_queue(client, editor):
    make_critique(title="Waiting", status=Status.SUBMITTED)
    make_critique(title="Out", status=Status.PUBLISHED)
    client.force_login(editor)
    response = client.get(CHANGELIST + "?status=%3Cscript%3E")
    assert response.status_code == 200
    assert [c.title for c in response.context["cl"].result_list] == ["Waiting"]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED])
def test_undecided_and_rejected_critiques_never_reach_public_pages(client, db, status):
    agenda = make_agenda(name="Debate")
    make_critique(agenda=agenda, title="Shown to everyone")
    make_critique(agenda=agenda, title="Kept out of sight", status=status)
    for url in ["/", agenda.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Shown to everyone" in response.text, url
        assert "Kept out of sight" not in response.text, url


def test_published_through_the_action_then_shows_on_the_agenda_page(client, editor):
    critique = make_critique(title="Now public", status=Status.SUBMITTED)
    url = critique.agenda.get_absolute_url()
    assert "Now public" not in client.get(url).text
    client.force_login(editor)
    act(client, "publish", [critique])
    client.logout()
    assert "Now public" in client.get(url).text


def test_status_filter_offers_linked_critiques(client, editor):
    make_critique(title="Only linked", status=Status.LINKED)
    make_critique(title="Waiting", status=Status.SUBMITTED)
    client.force_login(editor)
    page = client.get(CHANGELIST)
    assert "Linked, not yet summarised" in page.text
    linked = client.get(CHANGELIST + "?status=linked")
    assert [c.title for c in linked.context["cl"].result_list] == ["Only linked"]


def test_editor_summarises_a_linked_critique_and_publishes_it(client, editor):
    critique = make_critique(title="Debate fails", status=Status.LINKED)
    client.force_login(editor)
    page = client.get(change_url(critique))
    assert page.status_code == 200
    assert "No summary yet." in page.text
    form = admin_page_data(page) | {
        "body": "Judges can be fooled by a stronger debater.",
        "kind": Critique.Kind.SCALABILITY,
        "severity": Critique.Severity.MAJOR,
        "severity_confidence": "low",
        "voice": Critique.Voice.OUTSIDE,
        "basis": Critique.Basis.FULL_TEXT,
        "status": Status.PUBLISHED,
    }
    assert client.post(change_url(critique), form).status_code == 302
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_by) == (Status.PUBLISHED, editor)
    assert critique.reviewed_revision == critique.revision
    client.logout()
    assert "Judges can be fooled" in client.get(critique.get_absolute_url()).text


def test_publishing_a_linked_critique_unassessed_is_refused_with_a_message(client, editor):
    critique = make_critique(title="Only linked", status=Status.LINKED)
    client.force_login(editor)
    page = client.get(change_url(critique))
    # Published straight from the form, without kind or severity: form errors.
    response = client.post(change_url(critique), admin_page_data(page) | {"status": "published"})
    assert response.status_code == 200
    assert {"kind", "severity"} <= set(response.context["adminform"].form.errors)
    for action in ["publish", "reject"]:
        response = act(client, action, [critique], query="?status=linked")
        assert any("only linked" in message for message in messages_on(response)), action
        critique.refresh_from_db()
        assert critique.status == Status.LINKED


def test_a_linked_critique_claims_no_kind_or_severity(client, editor):
    critique = make_critique(status=Status.LINKED)
    client.force_login(editor)
    form = admin_page_data(client.get(change_url(critique))) | {"kind": "evidence"}
    response = client.post(change_url(critique), form)
    assert response.status_code == 200
    assert "claims no kind, severity, voice or reading" in str(
        response.context["adminform"].form.errors
    )
    critique.refresh_from_db()
    assert critique.kind == ""


@pytest.mark.parametrize("size", [2, 8])
def test_the_queue_with_its_previews_costs_a_fixed_number_of_queries(
    client, editor, contributor, django_assert_num_queries, size
):
    for _ in range(size):
        make_critique(
            status=Status.SUBMITTED,
            submitted_by=contributor,
            source=make_source(),
            response="They disagree.",
            response_source=make_source(),
        )
    client.force_login(editor)
    # session, user, the editor's user and group permissions, the filtered and full counts,
    # the page of rows (agenda, people and both sources joined, for the previews).
    with django_assert_num_queries(7):
        page = client.get(CHANGELIST)
        assert page.status_code == 200
    assert page.text.count('name="seen_revision_') == size


def test_contributor_cannot_cite_another_contributors_pending_source(
    client, contributor, other_contributor
):
    theirs = make_source(is_approved=False, added_by=other_contributor)
    mine = make_source(is_approved=False, added_by=contributor)
    client.force_login(contributor)
    url = reverse("admin:agendas_critique_add")
    response = client.post(url, critique_form(make_agenda(), source=theirs.pk))
    assert response.status_code == 200
    assert "source" in response.context["adminform"].form.errors
    assert client.post(url, critique_form(make_agenda(), source=mine.pk)).status_code == 302
