"""The root group loads commands lazily: `--help` and `hs` import no database or web stack."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

import cli

PROJECT_ROOT = Path(cli.__file__).parent
HEAVY = ("sqlalchemy", "fastapi", "uvicorn")

# Runs the command in a fresh interpreter, then prints which heavy modules got imported.
PROBE = """
import json, sys
import cli
try:
    cli.main.main(args=sys.argv[1:], prog_name="coalition", standalone_mode=False)
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps([name for name in {heavy!r} if name in sys.modules]))
"""


def _heavy_modules_after(*args: str) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    loaded: list[str] = json.loads(completed.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("args", [["--help"], ["hs", "854231"], ["hs", "--json", "8542.31"]])
def test_help_and_hs_import_neither_sqlalchemy_nor_fastapi(args: list[str]) -> None:
    assert _heavy_modules_after(*args) == []


def test_the_probe_sees_heavy_imports_when_a_command_needs_them() -> None:
    # Without this, an empty list above could mean the probe never looks.
    assert _heavy_modules_after("serve", "--help") == list(HEAVY)
    assert _heavy_modules_after("lists", "--help") == ["sqlalchemy"]


def test_every_entry_is_a_command_and_its_summary_is_its_help() -> None:
    context = click.Context(cli.main)
    for name, entry in cli.COMMANDS.items():
        command = cli.main.get_command(context, name)
        assert isinstance(command, click.Command), name
        assert command.name == name
        assert command.hidden == entry.hidden, name
        if not entry.hidden:
            assert command.help is not None
            assert entry.summary == command.help.splitlines()[0], name
    assert cli.main.get_command(context, "nonsense") is None


def test_help_lists_the_visible_commands_only() -> None:
    text = cli.main.get_help(click.Context(cli.main, info_name="coalition"))
    listed = [line.split()[0] for line in text.split("Commands:")[1].strip().splitlines()]
    assert listed == sorted(
        [
            "alerts",
            "analyze",
            "batch",
            "customers",
            "db",
            "hs",
            "keys",
            "lists",
            "payments",
            "screen",
            "serve",
            "tx",
            "users",
        ]
    )


def test_cli_stays_a_thin_root_and_nothing_in_screening_imports_it() -> None:
    assert len((PROJECT_ROOT / "cli.py").read_text().splitlines()) < 200
    importers = []
    for path in (PROJECT_ROOT / "screening").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if "cli" in names:
                importers.append(str(path))
    assert importers == []
