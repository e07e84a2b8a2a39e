"""The load benchmark behind `make bench`.

For each database (PostgreSQL, SQLite): build demo data at scale 1 and at BENCH_SCALE in
fresh databases, count each page's SQL queries at both scales (bench/probe.py), then serve
the big one exactly as `make serve` does (gunicorn + WhiteNoise, DEBUG off, on a free
port) and measure each page with wrk: once with the page cache on (Redis) and once with it
off. A static file as large as the home page, served by WhiteNoise, is the baseline each
page is compared with. Prints a table and writes bench/results.json.

Environment: BENCH_SCALE (100), BENCH_DURATION (10s), BENCH_CONNECTIONS (16,64),
BENCH_THREADS (2), BENCH_BACKENDS (postgres,sqlite), BENCH_PG_URL (the server, without a
database name), BENCH_REDIS_URL (redis://127.0.0.1:6379; databases 3 and 4 are used),
BENCH_SLOW_MS (1000: pages slower than this one at a time are not load-tested uncached),
WEB_CONCURRENCY (passed to `make serve`).
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DATA_DIR = ROOT / "bench" / "data"
BASELINE = ROOT / "static" / "bench" / "baseline.html"
BASELINE_URL = "/static/bench/baseline.html"
RESULTS = ROOT / "bench" / "results.json"
PAGES = ["home", "agenda_list", "agenda", "compare", "search", "feed"]
REDIS_DB = {"postgres": 3, "sqlite": 4}
SECRET_KEY = "bench-only-secret-key-never-used-in-production"


def env(name, default):
    return os.environ.get(name, "").strip() or default


SCALE = float(env("BENCH_SCALE", "100"))
DURATION = env("BENCH_DURATION", "10s")
CONNECTIONS = [int(c) for c in env("BENCH_CONNECTIONS", "16,64").split(",")]
THREADS = int(env("BENCH_THREADS", "2"))
BACKENDS = env("BENCH_BACKENDS", "postgres,sqlite").split(",")
PG_URL = env("BENCH_PG_URL", "postgres://agendas:agendas@127.0.0.1:5432").rstrip("/")
REDIS_URL = env("BENCH_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
SLOW_MS = float(env("BENCH_SLOW_MS", "1000"))


def say(message):
    print(f"==> {message}", flush=True)


def django_env(database_url, **extra):
    environment = dict(os.environ)
    environment.update(
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
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=django_env(database_url, **extra), check=True
    )


# -- databases ---------------------------------------------------------------------------


def fresh_database(backend, name):
    """An empty database called `name`; returns its URL."""
    if backend == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{PG_URL}/{name}"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"{name}.sqlite3"
    for leftover in DATA_DIR.glob(f"{name}.sqlite3*"):
        leftover.unlink()
    return f"sqlite:///{path}"


def build(backend, scale, redis_url):
    name = "agendas_bench" if scale == SCALE else f"agendas_bench_s{scale:g}"
    url = fresh_database(backend, name)
    manage(url, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    # REDIS_URL so the generator's cache bump reaches the cache the server will use.
    manage(url, "generate_demo_data", "--scale", f"{scale:g}", REDIS_URL=redis_url)
    return url, round(time.monotonic() - started, 1)


def probe(database_url):
    output = subprocess.run(
        [PYTHON, "bench/probe.py"],
        cwd=ROOT,
        env=django_env(database_url, CACHE_SECONDS=0),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- the server ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        self.log = open(ROOT / "bench" / f"serve-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["make", "-s", "serve", "HOST=127.0.0.1", f"PORT={self.port}"],
            cwd=ROOT,
            env=django_env(database_url, CACHE_SECONDS=cache_seconds, REDIS_URL=redis_url),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve exited; see {self.log.name}")
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the server did not answer within 180s; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


# -- wrk -------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * UNITS[unit], 2)


def parse_wrk(output):
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "non_2xx": 0, "errors": 0}
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
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{DURATION}", "--timeout", "10s",
         "--latency", url],
        capture_output=True,
        text=True,
    )  # fmt: skip
    result = parse_wrk(completed.stdout)
    if completed.returncode:
        result["error"] = completed.stderr.strip()[:500]
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


def measure(server, urls, label, skip=None):
    """wrk each URL at each connection count; `skip` maps a page to why it is not loaded."""
    rows = {}
    for page, url in urls.items():
        if skip and page in skip:
            rows[page] = {"skipped": skip[page], "runs": {}}
            say(f"  {label:<9} {page:<12} skipped: {skip[page]}")
            continue
        try:
            status, _, body = fetch(server.base + url)  # warm: fills the page cache
        except OSError as error:
            rows[page] = {"error": repr(error), "runs": {}}
            say(f"  {label:<9} {page:<12} failed: {error!r}")
            drain(server)
            continue
        rows[page] = {"status": status, "bytes": len(body), "runs": {}}
        if status != 200:
            say(f"  {label} {page}: answered {status}; measured anyway, see non_2xx")
        for connections in CONNECTIONS:
            result = wrk(server.base + url, connections)
            rows[page]["runs"][str(connections)] = result
            say(
                f"  {label:<9} {page:<12} c={connections:<3} {result['rps'] or 0:>8.1f} req/s  "
                f"p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms"
                + (f"  non-2xx {result['non_2xx']}" if result["non_2xx"] else "")
            )
            drain(server)
    return rows


# -- the run ------------------------------------------------------------------------------


def write_baseline(size):
    """A static HTML file as large as the home page, for WhiteNoise to serve."""
    BASELINE.parent.mkdir(parents=True, exist_ok=True)
    line = "<p>Static baseline for the load benchmark: WhiteNoise serves this file.</p>\n"
    body = (line * (size // len(line) + 1))[:size]
    BASELINE.write_text(body)


def bench_backend(backend):
    redis_url = f"{REDIS_URL}/{REDIS_DB[backend]}"
    say(f"{backend}: building scale 1 and scale {SCALE:g}")
    small_url, small_seconds = build(backend, 1, redis_url)
    small = probe(small_url)
    big_url, big_seconds = build(backend, SCALE, redis_url)
    big = probe(big_url)
    say(f"{backend}: generated scale {SCALE:g} in {big_seconds}s")
    urls = {page: big["pages"][page]["url"] for page in PAGES}
    home_bytes = big["pages"]["home"].get("bytes") or 50_000
    write_baseline(home_bytes)

    result = {
        "generate_seconds": {"1": small_seconds, f"{SCALE:g}": big_seconds},
        "queries": {
            page: {
                "scale_1": small["pages"][page].get("queries"),
                f"scale_{SCALE:g}": big["pages"][page].get("queries"),
                "status_1": small["pages"][page].get("status"),
                f"status_{SCALE:g}": big["pages"][page].get("status"),
                "render_ms_1": small["pages"][page].get("render_ms_median"),
                f"render_ms_{SCALE:g}": big["pages"][page].get("render_ms_median"),
                "error": big["pages"][page].get("error") or small["pages"][page].get("error"),
            }
            for page in PAGES
        },
        "notes": big["notes"],
        "baseline_bytes": home_bytes,
    }
    server = Server(big_url, cache_seconds=600, redis_url=redis_url)
    try:
        result["cached"] = measure(server, {"static": BASELINE_URL, **urls}, "cached")
    finally:
        server.stop()
    # A page that takes seconds to render would only queue up under wrk and stall the run.
    slow = {
        page: f"renders in {big['pages'][page]['render_ms_median']:.0f} ms one at a time"
        for page in PAGES
        if (big["pages"][page].get("render_ms_median") or 0) > SLOW_MS
    }
    server = Server(big_url, cache_seconds=0, redis_url=redis_url)
    try:
        result["uncached"] = measure(server, urls, "uncached", skip=slow)
    finally:
        server.stop()
    return result


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line),
        platform.processor(),
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if "MemTotal" in line)
    info = {
        "nproc": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": os.getloadavg(),
        "wrk": f"-t{THREADS} -d{DURATION} --latency, connections {CONNECTIONS}",
        "workers": env("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)),
    }
    try:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres") as connection:
            info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    except Exception as error:
        info["postgresql"] = f"unavailable: {error}"
    return info


def table(results):
    lines = []
    header = (
        f"{'db':<9}{'mode':<9}{'page':<12}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'x static':>10}{'non2xx':>8}{'q@1':>5}{'q@' + format(SCALE, 'g'):>6}"
        f"{'1-by-1 ms':>10}"
    )
    lines += [header, "-" * len(header)]
    for backend, data in results["backends"].items():
        if "error" in data:
            lines.append(f"{backend:<9}FAILED: {data['error']}")
            continue
        static = data["cached"]["static"]["runs"]
        for mode in ("cached", "uncached"):
            for page, row in data[mode].items():
                queries = data["queries"].get(page, {})
                if not row["runs"]:
                    why = row.get("skipped") or row.get("error") or "no runs"
                    lines.append(f"{backend:<9}{mode:<9}{page:<12}  not load-tested: {why}")
                for conns, run in row["runs"].items():
                    base = static.get(conns, {}).get("rps")
                    ratio = f"{run['rps'] / base:.2f}" if run["rps"] and base else "-"
                    lines.append(
                        f"{backend:<9}{mode:<9}{page:<12}{conns:>6}{run['rps'] or 0:>10.1f}"
                        f"{run['p50_ms'] or 0:>9.1f}{run['p99_ms'] or 0:>9.1f}{ratio:>10}"
                        f"{run['non_2xx']:>8}{str(queries.get('scale_1', '')):>5}"
                        f"{str(queries.get(f'scale_{SCALE:g}', '')):>6}"
                        f"{str(queries.get(f'render_ms_{SCALE:g}', '')):>10}"
                    )
    return "\n".join(lines)


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    started = time.monotonic()
    results = {"scale": SCALE, "machine": machine(), "backends": {}}
    for backend in BACKENDS:
        try:
            results["backends"][backend] = bench_backend(backend)
        except Exception as error:  # report it and go on with the other database
            say(f"{backend}: failed: {error!r}")
            results["backends"][backend] = {"error": repr(error)}
    results["minutes"] = round((time.monotonic() - started) / 60, 1)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    say(f"Done in {results['minutes']} minutes; results in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
