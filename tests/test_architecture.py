"""The architecture, held by parsing the imports (docs/architecture.md tells the same in words).

Layers, lowest first; a module imports only from its own layer or a lower one:

    common → access → datasets → store → ingestion → kpi → analysis → display → report → faces (cli, dashboard)

The engine (`aiorg_metrics` but its `cli`) never imports streamlit, the dashboard or the CLI;
the two faces never import each other; no import cycle, and no function-level import hiding
one (the lazy imports kept for start-up time are listed below with their reason).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("common", "access", "datasets", "store", "ingestion", "kpi", "analysis", "display", "report", "faces")
FACES = {"aiorg_metrics.cli": "faces", "aiorg_metrics.__main__": "faces", "dashboard": "faces"}
PACKAGES = {f"aiorg_metrics.{name}": name for name in LAYERS[:-1]} | FACES
# (importing module, imported module): why the import stays inside a function
LAZY = {
    ("aiorg_metrics.kpi", "aiorg_metrics.kpi.engine"): "the registry loads without the engine's pandas, so `ingest`"
    " (which reads the settings, hence the registry) stays inside a 1 GB address space",
    ("aiorg_metrics.cli", "importlib"): "each command module is imported only when its command runs",
}
SOURCES = sorted([*(ROOT / "aiorg_metrics").rglob("*.py"), *(ROOT / "dashboard").rglob("*.py")])


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """The layer of a project module (None for a third-party one or the package roots)."""
    for package, layer in sorted(PACKAGES.items(), key=lambda item: -len(item[0])):
        if module == package or module.startswith(package + "."):
            return layer
    return None


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(f"{node.module}.{alias.name}", id(node) in top) for alias in node.names]
    return found


def project_target(name: str) -> str | None:
    """The project module an imported name refers to (a module, or the module defining the name)."""
    while name:
        if layer_of(name) and (_is_module(name) or _is_package(name)):
            return name
        name = name.rpartition(".")[0]
    return None


def _is_module(name: str) -> bool:
    return (ROOT / (name.replace(".", "/") + ".py")).exists()


def _is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").exists()


def edges() -> list[tuple[str, str, bool]]:
    """(importer, imported project module, at module level?) over the engine and the dashboard."""
    out = []
    for path in SOURCES:
        importer = module_name(path)
        for name, top in imports(path):
            target = project_target(name)
            if target and target != importer:
                out.append((importer, target, top))
    return out


def violations(found: list[tuple[str, str, bool]]) -> list[str]:
    """Every import that breaks a rule of the module docstring, in words."""
    problems = []
    for importer, target, _ in found:
        low, high = LAYERS.index(layer_of(target)), LAYERS.index(layer_of(importer))
        if low > high:
            problems.append(f"{importer} ({layer_of(importer)}) imports {target} ({layer_of(target)}), a higher layer")
        if {_face(importer), _face(target)} == {"cli", "dashboard"}:
            problems.append(f"{importer} imports {target}: the CLI and the dashboard never import each other")
    return problems


def _face(module: str) -> str | None:
    if module in ("aiorg_metrics.cli", "aiorg_metrics.__main__") or module.startswith("aiorg_metrics.cli."):
        return "cli"
    return "dashboard" if module.split(".")[0] == "dashboard" else None


def cycles(found: list[tuple[str, str, bool]]) -> list[list[str]]:
    """Import cycles among project modules (function-level imports included: they only hide a cycle)."""
    graph: dict[str, set[str]] = {}
    for importer, target, _ in found:
        graph.setdefault(importer, set()).add(target)
    seen, stack, out = set(), [], []

    def visit(node: str) -> None:
        if node in stack:
            out.append([*stack[stack.index(node):], node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if not nxt.startswith(node + "."):  # a package's __init__ importing its own modules is no cycle
                visit(nxt)
        stack.pop()

    for node in sorted(graph):
        visit(node)
    return out


def test_the_engine_never_imports_streamlit_the_dashboard_or_the_cli() -> None:
    bad = []
    for path in (ROOT / "aiorg_metrics").rglob("*.py"):
        importer = module_name(path)
        if _face(importer) == "cli":
            continue
        for name, _ in imports(path):
            root = name.split(".")[0]
            if root in ("streamlit", "dashboard") or _face(name) == "cli":
                bad.append(f"{importer} imports {name}")
    assert bad == []


def test_layers_only_import_downward_and_faces_never_import_each_other() -> None:
    assert violations(edges()) == []


def test_no_import_cycle_and_no_function_level_import_hiding_one() -> None:
    found = edges()
    assert cycles(found) == []
    hidden = [(a, b) for a, b, top in found if not top and (a, b) not in LAZY]
    assert hidden == [], "a function-level import: move it to the top, or list it in LAZY with its reason"


@pytest.mark.parametrize(
    ("importer", "target", "rule"),
    [
        ("aiorg_metrics.store.schema", "aiorg_metrics.kpi.engine", "a higher layer"),
        ("aiorg_metrics.display.figures", "aiorg_metrics.cli.kpis", "a higher layer"),
        ("dashboard.state", "aiorg_metrics.cli", "never import each other"),
    ],
)
def test_the_checks_catch_a_forbidden_import(importer: str, target: str, rule: str) -> None:
    assert any(rule in problem for problem in violations([(importer, target, True)]))


def test_the_cycle_check_catches_a_cycle_hidden_in_a_function() -> None:
    found = [("aiorg_metrics.kpi.settings", "aiorg_metrics.kpi.engine", False),
             ("aiorg_metrics.kpi.engine", "aiorg_metrics.kpi.settings", True)]
    assert cycles(found) != []
