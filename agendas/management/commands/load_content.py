from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from agendas import changes
from agendas.content import fixture_paths


class Command(BaseCommand):
    help = (
        "Load the shipped content from fixtures/, adding only rows that are missing. "
        "Rows already in the database, including ones edited in the admin, are kept as they are, "
        "so running it again duplicates nothing and loses nothing."
    )

    def handle(self, *args, **options):
        # One transaction, and scores and the page cache are updated once, at the end.
        with transaction.atomic(), changes.batch():
            self.load()

    def load(self):
        created = kept = 0
        deferred = []
        for path in fixture_paths():
            file_created = file_kept = 0
            with path.open(encoding="utf-8") as fixture:
                for item in serializers.deserialize(
                    "json", fixture, handle_forward_references=True
                ):
                    # Natural keys resolve to an existing pk when the row is already here.
                    if (
                        item.object.pk is not None
                        and type(item.object).objects.filter(pk=item.object.pk).exists()
                    ):
                        file_kept += 1
                        continue
                    try:
                        with transaction.atomic():
                            item.save()
                    except DatabaseError as error:
                        raise CommandError(
                            f"{path.name}: {item.object._meta.label} {item.object}: {error}"
                        ) from error
                    if item.deferred_fields:
                        deferred.append(item)
                    file_created += 1
            folder = path.parent.name
            name = f"{folder}/{path.name}" if folder in ("field", "debate") else path.name
            self.stdout.write(f"  {name:<34} {file_created:>4} added, {file_kept:>4} kept")
            created += file_created
            kept += file_kept
        for item in deferred:
            item.save_deferred_fields()
        self.stdout.write(
            self.style.SUCCESS(f"Shipped content: {created} rows added, {kept} already present.")
        )
