"""Create the Contributors and Editors groups with their permissions.

Contributors submit critiques (and the sources they cite) and may edit their own
until an editor decides; they cannot publish. Editors moderate and curate content.
Users, criteria and weights stay with superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR_PERMISSIONS = [
    "add_critique", "change_critique", "view_critique",
    "add_source", "view_source",
    "view_agenda", "view_assumption", "view_reliance",
]

EDITOR_PERMISSIONS = CONTRIBUTOR_PERMISSIONS + [
    "moderate_critique",
    "change_source",
    "add_agenda", "change_agenda",
    "add_assumption", "change_assumption",
    "add_reliance", "change_reliance",
    "add_rating", "change_rating", "view_rating",
    "add_area", "change_area", "view_area",
    "add_organisation", "change_organisation", "view_organisation",
    "add_figure", "change_figure", "view_figure",
    "add_assessor", "change_assessor", "view_assessor",
    "add_agendaalias", "change_agendaalias", "delete_agendaalias", "view_agendaalias",
    "view_problem", "view_criterion",
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so a fresh
    # database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Contributors", CONTRIBUTOR_PERMISSIONS), ("Editors", EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="agendas", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Contributors", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
