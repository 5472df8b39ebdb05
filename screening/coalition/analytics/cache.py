"""A cache of the built clusters, so that each `coalition analyze` command does not rebuild them.

Building the clusters takes 20 s to minutes (`clusters.build_coalition`); every analysis after
it takes a second. `coalition_data` keeps the built `CoalitionData` as JSON (pydantic: a file
that is not exactly a cache of this layout fails validation and is rebuilt, never executed as
a pickle would be) beside the name index, in ``$COALITION_INDEX_DIR``
(`screening.matching.index.default_index_dir`), under a name that hashes what the clusters
depend on (`cache_material`):

* every stored version of the counted datasets: the active ones *and* the history versions
  (their first-seen dates, delistings and renumberings), each by id, dataset, file hash and
  load time (`screening.matching.index.identities`, as the name index keys its cache: a
  version deleted and loaded again is another version);
* the program version, `CLUSTER_FORMAT` (raised when the built clusters change shape or
  meaning) and the index format, and a digest of the source of this package and of the
  matcher, so that a changed rule or score never reads an old answer.

The file also holds the material itself: a file found under the right name but built from
anything else (a hash collision, a copied file) is ignored, as the name index does. The file is
written to a temporary name and renamed into place, so a reader never sees half a file; a cache
directory that cannot be written only costs the next command a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from screening.coalition.analytics import clusters
from screening.coalition.analytics.model import CoalitionData
from screening.matching import index as name_index
from screening.matching.screener import Screener
from screening.store import ListStore

# Raise when the built clusters change shape or meaning (a new field, a new linking rule).
CLUSTER_FORMAT = 2
PACKAGE = "coalition-screening"
_PREFIX = "coalition-"


class CachedCoalition(BaseModel):
    """The file's content: what the clusters were built from, and the clusters."""

    material: list[Any]
    data: CoalitionData


def coalition_data(
    store: ListStore,
    screener: Callable[[], Screener],
    *,
    index_dir: Path | None = None,
    progress: clusters.Progress | None = None,
) -> CoalitionData:
    """The clusters of the store's counted datasets: from the cache, else built and cached.

    `screener()` is called only when the clusters must be built.
    """
    material = cache_material(store)
    path = cache_path(index_dir or name_index.default_index_dir(), material)
    cached = read_cache(path, material)
    if cached is not None:
        return cached
    data = clusters.build_coalition(store, screener(), progress=progress)
    write_cache(path, material, data)
    return data


def cache_material(store: ListStore) -> list[Any]:
    """What the clusters of `store` depend on (JSON-ready; its hash names the file)."""
    chosen = clusters.chosen_datasets(store, None)
    versions = [version for version in store.versions() if version.dataset in chosen]
    return [
        CLUSTER_FORMAT,
        _program_version(),
        name_index.INDEX_FORMAT,
        _source_digest(),
        chosen,
        [list(identity) for identity in name_index.identities(versions)],
    ]


def cache_path(directory: Path, material: list[Any]) -> Path:
    digest = hashlib.sha256(json.dumps(material).encode()).hexdigest()[:24]
    return directory / f"{_PREFIX}{digest}.json"


def read_cache(path: Path, material: list[Any]) -> CoalitionData | None:
    """The cached clusters, when the file holds a cache built from exactly `material`."""
    try:
        cached = CachedCoalition.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None
    # The JSON round trip turns tuples into lists: compare in the same spelling.
    if cached.material != json.loads(json.dumps(material)):
        return None
    return cached.data


def write_cache(path: Path, material: list[Any], data: CoalitionData) -> bool:
    """Write the cache atomically; False (and nothing left behind) when it cannot be written."""
    text = CachedCoalition(material=material, data=data).model_dump_json()
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".coalition-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    return True


def _program_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


@cache
def _source_digest() -> str:
    """A hash of the code the clusters come from: this package and the matcher."""
    digest = hashlib.sha256()
    roots = (Path(clusters.__file__).parent, Path(name_index.__file__).parent)
    for root in roots:
        for source in sorted(root.rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]
