"""Editors manage area aliases (the other names of an area, edited inline on the area's
admin page), as they already manage agenda aliases. The AreaAlias model came after the
groups were made (0002_moderation_groups), so its permissions were never given."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_areaalias", "change_areaalias", "delete_areaalias", "view_areaalias"]


def give(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now (see 0002).
    app_config = apps.get_app_config("agendas")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label="agendas", codename__in=CODENAMES)
        )


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="agendas", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("agendas", "0009_linked_critique_author")]

    operations = [migrations.RunPython(give, take_back)]
