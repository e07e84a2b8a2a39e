from django.core.management.base import BaseCommand, CommandError

from agendas.importers.agendas_json import import_agendas_json
from agendas.importers.errors import ImportFailed


class Command(BaseCommand):
    help = (
        "Import a JSON document written by export_agendas (or /export/agendas.json). Rows are "
        "matched by natural key (slugs; problems by number): missing rows are created, rows "
        "already here are kept as they are and only gain missing links. Any malformed record "
        "stops the import before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the JSON export.")

    def handle(self, *args, **options):
        try:
            summary = import_agendas_json(
                options["file"], progress=self.progress if self.stdout.isatty() else None
            )
        except ImportFailed as error:
            raise CommandError(f"{error}. Nothing was imported.") from error
        finally:
            if self.stdout.isatty():
                self.stdout.write("")
        self.stdout.write("Import of the JSON export:")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done."))

    def progress(self, done, total):
        self.stdout.write(f"\rImporting record {done} of {total}", ending="")
        self.stdout.flush()
