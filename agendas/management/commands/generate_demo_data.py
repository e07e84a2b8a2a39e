import time

from django.core.management.base import BaseCommand, CommandError

from agendas.cache.generation import bump_generation
from agendas.demo_data import DEMO_PREFIX, Generator, Sizes, demo_agenda_count, real_agenda_count


def positive_scale(raw):
    try:
        value = float(raw)
    except ValueError:
        raise CommandError(f"--scale must be a number; got {raw!r}") from None
    if not 0 < value <= 10_000:
        raise CommandError(f"--scale must be above 0 and at most 10000; got {raw!r}")
    return value


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic demo content for load tests: at --scale 1 about "
        "10 agendas, 500 critiques, 300 ratings and 5 assumptions, growing linearly. Every "
        f"row it adds is named with the {DEMO_PREFIX!r} prefix. It refuses a database that "
        "holds real agendas unless --force is given, and one that already holds demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=positive_scale, default=1.0)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add demo rows even though the database holds real agendas.",
        )

    def handle(self, *args, scale, seed, force, **options):
        real = real_agenda_count()
        if real and not force:
            raise CommandError(
                f"This database holds {real} real agendas (slugs without the {DEMO_PREFIX!r} "
                "prefix). Demo data would mix with them; use an empty database, or pass "
                "--force if that is really what you want."
            )
        demo = demo_agenda_count()
        if demo:
            raise CommandError(
                f"This database already holds demo data ({demo} demo agendas). Start from an "
                "empty database (e.g. `manage.py flush`) to generate it again."
            )
        sizes = Sizes.for_scale(scale)
        self.stdout.write(
            f"Generating demo data at scale {scale:g} (seed {seed}): about {sizes.agendas:,} "
            f"agendas, {sizes.critiques:,} critiques, {sizes.agendas * 30:,} ratings, "
            f"{sizes.assumptions:,} assumptions."
        )
        self.interactive = self.stdout.isatty()
        report = Generator(scale, seed, progress=self.show_progress).run()
        bump_generation()
        if self.interactive:
            self.stdout.write("\r" + " " * 60 + "\r", ending="")
        for label, number in report.counts.items():
            self.stdout.write(f"  {label:<22} {number:>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data generated in {report.seconds:.1f}s "
                f"({sum(report.counts.values()):,} rows)."
            )
        )

    def show_progress(self, label, done, total):
        if not self.interactive:
            return
        now = time.monotonic()
        # Redraw at most ten times a second; a terminal repaint per batch is noticeable.
        if done != total and now - getattr(self, "_last_draw", 0) < 0.1:
            return
        self._last_draw = now
        if total:
            width = 30
            filled = int(width * done / total) if total else width
            bar = "#" * filled + "." * (width - filled)
            line = f"\r  {label:<14} [{bar}] {done:>8,}/{total:,}"
        else:
            line = f"\r  {label:<14} {done:>8,}"
        self.stdout.write(line.ljust(70), ending="")
        self.stdout.flush()
