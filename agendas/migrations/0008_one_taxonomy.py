"""One taxonomy: the areas shipped before this release become nodes of the Shallow Review
2025's tree, which fixtures/areas.json now ships.

A database loaded from the old fixtures holds six areas of our own ("Interpretability
(white-box)", "Evaluation", ...). load_content never overwrites rows, so without this
migration such a database would keep them beside the new tree: two trees. Each old area
still carrying its shipped name is renamed in place (its agendas follow); "Latent
knowledge", which the new map has no place for, hands its agendas to white-box safety and
goes. Areas an editor renamed or added are left alone. A fresh database has no areas yet,
so this does nothing there.
"""

from django.db import migrations

# old slug: (old shipped name, new slug, new name, new parent slug)
RENAMES = {
    "interpretability": (
        "Interpretability (white-box)",
        "interpretability",
        "White-box safety (interpretability)",
        None,
    ),
    "training-from-feedback": (
        "Training from feedback (black-box)",
        "iterative-alignment",
        "Iterative alignment",
        "black-box-safety",
    ),
    "scalable-oversight": ("Oversight that scales", "make-ai-solve-it", "Make AI solve it", None),
    "evaluation": ("Evaluation", "evals", "Evals", None),
}
MERGED = {"latent-knowledge": ("Latent knowledge", "interpretability")}
BLACK_BOX = ("black-box-safety", "Black-box safety")


def forwards(apps, schema_editor):
    Area = apps.get_model("agendas", "Area")
    Agenda = apps.get_model("agendas", "Agenda")
    old = {area.slug: area for area in Area.objects.filter(slug__in=[*RENAMES, *MERGED])}
    if not old:
        return
    parents = {}
    for slug, (shipped_name, new_slug, new_name, parent_slug) in RENAMES.items():
        area = old.get(slug)
        if area is None or area.name != shipped_name:
            continue
        if parent_slug and parent_slug not in parents:
            parents[parent_slug], _ = Area.objects.get_or_create(
                slug=BLACK_BOX[0], defaults={"name": BLACK_BOX[1], "order": 1}
            )
        area.slug, area.name = new_slug, new_name
        area.parent = parents.get(parent_slug)
        area.save()
    for slug, (shipped_name, into_slug) in MERGED.items():
        area = old.get(slug)
        target = Area.objects.filter(slug=into_slug).first()
        if area is None or area.name != shipped_name or target is None:
            continue
        Agenda.objects.filter(area=area).update(area=target)
        if not area.children.exists():
            area.delete()


class Migration(migrations.Migration):
    dependencies = [("agendas", "0007_field_content_constraints")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
