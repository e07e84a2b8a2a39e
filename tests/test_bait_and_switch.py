"""What is published is exactly the version an editor reviewed.

The bait and switch: an editor reads a contributor's critique, the contributor then edits
it (still allowed before a decision), and the editor's Publish would publish the new text
unread. Editors read the critique rendered as readers will see it, in the moderation queue
and the change form; both carry the revision shown, and a decision on any other revision is
refused with a message.
"""

import re

from django.urls import reverse

from agendas.models import Critique
from tests.builders import make_critique
from tests.test_history import admin_page_data
from tests.test_roles import critique_form

Status = Critique.Status
QUEUE = reverse("admin:agendas_critique_changelist")
BAIT = "Debate *always* converges on the truth."
SWITCH = "Buy our course at example.com, it is **great**."


def change_url(critique):
    return reverse("admin:agendas_critique_change", args=[critique.pk])


def queue_form(page, action, critique):
    """What the queue page posts when the editor ticks `critique` and picks `action`."""
    seen = dict(re.findall(r'name="(seen_revision_\d+)" value="(\d+)"', page.text))
    return {"action": action, "_selected_action": [critique.pk], **seen}


def messages_on(response):
    return [str(message) for message in response.context["messages"]]


def contributor_edits(client, contributor, critique, body):
    client.force_login(contributor)
    form = admin_page_data(client.get(change_url(critique))) | {"body": body}
    assert client.post(change_url(critique), form).status_code == 302
    critique.refresh_from_db()


def test_publish_from_the_queue_refuses_a_text_changed_after_the_editor_read_it(
    client, contributor, editor
):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor, body=BAIT)
    client.force_login(editor)
    queue = client.get(QUEUE)
    assert "Debate <em>always</em> converges on the truth." in queue.text

    contributor_edits(client, contributor, critique, SWITCH)
    assert critique.revision == 2

    client.force_login(editor)
    response = client.post(QUEUE, queue_form(queue, "publish", critique), follow=True)
    assert "0 critiques published." in messages_on(response)
    assert any("changed after this page showed them" in m for m in messages_on(response))
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_by, critique.reviewed_revision) == (
        Status.SUBMITTED,
        None,
        None,
    )
    client.logout()
    assert client.get(critique.get_absolute_url()).status_code == 404

    # Read again, then published: the text published is the one shown.
    client.force_login(editor)
    queue = client.get(QUEUE)
    assert "Buy our course at example.com, it is <strong>great</strong>." in queue.text
    response = client.post(QUEUE, queue_form(queue, "publish", critique), follow=True)
    assert "1 critique published." in messages_on(response)
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_revision) == (Status.PUBLISHED, 2)
    assert critique.history.first().body == SWITCH


def test_reject_from_the_queue_also_needs_the_revision_shown(client, contributor, editor):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor)
    client.force_login(editor)
    # A hand-made POST without the revision is a decision on nothing the editor saw.
    response = client.post(
        QUEUE, {"action": "reject", "_selected_action": [critique.pk]}, follow=True
    )
    assert any("never showed them" in m for m in messages_on(response))
    critique.refresh_from_db()
    assert critique.status == Status.SUBMITTED


def test_change_form_refuses_to_publish_a_text_changed_after_it_was_opened(
    client, contributor, editor
):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor, body=BAIT)
    client.force_login(editor)
    page = client.get(change_url(critique))
    assert "Debate <em>always</em> converges on the truth." in page.text
    decision = admin_page_data(page) | {"status": Status.PUBLISHED}
    assert decision["seen_revision"] == "1"

    contributor_edits(client, contributor, critique, SWITCH)

    client.force_login(editor)
    response = client.post(change_url(critique), decision)
    assert response.status_code == 200
    assert "This critique changed after you opened it: it is now revision 2" in response.text
    critique.refresh_from_db()
    assert (critique.status, critique.body) == (Status.SUBMITTED, SWITCH)
    # The page the editor now sees shows the new text, to be read before deciding.
    assert "Buy our course at example.com" in response.text


def test_a_contributor_cannot_slip_in_an_edit_between_publish_and_page(client, contributor, editor):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor, body=BAIT)
    client.force_login(editor)
    queue = client.get(QUEUE)
    client.post(QUEUE, queue_form(queue, "publish", critique))
    critique.refresh_from_db()
    assert critique.status == Status.PUBLISHED
    # Once decided, the contributor may no longer edit it at all.
    client.force_login(contributor)
    response = client.post(change_url(critique), critique_form(critique, body=SWITCH))
    assert response.status_code == 403
    critique.refresh_from_db()
    assert critique.body == BAIT


def test_an_edit_after_review_that_nobody_decided_on_goes_back_to_review(db):
    critique = make_critique(status=Status.PUBLISHED, body=BAIT)
    Critique.objects.filter(pk=critique.pk).update(body=SWITCH)
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_revision) == (Status.SUBMITTED, None)


def test_editor_who_edits_and_publishes_decides_on_their_own_text(client, contributor, editor):
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor, body=BAIT)
    client.force_login(editor)
    form = admin_page_data(client.get(change_url(critique)))
    form |= {"body": "Debate may converge on the truth.", "status": Status.PUBLISHED}
    assert client.post(change_url(critique), form).status_code == 302
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_by) == (Status.PUBLISHED, editor)
    assert critique.reviewed_revision == critique.revision == 2
    client.logout()
    assert "Debate may converge on the truth." in client.get(critique.get_absolute_url()).text


def test_preview_is_the_html_the_public_page_shows(client, editor):
    critique = make_critique(
        body="A *claim*, a [link](https://example.org) and <script>alert(1)</script>",
        response="They **disagree**.",
    )
    public = client.get(critique.get_absolute_url()).text
    client.force_login(editor)
    for page in [client.get(change_url(critique)), client.get(QUEUE + "?status=published")]:
        assert critique.body_html in page.text
        assert critique.body_html in public
        assert critique.response_html in page.text
        assert "<script>alert(1)" not in page.text


def test_preview_of_a_new_critique_waits_for_the_first_save(client, contributor):
    client.force_login(contributor)
    page = client.get(reverse("admin:agendas_critique_add"))
    assert "Shown here once the critique is saved." in page.text


def test_a_slug_changed_after_review_goes_back_to_review(db):
    critique = make_critique(status=Status.PUBLISHED, slug="debate-converges")
    revision = critique.revision
    critique.slug = "buy-our-course"
    critique.save()
    critique.refresh_from_db()
    assert (critique.status, critique.reviewed_revision) == (Status.SUBMITTED, None)
    assert critique.revision == revision + 1
    Critique.objects.filter(pk=critique.pk).update(slug="another-address")
    critique.refresh_from_db()
    assert critique.revision == revision + 2


def test_publish_refuses_a_slug_changed_after_the_editor_read_it(client, contributor, editor):
    critique = make_critique(
        status=Status.SUBMITTED, submitted_by=contributor, slug="debate-converges"
    )
    client.force_login(editor)
    page = client.get(QUEUE)
    contributor_edits(client, contributor, critique, critique.body)  # the text unchanged...
    client.force_login(contributor)
    form = admin_page_data(client.get(change_url(critique))) | {"slug": "buy-our-course"}
    assert client.post(change_url(critique), form).status_code == 302  # ...the address not
    client.force_login(editor)
    response = client.post(QUEUE, queue_form(page, "publish", critique), follow=True)
    critique.refresh_from_db()
    assert critique.status == Status.SUBMITTED
    assert any("changed after" in message for message in messages_on(response))


def test_preview_shows_the_public_address(client, editor):
    critique = make_critique(status=Status.SUBMITTED, slug="debate-converges")
    client.force_login(editor)
    for page in [client.get(change_url(critique)), client.get(QUEUE)]:
        assert "Public address once published: <code>/critiques/debate-converges/</code>" in (
            page.text
        )
