"""Direct labels for a scatter chart: each wanted label goes to the nearest free spot around
its mark, most important first, so that no label covers another label or any mark, and none
leaves the plot. A label that finds no free spot is left out (the chart's table names every
mark); one placed away from its mark gets a leader line back to it.

Pure geometry in the chart's own units: text widths are estimated from the font size, on the
wide side, so a label never takes less room than its estimate.
"""

import math
from dataclasses import dataclass

# Estimated advance of a character, in font sizes (a little wider than a sans-serif's
# average, so that estimates err towards room to spare).
CHAR_WIDTH = 0.6
LINE_HEIGHT = 1.2
# Distances from a mark's edge to try, nearest first; past the first two a leader line shows
# which mark a label belongs to.
DISTANCES = (2, 6, 14, 26, 40, 56, 74, 96, 120)
LEADER_FROM = 10
# Right, left, up, down, then the diagonals: labels read best beside their mark.
DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other, gap=1.5):
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )

    def inside(self, other):
        return (
            self.x0 >= other.x0
            and self.x1 <= other.x1
            and self.y0 >= other.y0
            and self.y1 <= other.y1
        )

    def nearest_point(self, x, y):
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)


@dataclass(frozen=True)
class Wanted:
    key: object
    text: str
    x: float  # the mark's centre
    y: float
    radius: float


@dataclass(frozen=True)
class Label:
    key: object
    text: str
    x: float  # where the text is anchored
    y: float  # its baseline
    anchor: str  # "start", "middle" or "end"
    box: Box
    leader: tuple | None  # (x1, y1, x2, y2), from the mark's edge to the label


def mark_box(x, y, radius):
    return Box(x - radius, y - radius, x + radius, y + radius)


def place(wanted, obstacles, bounds, font_size, reach=1.0):
    """Labels for `wanted` (Wanted, most important first) that touch none of `obstacles`
    (Boxes: every mark), no other label and nothing outside `bounds` (a Box); `reach`
    scales the distances tried."""
    taken = list(obstacles)
    labels = []
    for item in wanted:
        label = _first_free(item, taken, bounds, font_size, reach)
        if label is not None:
            taken.append(label.box)
            labels.append(label)
    return labels


def _first_free(item, taken, bounds, font_size, reach):
    width = len(item.text) * font_size * CHAR_WIDTH
    height = font_size * LINE_HEIGHT
    for distance in (step * reach for step in DISTANCES):
        for dx, dy in DIRECTIONS:
            label = _candidate(item, dx, dy, distance, width, height)
            if label.box.inside(bounds) and not any(label.box.overlaps(box) for box in taken):
                return label
    return None


def _candidate(item, dx, dy, distance, width, height):
    reach = item.radius + distance
    # Diagonals step as far from the mark as the straight directions do.
    scale = math.sqrt(0.5) if dx and dy else 1
    px, py = item.x + dx * reach * scale, item.y + dy * reach * scale
    if dx > 0:
        x0, anchor, tx = px, "start", px
    elif dx < 0:
        x0, anchor, tx = px - width, "end", px
    else:
        x0, anchor, tx = px - width / 2, "middle", px
    if dy < 0:
        y0 = py - height
    elif dy > 0:
        y0 = py
    else:
        y0 = py - height / 2
    box = Box(x0, y0, x0 + width, y0 + height)
    # The baseline sits about a fifth of the line above its bottom (room for descenders).
    baseline = box.y1 - height * 0.22
    leader = None
    if distance >= LEADER_FROM * (height / 15):
        ex, ey = box.nearest_point(item.x, item.y)
        length = math.hypot(ex - item.x, ey - item.y) or 1
        start = (
            item.x + (ex - item.x) * item.radius / length,
            item.y + (ey - item.y) * item.radius / length,
        )
        leader = (*start, ex, ey)
    return Label(item.key, item.text, tx, baseline, anchor, box, leader)
