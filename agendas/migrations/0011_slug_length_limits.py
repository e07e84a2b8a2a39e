"""Slugs are typed in the admin too: bound them in the database like every other
person-written field (SQLite enforces no varchar length)."""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agendas', '0010_editors_manage_area_aliases'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='agenda',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='agenda_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='area',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='area_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='assessor',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='assessor_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='assumption',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='assumption_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='criterion_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='critique',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='critique_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='figure',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='figure_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='organisation_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='problem',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='problem_slug_max_length'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('slug'), 200), name='source_slug_max_length'),
        ),
    ]
