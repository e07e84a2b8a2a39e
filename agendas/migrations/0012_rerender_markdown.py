"""Render every Markdown field again.

Before this release a save limited to some fields (update_fields, as the Shallow Review
importer uses when it fills an agenda's empty funders) rendered a Markdown field's HTML but
did not write it, leaving the page without the text. MarkdownFields.save() now writes it;
this brings rows saved that way up to date. Rendering is idempotent, so rows that were right
stay as they are.
"""

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


class Migration(migrations.Migration):
    dependencies = [("agendas", "0011_slug_length_limits")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
