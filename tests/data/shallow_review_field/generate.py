"""Writes the synthetic Shallow Review export beside it: agendas.csv, papers.csv, taxonomy.yaml.

A field-size stand-in (80 agendas and 3 labs) for the real export, which carries no licence
and so stays out of the repository. Same columns and cell formats as the real one, filed
under its section and sub-section names (so rows merge into our shipped areas), with
invented agenda names, people, funders and text, and example.org links. Everything varies by
arithmetic on the row number, never by a random generator, so any Python writes the same
bytes; tests/test_import_shallow_review.py checks the committed files are what this writes.

    python tests/data/shallow_review_field/generate.py [DIRECTORY]
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABS = "Labs (giant companies)"
BLACK_BOX = "Black-box safety (understand and control current model behaviour)"
WHITE_BOX = "White-box safety (i.e. Interpretability)"
# (section, sub-section, how many agendas): the real export's shape, a few more rows.
PLACES = [
    (BLACK_BOX, "Iterative alignment", 11),
    (BLACK_BOX, "Model psychology", 5),
    (BLACK_BOX, "Better data", 5),
    (BLACK_BOX, "Goal robustness", 6),
    (WHITE_BOX, "", 12),
    (WHITE_BOX, "Concept-based interpretability", 3),
    ("Safety by construction", "", 4),
    ("Make AI solve it", "", 6),
    ("Theory", "", 5),
    ("Theory", "Corrigibility", 2),
    ("Theory", "Ontology Identification", 2),
    ("Multi-agent first", "", 7),
    ("Evals", "", 12),
]
LAB_NAMES = ["Synthetic Lab Alpha", "Synthetic Lab Beta", "Synthetic Lab Gamma"]
# Every cell format the real export uses, blanks included (about one agenda in six).
FTES = ["10-50", "1-10", "", "30-60", "100+", "5 - 10", "10-100", "30", "", "2-20", "4"]
FTES += ["50-150", "15", "", "20-40", "10 - 15", "1-5", "100-200"]
TARGETS = ["average", "pessimistic", "worst-case", "mixed", "", "average", "varies"]
APPROACHES = ["engineering", "cognitive", "cognitivist science", "behaviorist science"]
APPROACHES += ["engineering / cognitive", "behavioral", "maths / philosophy", ""]
PROBLEMS = [
    "Value is fragile and hard to specify",
    "Goals misgeneralize out of distribution",
    "Superintelligence can fool human supervisors",
    "Superintelligence can hack software supervisors",
    "Instrumental convergence",
    "A boxed AGI might exfiltrate itself by steganography, spearphishing",
    "Fair, sane pivotal processes",
    "Humanlike minds/goals are not necessarily safe",
]
GIVEN = ["Ada", "Bram", "Chiara", "Dev", "Elif", "Fumi", "Goran", "Hana", "Ilya", "Joon"]
GIVEN += ["Zoë", "Łukasz"]
FAMILY = ["Example", "Sample", "Placeholder", "Testwell", "Mockton", "Fakeley", "Dummer"]
VERBS = ["Trains", "Probes", "Audits", "Decomposes", "Measures", "Constrains", "Simulates"]
THINGS = [
    "reward models against their own graders",
    "the internal features a network uses to plan",
    "long tasks into checkable steps",
    "how often models notice they are being tested",
    "agents that bargain with each other",
    "the training data before it reaches the model",
    "a model's answers with a second, weaker model",
]
HOW = [
    "on open-weights models",
    "with a small team and public tooling",
    "using synthetic environments",
    "at several model sizes to see what scales",
]
ASSUMES = [
    "assume that weaker models can grade stronger ones",
    "assume no hidden optimisers",
    "maybe assume that features stay stable across training",
    "assume that evaluations are not gamed",
    "assume that agents can make binding commitments",
]


def pick(items, number, step=1):
    return items[(number * step) % len(items)]


def numbered_rows():
    """(number, row) for every row of agendas.csv; labs are number 0."""
    rows = []
    number = 0
    for section, sub_section, count in PLACES:
        for _ in range(count):
            number += 1
            rows.append((number, agenda_row(number, section, sub_section)))
    for index, name in enumerate(LAB_NAMES):
        rows.insert(index * 5, (0, lab_row(index, name)))
    return rows


def full_name(section, sub_section, name):
    return " / ".join(part for part in (section, sub_section, name) if part)


def agenda_row(number, section, sub_section):
    name = f"Synthetic agenda {number:02d}"
    if number % 13 == 0:  # some real names run long
        name += ": interpretability-guided adversarial oversight of long-horizon agents"
    summary = f"{pick(VERBS, number)} {pick(THINGS, number, 3)} {pick(HOW, number, 5)}."
    if number % 17 == 0:  # past the 400 characters the site keeps
        summary = (summary[:-1] + ", ") + ", ".join(
            f"then {pick(VERBS, number + k).lower()} {pick(THINGS, number + k)}"
            for k in range(1, 7)
        )
        summary += ", and reports what it found to anyone who asks."
    theory = ""
    if number % 4:
        theory = (
            f"If {pick(THINGS, number, 2)} can be checked, problems show up before they "
            f"matter. {pick(ASSUMES, number).capitalize()}, {pick(ASSUMES, number + 2)}."
        )
    problems = [pick(PROBLEMS, number + k, 3) for k in range(number % 3)]
    people = ", ".join(
        f"{pick(GIVEN, number + k, 7)} {pick(FAMILY, number + k, 5)}" for k in range(number % 4)
    )
    critiques = ", ".join(
        f"[{pick(FAMILY, number + k)} on agenda {number}]"
        f"(https://critics.example.org/agenda-{number}/critique-{k})"
        for k in range(number % 3)
    )
    if number % 11 == 0:  # an escaped parenthesis in a URL, as the real export has
        critiques = (critiques + ", " if critiques else "") + (
            f"[Why agenda {number} fails]"
            f"(https://forum.example.org/posts/agenda-{number}\\(scale\\))"
        )
    funders = ""
    if number % 3 == 1:
        funders = f"Synthetic Fund {number % 5}"
    elif number % 3 == 2:
        funders = f"[Example Foundation](https://fund.example.org/{number % 4})"
    return {
        "name": name,
        "section": section,
        "sub_section": sub_section,
        "full_name": full_name(section, sub_section, name),
        "one_sentence_summary": summary,
        "theory_of_change": theory,
        "see_also": f"Synthetic agenda {number - 1:02d}" if number % 5 == 0 else "",
        "orthodox_problems": ", ".join(dict.fromkeys(problems)),
        "target_case_text": pick(TARGETS, number),
        "broad_approach_text": pick(APPROACHES, number, 3),
        "some_names": people,
        "estimated_ftes": pick(FTES, number),
        "critiques": critiques,
        "funded_by": funders,
        "outputs_count": str(len(paper_numbers(number))),
    }


def lab_row(index, name):
    return {
        "name": name,
        "section": LABS,
        "sub_section": "",
        "full_name": full_name(LABS, "", name),
        "one_sentence_summary": "",
        "theory_of_change": "",
        "see_also": "",
        "orthodox_problems": "",
        "target_case_text": "",
        "broad_approach_text": "",
        "some_names": f"{GIVEN[index]} {FAMILY[index]}",
        "estimated_ftes": "",
        "critiques": f"[Tracker](https://labs.example.org/lab-{index})",
        "funded_by": "Investors",
        "outputs_count": "1",
    }


def paper_numbers(number):
    return range(1 + number % 4)


def paper_rows(numbered):
    rows = []
    for number, agenda in numbered:
        if not number:  # a lab's output, which the importer reports and skips
            slug = agenda["name"].lower().replace(" ", "-")
            rows.append(paper_row(agenda, f"https://labs.example.org/{slug}/system-card", 0, 0))
            continue
        for k in paper_numbers(number):
            url = f"https://papers.example.org/agenda-{number}/paper-{k}"
            if (number + k) % 9 == 0:
                url = ""  # a note without a link
            rows.append(paper_row(agenda, url, number, k))
    return rows


def paper_row(agenda, url, number, k):
    title = f"Synthetic paper {number}.{k}: {pick(THINGS, number + k).capitalize()}" if url else ""
    authors = agenda["some_names"] if number % 2 else ""
    year = "" if (number + k) % 7 == 0 else str(2024 + (number + k) % 2)
    date = ""
    if year:
        day = "XX" if k == 2 else f"{1 + (number * 3 + k) % 28:02d}"
        date = f"{year}-{1 + (number + k) % 12:02d}-{day}"
    return {
        "agenda_name": agenda["name"],
        "agenda_section": agenda["section"],
        "agenda_sub_section": agenda["sub_section"],
        "agenda_full_name": agenda["full_name"],
        "link_url": url,
        "link_text": title or f"A note on {pick(THINGS, number + k)}",
        "title": title,
        "authors": authors,
        "author_organizations": "Example Institute" if number % 5 == 2 else "",
        "published_year": year,
        "date": date,
    }


TAXONOMY = [
    # (name, description, children)
    (LABS, "Companies that train frontier models.", [(lab, "A made-up lab.") for lab in LAB_NAMES]),
    (
        BLACK_BOX,
        "Shape behaviour through inputs and outputs only.",
        [
            ("Iterative alignment", "Adjust weights from graded outputs."),
            ("Model psychology", "Study what models are disposed to do."),
            ("Better data", "Change what models learn from."),
            ("Goal robustness", "Keep goals steady off the training distribution."),
        ],
    ),
    (
        WHITE_BOX,
        "Read and edit what happens inside the network.",
        [("Concept-based interpretability", "Find human concepts in activations.")],
    ),
    ("Safety by construction", "Build systems whose safety follows from their design.", []),
    ("Make AI solve it", "Use models to do alignment research.", []),
    (
        "Theory",
        "Mathematical and conceptual groundwork.",
        [
            ("Corrigibility", "Agents that accept correction."),
            ("Ontology Identification", "Map a model's concepts to ours."),
        ],
    ),
    ("Multi-agent first", "Safety among many interacting agents.", []),
    ("Evals", "Measure what models can and will do.", []),
]


def yaml_id(name):
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def taxonomy_text():
    lines = ["taxonomy:"]
    for name, description, children in TAXONOMY:
        lines += [f"- id: {yaml_id(name)}", f"  name: {name}", f"  description: {description}"]
        if children:
            lines.append("  children:")
        for child, child_description in children:
            lines += [
                f"  - id: {yaml_id(child)}",
                f"    name: {child}",
                f"    description: {child_description}",
            ]
    return "\n".join(lines) + "\n"


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write(directory):
    directory = Path(directory)
    numbered = numbered_rows()
    write_csv(directory / "agendas.csv", [row for _, row in numbered])
    write_csv(directory / "papers.csv", paper_rows(numbered))
    (directory / "taxonomy.yaml").write_text(taxonomy_text(), encoding="utf-8")


if __name__ == "__main__":
    write(sys.argv[1] if len(sys.argv) > 1 else HERE)
