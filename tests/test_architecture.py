"""The house rules that code review alone would let slip: import direction, module size, docs.

Data flows one way (../shared/DESIGN.md): official file → `lists` → `screening.store` →
`screening.matching` → `screening.coalition` → `screening.batch` / `screening.workflow` →
`screening.service` / `screening.commands` → `cli.py`. A module may import from its own layer
and the layers before it, never from a later one; every import counts, also those inside
functions (a lazy import still runs against the flow). `screening.settings` reads configuration
and `screening.data` holds package data: both may be used by any screening layer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Layer of each package prefix; the longest matching prefix wins.
LAYERS: dict[str, int] = {
    "lists": 0,
    "screening.settings": 1,
    "screening.data": 1,
    "screening.store": 1,
    "screening.matching": 2,
    "screening": 2,  # the package's public API re-exports the matcher
    "screening.coalition": 3,
    "screening.batch": 4,
    "screening.workflow": 4,
    "screening.service": 5,
    "screening.commands": 5,
    "cli": 6,
}
PACKAGES = ("lists", "screening")


def _layer(module: str) -> int | None:
    best = None
    for prefix in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best)
        ):
            best = prefix
    return None if best is None else LAYERS[best]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> list[Path]:
    files = [ROOT / "cli.py"]
    for package in PACKAGES:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from screening import settings` imports the submodule, not the package API.
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                submodule = ROOT / Path(*candidate.split("."))
                is_module = submodule.with_suffix(".py").exists() or submodule.is_dir()
                found.append((node.lineno, candidate if is_module else node.module))
    return found


def test_imports_follow_the_data_flow() -> None:
    violations = []
    for path in _sources():
        own = _layer(_module_name(path))
        assert own is not None, f"{path} is in no layer: add its package to LAYERS"
        for line, imported in _imports(path):
            target = _layer(imported)
            if target is not None and target > own:
                violations.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not violations, "imports against the flow:\n" + "\n".join(violations)


def test_lists_know_nothing_of_screening() -> None:
    for path in sorted((ROOT / "lists").rglob("*.py")):
        for line, imported in _imports(path):
            assert not imported.startswith(("screening", "cli")), f"{path}:{line}"


def test_the_layer_check_would_notice(tmp_path: Path) -> None:
    """The checker itself: a store module importing the batch layer is a violation."""
    assert _layer("screening.store.store") == 1
    assert _layer("screening.batch.runner") == 4
    assert _layer("screening") == 2
    assert _layer("screening.settings") == 1
    assert _layer("numpy") is None


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_has_a_docstring_and_a_bounded_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    if path.name != "__init__.py" or text.strip():
        assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no module docstring"
    lines = text.count("\n")
    assert lines <= 650, f"{path.relative_to(ROOT)} has {lines} lines (keep modules under ~600)"


def test_cli_is_only_the_root_group() -> None:
    assert (ROOT / "cli.py").read_text(encoding="utf-8").count("\n") < 200


def test_readme_architecture_names_every_package() -> None:
    """Every package (a folder with __init__.py) has its line in the README's architecture tree.

    The tree nests by indentation: ``  ofac/`` under ``lists/`` stands for ``lists/ofac/``.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Architecture\n.*?```\n(.*?)```", readme, re.M | re.S)
    assert match, "README.md has no '## Architecture' section with a tree"
    named: set[str] = set()
    top = ""
    for line in match.group(1).splitlines():
        words = line.split()
        if not words or not words[0].endswith("/"):
            continue
        if not line.startswith(" "):
            top = words[0]
            named.add(top)
        else:
            named.update(top + word for word in words if word.endswith("/"))
    packages = sorted(
        str(init.parent.relative_to(ROOT)) + "/"
        for package in PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
    )
    missing = [p for p in packages if p not in named]
    assert not missing, f"README architecture section lacks: {missing}"
