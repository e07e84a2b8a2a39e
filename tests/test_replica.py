"""Scaling out on real parts: a PostgreSQL primary with a streaming replica, one Redis and two
gunicorn servers running the site with DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL.

What it shows (printed at the end of the module, and written to
test-artifacts/replica-report.txt):
- pages read from the replica, and writes land on the primary, counted by
  pg_stat_statements on each server (statements are counted per server, so a SELECT on
  the replica's counter ran on the replica);
- with replay paused on the replica (real, unbounded lag), a write through a management
  command and through the admin is on the very next page read, from either server, because
  the router reads the primary until the replica has replayed it (agendas/db_routers.py);
- a write through either server makes the cached pages of both stale.

It starts its own clusters with initdb and pg_basebackup (bench/services.py), so it needs
PostgreSQL's server programs and redis-server, not a running PostgreSQL; without them it
is skipped, saying why (REQUIRE_REPLICA_TEST=1 makes that a failure, for CI). About a
minute, mostly migrations.
"""

import html
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bench.services import PostgresCluster, RedisServer, free_port, why_no_cluster, why_no_redis

pytestmark = pytest.mark.replica

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = "agendas"
EDITOR, PASSWORD = "replica-editor", "replica-test-password-1"
REPORT = ROOT / "test-artifacts" / "replica-report.txt"


def _skip_reason():
    return why_no_cluster() or why_no_redis()


if _skip_reason():
    if os.environ.get("REQUIRE_REPLICA_TEST") == "1":
        raise RuntimeError(f"REQUIRE_REPLICA_TEST=1 but {_skip_reason()}")
    pytest.skip(f"no real replica here: {_skip_reason()}", allow_module_level=True)


# -- processes -------------------------------------------------------------------------------


def site_env(primary, replica, redis, **extra):
    """Production settings over plain HTTP; nothing inherited from the test run's DATABASE_URL,
    REDIS_URL or DJANGO_SETTINGS_MODULE."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": primary.url(DATABASE),
        "REDIS_URL": redis.url(),
        "SECRET_KEY": "replica-test-only-secret-key-not-for-production",
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",  # pages only; no collectstatic into the shared folder
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_SECONDS": "600",
        "LOG_LEVEL": "WARNING",
    }
    if replica is not None:
        environment["DATABASE_REPLICA_URL"] = replica.url(DATABASE)
    environment.update(extra)
    return environment


def manage(environment, *args):
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, f"manage.py {args[0]}:\n{completed.stdout}{completed.stderr}"
    return completed.stdout


class Gunicorn:
    """The site under gunicorn (2 workers) on a free port; stopped by its process group."""

    def __init__(self, name, environment, log_folder):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_folder / f"gunicorn-{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", "60",
             # gunicorn 27's control socket is one path per user: two servers would share it.
             "--no-control-socket"],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn {name} exited: {self.log_tail()}"
            try:
                if anonymous(self.base + "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"gunicorn {name} did not answer: {self.log_tail()}")

    def log_tail(self):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# -- HTTP ------------------------------------------------------------------------------------


class Page:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.text = status, headers, body.decode("utf-8", "replace")

    @property
    def cache(self):
        return self.headers.get("X-Page-Cache", "-")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=60) as response:
            return Page(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Page(error.code, error.headers, error.read())


def anonymous(url):
    """A visitor with no cookies, as the page cache serves."""
    return fetch(urllib.request.build_opener(NoRedirects), url)


class FormFields(HTMLParser):
    """The fields a browser would submit from one form: inputs, selects, textareas."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        kind = attrs.get("type", "text").lower()
        if tag == "input" and kind not in {"submit", "button", "file", "image", "reset"}:
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append([attrs["name"], attrs.get("value", "on")])
        elif tag == "select":
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "first": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.fields.append([self.select["name"], value])
                self.select["chosen"] = True
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            choose_first = not self.select["multiple"] and not self.select.get("chosen")
            if choose_first and self.select["first"] is not None:
                self.fields.append([self.select["name"], self.select["first"]])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.textarea[1] = self.textarea[1].removeprefix("\n")
            self.textarea = None


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page.text)
    assert parser.fields, f"no form #{form_id} on the page (status {page.status})"
    return parser.fields


class Editor:
    """A signed-in superuser driving the admin of one server, as a browser would."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
        )
        login = fetch(self.opener, f"{base}/admin/login/?next=/admin/")
        fields = dict(form_fields(login, "login-form"))
        fields.update(username=EDITOR, password=PASSWORD)
        answer = self.post("/admin/login/?next=/admin/", fields.items())
        assert answer.status == 302, f"admin login answered {answer.status}"

    def post(self, path, fields):
        data = urllib.parse.urlencode([tuple(field) for field in fields]).encode()
        return fetch(self.opener, self.base + path, data)

    def change(self, model_path, pk, **values):
        """Open the change form, edit some fields, save: the admin's own form, all of it."""
        path = f"/admin/agendas/{model_path}/{pk}/change/"
        form = fetch(self.opener, self.base + path)
        assert form.status == 200, f"{path} answered {form.status}"
        fields = form_fields(form, f"{model_path}_form")
        for field in fields:
            if field[0] in values:
                field[1] = values[field[0]]
        answer = self.post(path, fields)
        errors = re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', answer.text, re.S)
        assert answer.status == 302, f"saving {path} answered {answer.status}: {errors}"


# -- the servers -----------------------------------------------------------------------------


class Deployment:
    """Primary, replica, Redis and two gunicorn servers; and what the test observed."""

    def __init__(self, folder):
        self.folder = folder
        self.lines = []
        self.started = time.monotonic()

    def say(self, text):
        self.lines.append(f"[{time.monotonic() - self.started:5.1f} s] {text}")

    def statement_calls(self, cluster, pattern):
        """Calls of statements matching this regular expression, on this server alone."""
        rows = cluster.execute(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s"
            " JOIN pg_database d ON d.oid = s.dbid"
            " WHERE d.datname = %s AND s.query ~* %s AND s.query !~* 'pg_stat_statements'",
            [DATABASE, pattern],
            database=DATABASE,
        )
        return int(rows[0][0])

    def counts(self):
        """Reads and writes of the content tables, and WAL-position checks, per server."""
        result = {}
        for name, cluster in (("primary", self.primary), ("replica", self.replica)):
            result[name] = {
                "content reads": self.statement_calls(cluster, r'^SELECT .*FROM "agendas_'),
                "content writes": self.statement_calls(
                    cluster, r'^(UPDATE|INSERT INTO|DELETE FROM) "agendas_'
                ),
                "position checks": self.statement_calls(cluster, r"wal_(replay_)?lsn"),
            }
        return result

    def reset_counts(self):
        for cluster in (self.primary, self.replica):
            cluster.execute("SELECT pg_stat_statements_reset()", database=DATABASE)

    def replica_summary(self, pk):
        return self.replica.execute(
            "SELECT summary FROM agendas_agenda WHERE id = %s", [pk], database=DATABASE
        )[0][0]

    def pause_replay(self):
        self.replica.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 30
        while self.replica.execute("SELECT pg_get_wal_replay_pause_state()")[0][0] != "paused":
            assert time.monotonic() < deadline, "replay did not pause"
            time.sleep(0.1)

    def wait_until_reads_use_the_replica(self, server):
        """Right after the data is loaded the primary keeps writing WAL for a while
        (autovacuum, checkpoints), and until the replica has replayed it the router rightly
        reads the primary. Ask a page that is never cached until a request reads the
        replica."""
        deadline = time.monotonic() + 60
        while True:
            self.reset_counts()
            anonymous(server.base + "/agendas/?q=a")  # a text filter: rendered, never cached
            counts = self.counts()
            if counts["replica"]["content reads"] and not counts["primary"]["content reads"]:
                return
            assert time.monotonic() < deadline, "reads never moved to the replica"
            time.sleep(0.5)

    def resume_replay_and_catch_up(self):
        self.replica.execute("SELECT pg_wal_replay_resume()")
        target = self.primary.execute("SELECT pg_current_wal_lsn()")[0][0]
        deadline = time.monotonic() + 60
        caught_up = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
        while not self.replica.execute(caught_up, [target])[0][0]:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("replica")
    deployment = Deployment(folder)
    servers = []
    try:
        deployment.primary = PostgresCluster(
            "primary",
            # fsync off: a throwaway cluster needs no crash safety, and migrating is faster.
            settings={"shared_preload_libraries": "'pg_stat_statements'", "fsync": "off"},
        )
        servers.append(deployment.primary)
        deployment.primary.init().start()
        deployment.primary.create_database(DATABASE)
        deployment.primary.execute("CREATE EXTENSION pg_stat_statements", database=DATABASE)
        # The replica first: the schema and the data below reach it by streaming.
        deployment.replica = deployment.primary.replica("replica")
        servers.append(deployment.replica)
        deployment.redis = RedisServer().start()
        servers.append(deployment.redis)
        deployment.say(
            f"primary on port {deployment.primary.port}, streaming replica (pg_basebackup -R) "
            f"on port {deployment.replica.port}, Redis on port {deployment.redis.port}"
        )

        on_primary = site_env(deployment.primary, None, deployment.redis)
        manage(on_primary, "migrate", "--no-input", "-v0")
        deployment.say("migrated the primary")
        manage(on_primary, "generate_demo_data", "--scale", "1")
        manage(
            {**on_primary, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser", "--no-input", "--username", EDITOR, "--email", "e@example.org",
        )  # fmt: skip
        deployment.resume_replay_and_catch_up()  # not paused: waits for the replica
        agendas = deployment.primary.execute(
            "SELECT id, slug FROM agendas_agenda ORDER BY slug LIMIT 3", database=DATABASE
        )
        deployment.agendas = [(pk, f"/agendas/{slug}/") for pk, slug in agendas]
        streamed = deployment.replica.execute(
            "SELECT count(*) FROM agendas_critique", database=DATABASE
        )[0][0]
        deployment.say(
            f"loaded demo data (scale 1) on the primary; the replica holds its {streamed} "
            "critiques by streaming"
        )

        routed = site_env(deployment.primary, deployment.replica, deployment.redis)
        deployment.env = routed
        deployment.a = Gunicorn("a", routed, folder)
        servers.append(deployment.a)
        deployment.b = Gunicorn("b", routed, folder)
        servers.append(deployment.b)
        deployment.say(
            f"gunicorn A on port {deployment.a.port} and B on port {deployment.b.port}, 2 workers "
            "each, both with DATABASE_URL (primary), DATABASE_REPLICA_URL (replica), REDIS_URL"
        )
        yield deployment
    finally:
        stopping = time.monotonic()
        for server in reversed(servers):
            server.stop()
        deployment.say(f"stopped everything in {time.monotonic() - stopping:.1f} s")
        REPORT.parent.mkdir(exist_ok=True)
        REPORT.write_text("\n".join(deployment.lines) + "\n")
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print("\n\nReplica test (tests/test_replica.py) showed:")
            for line in deployment.lines:
                print(f"  {line}")


@pytest.fixture
def paused_replay(deployment):
    deployment.pause_replay()
    try:
        yield
    finally:
        deployment.resume_replay_and_catch_up()


# -- the tests -------------------------------------------------------------------------------


def test_pages_read_from_the_replica(deployment):
    deployment.wait_until_reads_use_the_replica(deployment.a)
    deployment.reset_counts()
    pages = ["/", "/agendas/", deployment.agendas[0][1], "/critiques/", "/search/?q=oversight"]
    for server in (deployment.a, deployment.b):
        for path in pages:
            page = anonymous(server.base + path)
            assert page.status == 200, f"{server.name} {path}: {page.status}"

    counts = deployment.counts()

    assert counts["replica"]["content reads"] > 0
    assert counts["primary"]["content reads"] == 0
    deployment.say(
        f"reads: {len(pages)} pages through each server -> content SELECTs on the replica "
        f"{counts['replica']['content reads']}, on the primary "
        f"{counts['primary']['content reads']}; WAL-position checks: replica "
        f"{counts['replica']['position checks']}, primary {counts['primary']['position checks']}"
    )


def test_a_command_s_write_shows_at_once_despite_a_paused_replica(deployment, paused_replay):
    pk, path = deployment.agendas[0]
    before = deployment.replica_summary(pk)
    new = f"Edited by a command at {time.time():.0f} while the replica was paused."
    deployment.reset_counts()

    manage(
        deployment.env,
        "shell",
        "-c",
        "from agendas.models import Agenda; "
        f"agenda = Agenda.objects.get(pk={pk}); agenda.summary = {new!r}; agenda.save()",
    )
    page = anonymous(deployment.b.base + path)
    counts = deployment.counts()

    assert deployment.replica_summary(pk) == before, "the replica was not lagging"
    assert html.escape(new, quote=True) in page.text
    assert counts["primary"]["content writes"] > 0
    assert counts["replica"]["content writes"] == 0
    assert counts["primary"]["content reads"] > 0  # the page was read from the primary
    deployment.say(
        f"lag: replay paused, `manage.py shell` saved agenda {pk} on the primary "
        f"(content writes: primary {counts['primary']['content writes']}, replica "
        f"{counts['replica']['content writes']}); the replica still had the old summary; "
        f"GET {path} on B showed the new one (cache {page.cache}), read from the primary "
        f"({counts['primary']['content reads']} content SELECTs there, "
        f"{counts['replica']['content reads']} on the replica)"
    )


def test_reads_return_to_the_replica_once_it_has_caught_up(deployment):
    deployment.reset_counts()
    page = anonymous(deployment.a.base + deployment.agendas[1][1])
    counts = deployment.counts()

    assert page.status == 200
    assert counts["replica"]["content reads"] > 0
    assert counts["primary"]["content reads"] == 0
    deployment.say(
        f"caught up: replay resumed, the next page read from the replica again "
        f"({counts['replica']['content reads']} content SELECTs there, "
        f"{counts['primary']['content reads']} on the primary)"
    )


@pytest.mark.parametrize("writer", ["a", "b"])
def test_an_admin_write_through_either_server_refreshes_both_caches(
    deployment, paused_replay, writer
):
    pk, path = deployment.agendas[2]
    servers = [deployment.a, deployment.b]
    for server in servers:  # both serve the page from the cache
        anonymous(server.base + path)
        assert anonymous(server.base + path).cache == "hit", f"{server.name} did not cache"
    through = getattr(deployment, writer)
    other = deployment.b if through is deployment.a else deployment.a
    new = f"Edited in the admin of {through.name.upper()} at {time.time():.0f}."

    Editor(through.base).change("agenda", pk, summary=new)
    # The other server first: it holds the old page in its own memory and in Redis.
    after = {server.name: anonymous(server.base + path) for server in (other, through)}

    assert deployment.replica_summary(pk) != new, "the replica was not lagging"
    for name, page in after.items():
        assert page.status == 200
        assert html.escape(new, quote=True) in page.text, f"{name} still showed the old page"
    # The first read renders afresh; the second may take that fresh page from Redis.
    assert after[other.name].cache == "miss"
    deployment.say(
        f"admin write through {through.name.upper()} (replay paused; both servers had just "
        f"served {path} from the cache): the next GET showed the new summary on "
        + " then ".join(f"{name.upper()} (cache {page.cache})" for name, page in after.items())
    )
