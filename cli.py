"""The ``coalition`` command: a thin shell over the Python API in `lists` and `screening`.

Exit codes: 0 success; 1 a list file could not be read (bad format, malformed, unsafe);
2 usage error (click's own).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lists.errors import ListReadError
from lists.inspect import Inspection, inspect_list

EXIT_READ_ERROR = 1


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coalition-screening")
def main() -> None:
    """Sanctions screening against the OFAC, UK, EU and UN lists."""


@main.group()
def lists() -> None:
    """Read, inspect and manage official sanctions list files."""


@lists.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
def lists_inspect(paths: tuple[Path, ...], as_json: bool) -> None:
    """Parse list files without storing them and count what they hold.

    PATH is a list file in any supported format (detected from its content) or a directory
    holding an OFAC legacy CSV set. Every file is read to the end; a file that cannot be read
    is reported with its line or record and the command exits 1 after the others are done.
    """
    failed = False
    for path in paths:
        try:
            result = inspect_list(path)
        except ListReadError as exc:
            failed = True
            if as_json:
                click.echo(json.dumps({"file": str(path), "error": str(exc)}))
            else:
                click.echo(f"error: {exc}", err=True)
            continue
        if as_json:
            click.echo(result.model_dump_json())
        else:
            click.echo(_format_inspection(result))
    if failed:
        sys.exit(EXIT_READ_ERROR)


def _format_inspection(result: Inspection) -> str:
    schemas = ", ".join(f"{k} {v}" for k, v in result.by_schema.items())
    kinds = ", ".join(f"{k} {v}" for k, v in result.names_by_kind.items())
    id_types = ", ".join(f"{k} {v}" for k, v in result.identifiers_by_type.items()) or "none"
    programs = (
        ", ".join(result.programs)
        if len(result.programs) <= 12
        else (", ".join(result.programs[:12]) + f", … ({len(result.programs)} in all)")
    )
    lines = [
        f"{result.file}",
        f"  format      {result.format} ({result.source})",
        f"  published   {result.published or 'not stated in the file'}",
        f"  entities    {result.entities} ({schemas})",
        f"  names       {result.names} ({kinds})",
        f"  identifiers {result.identifiers} ({id_types}); IMO numbers {result.imo_numbers}",
        f"  programs    {len(result.programs)}: {programs or 'none'}",
    ]
    if result.warnings:
        lines.append(f"  warnings    {len(result.warnings)}")
        lines.extend(f"    - {w}" for w in result.warnings[:20])
        if len(result.warnings) > 20:
            lines.append(f"    … and {len(result.warnings) - 20} more")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
