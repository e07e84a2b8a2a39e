"""Fill the columns 0005 added, so that 0007's constraints hold for rows already stored.

- Markdown is rendered once, now, into the new *_html columns (pages no longer render it).
- Decided critiques were reviewed as they stand: reviewed_revision = revision.
- People and organisation descriptions written before dates were kept get the best date
  known: the FTE estimate's date for people, else the day this migration runs.

Stored scores are computed after every migrate (agendas/changes.py, post_migrate).
"""

import datetime

from django.db import migrations

from agendas.markdown import render_markdown

MARKDOWN = {
    "Agenda": ("description", "theory_of_change", "funders"),
    "Assumption": ("description",),
    "Critique": ("body", "response"),
}


def forwards(apps, schema_editor):
    for model_name, fields in MARKDOWN.items():
        model = apps.get_model("agendas", model_name)
        rows = list(model.objects.only("pk", *fields))
        for row in rows:
            for name in fields:
                setattr(row, f"{name}_html", render_markdown(getattr(row, name)))
        model.objects.bulk_update(rows, [f"{name}_html" for name in fields], batch_size=500)

    Critique = apps.get_model("agendas", "Critique")
    Critique.objects.exclude(status="submitted").update(reviewed_revision=1, revision=1)

    today = datetime.date.today()
    Agenda = apps.get_model("agendas", "Agenda")
    for agenda in Agenda.objects.exclude(people="").filter(people_as_of=None):
        agenda.people_as_of = agenda.fte_date or agenda.created.date()
        agenda.save(update_fields=["people_as_of"])
    Organisation = apps.get_model("agendas", "Organisation")
    Organisation.objects.exclude(description="").filter(as_of=None).update(as_of=today)


class Migration(migrations.Migration):
    dependencies = [("agendas", "0005_field_content_schema")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
