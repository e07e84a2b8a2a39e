"""The app's modules form layers: no import cycle, function-level imports included, so a low
module (the cache, the QuerySets, scoring) never reaches up into the models, forms or views."""

import ast
from pathlib import Path

import agendas

ROOT = Path(agendas.__file__).parent


def module_name(path):
    parts = ["agendas", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph():
    modules = {
        module_name(path): path
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    }

    def known(name):  # "agendas.models.Agenda" -> "agendas.models"
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                    ).strip(".")
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {known(t) for t in targets if t.startswith("agendas")} - {name, ""}
    return graph


def find_cycle(graph):
    state, path = {}, []

    def visit(name):
        state[name] = "open"
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[name] = "done"
        path.pop()
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_no_module_of_the_app_imports_itself_back():
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle)


def test_the_low_modules_import_nothing_above_them():
    graph = import_graph()
    high = ("agendas.models", "agendas.forms", "agendas.views", "agendas.admin")
    for low in [
        "agendas.cache.key",
        "agendas.cache.middleware",
        "agendas.querysets",
        "agendas.scoring",
    ]:
        assert not {t for t in graph[low] if t.startswith(high)}, low
