"""Every person-written text field is bounded three times: the field's max_length, a named
database CheckConstraint `<model>_<field>_max_length` (agendas/models/base.py), and the
admin form that refuses a longer value with a message.

Which fields are person-written comes from the app registry, so a new field cannot slip
through: every CharField and TextField (slugs and URLs included) of the app's own models
that a form can edit, except
- fields with choices (a form offers only the choices, and they are short codes),
- fields that are not editable (`<field>_html`, stored scores: the site derives them),
- simple-history's historical models (copies of rows that passed these constraints,
  written only by simple-history).
Slugs are included: the admin prepopulates them from a name, but editors and
contributors can type them, and on SQLite nothing else bounds them.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from simple_history.models import HistoricalChanges

from agendas.models import AreaAlias, AssumptionAlias
from tests import builders
from tests.test_history import admin_page_data


def person_written_fields():
    fields = []
    for model in apps.get_app_config("agendas").get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.CharField | models.TextField)
                and field.editable
                and not field.choices
            ):
                fields.append(field)
    return fields


FIELDS = person_written_fields()
MODELS = sorted({field.model for field in FIELDS}, key=lambda model: model._meta.model_name)


def field_id(field):
    return f"{field.model._meta.model_name}.{field.name}"


def constraint_name(field):
    return f"{field.model._meta.model_name}_{field.name}_max_length"


def too_long(field):
    """A value one character over the limit that is otherwise valid for the field."""
    if isinstance(field, models.URLField):
        start = "https://example.org/"
        return start + "a" * (field.max_length + 1 - len(start))
    return "a" * (field.max_length + 1)


def make_area_alias():
    return AreaAlias.objects.create(name="Another name", area=builders.make_area())


def make_assumption_alias():
    return AssumptionAlias.objects.create(
        name="Another wording", assumption=builders.make_assumption()
    )


# One row of each model, valid in every other respect (a dated description, say), so that
# only the length constraint can refuse the update.
ROWS = {
    "agenda": lambda: builders.make_agenda(people="A. Person"),
    "agendaalias": builders.make_agenda_alias,
    "area": builders.make_area,
    "areaalias": make_area_alias,
    "assessor": builders.make_assessor,
    "assumption": builders.make_assumption,
    "assumptionalias": make_assumption_alias,
    "suggestion": builders.make_suggestion,
    "criterion": builders.make_criterion,
    "critique": builders.make_critique,
    "figure": builders.make_figure,
    "organisation": lambda: builders.make_organisation(description="What it does."),
    "problem": builders.make_problem,
    "rating": builders.make_rating,
    "reliance": builders.make_reliance,
    "source": builders.make_source,
}


def test_the_field_list_is_the_one_expected():
    """The registry finds the fields the issue names (and slugs and URLs), not fewer."""
    found = {field_id(field) for field in FIELDS}
    for expected in (
        "agenda.description",
        "agenda.theory_of_change",
        "agenda.funders",
        "assumption.description",
        "critique.body",
        "critique.response",
        "critique.slug",
        "source.url",
        "rating.rationale",
    ):
        assert expected in found
    assert not {name for name in found if name.endswith("_html")}
    assert "critique.status" not in found and "agenda.score_confidence" not in found
    assert not [name for name in found if name.startswith("historical")]


def test_every_model_with_such_fields_has_a_row_builder_here():
    assert {model._meta.model_name for model in MODELS} == set(ROWS)


@pytest.mark.parametrize("field", FIELDS, ids=field_id)
def test_each_field_has_a_max_length_and_a_matching_named_check_constraint(field):
    assert field.max_length, f"{field_id(field)} has no max_length"
    constraints = {c.name: c for c in field.model._meta.constraints}
    constraint = constraints.get(constraint_name(field))
    assert isinstance(constraint, models.CheckConstraint), f"no {constraint_name(field)}"
    condition = constraint.condition
    assert isinstance(condition, LessThanOrEqual)
    assert condition.lhs == Length(field.name)
    assert condition.rhs == field.max_length


@pytest.mark.django_db
def test_every_constraint_exists_in_the_database():
    with connection.cursor() as cursor:
        for model in MODELS:
            table = model._meta.db_table
            stored = connection.introspection.get_constraints(cursor, table)
            for field in FIELDS:
                if field.model is model:
                    assert stored.get(constraint_name(field), {}).get("check"), field_id(field)


@pytest.mark.django_db
@pytest.mark.parametrize("field", FIELDS, ids=field_id)
def test_the_database_refuses_a_value_over_the_limit_through_update(field):
    row = ROWS[field.model._meta.model_name]()
    before = getattr(row, field.attname)
    # On PostgreSQL a CharField is varchar(n), whose type check comes before any constraint.
    is_varchar = field.db_type(connection).startswith("varchar")
    expected = DataError if connection.vendor == "postgresql" and is_varchar else IntegrityError
    with pytest.raises(expected) as refused, transaction.atomic():
        field.model.objects.filter(pk=row.pk).update(**{field.name: too_long(field)})
    if expected is IntegrityError:
        assert constraint_name(field) in str(refused.value)
    row.refresh_from_db()
    assert getattr(row, field.attname) == before
    # One character less is fine: the limit is exactly max_length.
    at_limit = too_long(field)[:-1]
    field.model.objects.filter(pk=row.pk).update(**{field.name: at_limit})
    row.refresh_from_db()
    assert getattr(row, field.attname) == at_limit


def edit_page(row):
    """The admin change page where `row` is edited: its own, or its parent's when it is
    edited inline there. None when no admin form edits it."""
    model = type(row)
    if model in admin.site._registry:
        return reverse(f"admin:agendas_{model._meta.model_name}_change", args=[row.pk])
    for parent, parent_admin in admin.site._registry.items():
        for inline in parent_admin.inlines:
            if inline.model is model:
                link = inline.fk_name or next(
                    field.name for field in model._meta.fields if field.related_model is parent
                )
                owner = getattr(row, link)
                return reverse(f"admin:agendas_{parent._meta.model_name}_change", args=[owner.pk])
    return None


def form_of(response, row):
    """(prefix, form) that edits `row` on an admin change page."""
    if type(response.context["adminform"].form.instance) is type(row):
        return "", response.context["adminform"].form
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if type(form.instance) is type(row) and form.instance.pk == row.pk:
                return form.prefix + "-", form
    raise AssertionError(f"no form for {row!r}")


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_the_admin_refuses_a_value_over_the_limit_with_a_message(client, superuser, model):
    """Every such field of the model, too long at once, in one post of the form editing it."""
    row = ROWS[model._meta.model_name]()
    url = edit_page(row)
    if url is None:
        pytest.skip(f"No admin form edits {model.__name__} here: only importers write it.")
    client.force_login(superuser)
    page = client.get(url)
    prefix, _ = form_of(page, row)
    data = admin_page_data(page)
    # Fields the admin shows read-only (what a reader sent) are written elsewhere, by forms
    # that the tests of those forms hold to the same limits.
    model_admin = admin.site._registry.get(model)
    readonly = set(model_admin.readonly_fields) if model_admin else set()
    fields = [field for field in FIELDS if field.model is model and field.name not in readonly]
    missing = [field_id(field) for field in fields if prefix + field.name not in data]
    assert not missing, f"not in the admin form: {missing}"
    data |= {prefix + field.name: too_long(field) for field in fields}
    response = client.post(url, data)
    assert response.status_code == 200
    _, form = form_of(response, row)
    for field in fields:
        message = (
            f"Ensure this value has at most {field.max_length} characters "
            f"(it has {field.max_length + 1})."
        )
        assert message in form.errors.get(field.name, []), field_id(field)
    stored = model.objects.get(pk=row.pk)
    for field in fields:
        assert getattr(stored, field.attname) == getattr(row, field.attname)
