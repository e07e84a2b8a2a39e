"""Issue 12's targets, checked against one database's results from bench/run.py, and the
tables `make bench` prints (as text) and writes to bench/results.md (as Markdown).

The targets, all on PostgreSQL at the largest scale (100) on one host:
- one at a time, uncached: every page renders in under 50 ms median; agenda and compare in
  under 20 ms (bench/probe.py);
- uncached at 16 connections: p99 under 250 ms for every page load-tested;
- cached at 16 connections: at least 0.8x the requests/s of a static file of the same size;
- queries: the same count at the smallest and the largest scale, for every probed URL.

A result is "pass", "miss", or "not run" (a part of the benchmark that was left out).
"""

RENDER_MS = 50
RENDER_MS_FAST = {"agenda": 20, "compare": 20}
CONNECTIONS = 16
UNCACHED_P99_MS = 250
CACHED_VS_STATIC = 0.8

PASS, MISS, NOT_RUN = "pass", "miss", "not run"


def row(check, page, target, measured, result, note=""):
    return {
        "check": check,
        "page": page,
        "target": target,
        "measured": measured,
        "result": result,
        "note": note,
    }


def scale_key(scale):
    return format(float(scale), "g")


def load_problem(run):
    """Why a wrk run's numbers cannot be trusted, or None."""
    if run is None:
        return f"no run at {CONNECTIONS} connections"
    if run.get("error"):
        return f"wrk failed: {run['error']}"
    if not run.get("requests"):
        return "no request completed"
    bad = []
    if run.get("non_2xx"):
        bad.append(f"{run['non_2xx']} answers not 2xx/3xx")
    if run.get("errors"):
        bad.append(f"{run['errors']} socket errors or timeouts")
    return ", ".join(bad) or None


def query_checks(result):
    scales = sorted(result["scales"], key=float)
    small, large = result["scales"][scales[0]]["probe"], result["scales"][scales[-1]]["probe"]
    rows = []
    for page, measured in large["pages"].items():
        if len(scales) < 2:
            rows.append(row("queries", page, "same at two scales", "one scale", NOT_RUN))
            continue
        at_small = small["pages"].get(page, {}).get("queries")
        at_large = measured.get("queries")
        same = at_small is not None and at_small == at_large
        rows.append(
            row(
                "queries",
                page,
                f"@{scales[0]} = @{scales[-1]}",
                f"{at_small} / {at_large}",
                PASS if same else MISS,
            )
        )
    return rows


def render_checks(result):
    largest = max(result["scales"], key=float)
    rows = []
    for page, measured in result["scales"][largest]["probe"]["pages"].items():
        if measured.get("kind") != "page":
            continue  # feeds, exports and sitemaps: held to the query target only
        limit = RENDER_MS_FAST.get(page, RENDER_MS)
        ms = measured.get("render_ms_median")
        rows.append(
            row(
                "one at a time",
                page,
                f"< {limit} ms",
                "-" if ms is None else f"{ms:,.1f} ms",
                PASS if ms is not None and ms < limit else MISS,
            )
        )
    return rows


def uncached_checks(result):
    rows = []
    for page, measured in result.get("load", {}).get("uncached", {}).items():
        target = f"p99 < {UNCACHED_P99_MS} ms"
        if "skipped" in measured:
            check = f"uncached c={CONNECTIONS}"
            rows.append(row(check, page, target, "-", MISS, measured["skipped"]))
            continue
        run = measured.get("runs", {}).get(str(CONNECTIONS))
        problem = measured.get("error") or load_problem(run)
        if problem:
            rows.append(row(f"uncached c={CONNECTIONS}", page, target, "-", MISS, problem))
            continue
        p99 = run["p99_ms"]
        rows.append(
            row(
                f"uncached c={CONNECTIONS}",
                page,
                target,
                f"p99 {p99:,.0f} ms",
                PASS if p99 < UNCACHED_P99_MS else MISS,
            )
        )
    return rows


def cached_checks(result):
    rows = []
    load = result.get("load", {})
    for page, measured in load.get("cached", {}).items():
        target = f">= {CACHED_VS_STATIC}x static"
        static = load.get("static", {}).get(page, {})
        page_run = measured.get("runs", {}).get(str(CONNECTIONS))
        static_run = static.get("runs", {}).get(str(CONNECTIONS))
        problem = (
            measured.get("error")
            or load_problem(page_run)
            or static.get("error")
            or (load_problem(static_run) and f"static file: {load_problem(static_run)}")
        )
        if problem:
            rows.append(row(f"cached c={CONNECTIONS}", page, target, "-", MISS, problem))
            continue
        ratio = page_run["rps"] / static_run["rps"]
        rows.append(
            row(
                f"cached c={CONNECTIONS}",
                page,
                target,
                f"{ratio:.2f}x ({page_run['rps']:,.0f} / {static_run['rps']:,.0f} req/s, "
                f"{static.get('bytes', 0) / 1000:,.0f} KB)",
                PASS if ratio >= CACHED_VS_STATIC else MISS,
            )
        )
    return rows


def evaluate(result):
    """Every check for one database's results, in the order the issue lists them."""
    return (
        render_checks(result)
        + uncached_checks(result)
        + cached_checks(result)
        + (query_checks(result))
    )


def tally(rows):
    counts = {PASS: 0, MISS: 0, NOT_RUN: 0}
    for line in rows:
        counts[line["result"]] += 1
    return counts


# -- tables ------------------------------------------------------------------------------------


def table(header, lines, markdown=False):
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(str(cell) for cell in line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]

    def aligned(cells):
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))

    out = [aligned(header), aligned("-" * width for width in widths)]
    out += [aligned(line) for line in lines]
    return "\n".join(line.rstrip() for line in out)


def checks_table(rows, markdown=False):
    header = ["check", "page", "target", "measured", "result"]
    # MISS in capitals, so misses stand out in a long table.
    lines = [[r["check"], r["page"], r["target"], r["measured"], shown(r["result"])] for r in rows]
    if any(r["note"] for r in rows):
        header.append("note")
        for line, r in zip(lines, rows, strict=True):
            line.append(r["note"])
    return table(header, lines, markdown)


def shown(result):
    return result.upper() if result == MISS else result


def measurements_table(result, markdown=False):
    """The raw numbers behind the checks: one line per probed URL."""
    scales = sorted(result["scales"], key=float)
    small, large = scales[0], scales[-1]
    probes = {scale: result["scales"][scale]["probe"]["pages"] for scale in scales}
    load = result.get("load", {})
    header = [
        "page", "KB", f"q@{small}", f"q@{large}", "1-by-1 ms", "1-by-1 CPU ms",
        f"cached c={CONNECTIONS} req/s (p99)", "static req/s", "x static",
        f"uncached c={CONNECTIONS} req/s (p50 / p99)",
    ]  # fmt: skip
    lines = []
    for page, measured in probes[large].items():
        cached = run_of(load.get("cached", {}).get(page))
        static = run_of(load.get("static", {}).get(page))
        uncached_row = load.get("uncached", {}).get(page, {})
        uncached = run_of(uncached_row)
        ratio = "-"
        if cached and static and cached.get("rps") and static.get("rps"):
            ratio = f"{cached['rps'] / static['rps']:.2f}"
        lines.append(
            [
                page,
                f"{(measured.get('bytes') or 0) / 1000:,.0f}",
                probes[small].get(page, {}).get("queries", "-"),
                measured.get("queries", "-"),
                fmt(measured.get("render_ms_median")),
                fmt(measured.get("render_cpu_ms_median")),
                f"{fmt(cached.get('rps'))} ({fmt(cached.get('p99_ms'))})" if cached else "-",
                fmt(static.get("rps")) if static else "-",
                ratio,
                (
                    f"{fmt(uncached.get('rps'))} ({fmt(uncached.get('p50_ms'))} / "
                    f"{fmt(uncached.get('p99_ms'))})"
                    if uncached
                    else ("skipped" if "skipped" in uncached_row else "-")
                ),
            ]
        )
    return table(header, lines, markdown)


def run_of(measured):
    if not measured:
        return None
    return measured.get("runs", {}).get(str(CONNECTIONS))


def fmt(number):
    if number is None:
        return "-"
    return f"{number:,.0f}" if number >= 100 else f"{number:,.1f}"
