import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from agendas.demo_data import DEMO_PREFIX
from agendas.models import Agenda, Assumption, Critique, Rating, Reliance
from tests.builders import make_agenda


def generate(*args):
    out = io.StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Agenda.objects.order_by("slug").values_list("slug", "summary", "area__slug")),
        list(Critique.objects.order_by("slug").values_list("slug", "body", "status")),
        list(Rating.objects.order_by("pk").values_list("agenda__slug", "score")),
    )


@pytest.mark.parametrize(
    ("scale", "agendas", "critiques", "ratings", "assumptions"),
    [("1", 10, 500, 300, 5), ("0.2", 2, 100, 60, 1)],
)
def test_it_builds_counts_proportional_to_the_scale(
    db, scale, agendas, critiques, ratings, assumptions
):
    output = generate("--scale", scale)

    assert Agenda.objects.count() == agendas
    assert Critique.objects.count() == critiques
    assert Rating.objects.count() == ratings
    assert Assumption.objects.count() == assumptions
    assert "Demo data generated" in output


def test_every_agenda_gets_one_rating_per_criterion_and_assessor(db):
    generate("--scale", "0.5")

    per_agenda = Rating.objects.values("agenda").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(per_agenda) == {30}
    cells = Rating.objects.values("agenda", "criterion", "assessor").distinct().count()
    assert cells == Rating.objects.count()


def test_rows_are_named_with_the_demo_prefix(db):
    generate("--scale", "0.5")

    assert not Agenda.objects.exclude(slug__startswith=DEMO_PREFIX).exists()
    assert not Critique.objects.exclude(slug__startswith=DEMO_PREFIX).exists()
    assert not Assumption.objects.exclude(slug__startswith=DEMO_PREFIX).exists()


def test_most_critiques_are_published_and_decided_ones_are_dated(db):
    generate("--scale", "1")

    statuses = dict(Critique.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses["published"] > 0.7 * 500
    assert statuses["submitted"] > 0
    assert statuses["rejected"] > 0
    assert not Critique.objects.exclude(status="submitted").filter(reviewed_at=None).exists()
    assert not Critique.objects.filter(status="submitted").exclude(reviewed_at=None).exists()


def test_critique_bodies_are_markdown_of_plausible_length_with_links(db):
    generate("--scale", "0.2")

    for body in Critique.objects.values_list("body", flat=True):
        assert 60 <= len(body.split()) <= 360
        assert "](https://example.org/demo/" in body


def test_critiques_target_only_assumptions_their_agenda_relies_on(db):
    generate("--scale", "1")

    targeted = Critique.objects.exclude(assumption=None)
    assert targeted.exists()
    for agenda_id, assumption_id in targeted.values_list("agenda", "assumption"):
        assert Reliance.objects.filter(agenda=agenda_id, assumption=assumption_id).exists()


class RollBack(Exception):
    pass


def test_the_same_seed_gives_the_same_data(db):
    with pytest.raises(RollBack), transaction.atomic():
        generate("--scale", "0.2", "--seed", "7")
        first = snapshot()
        raise RollBack
    assert not Agenda.objects.exists()

    generate("--scale", "0.2", "--seed", "7")

    assert snapshot() == first


def test_it_refuses_a_database_with_real_agendas(db):
    make_agenda(slug="debate")

    with pytest.raises(CommandError, match="holds 1 real agendas.*--force"):
        generate("--scale", "0.2")
    assert Agenda.objects.count() == 1


def test_force_adds_demo_data_next_to_real_agendas(db):
    real = make_agenda(slug="debate")

    generate("--scale", "0.2", "--force")

    assert Agenda.objects.filter(slug__startswith=DEMO_PREFIX).count() == 2
    assert Agenda.objects.filter(pk=real.pk).exists()


def test_it_refuses_to_generate_twice_into_one_database(db):
    generate("--scale", "0.2")

    with pytest.raises(CommandError, match="already holds demo data"):
        generate("--scale", "0.2")


@pytest.mark.parametrize("scale", ["0", "-1", "lots", "1e9"])
def test_it_rejects_a_bad_scale(db, scale):
    with pytest.raises(CommandError, match="--scale"):
        generate("--scale", scale)
