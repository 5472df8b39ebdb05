"""``coalition users``: the web UI's users and their roles (passwords stored as scrypt hashes).

A password is never an option (it would stay in the shell history and show in ``ps``): it is
read from the first line of standard input when that is not a terminal (scripts, secrets
managers), else asked for twice at a hidden prompt.
"""

from __future__ import annotations

import sys

import click

from screening.commands.common import db_option, fail, json_option, note, open_store
from screening.workflow.users import MIN_PASSWORD_LENGTH, Role, UserInfo, Users


@click.group("users")
def users() -> None:
    """Users of the web UI and their roles (analyst, supervisor, admin)."""


def read_password() -> str:
    """The new password: stdin's first line when piped, else a hidden prompt asked twice."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        # Only the line break is dropped: spaces may be part of a password.
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            fail("no password on standard input (one line expected)")
        return password
    entered: str = click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, err=True, show_default=False
    )
    return entered


@users.command("create")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="analyst: screen and decide; supervisor: also approve or reject four-eyes "
    "decisions; admin: everything.",
)
@db_option
def users_create(name: str, role: str, db_url: str | None) -> None:
    """Create the user NAME; the password is read from stdin, or asked for at a prompt."""
    password = read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        fail(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    with open_store(db_url) as store:
        try:
            created = Users(store.engine).create(name, Role(role), password)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="NAME") from None
    note(f"user {created.name!r} created with role {created.role.value}")


def user_row(info: UserInfo) -> str:
    last = f"{info.last_login_at:%Y-%m-%d %H:%M}" if info.last_login_at else "never"
    state = "active" if info.active else "disabled"
    return f"{info.name}\t{info.role.value}\t{state}\t{info.created_at:%Y-%m-%d %H:%M}\t{last}"


@users.command("list")
@json_option("One JSON object per user.")
@db_option
def users_list(as_json: bool, db_url: str | None) -> None:
    """Users by name: role, active or disabled, created, last login (never the password)."""
    with open_store(db_url) as store:
        found = Users(store.engine).list()
    for info in found:
        click.echo(info.model_dump_json() if as_json else user_row(info))


@users.command("disable")
@click.argument("name")
@db_option
def users_disable(name: str, db_url: str | None) -> None:
    """Disable the user NAME and end their web sessions. The name is never given out again."""
    with open_store(db_url) as store:
        disabled = Users(store.engine).disable(name)
    if not disabled:
        fail(f"no active user named {name!r}")
    click.echo(f"disabled {name}")
