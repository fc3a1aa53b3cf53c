"""The layout of ``loaders/`` (issue 14): three floors and no import circle.

* floor 0 — ``loaders.model``, ``loaders.vocab``, ``loaders.paths``: records and closed
  vocabularies;
* floor 1 — ``loaders.text``: the grammar of words (numbers, periods, outline codes, the text
  normal form, vocabularies, units, funding sources);
* floor 2 — ``loaders.tables``: the table model, its readers and the file readers;
* floor 3 — ``loaders.families``: one module per document family;
* floor 4 — the rest of ``loaders`` (``documents``, ``sniff``, ``enrich``, ``reconcile`` …):
  the pipeline that runs the families.

A module imports only modules of its own floor or below (never upward), the import graph of
``loaders`` has no cycle (imports inside functions included), and nothing in ``loaders``
imports ``warehouse``, ``ui``, ``pages``, ``charts`` or ``streamlit``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOADERS = ROOT / "loaders"
FLOOR0 = {"loaders.model", "loaders.vocab", "loaders.paths"}
FORBIDDEN = ("warehouse", "ui", "pages", "charts", "streamlit")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(LOADERS.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


MODULES = _modules()


def floor(module: str) -> int:
    """The floor of a ``loaders`` module (see the module docstring)."""
    if module in FLOOR0:
        return 0
    for n, pkg in enumerate(("loaders.text", "loaders.tables", "loaders.families"), start=1):
        if module == pkg or module.startswith(pkg + "."):
            return n
    return 4


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every import of a module (module-level and inside functions): (imported name, line).
    ``from pkg import sub`` counts as an import of ``pkg.sub`` when that is a module."""
    is_pkg = path.name == "__init__.py"
    package = module if is_pkg else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
            out.extend((s, node.lineno) for s in subs)
            if len(subs) < len(node.names):
                out.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((a.name, node.lineno) for a in node.names)
    return out


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_floors_are_the_packages_of_the_layout():
    for pkg in ("loaders.text", "loaders.tables", "loaders.families"):
        assert pkg in MODULES, f"{pkg} is missing"
    flat = [m for m in MODULES if floor(m) == 4 and m.count(".") > 1]
    assert not flat, f"sub-packages outside the three floors: {flat}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_upward(module):
    mine = floor(module)
    for target, line in GRAPH[module]:
        if target == "loaders" or target.startswith("loaders."):
            assert floor(target) <= mine, f"{MODULES[module].relative_to(ROOT)}:{line} imports {target} (floor {floor(target)} > {mine})"
        assert not any(target == f or target.startswith(f + ".") for f in FORBIDDEN), \
            f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}"


def test_no_import_circle():
    edges = {m: {t for t, _ in GRAPH[m] if t in MODULES and t != m} for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                pytest.fail("import circle: " + " → ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(MODULES):
        if m not in state:
            visit(m)
