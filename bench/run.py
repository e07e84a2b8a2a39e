"""The load benchmark behind `make bench` (docs/performance.md says what it measures).

For each database: build demo data at each scale in a fresh database, collect static files,
probe every page at each scale (bench/probe.py: status, bytes, SQL queries, render time one
at a time), then serve the largest one exactly as `make serve` does (gunicorn + WhiteNoise,
DEBUG off, on a free port) and load the pages with wrk: with the page cache on (Redis),
each right after a static file of the same size served by WhiteNoise, and with it off. Prints
the results against issue 12's targets (bench/targets.py), writes them to
bench/results.json (every number, the probe's included) and bench/results.md (the tables).

A probe that fails, a server that does not start, or a page that answers other than 200
fails the run: numbers from a broken page measure nothing. A missed target does not, unless
BENCH_STRICT=1.

Where the data lives, said at the start of the run:
- PostgreSQL: the server in DATABASE_URL when it is set (databases <its name>_bench_s<scale>
  are dropped and re-created there; the role needs CREATEDB); otherwise a throwaway cluster
  of our own (initdb under /tmp, removed at the end; needs PostgreSQL's server programs);
- SQLite: files in bench/data/;
- Redis (the cached runs): REDIS_URL when set, otherwise a redis-server of our own.

Environment (defaults are the issue's run: PostgreSQL, scale 100, 16 connections):
  BENCH_DATABASES   postgres          postgres and/or sqlite, comma-separated
  BENCH_SCALES      1,100             queries are compared between the smallest and largest;
                                      the rest is measured at the largest
  BENCH_MODES       probe,cached,uncached   leave parts out while iterating
  BENCH_PAGES       home,agenda_list,agenda,compare,search,search_rare,feed
                                      pages to load; "all" for every probed page
  BENCH_CONNECTIONS 16                wrk connections (comma-separated)
  BENCH_DURATION    10s               per wrk run
  BENCH_SLOW_MS     1000              pages slower than this one at a time are not loaded
                                      uncached (they would only queue); they miss the target
  BENCH_QUICK=1     scales 1,10 and 3s runs: a few minutes, for iterating
  BENCH_STRICT=1    exit 1 when a target is missed
  WEB_CONCURRENCY, GUNICORN_THREADS   passed to `make serve`
  PG_PORTS, REDIS_PORTS               port ranges for our own servers (bench/services.py)
"""

import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import targets  # noqa: E402
from bench.services import (  # noqa: E402
    PostgresCluster,
    RedisServer,
    ServiceError,
    free_port,
    why_no_cluster,
    why_no_redis,
)

PYTHON = ROOT / ".venv" / "bin" / "python"
DATA_DIR = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "results.md"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or ROOT / "staticfiles")
BASELINE_DIR = "bench-baseline"  # under STATIC_ROOT, written after collectstatic
SECRET_KEY = "bench-only-secret-key-never-used-in-production"
ISSUE_PAGES = "home,agenda_list,agenda,compare,search,search_rare,feed"
MODES = ("probe", "cached", "uncached")


class BenchError(RuntimeError):
    """The benchmark could not measure what it should: the run fails."""


def env(name, default):
    return os.environ.get(name, "").strip() or default


def listed(name, default):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


QUICK = env("BENCH_QUICK", "0") == "1"
DATABASES = listed("BENCH_DATABASES", "postgres")
SCALES = sorted({float(s) for s in listed("BENCH_SCALES", "1,10" if QUICK else "1,100")})
RUN_MODES = listed("BENCH_MODES", ",".join(MODES))
LOAD_PAGES = listed("BENCH_PAGES", ISSUE_PAGES)
CONNECTIONS = [int(c) for c in listed("BENCH_CONNECTIONS", str(targets.CONNECTIONS))]
DURATION = env("BENCH_DURATION", "3s" if QUICK else "10s")
THREADS = int(env("BENCH_THREADS", "2"))
SLOW_MS = float(env("BENCH_SLOW_MS", "1000"))
STRICT = env("BENCH_STRICT", "0") == "1"


def say(message):
    print(f"==> {message}", flush=True)


def check_settings():
    unknown = [d for d in DATABASES if d not in {"postgres", "sqlite"}]
    unknown += [m for m in RUN_MODES if m not in MODES]
    if unknown or not DATABASES or not RUN_MODES or not SCALES:
        raise BenchError(
            f"BENCH_DATABASES (postgres, sqlite) and BENCH_MODES ({', '.join(MODES)}) "
            f"must name known parts; unknown: {unknown}"
        )


# -- Django processes ------------------------------------------------------------------------


def django_env(database_url, **extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        # The run decides these; a developer's own must not leak into it.
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "CACHE_SECONDS"}
        and key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="ERROR",
    )
    environment.update({key: str(value) for key, value in extra.items()})
    return environment


def manage(database_url, *args, **extra):
    completed = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=django_env(database_url, **extra),
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise BenchError(
            f"manage.py {' '.join(args)} failed:\n{completed.stdout}{completed.stderr}"[-3000:]
        )
    return completed.stdout


def probe(database_url):
    """bench/probe.py's numbers; raises when any page failed."""
    completed = subprocess.run(
        [PYTHON, "bench/probe.py"],
        cwd=ROOT,
        env=django_env(database_url, CACHE_SECONDS=0),
        capture_output=True,
        text=True,
    )
    try:
        result = json.loads(completed.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise BenchError(
            f"the probe printed no results (exit {completed.returncode}):\n"
            f"{completed.stderr[-3000:]}"
        ) from None
    if completed.returncode or result.get("failed"):
        failures = "\n  ".join(result.get("failed") or [f"exit {completed.returncode}"])
        raise BenchError(f"the probe failed:\n  {failures}")
    return result


# -- databases -------------------------------------------------------------------------------


class Postgres:
    """DATABASE_URL's server when set, else a throwaway cluster: where the databases go."""

    def __init__(self):
        self.cluster = None
        given = os.environ.get("DATABASE_URL", "").strip()
        if given.startswith(("postgres://", "postgresql://")):
            parsed = urlparse(given)
            self.server = urlunparse(parsed._replace(path=""))
            self.prefix = f"{parsed.path.lstrip('/') or 'agendas'}_bench"
            self.where = (
                f"the PostgreSQL server in DATABASE_URL ({parsed.hostname}:{parsed.port or 5432}), "
                f"databases {self.prefix}_s<scale>"
            )
            return
        reason = why_no_cluster()
        if reason:
            raise BenchError(
                f"no PostgreSQL to benchmark: DATABASE_URL is not a postgres:// URL and {reason}"
            )
        self.cluster = PostgresCluster("bench")
        self.cluster.init().start()
        self.server = f"postgres://postgres@127.0.0.1:{self.cluster.port}"
        self.prefix = "agendas_bench"
        self.where = (
            f"a throwaway PostgreSQL cluster of our own (initdb in {self.cluster.folder}, port "
            f"{self.cluster.port}, default settings; removed at the end). Set DATABASE_URL to "
            "use a server of yours instead"
        )

    def fresh(self, scale):
        import psycopg

        name = f"{self.prefix}_s{targets.scale_key(scale)}".replace(".", "_")
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{self.server}/{name}"

    def version(self):
        import psycopg

        with psycopg.connect(f"{self.server}/postgres") as connection:
            return connection.execute("SHOW server_version").fetchone()[0]

    def close(self):
        if self.cluster:
            self.cluster.stop()


class Sqlite:
    where = "SQLite files in bench/data/"

    def fresh(self, scale):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        name = f"agendas_bench_s{targets.scale_key(scale)}"
        for leftover in DATA_DIR.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        return f"sqlite:///{DATA_DIR / name}.sqlite3"

    def version(self):
        return sqlite3.sqlite_version

    def close(self):
        pass


# -- the server ------------------------------------------------------------------------------


def fetch(url, timeout=120):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


class Server:
    """`make serve` on a free port, in its own process group so it can be stopped whole."""

    def __init__(self, database_url, cache_seconds, redis_url):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = ROOT / "bench" / f"serve-{self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115
        extra = {"CACHE_SECONDS": cache_seconds}
        if redis_url:
            extra["REDIS_URL"] = redis_url
        self.process = subprocess.Popen(
            # gunicorn 27 keeps a control socket at one path per user; several servers (and
            # other people's) would share it.
            ["make", "-s", "serve", "HOST=127.0.0.1", f"PORT={self.port}",
             "GUNICORN_ARGS=--no-control-socket"],
            cwd=ROOT,
            env=django_env(database_url, **extra),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"make serve exited:\n{self.log_tail()}")
            try:
                if fetch(self.base + "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop(keep_log=True)
        raise BenchError(f"the server did not answer within 180 s:\n{self.log_tail()}")

    def log_tail(self):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])

    def stop(self, keep_log=False):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        if not keep_log:
            self.log_path.unlink(missing_ok=True)


# -- wrk -------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * UNITS[unit], 2)


def parse_wrk(output):
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "non_2xx": 0, "errors": 0}
    result["requests"] = 0
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = round(float(match.group(1)), 1)
    if match := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        result["p50_ms"] = to_ms(match.group(1))
    if match := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        result["p99_ms"] = to_ms(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if match := re.search(r"Socket errors:(.*)", output):
        result["errors"] = sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    return result


def wrk(url, connections):
    completed = subprocess.run(
        ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{DURATION}",
         "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
    )  # fmt: skip
    result = parse_wrk(completed.stdout)
    if completed.returncode:
        result["error"] = completed.stderr.strip()[:500] or f"exit {completed.returncode}"
    return result


def drain(server):
    """Wait until requests queued by the last wrk run are done, so runs do not overlap."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if fetch(server.base + "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(1)


def load(server, label, urls):
    """wrk each URL at each connection count. Raises when a page does not answer 200."""
    rows = {}
    for page, url in urls.items():
        status, _, body = fetch(server.base + url)  # warm: fills the page cache
        if status != 200:
            raise BenchError(f"{label} {page} ({url}) answered {status}")
        rows[page] = {"url": url, "bytes": len(body), "runs": {}}
        for connections in CONNECTIONS:
            result = wrk(server.base + url, connections)
            rows[page]["runs"][str(connections)] = result
            say(
                f"  {label:<9} {page:<18} c={connections:<3} {result['rps'] or 0:>8.1f} req/s  "
                f"p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms"
                + (f"  non-2xx {result['non_2xx']}" if result["non_2xx"] else "")
                + (f"  errors {result['errors']}" if result["errors"] else "")
                + (f"  wrk: {result['error']}" if result.get("error") else "")
            )
            drain(server)
    return rows


def write_baselines(pages):
    """For each loaded page, a static HTML file of the same size for WhiteNoise to serve;
    returns page -> URL. Written into STATIC_ROOT after collectstatic, so they are never
    part of the site's own static files."""
    folder = STATIC_ROOT / BASELINE_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    line = "<p>Static baseline for the load benchmark: WhiteNoise serves this file.</p>\n"
    urls = {}
    for page, size in pages.items():
        (folder / f"{page}.html").write_text((line * (size // len(line) + 1))[:size])
        urls[page] = f"/static/{BASELINE_DIR}/{page}.html"
    return urls


# -- the run ---------------------------------------------------------------------------------


def bench_database(kind, database, redis_url):
    result = {"where": database.where, "version": database.version(), "scales": {}}
    say(f"{kind}: {database.where}")
    largest_url = None
    # Query counts need two scales; without the probe only the largest is built.
    for scale in SCALES if "probe" in RUN_MODES else SCALES[-1:]:
        url = database.fresh(scale)
        manage(url, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        manage(url, "generate_demo_data", "--scale", f"{scale:g}")
        seconds = round(time.monotonic() - started, 1)
        say(f"{kind}: scale {scale:g} generated in {seconds} s")
        entry = {"generate_seconds": seconds}
        # The load runs need the probe too: it picks the URLs and sizes the baselines.
        entry["probe"] = probe(url)
        say(f"{kind}: scale {scale:g} probed ({len(entry['probe']['pages'])} URLs)")
        result["scales"][targets.scale_key(scale)] = entry
        largest_url = url

    pages = result["scales"][targets.scale_key(SCALES[-1])]["probe"]["pages"]
    names = list(pages) if LOAD_PAGES == ["all"] else LOAD_PAGES
    unknown = [name for name in names if name not in pages]
    if unknown:
        raise BenchError(f"BENCH_PAGES names pages the probe does not know: {unknown}")
    urls = {name: pages[name]["url"] for name in names}
    result["load"] = {}

    if "cached" in RUN_MODES:
        baselines = write_baselines({name: pages[name]["bytes"] for name in names})
        server = Server(largest_url, cache_seconds=600, redis_url=redis_url)
        result["load"]["static"], result["load"]["cached"] = {}, {}
        try:
            # Each page right after its static file, so that both meet the same load from
            # whatever else the machine is doing.
            for name in names:
                result["load"]["static"].update(load(server, "static", {name: baselines[name]}))
                result["load"]["cached"].update(load(server, "cached", {name: urls[name]}))
        finally:
            server.stop()
        for name, static in result["load"]["static"].items():
            static["bytes_page"] = result["load"]["cached"][name]["bytes"]

    if "uncached" in RUN_MODES:
        # A page that takes seconds to render would only queue up under wrk and stall the run.
        slow = {
            name: f"not load-tested: renders in {pages[name]['render_ms_median']:,.0f} ms "
            "one at a time"
            for name in names
            if pages[name]["render_ms_median"] > SLOW_MS
        }
        server = Server(largest_url, cache_seconds=0, redis_url=redis_url)
        try:
            loaded = load(server, "uncached", {n: u for n, u in urls.items() if n not in slow})
        finally:
            server.stop()
        result["load"]["uncached"] = {
            name: loaded.get(name) or {"url": urls[name], "skipped": slow[name]} for name in names
        }
    return result


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line),
        platform.processor(),
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if "MemTotal" in line)
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
        "workers": env("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)),
        "threads": env("GUNICORN_THREADS", "1"),
    }


def settings_of_the_run():
    return {
        "databases": DATABASES,
        "scales": [f"{s:g}" for s in SCALES],
        "modes": RUN_MODES,
        "load_pages": LOAD_PAGES,
        "connections": CONNECTIONS,
        "wrk": f"-t{THREADS} -d{DURATION} --timeout 10s --latency",
        "slow_ms": SLOW_MS,
    }


def report(results):
    text, markdown = [], []
    load = results["machine"]
    busy = (
        f"load average {load['load_average_at_start'][0]:.1f} at the start, "
        f"{load['load_average_at_end'][0]:.1f} at the end, on {load['nproc']} cores"
    )
    for kind, result in results["databases"].items():
        title = f"{kind} at scale {max(result['scales'], key=float)} ({result['version']}; {busy})"
        rows = targets.evaluate(result)
        result["checks"] = rows
        counts = targets.tally(rows)
        tally = f"{counts['pass']} pass, {counts['miss']} miss, {counts['not run']} not run"
        text += [
            "",
            f"{title}: targets ({tally})",
            targets.checks_table(rows),
            "",
            f"{title}: measurements",
            targets.measurements_table(result),
        ]
        markdown += [
            f"### {title}: targets ({tally})",
            "",
            targets.checks_table(rows, markdown=True),
            "",
            f"### {title}: measurements",
            "",
            targets.measurements_table(result, markdown=True),
            "",
        ]
    return "\n".join(text), "\n".join(markdown)


def main():
    check_settings()
    if {"cached", "uncached"} & set(RUN_MODES) and not shutil.which("wrk"):
        raise BenchError("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    started = time.monotonic()
    results = {"settings": settings_of_the_run(), "machine": machine(), "databases": {}}
    say(f"Settings: {json.dumps(results['settings'])}")
    redis = None
    try:
        redis_url = os.environ.get("REDIS_URL", "").strip() or None
        if "cached" in RUN_MODES and not redis_url:
            reason = why_no_redis()
            if reason:
                raise BenchError(f"the cached runs need Redis: set REDIS_URL, or {reason}")
            redis = RedisServer().start()
            redis_url = redis.url()
            say(f"Redis: a redis-server of our own on port {redis.port} (REDIS_URL picks yours)")
        elif redis_url:
            say(f"Redis: REDIS_URL ({redis_url})")
        # Static files first: with DEBUG off, pages name them from collectstatic's manifest.
        manage("sqlite:///:memory:", "collectstatic", "--no-input", "-v0")
        for kind in DATABASES:
            database = Postgres() if kind == "postgres" else Sqlite()
            try:
                results["databases"][kind] = bench_database(kind, database, redis_url)
            finally:
                database.close()
    finally:
        if redis:
            redis.stop()
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["minutes"] = round((time.monotonic() - started) / 60, 1)
    text, markdown = report(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    RESULTS_MD.write_text(markdown + "\n")
    print(text)
    print()
    say(
        f"Done in {results['minutes']} minutes; results in {RESULTS.relative_to(ROOT)} and "
        f"{RESULTS_MD.relative_to(ROOT)}"
    )
    missed = sum(targets.tally(r["checks"])["miss"] for r in results["databases"].values())
    if STRICT and missed:
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, ServiceError) as error:
        print(f"\nmake bench FAILED: {error}", file=sys.stderr)
        sys.exit(1)
