"""Direct-label placement (agendas/labels.py): pure geometry, no database."""

from agendas.labels import Box, Wanted, mark_box, place

BOUNDS = Box(0, 0, 400, 200)


def test_a_label_goes_beside_its_mark_when_the_right_is_free():
    [label] = place([Wanted("a", "Alpha", 100, 100, 4)], [mark_box(100, 100, 4)], BOUNDS, 10)
    assert label.anchor == "start" and label.box.x0 > 104
    assert label.box.y0 < 100 < label.box.y1  # on the mark's line
    assert label.leader is None


def test_labels_never_cover_marks_other_labels_or_leave_the_bounds():
    marks = [(x, y) for x in range(20, 400, 30) for y in (60, 100, 140)]
    wanted = [Wanted(i, f"Agenda number {i}", x, y, 4) for i, (x, y) in enumerate(marks)]
    obstacles = [mark_box(x, y, 4) for x, y in marks]
    labels = place(wanted, obstacles, BOUNDS, 10)
    assert 0 < len(labels) < len(wanted)  # crowded: some are left out rather than overlap
    for index, label in enumerate(labels):
        assert label.box.inside(BOUNDS)
        assert not any(label.box.overlaps(box) for box in obstacles)
        assert not any(label.box.overlaps(other.box) for other in labels[index + 1 :])


def test_the_most_wanted_label_goes_first_and_one_pushed_away_gets_a_leader_line():
    # A block of marks around both wanted ones: the nearest free spots are outside it.
    block = [(x, y) for x in range(100, 300, 9) for y in range(64, 140, 9)]
    first, second = place(
        [Wanted("first", "First", 199, 100, 4), Wanted("second", "Second", 208, 100, 4)],
        [mark_box(x, y, 4) for x, y in block],
        BOUNDS,
        10,
    )
    assert (first.key, second.key) == ("first", "second")
    assert not first.box.overlaps(second.box)
    x1, y1, x2, y2 = first.leader
    assert abs(((x1 - 199) ** 2 + (y1 - 100) ** 2) ** 0.5 - 4) < 0.01  # from the mark's edge
    assert first.box.nearest_point(x2, y2) == (x2, y2)  # to the label's box


def test_a_label_with_no_free_spot_is_left_out():
    tight = Box(0, 0, 30, 20)
    assert place([Wanted("a", "A long agenda name", 15, 10, 4)], [], tight, 10) == []


def test_a_label_near_the_right_edge_turns_left():
    [label] = place([Wanted("a", "Edge", 395, 100, 3)], [mark_box(395, 100, 3)], BOUNDS, 10)
    assert label.box.x1 <= 400 and label.box.x0 < 395
