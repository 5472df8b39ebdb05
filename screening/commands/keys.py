"""``coalition keys``: API keys of the HTTP service (only their SHA-256 is stored)."""

from __future__ import annotations

import click

from screening.commands import render
from screening.commands.common import db_option, fail, json_option, note, open_store
from screening.workflow.keys import ApiKeys


@click.group("keys")
def keys() -> None:
    """API keys of the HTTP service (only their SHA-256 is stored)."""


@keys.command("create")
@click.argument("name")
@db_option
def keys_create(name: str, db_url: str | None) -> None:
    """Create a key named NAME and print it once; it cannot be shown again."""
    with open_store(db_url) as store:
        try:
            key = ApiKeys(store).create(name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="NAME") from None
    click.echo(key)
    note(f"key {name!r} created; store it now, it is not shown again")


@keys.command("list")
@json_option("One JSON object per key.")
@db_option
def keys_list(as_json: bool, db_url: str | None) -> None:
    """Keys by name: display prefix, creation and revocation times (never the key)."""
    with open_store(db_url) as store:
        found = ApiKeys(store).list()
    for info in found:
        click.echo(info.model_dump_json() if as_json else render.key_row(info))


@keys.command("revoke")
@click.argument("name")
@db_option
def keys_revoke(name: str, db_url: str | None) -> None:
    """Revoke the key NAME; requests with it get 401 from then on."""
    with open_store(db_url) as store:
        revoked = ApiKeys(store).revoke(name)
    if not revoked:
        fail(f"no active key named {name!r}")
    click.echo(f"revoked {name}")
