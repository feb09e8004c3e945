"""The layers of docs/architecture.md, checked on the code: what each module may import, and
that every module imports on its own in a fresh interpreter (no import that works only
because another module happened to be imported first).

A new module is placed in a layer by the folder it lives in (FOLDERS below); a new module at
the top of the package must be added to TOP below, in the layer it belongs to."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PACKAGE = ROOT / "dashboard"

# the package's folders, each one layer
FOLDERS = {"app": "app", "curation": "tools", "pages": "pages", "components": "components", "data": "data"}
# the modules at the top of the package, by layer
TOP = {
    "dashboard": "entry", "dashboard.__main__": "entry", "dashboard.cli": "entry", "dashboard.wsgi": "entry",
    "dashboard.config": "config",
}
# what each layer may import from the package (a layer always may import itself)
MAY_IMPORT = {
    "entry": {"entry", "app", "tools", "config", "pages", "components", "data"},
    "app": {"app", "config", "pages", "components", "data"},
    "tools": {"tools", "config", "data"},
    "pages": {"pages", "components", "data"},
    "components": {"components", "data"},
    "data": {"data"},
    "config": set(),
}
# the data layer is plain Python: nothing of Dash, Flask or plotly
WEB = ("dash", "dash_bootstrap_components", "dash_ag_grid", "dash_cytoscape", "flask", "werkzeug", "plotly")
LITE = "dashboard.components.lite"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def layer(module: str) -> str:
    for folder, its_layer in FOLDERS.items():
        if module == f"dashboard.{folder}" or module.startswith(f"dashboard.{folder}."):
            return its_layer
    if module not in TOP:
        raise AssertionError(f"{module} is in no layer: add it to TOP in {Path(__file__).name} "
                             "and to docs/architecture.md")
    return TOP[module]


def imports(module: str) -> set[str]:
    """Every module `module` imports (at the top or inside a function), relative ones resolved;
    `from package import name` counts `package.name` too when that is a module."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & MODULES.keys()
            out.update(submodules)
            if len(submodules) < len(node.names):  # names defined in `target` itself
                out.add(target)
    return out


def test_every_module_is_in_a_layer():
    for module in MODULES:
        layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module):
    mine = layer(module)
    for target in imports(module):
        if target.split(".")[0] != "dashboard" or target == module:
            continue
        theirs = layer(target)
        assert theirs == mine or theirs in MAY_IMPORT[mine], (
            f"{module} ({mine}) imports {target} ({theirs}); {mine} may import only "
            f"{', '.join(sorted(MAY_IMPORT[mine] | {mine}))} (docs/architecture.md)")


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "data"))
def test_the_data_layer_imports_nothing_of_the_web(module):
    web = sorted(t for t in imports(module) if t.split(".")[0] in WEB)
    assert not web, f"{module} imports {', '.join(web)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "pages"))
def test_no_page_imports_app_or_lite(module):
    found = imports(module)
    assert "dashboard.app" not in found, f"{module} imports the app: use components.context.get_store"
    assert LITE not in found, f"{module} imports lite: put what it draws fast in a builder of components/"


def test_only_the_command_line_and_the_wsgi_entry_import_the_app():
    importers = sorted(m for m in MODULES if layer(m) != "app"
                       and any(t == "dashboard.app" or t.startswith("dashboard.app.") for t in imports(m)))
    assert importers == ["dashboard.cli", "dashboard.wsgi"]


def test_the_rules_catch_a_page_that_breaks_them(tmp_path, monkeypatch):
    """The checks above could fail: a page importing the app and lite is caught."""
    monkeypatch.setitem(MODULES, "dashboard.pages.bad_example", tmp_path / "bad.py")
    (tmp_path / "bad.py").write_text("from ..app import create_app\nfrom ..components import lite\n")
    found = imports("dashboard.pages.bad_example")
    assert "dashboard.app" in found and LITE in found
    with pytest.raises(AssertionError, match="imports the app"):
        test_no_page_imports_app_or_lite("dashboard.pages.bad_example")
    with pytest.raises(AssertionError, match="pages may import only"):
        test_imports_point_down_the_layers("dashboard.pages.bad_example")


# Run in a fresh interpreter: it imports the third-party libraries the package uses (so that
# each module's own import costs milliseconds, not the second or so Dash takes), then forks
# one child per module, each importing that module alone: no module of the package is loaded
# before it. A child prints what failed and exits 1.
_FORKER = """
import importlib, os, sys, traceback
for name in sys.argv[2].split(","):
    try:
        importlib.import_module(name)
    except Exception:
        pass
assert not any(m == "dashboard" or m.startswith("dashboard.") for m in sys.modules)
failed = 0
for module in sys.argv[1].split(","):
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(module)
        except BaseException:
            print(f"--- {module}:", traceback.format_exc(), sep="\\n", file=sys.stderr)
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    failed += status != 0
sys.exit(1 if failed else 0)
"""


def test_every_module_imports_alone_in_a_fresh_interpreter():
    # __main__ runs the command line when imported: it is a script, not a module to import
    modules = sorted(m for m in MODULES if m != "dashboard.__main__")
    third_party = sorted({t for m in MODULES for t in imports(m) if t.split(".")[0] != "dashboard"})
    proc = subprocess.run([sys.executable, "-c", _FORKER, ",".join(modules), ",".join(third_party)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-6000:]


def test_the_import_check_catches_a_module_that_fails_alone(tmp_path):
    """The check above could fail: a module that needs another to be imported first fails."""
    (tmp_path / "needs_first.py").write_text("import sys\nsys.modules['first_one'].value\n")
    proc = subprocess.run([sys.executable, "-c", _FORKER, "needs_first", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env={"PYTHONPATH": str(tmp_path)})
    assert proc.returncode == 1 and "needs_first" in proc.stderr and "KeyError" in proc.stderr
