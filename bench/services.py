"""Throwaway PostgreSQL clusters and Redis servers, for `make bench` and tests/test_replica.py.

A cluster is made with initdb in a new directory under the system's temporary folder,
started with pg_ctl on a free local port, and removed with its directory when stopped. It
needs PostgreSQL's server programs (Debian: /usr/lib/postgresql/<version>/bin, from the
postgresql package), not a running server or a role: that is what lets the benchmark run
on a fresh machine. PostgreSQL refuses to run as root, so under root the server programs
run as the `postgres` system user.

Ports: any free one, or the first free one of PG_PORTS / REDIS_PORTS (e.g. "5440-5449")
when several people share a machine and have agreed on ranges.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup")
SERVER_USER = "postgres"  # who runs PostgreSQL when we are root


class ServiceError(RuntimeError):
    pass


# -- ports ---------------------------------------------------------------------------------


def port_is_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def parse_ports(text):
    """The ports in text such as "5440-5449" or "5440,5441" (none in "")."""
    ports = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        low, _, high = part.partition("-")
        ports.extend(range(int(low), int(high or low) + 1))
    return ports


def free_port(range_variable=None, taken=()):
    """A free local port: the first free one in $range_variable when it is set, else any."""
    candidates = parse_ports(os.environ.get(range_variable, "")) if range_variable else []
    for port in candidates:
        if port not in taken and port_is_free(port):
            return port
    if candidates:
        raise ServiceError(f"no free port in {range_variable}={os.environ[range_variable]}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- PostgreSQL ----------------------------------------------------------------------------


def postgres_bin_dir():
    """The folder holding initdb, pg_ctl and pg_basebackup (newest version first), or None."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: [int(n) for n in Path(path).parent.name.split(".") if n.isdigit()],
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if all((Path(folder) / program).is_file() for program in SERVER_PROGRAMS):
            return Path(folder)
    return None


def why_no_cluster():
    """None when a throwaway cluster can be made here, else the reason it cannot."""
    if postgres_bin_dir() is None:
        return (
            "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) were not found in "
            "/usr/lib/postgresql/*/bin or on PATH; install the postgresql package"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as"
        if not shutil.which("runuser"):
            return "running as root and runuser (util-linux) is missing"
    return None


def as_server_user(command):
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *command]
    return command


def give_to_server_user(path):
    if os.geteuid() == 0:
        record = pwd.getpwnam(SERVER_USER)
        os.chown(path, record.pw_uid, record.pw_gid)


class PostgresCluster:
    """One PostgreSQL server in a directory of its own; `with` stops and removes it.

    Connect as the superuser `postgres` without a password (trust, local TCP only).
    `settings` become lines of its postgresql.conf, so a replica made from it by
    pg_basebackup gets them too. Use it as `with PostgresCluster(...) as cluster:
    cluster.init().start()`, so that a failed start still removes the directory.
    """

    def __init__(self, name, settings=None, port=None):
        self.name = name
        self.bin = postgres_bin_dir()
        reason = why_no_cluster()
        if reason:
            raise ServiceError(reason)
        self.folder = Path(tempfile.mkdtemp(prefix=f"agendas-{name}-"))
        give_to_server_user(self.folder)
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = port or free_port("PG_PORTS")
        self.settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            **(settings or {}),
        }
        self.running = False

    def run(self, *command, check=True):
        completed = subprocess.run(
            as_server_user([str(self.bin / command[0]), *command[1:]]),
            capture_output=True,
            text=True,
        )
        if check and completed.returncode:
            raise ServiceError(
                f"{' '.join(command)} failed ({completed.returncode}):\n"
                f"{completed.stdout}{completed.stderr}{self.log_tail()}"
            )
        return completed

    def init(self):
        self.run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.configure()
        return self

    def configure(self):
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# Written by bench/services.py\n")
            for key, value in self.settings.items():
                conf.write(f"{key} = {value}\n")

    def start(self):
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120",
            "-o", f"-p {self.port}", "start",
        )  # fmt: skip
        self.running = True
        return self

    def replica(self, name):
        """A streaming replica of this (running) cluster: pg_basebackup -R, then started."""
        port = free_port("PG_PORTS", taken={self.port})
        replica = PostgresCluster(name, settings=self.settings, port=port)
        try:
            self.run(
                "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast",
            )  # fmt: skip
            # The copied postgresql.conf names the primary's socket folder; give it its own.
            with open(replica.data / "postgresql.conf", "a") as conf:
                conf.write(f"unix_socket_directories = '{replica.folder}'\n")
            return replica.start()
        except BaseException:
            replica.stop()
            raise

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database="postgres"):
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True)

    def execute(self, sql, params=None, database="postgres"):
        with self.connect(database) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def create_database(self, name):
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_tail(self, lines=20):
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n--- server log ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.running:
            # Immediate: no shutdown checkpoint, as the directory is removed next anyway.
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


# -- Redis ---------------------------------------------------------------------------------


def why_no_redis():
    if not shutil.which("redis-server"):
        return "redis-server is not installed (Debian: apt-get install redis-server)"
    return None


class RedisServer:
    """A Redis of our own on a free port, nothing saved to disk; `with` stops it."""

    def __init__(self, port=None):
        reason = why_no_redis()
        if reason:
            raise ServiceError(reason)
        self.port = port or free_port("REDIS_PORTS")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServiceError(f"redis-server exited on port {self.port}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.1)
        self.stop()
        raise ServiceError(f"redis-server did not answer on port {self.port}")

    def url(self, database=0):
        return f"redis://127.0.0.1:{self.port}/{database}"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
