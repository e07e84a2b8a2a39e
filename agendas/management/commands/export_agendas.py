from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agendas.exporting import export_csv, export_json


class Command(BaseCommand):
    help = (
        "Export everything public (published critiques only) as one JSON document or as a "
        "CSV with one row per agenda; see docs/data-format.md. Writes to standard output "
        "unless -o is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        text = export_json() if options["format"] == "json" else export_csv()
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: cannot write it ({error.strerror})") from error
        self.stderr.write(f"Wrote {len(text.encode('utf-8'))} bytes to {path}.")
