"""Editors read and handle readers' suggestions (0017) and manage assumption aliases (0016),
edited inline on an assumption's admin page. Both models came after the groups were made
(0002_moderation_groups), so their permissions are given here."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_assumptionalias",
    "change_assumptionalias",
    "delete_assumptionalias",
    "view_assumptionalias",
    "view_suggestion",
    "change_suggestion",
    "handle_suggestion",
]


def editor_permissions(apps):
    # Permissions are normally made after all migrations; make them now (see 0002).
    app_config = apps.get_app_config("agendas")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    permissions = Permission.objects.filter(
        content_type__app_label="agendas", codename__in=CODENAMES
    )
    return editors, permissions


def give(apps, schema_editor):
    editors, permissions = editor_permissions(apps)
    if editors is not None:
        editors.permissions.add(*permissions)


def take_back(apps, schema_editor):
    editors, permissions = editor_permissions(apps)
    if editors is not None:
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("agendas", "0017_suggestions")]

    operations = [migrations.RunPython(give, take_back)]
