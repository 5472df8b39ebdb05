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

# A hang is a failure too: no example may take a test past a minute.
pytestmark = pytest.mark.timeout(60)

# Sized so that the whole fuzz folder stays near a minute on a 2-core machine.
TEXT_EXAMPLES = 60
XLSX_EXAMPLES = 30
STORE_EXAMPLES = 5


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


def fuzz(
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


@pytest.mark.parametrize("reader", list(LIST_SEEDS))
def test_mutated_list_is_read_or_refused(
    reader: str, seed_of: Callable[[str], Seed], tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = seed_of(reader)
    folder = tmp_path_factory.mktemp(f"fuzz-{reader}")
    fuzz(seed, folder, _examples(seed, TEXT_EXAMPLES, XLSX_EXAMPLES), read_list)


@pytest.mark.parametrize("reader", list(LIST_SEEDS))
def test_refused_list_leaves_the_store_empty(
    reader: str, seed_of: Callable[[str], Seed], tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = seed_of(reader)
    folder = tmp_path_factory.mktemp(f"store-{reader}")
    fuzz(seed, folder, STORE_EXAMPLES, store_and_check)


# Numeric fields where a reader checked str.isdigit() and then called int(), which refuses "²":
# each crashed with ValueError before the fix in the reader named. Found by the lookalike
# mutation (bench/fuzz.py) and by hand; kept here so that CI meets each field every run.
LOOKALIKE_FIELDS = {
    "ofac ent_num (lists/ofac/csvfiles.py)": ("ofac-legacy-csv", rb"^36,", b"3\xb2,"),
    "eu alias logicalId (lists/eu/common.py)": (
        "eu-fsf-xml",
        rb'(<nameAlias [^>]*logicalId=")\d',
        rb"\g<1>&#178;",
    ),
    "eu legacy NAME Id (lists/eu/common.py)": (
        "eu-legacy-xml",
        rb'(<NAME Id=")\d',
        rb"\g<1>&#178;",
    ),
    "eu birth year without a full date (lists/eu/fsf.py)": (
        "eu-fsf-xml",
        rb'birthdate="1965-04-14" (dayOfMonth="14" monthOfYear="4" year=")1965"',
        rb'birthdate="" \g<1>&#178;965"',
    ),
    "un year range (lists/un/births.py)": (
        "un-xml",
        rb"<TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\s*<YEAR>1954</YEAR>",
        b"<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>19&#178;4</FROM_YEAR><TO_YEAR>1956</TO_YEAR>",
    ),
}


@pytest.mark.parametrize("field", list(LOOKALIKE_FIELDS))
def test_lookalike_digit_in_a_numeric_field_is_not_a_crash(
    field: str, seed_of: Callable[[str], Seed], tmp_path: Path
) -> None:
    reader, pattern, replacement = LOOKALIKE_FIELDS[field]
    seed = seed_of(reader)
    data, replaced = re.subn(pattern, replacement, seed.data, count=1, flags=re.MULTILINE)
    assert replaced == 1
    verdict = read_list(tmp_path, seed, data)
    # Read (the field is dropped or kept as text) or refused with a clear error: either is fine.
    assert verdict.accepted or str(tmp_path) in verdict.error
