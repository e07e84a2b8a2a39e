"""With the database stopped the site answers a friendly 503 and /healthz reports unhealthy;
when the database returns, the site recovers without a restart.

This runs against a real PostgreSQL: a throwaway cluster made with initdb on a free port, so
stopping it cannot disturb the suite's own database. The app runs under gunicorn, as in
production.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

pytestmark = pytest.mark.outage


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(url, status, log, seconds=30):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = get(url)
            if last[0] == status:
                return last
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    with open(log) as server_log:
        tail = server_log.read()[-3000:]
    pytest.fail(f"{url} did not answer {status} within {seconds}s; last: {last}\n{tail}")


class ThrowawayPostgres:
    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.fail(
                "PostgreSQL server binaries (initdb) are missing: apt-get install postgresql"
            )
        self.bin = os.path.dirname(found[-1])
        self.dir = tempfile.mkdtemp(prefix="agendas-outage-")
        os.chmod(self.dir, 0o777)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        # PostgreSQL refuses to run as root; use the postgres account when we are root.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args):
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=120)

    def init(self):
        self.run(
            f"{self.bin}/initdb",
            "-D",
            self.data,
            "-A",
            "trust",
            "-U",
            "agendas",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self.run(
            f"{self.bin}/createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "agendas",
            "outage",
        )

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            f"{self.bin}/pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            os.path.join(self.dir, "log"),
            "-w",
            "start",
        )

    def stop(self):
        self.run(f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self):
        return f"postgres://agendas@127.0.0.1:{self.port}/outage"

    def destroy(self):
        subprocess.run(
            [*self.prefix, f"{self.bin}/pg_ctl", "-D", self.data, "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def site_on_its_own_postgres():
    database = ThrowawayPostgres()
    server = None
    try:
        database.init()
        env = {
            "PATH": os.environ.get("PATH", ""),
            "DATABASE_URL": database.url(),
            "SECRET_KEY": "outage-test-key",
            "HTTPS": "0",
            "STATIC_MANIFEST": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            # One worker, so its local-memory page cache is the whole cache.
            "CACHE_SECONDS": "600",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=300,
        )
        port = free_port()
        server_log = open(os.path.join(database.dir, "gunicorn.log"), "w")  # noqa: SIM115
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "30",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        yield database, f"http://127.0.0.1:{port}", server_log.name
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        database.destroy()


def test_the_site_answers_503_while_the_database_is_down_and_recovers(site_on_its_own_postgres):
    database, base, log = site_on_its_own_postgres
    wait_for(f"{base}/", 200, log)
    assert get(f"{base}/healthz")[0] == 200

    database.stop()
    # Pages already in the anonymous page cache keep being served during the outage...
    assert get(f"{base}/")[0] == 200
    # ...and everything that needs the database answers a friendly 503.
    status, body = get(f"{base}/agendas/?sort=name")
    assert status == 503
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
    status, body = get(f"{base}/healthz")
    assert status == 503
    assert '"unhealthy"' in body

    database.start()
    wait_for(f"{base}/agendas/?sort=name", 200, log)
    assert get(f"{base}/healthz")[0] == 200
