"""Every list format, fuzzed: a damaged list file is read correctly or refused clearly.

For each format in `lists.detect.FORMATS` a small excerpt of a real published file (see
`tests.fuzz.seeds`) is damaged by `tests.fuzz.mutations`: text files are truncated at a random
offset, get random bytes flipped, NULs inserted, are re-encoded (UTF-16 with and without byte
order mark, cp1252, latin-1) or have lines duplicated or removed; XLSX workbooks get a
truncated or damaged archive, a damaged member (the XML inside mutated as text, then re-zipped)
or a missing member. `lists.open_list` must then either read every entity as a valid `Entity`,
no more than the bytes can hold, or raise `ListReadError` with a one-line message that names the
file (`tests.fuzz.checks.read_list`): never another exception, never a hang (pytest-timeout).
A sample of mutants is also loaded into a fresh SQLite `ListStore`: a refused file leaves zero
versions, an accepted one stores exactly what was read.

Examples are derandomized and no example database is kept, so CI runs the same cases each time.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings

from lists import open_list
from tests.fuzz.checks import RECORD_TAGS, read_list, store_and_check, write_files
from tests.fuzz.mutations import Mutant, mutants
from tests.fuzz.seeds import LIST_SEEDS, Seed

# Sized so that the whole fuzz folder stays near a minute on a 2-core machine.
TEXT_EXAMPLES = 40
XLSX_EXAMPLES = 25
STORE_EXAMPLES = 4


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _examples(seed: Seed, text: int, xlsx: int) -> int:
    return xlsx if seed.is_xlsx else text


def _fuzz(
    seed: Seed, folder: Path, examples: int, check: Callable[[Path, Seed, bytes], object]
) -> None:
    numbers = itertools.count()

    @fuzz_settings(examples)
    @given(mutant=mutants(seed.data, seed.is_xlsx))
    def run(mutant: Mutant) -> None:
        note(f"{seed.name}: {mutant.description}")
        example = folder / str(next(numbers))
        try:
            check(example, seed, mutant.data)
        finally:
            shutil.rmtree(example, ignore_errors=True)

    run()


@pytest.mark.parametrize("reader", list(LIST_SEEDS))
def test_seed_is_a_valid_file_of_its_format(
    reader: str, seed_of: Callable[[str], Seed], tmp_path: Path
) -> None:
    # The unmutated excerpt must read cleanly, or every refusal below would be meaningless.
    seed = seed_of(reader)
    listed = open_list(write_files(tmp_path, seed, seed.data))
    assert listed.format.name == reader
    count = sum(1 for _ in listed.entities())
    assert count >= 1
    tag = RECORD_TAGS.get(reader)
    if tag is not None:
        # XML excerpts: one entity per record element, counted with a regex, not the parser.
        assert count == len(re.findall(rf"<(?:{tag})[\s>/]".encode(), seed.data))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("reader", list(LIST_SEEDS))
def test_mutated_list_is_read_or_refused(
    reader: str, seed_of: Callable[[str], Seed], tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = seed_of(reader)
    folder = tmp_path_factory.mktemp(f"fuzz-{reader}")
    _fuzz(seed, folder, _examples(seed, TEXT_EXAMPLES, XLSX_EXAMPLES), read_list)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("reader", list(LIST_SEEDS))
def test_refused_list_leaves_the_store_empty(
    reader: str, seed_of: Callable[[str], Seed], tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = seed_of(reader)
    folder = tmp_path_factory.mktemp(f"store-{reader}")
    _fuzz(seed, folder, STORE_EXAMPLES, store_and_check)
