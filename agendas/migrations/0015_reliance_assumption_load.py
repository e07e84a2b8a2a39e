"""An index for the assumption list at scale (docs/performance.md): counting, for every
assumption, the agendas resting on it and those resting on it critically reads this index
alone (16 ms to 9 ms for the list's query at 100x on PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0014_search_vectors_inline"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reliance",
            index=models.Index(fields=["assumption", "load"], name="reliance_assumption_load"),
        ),
    ]
