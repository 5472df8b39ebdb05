"""The cluster cache file: a round trip, and every file that is not exactly ours is ignored."""

from __future__ import annotations

from pathlib import Path

from screening.coalition.analytics.cache import cache_path, read_cache, write_cache
from tests.screening.coalition.analytics.builders import coalition

MATERIAL = [2, "0.1.0", 12, "digest", ["uk_ofsi"], [[1, "uk_ofsi", "ab12", "2026-01-01"]]]


def test_the_clusters_come_back_as_written(tmp_path: Path) -> None:
    data = coalition()
    path = cache_path(tmp_path, MATERIAL)
    assert path.name.startswith("coalition-") and path.suffix == ".json"
    assert write_cache(path, MATERIAL, data)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    back = read_cache(path, MATERIAL)
    assert back is not None
    assert back.model_dump_json() == data.model_dump_json()
    assert back.cluster_of(data.clusters[0].listings[0].key) is not None


def test_other_material_a_foreign_or_a_missing_file_is_no_cache(tmp_path: Path) -> None:
    path = cache_path(tmp_path, MATERIAL)
    assert read_cache(path, MATERIAL) is None  # missing
    write_cache(path, MATERIAL, coalition())
    other = [*MATERIAL[:-1], [[2, "uk_ofsi", "cd34", "2026-02-01"]]]
    assert cache_path(tmp_path, other) != path
    assert read_cache(path, other) is None  # built from other versions: a collision or a copy
    path.write_text('{"material": [], "data": {"clusters": "x"}}')
    assert read_cache(path, MATERIAL) is None
    path.write_bytes(b"\x80\x04 a pickle is never loaded")
    assert read_cache(path, MATERIAL) is None


def test_an_unwritable_directory_only_skips_the_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    assert not write_cache(cache_path(blocker, MATERIAL), MATERIAL, coalition())
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-directory"]
