"""An FTE estimate, and a total of several: one definition for every page and export.

An agenda's estimate is a range from its source: "10-50" (10, 50), "30" (30, 30), "100+"
(100, open), or unknown. Where a number is needed, a missing end is taken from the other,
so "100+" counts as 100; a total of estimates one of which is open is open too ("125-160+").
An unknown estimate is never counted as zero: totals count them apart.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FteRange:
    low: int | None = None
    high: int | None = None
    text: str = ""  # the estimate as the source wrote it, shown when there is one

    @classmethod
    def of(cls, agenda: Any) -> "FteRange":
        """The estimate of an Agenda (or of any row with its fte_low, fte_high, fte_text)."""
        return cls(agenda.fte_low, agenda.fte_high, getattr(agenda, "fte_text", ""))

    @property
    def bounds(self) -> tuple[int, int] | None:
        """(low, high) with a missing end taken from the other, or None when unknown."""
        low = self.low if self.low is not None else self.high
        high = self.high if self.high is not None else self.low
        return None if low is None or high is None else (low, high)

    @property
    def is_open_ended(self) -> bool:
        return self.low is not None and self.high is None

    @property
    def midpoint(self) -> float | None:
        """The middle of the bounds: what "most FTEs first" sorts by (and the agenda list's
        QuerySet.with_fte_midpoint() computes in SQL)."""
        bounds = self.bounds
        return None if bounds is None else (bounds[0] + bounds[1]) / 2

    @property
    def log_middle(self) -> float | None:
        """The middle of the bounds on a log scale, where the landscape chart draws it
        (zero counts as one there)."""
        bounds = self.bounds
        return None if bounds is None else math.sqrt(max(bounds[0], 1) * max(bounds[1], 1))

    def __str__(self) -> str:
        if self.text:
            return self.text
        bounds = self.bounds
        if bounds is None:
            return "unknown"
        return _label(*bounds, is_open_ended=self.is_open_ended)


@dataclass
class FteTotal:
    """The FTEs of several agendas: the sums of their bounds, and how many are unknown."""

    agendas: int = 0
    low: int = 0
    high: int = 0
    is_open_ended: bool = False
    unknown: int = 0

    @classmethod
    def of(cls, estimates: Iterable[FteRange]) -> "FteTotal":
        total = cls()
        for estimate in estimates:
            total.add(estimate)
        return total

    def add(self, estimate: FteRange) -> None:
        self.agendas += 1
        bounds = estimate.bounds
        if bounds is None:
            self.unknown += 1
            return
        self.low += bounds[0]
        self.high += bounds[1]
        self.is_open_ended |= estimate.is_open_ended

    @property
    def known(self) -> int:
        """How many of the agendas have an estimate."""
        return self.agendas - self.unknown

    def __str__(self) -> str:
        if not self.agendas:
            return "0"
        if not self.known:
            return "unknown"
        return _label(self.low, self.high, is_open_ended=self.is_open_ended)


def _label(low: int, high: int, *, is_open_ended: bool) -> str:
    text = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    return text + ("+" if is_open_ended else "")
