"""No document family imports another: what two families share lives below them (gongwen/,
templating/, documents.py, the run context), so each family can be changed, run and tested alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fanpin_docs

PACKAGE = Path(fanpin_docs.__file__).parent
FAMILIES = ("cards", "training", "projects", "plan", "notices", "ledger")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `path`, relative imports resolved."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            if not node.module:  # from .. import training
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def family_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "fanpin_docs" and parts[1] in FAMILIES else None


def test_the_walk_sees_relative_and_absolute_imports() -> None:
    probe = PACKAGE / "notices" / "writers.py"
    modules = {module for _, module in imported_modules(probe)}
    assert "fanpin_docs.notices.class_notice" in modules  # from .class_notice import …
    assert "fanpin_docs.gongwen.issuer" in modules  # from ..gongwen.issuer import …
    assert family_of("fanpin_docs.training.publicity") == "training"
    assert family_of("fanpin_docs.gongwen.publicity") is None


@pytest.mark.parametrize("family", FAMILIES)
def test_no_family_imports_another(family: str) -> None:
    files = sorted((PACKAGE / family).rglob("*.py"))
    assert files, f"no modules under {family}/"
    crossings = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}"
        for path in files
        for line, module in imported_modules(path)
        if family_of(module) not in (None, family)
    ]
    assert crossings == []
