from django.core.management.base import BaseCommand, CommandError

from agendas.importers.errors import ImportFailed
from agendas.importers.shallow_review_load import import_shallow_review


class Command(BaseCommand):
    help = (
        "Import the Shallow Review 2025 export (agendas.csv, optionally papers.csv and "
        "taxonomy.yaml). Sections become areas, lab rows organisations, other rows agendas "
        "with their critiques, stated assumptions and outputs. Existing agendas (matched by "
        "name or alias) only get their empty fields filled. Running it again changes nothing. "
        "Any malformed file or row stops the import before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("agendas", help="Path to agendas.csv.")
        parser.add_argument("--papers", help="Path to papers.csv (the agendas' outputs).")
        parser.add_argument("--taxonomy", help="Path to taxonomy.yaml (area descriptions).")

    def handle(self, *args, **options):
        try:
            summary = import_shallow_review(
                options["agendas"],
                papers_path=options["papers"],
                taxonomy_path=options["taxonomy"],
                progress=self.progress if self.stdout.isatty() else None,
            )
        except ImportFailed as error:
            raise CommandError(f"{error}. Nothing was imported.") from error
        finally:
            if self.stdout.isatty():
                self.stdout.write("")
        self.stdout.write("Shallow Review 2025 import:")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done."))

    def progress(self, done, total):
        self.stdout.write(f"\rImporting row {done} of {total}", ending="")
        self.stdout.flush()
