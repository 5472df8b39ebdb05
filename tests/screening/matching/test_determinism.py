"""The same answers in every process: nothing may depend on the order of a set or the hash seed.

Forked batch workers share the parent's hash seed, but Spark executors, service workers and a
re-run tomorrow do not. Two places once did: which of several reasons links two listed entries
(`Hit.also_listed[].linked_by`) and which legal-form word a one-typo word is corrected to.
Each test runs the same work in subprocesses with different ``PYTHONHASHSEED`` values.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lists import open_list
from lists.model import Schema, Source
from screening.matching.party_links import link_parties
from screening.store import ListStore

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ("0", "1", "2", "3")

# Builds a fresh index over the store and prints every hit with its links, as JSON.
SCREEN = """
import json, sys
from pathlib import Path
from screening import Screener
from screening.store import ListStore

store = ListStore(sys.argv[1])
screener = Screener(store, index_dir=Path(sys.argv[2]))
out = []
for name in sys.argv[3:]:
    for hit in screener.screen(name).hits:
        out.append([name, hit.dataset, hit.entry_id, round(hit.score, 6), hit.matched_name,
                    sorted((r.dataset, r.entry_id, r.linked_by) for r in hit.also_listed)])
print(json.dumps(out))
"""

TOKENIZE = """
import json, sys
from screening.matching.normalize import tokenize
print(json.dumps([[t.text, str(t.kind)] for t in tokenize(sys.argv[1])]))
"""


def _run(code: str, seed: str, *args: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_legal_form_typo_is_corrected_the_same_way_under_every_hash_seed() -> None:
    name = "PUBLICHNOE AKTSIONERNOY OBSHCHESTVO GAZPROM"
    outputs = {_run(TOKENIZE, seed, name) for seed in SEEDS}
    assert len(outputs) == 1, outputs
    tokens = json.loads(outputs.pop())
    assert tokens[-1] == ["gazprom", "word"]
    assert all(kind == "legal_form" for _, kind in tokens[:-1])


@pytest.mark.timeout(600)
def test_hits_and_their_cross_list_links_are_the_same_under_every_hash_seed(
    tmp_path: Path, shared_lists: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'lists.db'}"
    store = ListStore(url)
    for relative in ("un/consolidated.xml", "uk/fixtures/GSmiguel/sample_uk_sanctions.xml"):
        assert store.load(open_list(shared_lists / relative)).status == "loaded"
    names = ("Haji Khairullah Haji Sattar Money Exchange", "Al-Qaida", "Kim Jong Un")
    outputs = [
        _run(SCREEN, seed, url, str(tmp_path / f"index-{seed}"), *names) for seed in SEEDS[:2]
    ]
    first = json.loads(outputs[0])
    # The linked party of the UK excerpt and UN is there, so links are compared at all.
    assert any(row[1] == "uk_ofsi" or row[1].startswith("uk") for row in first), first
    assert any(row[5] for row in first), first
    assert outputs[0] == outputs[1]


def _linked_by(identifier_order: list[tuple[str, str]]) -> dict[int, dict[int, str]]:
    """Links of two entries (UN 0, UK 1) sharing two identifiers, given in this order."""
    entity = SimpleNamespace(schema=Schema.ORGANIZATION, birth_dates=())
    index = SimpleNamespace(
        entities=[
            SimpleNamespace(**vars(entity), source=Source.UN),
            SimpleNamespace(**vars(entity), source=Source.UK),
        ],
        identifiers={key: {1, 0} for key in identifier_order},
        names=[],
        links={},
    )
    link_parties(index)  # type: ignore[arg-type]
    return index.links  # type: ignore[no-any-return]


def test_the_reason_of_a_link_does_not_depend_on_the_order_identifiers_come_in() -> None:
    both = [("un_reference", "QDe.001"), ("imo", "9187629")]
    assert _linked_by(both) == _linked_by(list(reversed(both)))
    assert _linked_by(both)[0][1] == "same imo 9187629"
