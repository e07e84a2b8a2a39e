"""Locked dependencies, and `pip install .` installs a working app.

- requirements.lock pins the production dependencies of pyproject.toml, and nothing of the
  test tools; requirements-dev.lock pins those at the same versions plus the test extras;
  every pin within its bounds and with hashes, so `make` can install with --require-hashes;
- a wheel built offline holds every module, migration, template, static file and fixture,
  and an installed copy finds its templates, static files and fixtures with no checkout.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = settings.BASE_DIR
LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
# Where each source folder goes in the wheel (pyproject.toml, [tool.setuptools]).
IN_WHEEL = {
    "agendas": "agendas",
    "config": "config",
    "templates": "config/templates",
    "static": "config/static",
    "fixtures": "config/fixtures",
}
NOT_SHIPPED = {"__pycache__", "bench"}  # bytecode; static/bench/ is make bench's output


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked(lock):
    """{name: (version, number of hashes)} from a lock file."""
    pins = {}
    for block in re.split(r"\n(?=\S)", lock.read_text(encoding="utf-8")):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            pins[canonicalize_name(match[1])] = (match[2], block.count("--hash=sha256:"))
    return pins


def assert_pins_within_bounds_with_hashes(lock, wanted):
    pins = locked(lock)
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {lock.name}: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, outside {requirement.specifier}: run `make lock`"
        )
    for name, (version, hashes) in pins.items():
        assert hashes >= 1, f"{name}=={version} in {lock.name} has no hash"


def test_the_production_lock_pins_the_apps_dependencies_and_no_test_tool():
    project = pyproject()["project"]
    assert_pins_within_bounds_with_hashes(LOCK, project["dependencies"])
    pins = locked(LOCK)
    for name in ["pytest", "pytest-django", "playwright", "hypothesis", "ruff"]:
        assert name not in pins, f"{name} is a test tool, yet requirements.lock pins it"


def test_the_development_lock_adds_the_test_tools_at_the_production_versions():
    project = pyproject()["project"]
    assert_pins_within_bounds_with_hashes(
        DEV_LOCK, [*project["dependencies"], *project["optional-dependencies"]["test"]]
    )
    production, development = locked(LOCK), locked(DEV_LOCK)
    differ = {
        name: (version, development.get(name, ("missing",))[0])
        for name, (version, _) in production.items()
        if development.get(name, (None,))[0] != version
    }
    assert not differ, f"the locks disagree (production, development): {differ}: run `make lock`"


def test_the_fast_moving_dependencies_have_an_upper_bound_and_ruff_is_exact():
    project = pyproject()["project"]
    requirements = {
        canonicalize_name(Requirement(line).name): Requirement(line)
        for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    }
    for name in ["django", "django-csp", "django-axes", "django-taggit", "django-simple-history"]:
        assert any(spec.operator == "<" for spec in requirements[name].specifier), name
    ruff = list(requirements["ruff"].specifier)
    assert len(ruff) == 1 and ruff[0].operator == "==", "pin ruff exactly: make lint runs it"


def test_make_installs_from_the_lock_file_with_hashes_and_follows_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")

    assert "--require-hashes -r $(DEV_LOCK)" in makefile
    for lock in ["LOCK", "DEV_LOCK"]:
        assert re.search(rf"^STAMP := .*\$\({lock}\)", makefile, re.M), lock
        assert re.search(rf"^\$\(STAMP\): .*\$\({lock}\)", makefile, re.M), lock


def shipped_files():
    """Every file of the source folders, as the wheel should name it."""
    names = set()
    for folder, target in IN_WHEEL.items():
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT / folder)
            if path.is_file() and not NOT_SHIPPED & set(relative.parts):
                names.add(f"{target}/{relative.as_posix()}")
    return names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built offline from a copy of the checkout (the build writes beside its source)."""
    source = tmp_path_factory.mktemp("source")
    for name in [*IN_WHEEL, "pyproject.toml", "README.md"]:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source)]
        + ["--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("alignment_agendas-*.whl")
    return built


@pytest.mark.packaging
def test_the_wheel_holds_the_app_its_settings_templates_static_files_and_fixtures(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    missing = shipped_files() - names
    assert not missing, f"not in the wheel (add the folder to pyproject.toml): {sorted(missing)}"
    for name in [
        "agendas/migrations/0001_initial.py",
        "agendas/templatetags/agenda_tags.py",
        "agendas/management/commands/load_content.py",
        "config/settings.py",
        "config/gunicorn.py",
        "config/templates/base.html",
        "config/static/agendas/site.css",
        "config/fixtures/problems.json",
    ]:
        assert name in names, name
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"agendas", "config"}


@pytest.mark.packaging
def test_an_installed_wheel_finds_its_templates_static_files_and_fixtures(wheel, tmp_path):
    """Unpacked outside any checkout (as pip installs it), migrate and load_content work and
    every page template, static file and fixture comes from the installed copy."""
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(site),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "installed-wheel-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "STATIC_ROOT": str(work / "staticfiles"),
    }
    script = """
import config, django
django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import get_template
from agendas.content import fixture_paths
call_command("migrate", verbosity=0)
call_command("load_content", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from agendas.models import Agenda
print("config", config.__file__)
print("template", get_template("agendas/home.html").origin.name)
print("static", finders.find("agendas/site.css"))
print("fixtures", *sorted({str(path.parent) for path in fixture_paths() if path.exists()}))
print("agendas", Agenda.objects.count())
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    for what in ["config", "template", "static", "fixtures"]:
        for path in lines[what].split():
            assert path.startswith(str(site)), f"{what} from {path}"
    assert int(lines["agendas"]) > 0
    assert (work / "staticfiles" / "agendas" / "site.css").exists()
