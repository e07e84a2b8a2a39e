from collections import Counter, defaultdict


class ImportSummary:
    """What an import did, per kind of row: created, updated, unchanged, and skipped with why."""

    def __init__(self):
        self.counts = defaultdict(Counter)
        self.skips = defaultdict(Counter)

    def created(self, kind):
        self.counts[kind]["created"] += 1

    def updated(self, kind):
        self.counts[kind]["updated"] += 1

    def unchanged(self, kind):
        self.counts[kind]["unchanged"] += 1

    def skipped(self, kind, reason):
        self.skips[kind][reason] += 1

    def total(self, outcome):
        return sum(counts[outcome] for counts in self.counts.values())

    @property
    def skipped_total(self):
        return sum(sum(reasons.values()) for reasons in self.skips.values())

    def lines(self):
        kinds = sorted(set(self.counts) | set(self.skips))
        width = max((len(kind) for kind in kinds), default=0)
        lines = []
        for kind in kinds:
            counts = self.counts[kind]
            skipped = sum(self.skips[kind].values())
            lines.append(
                f"  {kind:<{width}}  created {counts['created']:>4}  updated {counts['updated']:>4}"
                f"  unchanged {counts['unchanged']:>4}  skipped {skipped:>4}"
            )
        lines.append(
            f"Total: created {self.total('created')}, updated {self.total('updated')}, "
            f"unchanged {self.total('unchanged')}, skipped {self.skipped_total}"
            + (f" ({self.skip_reasons()})" if self.skipped_total else "")
        )
        return lines

    def skip_reasons(self):
        return "; ".join(
            f"{kind}: {count} {reason}"
            for kind in sorted(self.skips)
            for reason, count in sorted(self.skips[kind].items())
        )
