"""The web pages' HTTP tests share one served tiny store per test module (`pages_support`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.screening.service.ui.pages_support import Site, ui_site


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The prepared store (two list versions, three users) served for one test module."""
    folder = tmp_path_factory.mktemp("ui-pages")
    with ui_site(folder, f"sqlite:///{folder / 'ui.db'}") as served:
        yield served
