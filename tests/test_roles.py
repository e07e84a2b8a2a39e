"""Who may do what in the admin: one user per role (anonymous, contributor, another
contributor, editor, superuser)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agendas.models import Critique
from tests.builders import make_agenda, make_criterion, make_critique

Status = Critique.Status


def critique_form(critique, **overrides):
    data = {
        "agenda": critique.agenda_id,
        "assumption": "",
        "title": critique.title,
        "slug": critique.slug,
        "kind": critique.kind,
        "severity": critique.severity,
        "severity_confidence": critique.severity_confidence,
        "body": critique.body,
        "author": critique.author,
        "voice": critique.voice,
        "basis": critique.basis,
        "basis_source": "",
        "source": "",
        "response": "",
        "response_source": "",
        "seen_revision": critique.revision,
    }
    return data | overrides


def criterion_form(criterion, **overrides):
    data = {
        field: getattr(criterion, field)
        for field in ["name", "slug", "question", "weight", "order"]
        + [f"guidance_{score}" for score in range(1, 6)]
    }
    return data | overrides


def change(name, obj):
    return reverse(f"admin:agendas_{name}_change", args=[obj.pk])


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/agendas/critique/",
        "/admin/agendas/critique/add/",
        "/admin/agendas/agenda/",
        "/admin/auth/user/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_contributor_edits_their_own_submitted_critique(client, contributor):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor)
    client.force_login(contributor)
    assert client.get(change("critique", critique)).status_code == 200
    response = client.post(change("critique", critique), critique_form(critique, title="Sharper"))
    assert response.status_code == 302
    critique.refresh_from_db()
    assert (critique.title, critique.status) == ("Sharper", Status.SUBMITTED)


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.REJECTED])
def test_contributor_cannot_edit_their_critique_once_decided(client, contributor, status):
    critique = make_critique(status=status, submitted_by=contributor, title="As decided")
    client.force_login(contributor)
    page = client.get(change("critique", critique))
    assert page.status_code == 200  # they may still read it
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.text
    response = client.post(change("critique", critique), critique_form(critique, title="Edited"))
    assert response.status_code == 403
    critique.refresh_from_db()
    assert (critique.title, critique.status) == ("As decided", status)


def test_contributor_cannot_open_or_edit_another_contributors_critique(
    client, contributor, other_contributor
):
    theirs = make_critique(
        status=Status.SUBMITTED, submitted_by=other_contributor, title="Not yours"
    )
    client.force_login(contributor)
    url = change("critique", theirs)
    assert client.get(url).status_code == 404
    assert client.post(url, critique_form(theirs, title="Hijacked")).status_code == 404
    history = reverse("admin:agendas_critique_history", args=[theirs.pk])
    missing = reverse("admin:agendas_critique_history", args=[theirs.pk + 1000])
    # Another's critique and no critique at all look the same: ids tell nothing.
    assert client.get(history).status_code == client.get(missing).status_code == 404
    version = theirs.history.first()
    revert = reverse("admin:agendas_critique_simple_history", args=[theirs.pk, version.pk])
    assert client.get(revert).status_code == 404
    assert client.post(revert, critique_form(theirs, title="Hijacked")).status_code == 404
    listing = client.get(reverse("admin:agendas_critique_changelist"))
    assert "Not yours" not in listing.text
    theirs.refresh_from_db()
    assert theirs.title == "Not yours"


def test_contributor_sees_only_their_own_critiques_in_the_list(
    client, contributor, other_contributor
):
    make_critique(status=Status.SUBMITTED, submitted_by=contributor, title="Mine, waiting")
    make_critique(status=Status.PUBLISHED, submitted_by=contributor, title="Mine, out")
    make_critique(status=Status.SUBMITTED, submitted_by=other_contributor, title="Theirs")
    make_critique(status=Status.PUBLISHED, title="The editors'")
    client.force_login(contributor)
    response = client.get(reverse("admin:agendas_critique_changelist"))
    titles = sorted(c.title for c in response.context["cl"].result_list)
    assert titles == ["Mine, out", "Mine, waiting"]


def test_contributor_can_read_agendas_but_not_change_them(client, contributor):
    agenda = make_agenda(name="Debate")
    client.force_login(contributor)
    assert client.get(change("agenda", agenda)).status_code == 200
    assert client.post(change("agenda", agenda), {"name": "Renamed"}).status_code == 403
    agenda.refresh_from_db()
    assert agenda.name == "Debate"


def test_editor_edits_any_critique(client, editor, contributor):
    critique = make_critique(status=Status.PUBLISHED, submitted_by=contributor)
    client.force_login(editor)
    response = client.post(
        change("critique", critique),
        critique_form(critique, title="Tightened", status=Status.PUBLISHED),
    )
    assert response.status_code == 302
    critique.refresh_from_db()
    assert (critique.title, critique.submitted_by) == ("Tightened", contributor)


def test_editor_can_read_criteria_but_not_change_weights(client, editor):
    criterion = make_criterion(weight=Decimal("1.00"))
    client.force_login(editor)
    page = client.get(change("criterion", criterion))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(change("criterion", criterion), criterion_form(criterion, weight="9"))
    assert response.status_code == 403
    assert client.get(reverse("admin:agendas_criterion_add")).status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("1.00")


def test_superuser_changes_a_criterion_weight(client, superuser):
    criterion = make_criterion(weight=Decimal("1.00"))
    client.force_login(superuser)
    response = client.post(change("criterion", criterion), criterion_form(criterion, weight="2.5"))
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("2.50")


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_superusers_manage_users_and_groups(db, client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    group = Group.objects.get(name="Editors")
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[user.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_change", args=[group.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    # Promoting oneself is refused too.
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {"username": user.username, "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_superuser


def test_superuser_manages_users(client, superuser, contributor):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_change", args=[contributor.pk])).status_code == 200


def test_role_groups_hold_the_expected_permissions(db):
    contributors = set(
        Group.objects.get(name="Contributors").permissions.values_list("codename", flat=True)
    )
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert "moderate_critique" not in contributors
    assert {"moderate_critique", "change_critique", "change_agenda", "change_rating"} <= editors
    # Area aliases are edited inline on the area page (migration 0010).
    assert {"add_areaalias", "change_areaalias", "delete_areaalias"} <= editors
    # Nothing user-written can be deleted by either group, and the rubric is superusers' own.
    deletable = {"critique", "rating", "reliance", "assumption", "agenda"}
    assert not {f"delete_{name}" for name in deletable} & (contributors | editors)
    assert not {"add_criterion", "change_criterion", "delete_criterion"} & editors
    assert not [codename for codename in editors if codename.endswith(("_user", "_group"))]


def test_staff_without_a_group_sees_no_critiques(client, db):
    outsider = User.objects.create_user("outsider", password="pw-outsider-1", is_staff=True)
    make_critique()
    client.force_login(outsider)
    assert client.get(reverse("admin:agendas_critique_changelist")).status_code == 403


@pytest.mark.parametrize("field", ["agenda", "assumption", "source"])
def test_contributor_can_search_what_a_critique_points_at(client, contributor, field):
    agenda = make_agenda(name="Debate")
    client.force_login(contributor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "agendas", "model_name": "critique", "field_name": field, "term": "Deb"},
    )
    assert response.status_code == 200
    if field == "agenda":
        assert response.json()["results"] == [{"id": str(agenda.pk), "text": "Debate"}]


def test_contributor_reading_an_agenda_sees_no_list_of_undecided_critiques(
    client, contributor, editor, other_contributor
):
    agenda = make_agenda()
    make_critique(
        agenda=agenda, status=Status.SUBMITTED, submitted_by=other_contributor, title="Draft"
    )
    client.force_login(contributor)
    assert "Draft" not in client.get(change("agenda", agenda)).text
    client.force_login(editor)
    assert "Draft" in client.get(change("agenda", agenda)).text


def shortcut(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED])
def test_contributor_cannot_resolve_another_contributors_draft_through_admin_r(
    client, contributor, other_contributor, status
):
    theirs = make_critique(status=status, submitted_by=other_contributor, slug="secret-draft")
    mine = make_critique(status=Status.SUBMITTED, submitted_by=contributor, slug="my-draft")
    client.force_login(contributor)
    response = client.get(shortcut(theirs))
    assert response.status_code == 404
    assert "secret-draft" not in response.text
    # Their own resolve (what they may open in the admin), drafts and published alike.
    assert client.get(shortcut(mine))["Location"].endswith("/critiques/my-draft/")
    published = make_critique(slug="out-there", submitted_by=contributor)
    assert client.get(shortcut(published))["Location"].endswith("/critiques/out-there/")


def test_walking_ids_through_admin_r_reveals_nothing_to_a_contributor(
    client, contributor, other_contributor
):
    drafts = [
        make_critique(status=Status.SUBMITTED, submitted_by=other_contributor) for _ in range(3)
    ]
    content_type = ContentType.objects.get_for_model(Critique)
    client.force_login(contributor)
    # Every id around the drafts (PostgreSQL's sequences do not restart between tests, so
    # they may be far from 1), the first ids, and ids that are not ids at all.
    lowest, highest = min(draft.pk for draft in drafts), max(draft.pk for draft in drafts)
    around = range(max(lowest - 3, 0), highest + 3)
    for pk in [0, 1, 2, *around, "abc", "99999999999999999999", "-1"]:
        response = client.get(f"/admin/r/{content_type.pk}/{pk}/")
        assert response.status_code == 404, pk
    for content_type_id in ["abc", "99999999999999999999", "0"]:
        assert client.get(f"/admin/r/{content_type_id}/1/").status_code == 404


def test_editor_resolves_any_critique_but_drafts_get_no_view_on_site_link(
    client, editor, contributor
):
    draft = make_critique(status=Status.SUBMITTED, submitted_by=contributor, slug="a-draft")
    published = make_critique(slug="out-there")
    client.force_login(editor)
    assert client.get(shortcut(draft))["Location"].endswith("/critiques/a-draft/")
    assert "View on site" not in client.get(change("critique", draft)).text
    page = client.get(change("critique", published))
    assert "View on site" in page.text
    assert 'href="/critiques/out-there/"' in page.text


def test_anonymous_visitors_cannot_use_admin_r(client, db):
    critique = make_critique(status=Status.SUBMITTED)
    response = client.get(shortcut(critique))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_contributors_agenda_list_counts_only_their_own_drafts_awaiting_review(
    client, contributor, other_contributor, editor
):
    agenda = make_agenda()
    make_critique(agenda=agenda, status=Status.SUBMITTED, submitted_by=contributor)
    for _ in range(2):
        make_critique(agenda=agenda, status=Status.SUBMITTED, submitted_by=other_contributor)
    url = reverse("admin:agendas_agenda_changelist")
    for user, awaiting in [(contributor, 1), (other_contributor, 2), (editor, 3)]:
        client.force_login(user)
        (row,) = client.get(url).context["cl"].result_list
        assert row.submitted_critique_count == awaiting, user.username
