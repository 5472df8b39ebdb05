"""`coalition analyze` over a real loaded store: JSON shapes, --cell, scopes, empty stores.

The store holds Australia's consolidated list, the UK OFSI ConList in two versions
(2023-06-05 and 2025-04-14: first-seen dates and delistings) and the 5-entity EU excerpt.
Building the clusters takes tens of seconds, so the real `build_coalition` runs once per store
and the commands after the first reuse its result (`_build_once`); everything else (store,
scope, analysis, rendering) runs for real in each command.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from screening.coalition.analytics import clusters
from screening.coalition.analytics.model import CoalitionData

_BUILT: dict[str, CoalitionData] = {}
_REAL_BUILD = clusters.build_coalition


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('analyze') / 'lists.db'}"
    files = [
        shared_lists / "au" / "regulation8_consolidated.xlsx",
        shared_lists / "uk" / "history" / "2023-06-05" / "ConList.xlsx",
        shared_lists / "uk" / "ConList.xlsx",
        shared_lists / "eu" / "fixtures" / "GSmiguel" / "sample_eu_fsf.xml",
    ]
    loaded = CliRunner().invoke(main, ["lists", "load", "--db", url, *map(str, files)])
    assert loaded.exit_code == 0, loaded.output
    return url


@pytest.fixture(autouse=True)
def _build_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(store: Any, screener: Any, **options: Any) -> CoalitionData:
        key = str(store.engine.url)
        if key not in _BUILT:
            _BUILT[key] = _REAL_BUILD(store, screener, **options)
        return _BUILT[key]

    monkeypatch.setattr(clusters, "build_coalition", build)


Run = Callable[..., Result]


@pytest.fixture
def run(store: str) -> Run:
    def invoke(*args: str, db: str | None = None) -> Result:
        return CliRunner().invoke(main, ["analyze", *args, "--db", db or store])

    return invoke


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_overlap_json_partition_adds_up(run: Run) -> None:
    overlap = _json(run("overlap", "--json"))
    assert set(overlap) >= {"scope", "members", "clusters", "partition", "pairwise"}
    assert overlap["scope"] == "russia"
    # The EU excerpt holds no Russia-regime entry (its programmes are TERR, AFG, IRN, LBY,
    # TAQA: PROVENANCE.md), so only AU and UK list parties in the scope.
    assert overlap["members"] == ["AU", "UK"]
    assert sum(cell["count"] for cell in overlap["partition"]) == overlap["clusters"]
    assert {tuple(cell["members"]) for cell in overlap["partition"]} == {
        ("AU",),
        ("UK",),
        ("AU", "UK"),
    }
    (pair,) = overlap["pairwise"]
    assert (pair["a"], pair["b"]) == ("AU", "UK")
    assert pair["jaccard"] == pytest.approx(pair["both"] / overlap["clusters"])
    assert any("EU: 5 listings loaded" in note for note in overlap["notes"])


def test_cell_lists_the_parties_behind_a_partition_cell(run: Run) -> None:
    partition = _json(run("overlap", "--json"))["partition"]
    both = next(cell["count"] for cell in partition if cell["members"] == ["AU", "UK"])
    found = _json(run("overlap", "--cell", "uk,au", "--json"))
    assert found["members"] == ["AU", "UK"]
    assert found["count"] == len(found["clusters"]) == both
    listing = found["clusters"][0]["listings"][0]
    assert {"source", "dataset", "entry_id", "name", "listed_on", "date_basis"} <= set(listing)
    table = run("overlap", "--cell", "uk,au")
    assert table.exit_code == 0 and f"{both} parties listed by exactly AU + UK" in table.stdout


def test_trends_count_every_uk_russia_listing_and_the_delistings(run: Run) -> None:
    trends = _json(run("trends", "--json"))
    totals = {row["member"]: row for row in trends["totals"]}
    # Measured with openpyxl on the two ConList files (distinct Group ID with Regime "Russia"):
    # 2181 in 2025-04-14, plus 9 of the 1829 of 2023-06-05 that the newer file no longer holds.
    assert totals["UK"]["listings"] == 2190
    assert totals["UK"]["delistings"] == 9
    delisted = [row for row in trends["months"] if row["member"] == "UK" and row["delistings"]]
    assert [(row["month"], row["delistings"]) for row in delisted] == [("2025-04", 9)]
    assert sum(row["designations"] for row in trends["months"]) == sum(
        row["designations"] for row in trends["totals"]
    )


def test_lag_json_pairs(run: Run) -> None:
    lag = _json(run("lag", "--json"))
    pairs = {(pair["leader"], pair["follower"]): pair for pair in lag["pairs"]}
    assert set(pairs) == {("AU", "UK"), ("UK", "AU")}
    for pair in pairs.values():
        assert {"leader", "follower", "followed", "median_days", "p75_days", "p90_days"} <= set(
            pair
        )
        assert pair["date_basis"] in {"official", "first_seen", "mixed", "none"}
        assert pair["followed"] + pair["undated"] <= pair["both"]
    assert run("lag").exit_code == 0


def test_divergence_matches_the_partition(run: Run) -> None:
    partition = _json(run("overlap", "--json"))["partition"]
    count = {tuple(cell["members"]): cell["count"] for cell in partition}
    result = _json(run("divergence", "--listed-by", "uk", "--not-by", "au", "--json"))
    uk_not_au, au_not_uk = result["directions"]
    assert (uk_not_au["listed_by"], uk_not_au["not_by"]) == (["UK"], ["AU"])
    assert uk_not_au["count"] == count[("UK",)]
    assert au_not_uk["count"] == count[("AU",)]
    party = uk_not_au["parties"][0]
    assert {"identifiers"} <= set(party["listings"][0])
    assert {"links", "lowest_score", "lowest_method"} <= set(party["confidence"])
    both_sides = run("divergence", "--listed-by", "uk", "--not-by", "uk")
    assert both_sides.exit_code == 2 and "both listed_by and not_by" in both_sides.output


def test_hubs_and_party_json(run: Run) -> None:
    hubs = _json(run("hubs", "--json"))
    assert {"scope", "hubs", "clusters", "by_member", "by_month", "parties"} <= set(hubs)
    assert {hub["code"] for hub in hubs["hubs"]} >= {"AE", "TR", "HK", "KZ"}
    assert hubs["clusters"] == len(hubs["parties"])
    party = _json(run("party", "Sberbank", "--json"))
    assert party["clusters"]
    for cluster in party["clusters"]:
        assert set(cluster) >= {"listings", "links"}
        for listing in cluster["listings"]:
            assert {"source", "dataset", "entry_id", "name", "listed_on", "date_basis"} <= set(
                listing
            )


def test_every_table_renders(run: Run) -> None:
    for command in (["overlap"], ["hubs"], ["trends"], ["divergence"], ["party", "Sberbank"]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.strip()


def test_unknown_scope_names_the_known_ones(run: Run) -> None:
    result = run("overlap", "--scope", "narnia")
    assert result.exit_code == 2
    assert "unknown scope 'narnia'" in result.output
    assert "russia" in result.output and "iran" in result.output
    _no_traceback(result)


def test_empty_store_ends_without_a_traceback(tmp_path: Path, run: Run) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    for command in ("overlap", "lag", "divergence", "hubs", "trends"):
        result = run(command, "--json", db=empty)
        assert result.exit_code == 1, result.output
        assert "no lists are loaded" in result.output
        _no_traceback(result)


def test_a_store_without_the_scope_gives_empty_figures(db: str, run: Run) -> None:
    # The UN list (conftest `db`) has no Russia regime: zero parties, not an error.
    overlap = _json(run("overlap", "--json", db=db))
    assert (overlap["clusters"], overlap["partition"], overlap["pairwise"]) == (0, [], [])
    assert _json(run("lag", "--json", db=db))["pairs"] == []
    iran = _json(run("overlap", "--json", "--scope", "iran", db=db))
    assert iran["members"] == ["UN"]
    assert sum(cell["count"] for cell in iran["partition"]) == iran["clusters"]


def test_report_writes_one_html_page(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "report.html"
    result = run("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_the_second_command_reads_the_cluster_cache(
    tmp_path: Path, shared_lists: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store of its own (two small EU excerpts), so loading into it disturbs no other test.
    url = f"sqlite:///{tmp_path / 'cached.db'}"
    eu = shared_lists / "eu" / "fixtures"

    def load(path: Path) -> None:
        loaded = CliRunner().invoke(main, ["lists", "load", "--db", url, str(path)])
        assert loaded.exit_code == 0, loaded.output

    load(eu / "GSmiguel" / "sample_eu_fsf.xml")
    builds: list[str] = []

    def counted(store: Any, screener: Any, **options: Any) -> CoalitionData:
        builds.append(str(store.engine.url))
        return _REAL_BUILD(store, screener, **options)

    monkeypatch.setattr(clusters, "build_coalition", counted)
    first = _json(run("overlap", "--json", "--scope", "iran", db=url))
    assert len(builds) == 1
    # The conftest points COALITION_INDEX_DIR at tmp_path / "index": the cache sits there.
    assert len(list((tmp_path / "index").glob("coalition-*.json"))) == 1
    assert _json(run("overlap", "--json", "--scope", "iran", db=url)) == first
    assert _json(run("trends", "--json", db=url))["scope"] == "russia"
    assert _json(run("party", "Saddam Hussein", "--json", db=url))["query"] == "Saddam Hussein"
    assert len(builds) == 1  # three more commands, no rebuild
    # Another stored version of a counted dataset is other clusters: built again, then cached.
    load(eu / "jaggeman" / "eu_sample.xml")
    run("overlap", "--json", db=url)
    run("overlap", "--json", db=url)
    assert len(builds) == 2
    assert len(list((tmp_path / "index").glob("coalition-*.json"))) == 2


def test_an_unreadable_cache_is_rebuilt(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _json(run("lag", "--json"))
    (path,) = (tmp_path / "index").glob("coalition-*.json")
    builds: list[int] = []
    once = clusters.build_coalition  # the module's build-once stand-in

    def counted(store: Any, screener: Any, **options: Any) -> CoalitionData:
        builds.append(1)
        return once(store, screener, **options)

    monkeypatch.setattr(clusters, "build_coalition", counted)
    # A cache of other versions under this name (a collision, a copied file): not used.
    path.write_text('{"material": [], "data": {"clusters": []}}')
    assert _json(run("lag", "--json")) == first
    assert len(builds) == 1
    path.write_bytes(b"\x80 not json at all")
    assert _json(run("lag", "--json")) == first
    assert len(builds) == 2
    assert _json(run("lag", "--json")) == first  # rewritten: read again
    assert len(builds) == 2
