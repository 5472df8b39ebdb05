"""What every command shares: exit codes, messages on stderr, common options, opening the store.

Kept light on purpose: ``coalition hs`` imports this module and must not load SQLAlchemy, so
the store and the screener are imported inside the functions that open them.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from screening import settings

if TYPE_CHECKING:
    from screening.coalition.profiles import InstitutionProfile
    from screening.matching.results import Thresholds
    from screening.matching.screener import Screener
    from screening.store import ListStore


class ExitCode(IntEnum):
    """The exit status of every command (README, "Exit codes")."""

    OK = 0
    # A file, download, query, id or value could not be read or found; nothing was stored
    # and no output file is left.
    INPUT_ERROR = 1
    USAGE = 2  # click's own status for an unknown option or a missing argument
    DATABASE_ERROR = 3  # the database could not be reached or migrated
    ROW_ERRORS = 4  # finished, but some rows were skipped or have decision `error`


NO_LISTS = "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"

F = TypeVar("F", bound=Callable[..., Any])
# soft_wrap: messages stay on one line, so logs and grep see them whole.
stderr = Console(stderr=True, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr; the message is shown as text, never read as markup."""
    stderr.print(Text.assemble(("error: ", "bold red"), message))


def warning(message: str) -> None:
    stderr.print(Text.assemble(("warning: ", "bold yellow"), message))


def note(message: str) -> None:
    """A plain line on stderr (summaries), so that stdout stays the command's data."""
    stderr.print(Text(message))


def fail(message: str, code: ExitCode = ExitCode.INPUT_ERROR) -> NoReturn:
    error(message)
    sys.exit(int(code))


def exit_with(code: ExitCode) -> None:
    """End the command with `code` unless it is OK (then the command simply returns)."""
    if code is not ExitCode.OK:
        sys.exit(int(code))


def first_line(exc: BaseException) -> str:
    """A one-line message for an exception: the first line, or each pydantic error's field."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" if e["loc"] else e["msg"]
            for e in exc.errors()
        )
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def shown_url(db_url: str | None) -> str:
    """The database URL as shown in messages: resolved, with any password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from screening.store.database import resolve_url

    url = resolve_url(db_url)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def database_failure(db_url: str | None, exc: BaseException, suffix: str = "") -> NoReturn:
    fail(f"database {shown_url(db_url)!r}: {first_line(exc)}{suffix}", ExitCode.DATABASE_ERROR)


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_url",
        # Read through settings, like every COALITION_* variable; None lets the store choose.
        default=lambda: settings.get("COALITION_DB"),
        metavar="URL",
        help="SQLAlchemy database URL (default: $COALITION_DB, else an SQLite file in the "
        "user data directory).",
    )(func)


def requested_by_option(fallback: str, help: str) -> Callable[[F], F]:
    """``--requested-by``: who asks, kept with recorded runs; default $COALITION_USER."""
    return click.option(
        "--requested-by",
        default=lambda: settings.get("COALITION_USER") or fallback,
        show_default=f"$COALITION_USER, else {fallback}",
        help=help,
    )


def lists_option(func: F) -> F:
    """``--lists``: sources or datasets to screen against (repeatable or comma-separated)."""

    def parse(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> Any:
        from lists.datasets import UnknownDatasetError, list_names

        # Empty pieces of a comma list ("ofac,") are dropped; no name at all means every list.
        names = [name for value in values for name in value.split(",") if name.strip()]
        if not names:
            return None
        try:
            return list_names(names)
        except UnknownDatasetError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option(
        "--lists",
        "lists",
        multiple=True,
        metavar="LIST",
        callback=parse,
        help="Screen only against these sources or datasets, e.g. ofac,uk_ofsi "
        "(repeatable or comma-separated; default: every loaded list).",
    )(func)


def output_option(help: str) -> Callable[[F], F]:
    """``--out``: the output file of a batch command (required), a file, not a folder."""
    return click.option(
        "--out",
        "output_path",
        required=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help=help,
    )


def profile_option(func: F) -> F:
    """``--profile``: the institution profile, by preset name or JSON file (default uk_bank)."""
    return click.option(
        "--profile",
        "profile_name",
        metavar="NAME|PATH",
        help="Institution profile: uk_bank (default), us_bank, eu_bank or a JSON profile file.",
    )(func)


def batch_setup(
    input_paths: Iterable[Path], output_path: Path, profile_name: str | None
) -> tuple[InstitutionProfile, Thresholds]:
    """The checks before a transaction or payment batch runs, as usage errors (exit 2).

    The output's format must suit every input (`screening.batch.names.output_format`), the
    profile must resolve and the environment's thresholds must be valid.
    """
    from screening.batch.names import BatchUsageError, output_format
    from screening.coalition.profiles import ProfileError, resolve_profile
    from screening.matching.results import Thresholds

    try:
        for input_path in input_paths:
            output_format(input_path, output_path)
    except BatchUsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    try:
        profile = resolve_profile(profile_name)
    except ProfileError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    try:
        thresholds = Thresholds.from_environment()
    except ValueError as exc:
        raise click.UsageError(first_line(exc)) from None
    return profile, thresholds


def json_option(help: str) -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=help)


@contextmanager
def open_store(db_url: str | None) -> Iterator[ListStore]:
    """The store; a database that cannot be reached or migrated ends the command (exit 3)."""
    from sqlalchemy.exc import SQLAlchemyError

    from screening.store import ListStore

    try:
        yield ListStore(db_url)
    except SQLAlchemyError as exc:
        database_failure(db_url, exc)


def loaded_screener(store: ListStore, thresholds: Thresholds | None = None) -> Screener:
    """A screener over the store's active lists; with no list loaded, the command ends (exit 1)."""
    from screening.matching.screener import Screener

    screener = Screener(store, thresholds=thresholds)
    if not screener.versions:
        fail(NO_LISTS)
    return screener


def screener_opener(db_url: str | None, thresholds: Thresholds) -> Callable[[], Screener]:
    """Opens the screener when a batch runner asks, after it found the input readable."""

    def open_screener() -> Screener:
        from screening.batch.names import BatchError
        from screening.matching.screener import Screener

        screener = Screener.open(db_url, thresholds=thresholds)
        if not screener.versions:
            raise BatchError(NO_LISTS)
        return screener

    return open_screener


def thresholds_options(func: F) -> F:
    for option in (
        click.option(
            "--match",
            "match_at",
            type=click.FloatRange(0, 1),
            help="Score from which a hit is a match (default 0.90, or COALITION_MATCH_THRESHOLD).",
        ),
        click.option(
            "--review",
            "review_at",
            type=click.FloatRange(0, 1),
            help="Score from which a hit needs review (default 0.75, "
            "or COALITION_REVIEW_THRESHOLD).",
        ),
        click.option(
            "--threshold",
            "report_at",
            type=click.FloatRange(0, 1),
            help="Lowest score reported as a hit (default 0.60, or COALITION_REPORT_THRESHOLD).",
        ),
    ):
        func = option(func)
    return func


def make_thresholds(
    match_at: float | None, review_at: float | None, report_at: float | None
) -> Thresholds:
    """The environment's thresholds with the options given on top; bad values: usage error."""
    from screening.matching.results import Thresholds

    try:
        base = Thresholds.from_environment()
        return Thresholds(
            match=base.match if match_at is None else match_at,
            review=base.review if review_at is None else review_at,
            report=base.report if report_at is None else report_at,
        )
    except ValidationError as exc:
        raise click.BadParameter("; ".join(e["msg"] for e in exc.errors())) from None
    except ValueError as exc:
        raise click.BadParameter(first_line(exc)) from None


def hidden_alias(
    command: click.Command,
    name: str,
    new_spelling: str,
    *,
    fixed: dict[str, Any] | None = None,
    required: tuple[str, ...] = (),
) -> click.Command:
    """`command` under an older spelling, hidden from help, so that old scripts keep working.

    `fixed` gives parameters the alias always passes (those options disappear from it), and
    `required` names options the old spelling required.
    """
    fixed = fixed or {}
    callback = command.callback
    assert callback is not None, f"{command.name} has no callback"
    params = []
    for param in command.params:
        if param.name in fixed:
            continue
        if param.name in required:
            param = copy.copy(param)
            param.required = True
        params.append(param)

    def invoke(**kwargs: Any) -> Any:
        return callback(**kwargs, **fixed)

    return click.Command(
        name,
        params=params,
        callback=invoke,
        hidden=True,
        help=f"The older spelling of `coalition {new_spelling}`.\n\n{command.help or ''}",
        context_settings=command.context_settings,
    )
