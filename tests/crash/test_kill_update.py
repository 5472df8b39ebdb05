"""SIGKILL `coalition lists update un --mirror` at random moments, downloading from a local
HTTP mirror: the store never holds a half version, the download cache never a torn file, and
the next update stores the whole list.

1009 entities: 737 INDIVIDUALS/INDIVIDUAL + 272 ENTITIES/ENTITY elements, counted with lxml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.crash.kill import (
    assert_store_intact,
    kill_at,
    moments,
    normal_duration,
    run,
    versions_of,
)
from tests.crash.test_kill_load import forget
from tests.http_mirror import ServerFactory, sha256_of

UN_ENTITIES = 1009


def test_killed_update_leaves_no_half_version(
    db_url: str, env: dict[str, str], tmp_path: Path, serve: ServerFactory, un_mirror: Path
) -> None:
    mirror = serve(un_mirror)
    cache = tmp_path / "cache"
    update = ["lists", "update", "un", "--mirror", mirror.url, "--cache-dir", str(cache)]
    update += ["--retries", "1", "--db", db_url]
    duration = normal_duration("update un", lambda: run(update, env))
    reset(db_url, cache)
    kills = []
    for moment in moments(26, duration):
        kills.append(kill_at(update, env, moment, tmp_path / "update.log"))
        assert_store_intact(db_url, env)
        stored = versions_of(db_url, "un_sc")
        assert stored in ([], [UN_ENTITIES]), stored
        if stored:
            reset(db_url, cache)
        # Otherwise the next run starts from whatever the kill left in the cache.
    assert any(kill.killed for kill in kills), kills
    run(update, env)
    assert versions_of(db_url, "un_sc") == [UN_ENTITIES]
    assert_store_intact(db_url, env)
    cached = cache / "un" / "consolidated.xml"
    assert sha256_of(cached) == sha256_of(un_mirror / "consolidated.xml")


def reset(db_url: str, cache: Path) -> None:
    """Back to nothing loaded and nothing downloaded: the next update does all the work."""
    forget(db_url, "un_sc")
    shutil.rmtree(cache, ignore_errors=True)
