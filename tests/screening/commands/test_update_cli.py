"""`coalition lists update` end to end: a local mirror on 127.0.0.1 serving the real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import main
from screening.store import ListStore
from tests.http_mirror import CA_MTIME, ServerFactory, body


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
    assert "loaded un_sc version" in output and "loaded ofac_sdn version" in output
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


# --- every feed, by feed, source or dataset name ---------------------------------------------
# Entity counts measured without the adapters (openpyxl / lxml alone): MOF 2,862 listings with a
# name (tests/lists/jp/test_mof.py, `_measure`); METI 835 data rows under the header
# (tests/lists/jp/test_meti.py); Canada 5,090 <record> elements under <data-set>; Australia
# 3,062 distinct Reference numbers over 9,560 rows (one row per name). Publication dates are
# the workbooks' core "modified" property (openpyxl `wb.properties.modified`); the SEMA file
# states none.


def test_update_jp_loads_both_japanese_lists(
    serve: ServerFactory, jp_mirror: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    server = serve(jp_mirror)
    code, output = _update(db, tmp_path / "cache", server.url, "jp")
    assert code == 0, output
    assert "loaded jp_mof version" in output and "loaded jp_meti_eul version" in output
    store = ListStore(db)
    mof = store.active_version("jp_mof")
    meti = store.active_version("jp_meti_eul")
    assert mof is not None and meti is not None
    assert (mof.entity_count, str(mof.published_on), mof.published_from) == (
        2862,
        "2026-03-02",
        "file",
    )
    assert (meti.entity_count, str(meti.published_on), meti.published_from) == (
        835,
        "2025-09-25",
        "file",
    )
    assert mof.id != meti.id and mof.sha256 != meti.sha256
    assert [v.dataset for v in store.versions()] == ["jp_meti_eul", "jp_mof"]
    assert server.hits("/shisantouketsu.xlsx") == server.hits("/end_user_list.xlsx") == 1
    code, output = _update(db, tmp_path / "cache", server.url, "jp")
    assert code == 0, output
    assert "jp_mof: not modified since the last download" in output
    assert "jp_meti: not modified since the last download" in output
    assert len(store.versions()) == 2


def test_update_ca_au(serve: ServerFactory, ca_au_mirror: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    server = serve(ca_au_mirror)
    code, output = _update(db, tmp_path / "cache", server.url, "ca", "au")
    assert code == 0, output
    assert "loaded ca_sema version" in output and "loaded au_dfat version" in output
    store = ListStore(db)
    canada = store.active_version("ca_sema")
    australia = store.active_version("au_dfat")
    assert canada is not None and australia is not None
    # SEMA states no date, so the download's Last-Modified dates it; DFAT's workbook does.
    assert (canada.entity_count, canada.published_on, canada.published_from) == (
        5090,
        CA_MTIME.date(),
        "http",
    )
    assert (australia.entity_count, str(australia.published_on), australia.published_from) == (
        3062,
        "2024-11-11",
        "file",
    )
    assert [v.dataset for v in store.versions()] == ["au_dfat", "ca_sema"]


def test_a_dataset_name_updates_only_its_feed(
    serve: ServerFactory, jp_mirror: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    server = serve(jp_mirror)
    code, output = _update(db, tmp_path / "cache", server.url, "jp_meti_eul")
    assert code == 0, output
    assert [path for path, _ in server.requests] == ["/end_user_list.xlsx"]
    assert [v.dataset for v in ListStore(db).versions()] == ["jp_meti_eul"]


def test_unknown_names_are_a_usage_error_listing_the_choices(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    code, output = _update(db, tmp_path / "cache", "http://127.0.0.1:9", "un", "japan")
    assert code == 2
    assert "unknown list 'japan': give a feed (ofac, uk, eu, un, ca, au, jp_mof, jp_meti" in output
    assert "Traceback" not in output
    code, output = _update(db, tmp_path / "cache", "http://127.0.0.1:9", "uk_ofsi")
    assert code == 2
    assert "dataset uk_ofsi is not downloaded: the OFSI Consolidated List closed" in output
    assert not (tmp_path / "cache").exists()  # refused before anything was fetched


def test_another_sources_list_under_a_feeds_name_is_refused(
    serve: ServerFactory, jp_mirror: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    # A mirror that serves METI's workbook where the UN list belongs.
    shutil.copyfile(jp_mirror / "end_user_list.xlsx", jp_mirror / "consolidated.xml")
    code, output = _update(db, tmp_path / "cache", serve(jp_mirror).url, "un")
    assert code == 1
    assert "un: " in output and "the download is a jp-meti-eul-xlsx list, not UN Security" in output
    assert "active version unchanged" in output
    assert ListStore(db).versions() == []
