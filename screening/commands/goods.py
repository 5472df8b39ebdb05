"""``coalition hs``: HS, CN or HTS codes against the Common High Priority List (CHPL).

Needs no database: this module and what it imports stay clear of SQLAlchemy (a test checks).
"""

from __future__ import annotations

import json
from typing import Any

import click

from screening.coalition.goods import CHPL_VERSION, HsCodeError, check_hs
from screening.commands import render
from screening.commands.common import ExitCode, error, exit_with, json_option


@click.command("hs")
@click.argument("codes", nargs=-1, required=True)
@json_option("Print a JSON list, one object per CODE.")
def hs(codes: tuple[str, ...], as_json: bool) -> None:
    """Check HS, CN or HTS CODEs against the Common High Priority List (CHPL).

    A CODE may be written with dots, spaces or hyphens and have 4 to 10 digits; a 2-digit chapter
    never matches. The verdict is `listed` (with its tier), `possible` (a heading, or an HS 2017
    code that HS 2022 split: the CHPL subheadings it may hold) or `not_listed`. Exit code 0 when
    every CODE was readable; 1 when one was not (the others are still printed; with --json an
    unreadable CODE gives {"code", "normalized": null, "error"}).
    """
    objects: list[dict[str, Any]] = []
    code = ExitCode.OK
    for text in codes:
        try:
            verdict = check_hs(text)
        except HsCodeError as exc:
            code = ExitCode.INPUT_ERROR
            error(str(exc))
            objects.append({"code": text, "normalized": None, "error": str(exc)})
            continue
        objects.append(verdict.model_dump(mode="json"))
        if not as_json:
            click.echo("\n".join(render.hs_lines(verdict)))
    if as_json:
        click.echo(json.dumps(objects, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"(CHPL version {CHPL_VERSION}; a hit is a diligence signal, not a licence ruling)"
        )
    exit_with(code)
