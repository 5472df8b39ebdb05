"""`screening.settings` is the one table of ``COALITION_*`` variables, and the README lists it.

The source tree is scanned here, not trusted: every ``COALITION_*`` name written in a string of
the installed code (the packages and modules pyproject.toml ships) must be declared, and every
declared name must be used somewhere and have a row in the README's settings table.
"""

from __future__ import annotations

import io
import re
import tokenize
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening import settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"COALITION_[A-Z_]+")
# Tokens that hold text: a variable's name is always written in a string (os.environ.get,
# click's envvar=, docstrings and help texts); an identifier such as Role.COALITION_CORE is not
# a variable. FSTRING_MIDDLE exists from Python 3.12.
TEXT_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def shipped_sources() -> list[Path]:
    """The .py files of what is installed: pyproject's package patterns and py-modules."""
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    files = [PROJECT_ROOT / f"{module}.py" for module in config.get("py-modules", [])]
    for pattern in config["packages"]["find"]["include"]:
        files.extend(sorted((PROJECT_ROOT / pattern.rstrip("*")).rglob("*.py")))
    return files


def names_in_strings(path: Path) -> Iterator[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type in TEXT_TOKENS:
            yield from NAME.findall(token.string)


def used_names() -> dict[str, list[str]]:
    """Each name found, with the files it appears in (settings.py itself left out)."""
    found: dict[str, list[str]] = {}
    for path in shipped_sources():
        if path == PROJECT_ROOT / "screening" / "settings.py":
            continue
        for name in names_in_strings(path):
            found.setdefault(name, []).append(str(path.relative_to(PROJECT_ROOT)))
    return found


def readme_settings_rows() -> list[str]:
    """The first cell of each table row in README.md's "## Settings" section, unquoted."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    heading = re.search(r"^## Settings\s*$", readme, re.MULTILINE)
    assert heading, 'README.md has no "## Settings" section'
    section = readme[heading.end() :]
    following = re.search(r"^## ", section, re.MULTILINE)
    section = section[: following.start()] if following else section
    rows = [line for line in section.splitlines() if line.startswith("|")]
    first_cells = [row.split("|")[1].strip().strip("`") for row in rows]
    return [cell for cell in first_cells if NAME.fullmatch(cell)]


def test_the_scan_sees_the_source_tree() -> None:
    # Guards the scan itself: an empty or mis-rooted file list would make the tests below pass.
    sources = shipped_sources()
    assert PROJECT_ROOT / "cli.py" in sources
    assert PROJECT_ROOT / "screening" / "store" / "database.py" in sources
    assert "COALITION_DB" in set(
        names_in_strings(PROJECT_ROOT / "screening" / "store" / "database.py")
    )


def test_every_variable_in_the_code_is_declared() -> None:
    undeclared = {
        name: files for name, files in used_names().items() if name not in settings.BY_NAME
    }
    assert undeclared == {}, "declare these in screening/settings.py: SETTINGS"


def test_every_declared_variable_is_used() -> None:
    unused = sorted(set(settings.BY_NAME) - set(used_names()))
    assert unused == [], "declared in screening/settings.py but read nowhere"


def test_readme_lists_exactly_the_declared_settings() -> None:
    rows = readme_settings_rows()
    assert sorted(rows) == sorted(settings.BY_NAME)
    assert len(rows) == len(set(rows)), "a setting has two rows"


def test_names_are_unique_and_well_formed() -> None:
    names = [setting.name for setting in settings.SETTINGS]
    assert len(names) == len(set(names))
    assert all(NAME.fullmatch(name) for name in names)
    assert all(setting.doc.strip() for setting in settings.SETTINGS)


def test_get_reads_the_environment_when_asked() -> None:
    assert settings.get("COALITION_MATCH_THRESHOLD", {}) == "0.90"
    assert settings.get("COALITION_MATCH_THRESHOLD", {"COALITION_MATCH_THRESHOLD": " "}) == "0.90"
    assert settings.get("COALITION_DB", {"COALITION_DB": " sqlite:///x.db "}) == "sqlite:///x.db"
    assert settings.get("COALITION_DB", {}) is None
    with pytest.raises(KeyError):
        settings.get("COALITION_NOT_DECLARED", {})


def test_store_url_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from screening.store.database import default_url, resolve_url

    monkeypatch.setenv("COALITION_DB", "sqlite:///from-env.db")
    assert resolve_url() == "sqlite:///from-env.db"
    assert resolve_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    monkeypatch.setenv("COALITION_DB", "")
    assert resolve_url() == default_url()


def test_version_is_the_package_metadata() -> None:
    from importlib import metadata

    assert settings.version() == metadata.version("coalition-screening")
    assert settings.version() != "0+unknown"
