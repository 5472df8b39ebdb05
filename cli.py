"""The ``coalition`` command: the root group only; each noun lives in `screening.commands`.

Command groups are imported when they are run, not when the program starts, so that
``coalition --help`` or ``coalition hs 854231`` do not load the database layer or the HTTP
service. Exit codes are `screening.commands.common.ExitCode`:

  0  success
  1  a list file, download, input or value could not be read or found; nothing was stored
  2  usage error (unknown option, missing argument)
  3  the database could not be reached or migrated
  4  finished, but some rows were skipped or have decision `error`
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

import click


@dataclass(frozen=True)
class Entry:
    """Where a command lives, and the one line `coalition --help` shows for it."""

    module: str  # under screening.commands
    attribute: str
    summary: str  # its help's first line; a test checks that the two agree
    hidden: bool = False


COMMANDS: dict[str, Entry] = {
    "lists": Entry(
        "lists", "lists_group", "Read, inspect, load, update and compare official sanctions lists."
    ),
    "screen": Entry(
        "screen", "screen", "Screen one NAME against the active lists and explain every hit."
    ),
    "batch": Entry(
        "screen",
        "batch",
        "Screen every row of a CSV file and write one result per row, in input order.",
    ),
    "tx": Entry(
        "transactions",
        "tx",
        "Screen transactions: parties, jurisdictions, CHPL goods and transit routes.",
    ),
    "payments": Entry(
        "payments",
        "payments",
        "Screen payment messages: ISO 20022 pacs.008, pacs.009 (COV), pain.001 and SWIFT MT.",
    ),
    "hs": Entry(
        "goods", "hs", "Check HS, CN or HTS CODEs against the Common High Priority List (CHPL)."
    ),
    "alerts": Entry(
        "alerts",
        "alerts",
        "Alerts opened by recorded screenings, and analysts' decisions (append-only).",
    ),
    "customers": Entry(
        "customers", "customers", "The customer book that `coalition customers rescreen` screens."
    ),
    "keys": Entry("keys", "keys", "API keys of the HTTP service (only their SHA-256 is stored)."),
    "users": Entry(
        "users", "users", "Users of the web UI and their roles (analyst, supervisor, admin)."
    ),
    "serve": Entry(
        "serve", "serve", "Run the HTTP screening service (OpenAPI document at /openapi.json)."
    ),
    "db": Entry("db", "db", "Manage the database schema."),
    "analyze": Entry(
        "analyze",
        "analyze",
        "Coalition analytics: overlap, follow lags, divergence, hubs and trends of the lists.",
    ),
    # Older spellings, kept for scripts: `screen --record`, `batch --record`, `customers rescreen`.
    "screen-record": Entry("screen", "screen_record", "", hidden=True),
    "batch-record": Entry("screen", "batch_record", "", hidden=True),
    "rescreen": Entry("customers", "rescreen_alias", "", hidden=True),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported from `COMMANDS` only when one is run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, entry in COMMANDS.items() if not entry.hidden)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command = getattr(import_module(f"screening.commands.{entry.module}"), entry.attribute)
        assert isinstance(command, click.Command), f"{entry} is not a click command"
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from `COMMANDS`, so that help imports none of the commands.

        Shortened as click shortens a command's own help (`click.Group.format_commands`).
        """
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, click.Command(name, help=COMMANDS[name].summary).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coalition-screening")
def main() -> None:
    """Sanctions screening against the coalition's lists (OFAC, UK, EU, UN, CA, AU, JP, US CSL)."""


if __name__ == "__main__":
    main()
