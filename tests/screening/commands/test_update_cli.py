"""`coalition lists update` end to end: a local mirror on 127.0.0.1 serving the real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import main
from screening.store import ListStore
from tests.http_mirror import ServerFactory, body


def _update(db: str, cache: Path, mirror: str, *sources: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "lists",
            "update",
            *sources,
            "--mirror",
            mirror,
            "--db",
            db,
            "--cache-dir",
            str(cache),
            "--timeout",
            "5",
            "--retries",
            "2",
        ],
    )
    return result.exit_code, result.output


def test_update_loads_then_reports_not_modified(
    serve: ServerFactory, un_mirror: Path, ofac_mirror: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    cache = tmp_path / "cache"
    for file in ofac_mirror.iterdir():  # one mirror serving both sources, as a bank's would
        shutil.copy2(file, un_mirror / file.name)
    server = serve(un_mirror)
    code, output = _update(db, cache, server.url, "un", "ofac")
    assert code == 0, output
    assert "loaded un version" in output and "loaded ofac version" in output
    # The OFAC CSV set holds two lists: the load names each dataset it stored.
    assert "  dataset ofac_sdn: version " in output
    assert "  dataset ofac_consolidated: version " in output
    versions = CliRunner().invoke(main, ["lists", "versions", "ofac", "--db", db])
    assert [line.split("\t")[1] for line in versions.output.splitlines()] == [
        "ofac_consolidated",
        "ofac_sdn",
    ]
    diff = CliRunner().invoke(main, ["lists", "diff", "ofac", "--db", db])
    assert diff.exit_code == 1 and "publishes several lists" in diff.output
    store = ListStore(db)
    un = store.active_version("un")
    ofac = store.active_version("ofac_sdn")
    non_sdn = store.active_version("ofac_consolidated")
    assert un is not None and un.entity_count == 1009
    # The OFAC CSV set holds two lists: each is a dataset with its own active version.
    assert ofac is not None and non_sdn is not None and ofac.sha256 == non_sdn.sha256
    # OFAC CSV files state no date: the download's newest Last-Modified stands in.
    assert ofac is not None and ofac.published_from == "http"
    assert str(ofac.published_on) == "2025-12-19"
    code, output = _update(db, cache, server.url, "un", "ofac")
    assert code == 0, output
    assert "un: not modified since the last download" in output
    assert "ofac: not modified since the last download" in output
    assert len(store.versions()) == 3


def test_failed_download_leaves_the_active_version_untouched(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    cache = tmp_path / "cache"
    good = serve(un_mirror)
    assert _update(db, cache, good.url, "un")[0] == 0
    before = ListStore(db).active_version("un")
    data = (un_mirror / "consolidated.xml").read_bytes()
    truncating = serve(routes={"/consolidated.xml": body(data[:50000], length=len(data))})
    code, output = _update(db, tmp_path / "cache2", truncating.url, "un")
    assert code == 1
    assert "truncated" in output and "active version unchanged" in output
    assert "Traceback" not in output
    assert ListStore(db).active_version("un") == before


def test_download_that_is_not_a_list_is_refused(serve: ServerFactory, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    broken = (
        b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">'
        b"<INDIVIDUALS><INDIVIDUAL>"
    )
    server = serve(routes={"/consolidated.xml": body(broken)})
    code, output = _update(db, tmp_path / "cache", server.url, "un")
    assert code == 1
    assert "malformed XML" in output and "Traceback" not in output
    status = CliRunner().invoke(main, ["lists", "status", "--db", db, "--json"])
    un = next(s for s in json.loads(status.stdout)["sources"] if s["source"] == "un")
    assert un["active"] is None
