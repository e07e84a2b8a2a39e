"""Invariants enforced by the database itself, not only by forms.

Each test bypasses model validation (plain create/update) so only the database can refuse.
"""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from agendas.models import Agenda, Critique, Rating
from tests.builders import (
    make_agenda,
    make_assessor,
    make_criterion,
    make_critique,
    make_rating,
    make_reliance,
)

pytestmark = pytest.mark.django_db


def assert_refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_duplicate_rating_is_rejected_by_the_database():
    rating = make_rating()
    assert_refused(
        lambda: Rating.objects.create(
            agenda=rating.agenda,
            criterion=rating.criterion,
            assessor=rating.assessor,
            score=4,
            rationale="A second opinion from the same assessor.",
            date=rating.date,
        )
    )
    assert Rating.objects.count() == 1


@pytest.mark.parametrize("score", [0, 6, 100])
def test_an_out_of_range_score_is_rejected_by_the_database(score):
    assert_refused(lambda: make_rating(score=score))


def test_a_score_cannot_be_moved_out_of_range_by_an_update():
    rating = make_rating(score=3)
    assert_refused(lambda: Rating.objects.filter(pk=rating.pk).update(score=9))
    rating.refresh_from_db()
    assert rating.score == 3


def test_a_rating_needs_a_rationale():
    assert_refused(lambda: make_rating(rationale=""))


def test_the_same_assessor_may_rate_other_criteria_and_others_may_rate_the_same():
    rating = make_rating()
    make_rating(agenda=rating.agenda, criterion=make_criterion(), assessor=rating.assessor)
    make_rating(agenda=rating.agenda, criterion=rating.criterion, assessor=make_assessor())
    assert Rating.objects.count() == 3


@pytest.mark.parametrize("severity", [0, 5])
def test_critique_severity_is_checked(severity):
    assert_refused(lambda: make_critique(severity=severity))


def test_a_published_critique_must_record_when_it_was_reviewed():
    assert_refused(lambda: make_critique(status=Critique.Status.PUBLISHED, reviewed_at=None))


def test_an_unknown_moderation_status_is_refused():
    assert_refused(lambda: make_critique(status="approved-by-me"))


def test_fte_range_must_be_ordered():
    assert_refused(lambda: make_agenda(fte_low=50, fte_high=10))


def test_an_agenda_cannot_be_its_own_parent():
    agenda = make_agenda()
    assert_refused(lambda: Agenda.objects.filter(pk=agenda.pk).update(parent=agenda))


def test_an_assumption_is_linked_once_per_agenda():
    reliance = make_reliance()
    assert_refused(lambda: make_reliance(agenda=reliance.agenda, assumption=reliance.assumption))


def test_a_reliance_load_is_checked():
    assert_refused(lambda: make_reliance(load=7))


def test_deleting_an_agenda_never_deletes_its_critiques_or_ratings():
    agenda = make_agenda()
    make_critique(agenda=agenda)
    make_rating(agenda=agenda)
    with pytest.raises(ProtectedError):
        agenda.delete()
    assert Agenda.objects.filter(pk=agenda.pk).exists()
    assert Critique.objects.filter(agenda=agenda).count() == 1
    assert Rating.objects.filter(agenda=agenda).count() == 1


def test_deleting_a_criterion_with_ratings_is_refused():
    rating = make_rating()
    with pytest.raises(ProtectedError):
        rating.criterion.delete()
    assert Rating.objects.count() == 1


def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
