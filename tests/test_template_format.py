"""The templates stay readable: indented by djhtml (make lint checks it) and no line over 120
characters, so a change to one shows as a small diff."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LIMIT = 120


def test_no_template_line_is_over_120_characters():
    long_lines = [
        f"{path.relative_to(TEMPLATES)}:{number} ({len(line)} characters)"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > LIMIT
    ]
    assert not long_lines, "Template lines over 120 characters:\n" + "\n".join(long_lines)


def test_the_check_finds_every_template():
    # A moved folder would make the test above pass on nothing.
    assert len(list(TEMPLATES.rglob("*.html"))) > 40
