"""The benchmark's own logic (bench/): targets checked right, a failing probe fails the run,
baselines as large as the pages, every public URL probed, and where the data lives said.

The benchmark itself takes minutes (`make bench`); these check what can go wrong in it
without running it.
"""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import resolve

from bench import probe, run, targets

# -- targets -----------------------------------------------------------------------------------


def wrk_run(rps, p99=100.0, **extra):
    return {"rps": rps, "p50_ms": p99 / 2, "p99_ms": p99, "non_2xx": 0, "errors": 0,
            "requests": int(rps * 10), **extra}  # fmt: skip


def probed(queries, render_ms, kind="page"):
    return {"kind": kind, "status": 200, "bytes": 50_000, "queries": queries,
            "render_ms_median": render_ms}  # fmt: skip


@pytest.fixture
def result():
    """One database's results in bench/run.py's shape, every target just met."""
    small = {"home": probed(3, 10), "agenda": probed(12, 10), "feed": probed(1, 10, "document")}
    large = {
        "home": probed(3, 49.9),
        "agenda": probed(12, 19.9),
        "feed": probed(1, 900.0, "document"),
    }
    return {
        "scales": {"1": {"probe": {"pages": small}}, "100": {"probe": {"pages": large}}},
        "load": {
            "static": {page: {"bytes": 50_000, "runs": {"16": wrk_run(1000)}} for page in large},
            "cached": {page: {"runs": {"16": wrk_run(800)}} for page in large},
            "uncached": {page: {"runs": {"16": wrk_run(40, p99=249)}} for page in large},
        },
    }


def results_of(rows, check):
    return {r["page"]: r["result"] for r in rows if r["check"] == check}


def test_every_target_just_met_passes(result):
    rows = targets.evaluate(result)

    assert {r["result"] for r in rows} == {"pass"}
    assert targets.tally(rows) == {"pass": len(rows), "miss": 0, "not run": 0}


def test_one_at_a_time_is_held_to_50_ms_and_agenda_to_20(result):
    pages = result["scales"]["100"]["probe"]["pages"]
    pages["home"]["render_ms_median"] = 50.0
    pages["agenda"]["render_ms_median"] = 20.0

    rows = targets.evaluate(result)

    assert results_of(rows, "one at a time") == {"home": "miss", "agenda": "miss"}


def test_feeds_and_exports_are_held_to_the_query_target_only(result):
    rows = targets.evaluate(result)

    assert "feed" not in results_of(rows, "one at a time")
    assert results_of(rows, "queries")["feed"] == "pass"


def test_uncached_p99_must_stay_under_250_ms(result):
    result["load"]["uncached"]["home"]["runs"]["16"]["p99_ms"] = 250.0

    assert results_of(targets.evaluate(result), "uncached c=16")["home"] == "miss"


def test_a_page_too_slow_to_load_test_misses_and_says_why(result):
    result["load"]["uncached"]["home"] = {"skipped": "renders in 1,200 ms one at a time"}

    rows = targets.evaluate(result)

    (home,) = [r for r in rows if r["check"] == "uncached c=16" and r["page"] == "home"]
    assert home["result"] == "miss"
    assert "1,200 ms" in home["note"]


@pytest.mark.parametrize("failure", [{"non_2xx": 3}, {"errors": 2}, {"requests": 0}])
def test_a_load_run_with_failed_requests_misses_whatever_its_speed(result, failure):
    result["load"]["uncached"]["agenda"]["runs"]["16"].update(failure)
    result["load"]["cached"]["agenda"]["runs"]["16"].update(failure)

    rows = targets.evaluate(result)

    assert results_of(rows, "uncached c=16")["agenda"] == "miss"
    assert results_of(rows, "cached c=16")["agenda"] == "miss"


def test_cached_pages_need_0_8_of_the_same_size_static_file(result):
    result["load"]["cached"]["home"]["runs"]["16"]["rps"] = 799

    rows = targets.evaluate(result)

    assert results_of(rows, "cached c=16") == {"home": "miss", "agenda": "pass", "feed": "pass"}


def test_a_failed_static_baseline_is_a_miss_not_a_pass(result):
    result["load"]["static"]["home"]["runs"]["16"]["error"] = "connection refused"

    assert results_of(targets.evaluate(result), "cached c=16")["home"] == "miss"


def test_query_counts_must_not_grow_with_the_data(result):
    result["scales"]["100"]["probe"]["pages"]["agenda"]["queries"] = 13

    assert results_of(targets.evaluate(result), "queries")["agenda"] == "miss"


def test_query_counts_at_one_scale_are_not_run_rather_than_passed(result):
    del result["scales"]["1"]

    assert set(results_of(targets.evaluate(result), "queries").values()) == {"not run"}


def test_parts_left_out_are_neither_passed_nor_missed(result):
    del result["load"]

    checks = {r["check"] for r in targets.evaluate(result)}

    assert checks == {"one at a time", "queries"}


def test_the_tables_show_each_check_with_its_result(result):
    result["scales"]["100"]["probe"]["pages"]["home"]["render_ms_median"] = 278.0
    rows = targets.evaluate(result)

    text = targets.checks_table(rows)
    markdown = targets.checks_table(rows, markdown=True)

    home = next(line for line in text.splitlines() if "one at a time" in line and "home" in line)
    assert "278.0 ms" in home and home.rstrip().endswith("MISS")
    assert "| one at a time | home | < 50 ms | 278.0 ms | MISS |" in markdown
    assert "x static" in targets.measurements_table(result)


# -- the run -----------------------------------------------------------------------------------


def test_a_probe_that_cannot_run_fails_the_benchmark(tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"  # no tables, so no page can be chosen

    with pytest.raises(run.BenchError, match="the probe printed no results"):
        run.probe(empty)


def test_the_probe_reports_a_page_that_fails_and_exits_1(db, monkeypatch, capsys):
    monkeypatch.setattr(
        probe,
        "choose_urls",
        lambda: ({"home": ("page", "/"), "gone": ("page", "/agendas/no-such-agenda/")}, {}),
    )

    assert probe.main() == 1
    printed = capsys.readouterr().out
    assert '"failed": ["gone (/agendas/no-such-agenda/) answered 404"]' in printed


def test_a_probe_failure_reaches_make_bench_as_an_error(monkeypatch):
    printed = '{"pages": {}, "notes": {}, "failed": ["search (/search/) answered 500"]}\n'

    def fake_run(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1, stdout=printed, stderr="")

    monkeypatch.setattr(run.subprocess, "run", fake_run)

    with pytest.raises(run.BenchError, match=r"search \(/search/\) answered 500"):
        run.probe("sqlite:///unused")


def test_every_public_url_of_the_site_is_probed(db):
    call_command("generate_demo_data", "--scale", "0.2", stdout=io.StringIO())

    urls, _ = probe.choose_urls()

    probed_names = {resolve(url.split("?")[0]).view_name for _, url in urls.values()}
    not_probed = set(probe.NOT_PROBED)
    assert probe.public_url_names() - probed_names - not_probed == set()


def test_static_baselines_are_exactly_as_large_as_their_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "STATIC_ROOT", tmp_path)

    urls = run.write_baselines({"home": 252_345, "agenda": 7})

    assert urls["home"] == "/static/bench-baseline/home.html"
    assert (tmp_path / "bench-baseline" / "home.html").stat().st_size == 252_345
    assert (tmp_path / "bench-baseline" / "agenda.html").stat().st_size == 7


def test_database_url_s_server_is_used_and_named(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://me:pw@db.example:6543/agendas_me")

    postgres = run.Postgres()

    assert postgres.cluster is None  # nothing started
    assert postgres.server == "postgres://me:pw@db.example:6543"
    assert postgres.prefix == "agendas_me_bench"
    assert "DATABASE_URL (db.example:6543)" in postgres.where


def test_wrk_output_is_read_into_numbers():
    output = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Latency Distribution
     50%   12.31ms
     75%   15.02ms
     90%   20.11ms
     99%    1.21s
  4093 requests in 10.01s, 1.02GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:    408.91
"""
    assert run.parse_wrk(output) == {
        "rps": 408.9,
        "p50_ms": 12.31,
        "p99_ms": 1210.0,
        "non_2xx": 7,
        "errors": 5,
        "requests": 4093,
    }
