"""The README's screenshots of the web pages, taken in Chromium from a server with real lists.

Starts `coalition serve` on a fresh store in a temporary folder (the UN and UK lists from
../shared/data, users ana, ben and sue), records a few screenings that open alerts, decides
one, logs in as ana and saves at 1280x900:

  docs/screenshots/ui-queue.png    the alert queue
  docs/screenshots/ui-alert.png    one alert: screened input, hit, explanation, listed entity
  docs/screenshots/ui-screen.png   the screening form with its results

    python scripts/ui_screenshots.py [--out docs/screenshots]

The server, users and browser come from tests/screening/service/ui/browser_support.py, the
module the browser tests use. Chromium is Debian's ($COALITION_CHROMIUM or `chromium`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path: put the project root there.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import tempfile  # noqa: E402

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.screening.service.ui.browser_support import (  # noqa: E402
    ANALYST,
    VIEWPORT,
    UiServer,
    chromium_path,
    launch,
    log_in,
    prepared_store,
    record,
    ui_servers,
)

SHARED_LISTS = ROOT.parent / "shared" / "data" / "lists"
# The UK lists most UN parties too: the alert page then shows "also listed".
LISTS = (SHARED_LISTS / "un" / "consolidated.xml", SHARED_LISTS / "uk" / "ConList.xlsx")
# (screened name, customer): listed UN parties, spelt as a bank's customer file might.
SCREENINGS = (
    ("Paul Malong Awan", "CUST-10482"),
    ("Jimmy Cherizier", "CUST-22817"),
    ("Abdullah al-Senussi", "CUST-30951"),
    ("Alfred Yekatom", "CUST-41177"),
    ("Claudia Viviana Oliveros", "CUST-52003"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print("no Chromium: install Debian's chromium or set COALITION_CHROMIUM", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ui-screenshots-") as folder:
        prepared = prepared_store(Path(folder), LISTS)
        with ui_servers(prepared, (False,)) as (server,), sync_playwright() as playwright:
            alert_ids = _record_alerts(server)
            browser = launch(playwright, executable)
            page = browser.new_context(viewport=VIEWPORT).new_page()
            log_in(page, server.base, ANALYST)
            _shoot(page, f"{server.base}/ui/alerts", args.out / "ui-queue.png")
            _shoot(page, f"{server.base}/ui/alerts/{alert_ids[0]}", args.out / "ui-alert.png")
            page.goto(f"{server.base}/ui/screen")
            page.get_by_label("Name", exact=True).fill("Paul Malong")
            page.get_by_label("Type", exact=True).select_option("person")
            page.get_by_role("button", name="Screen", exact=True).click()
            page.wait_for_load_state()
            page.screenshot(path=args.out / "ui-screen.png")
            browser.close()
    for name in ("ui-queue.png", "ui-alert.png", "ui-screen.png"):
        print(args.out / name)
    return 0


def _record_alerts(server: UiServer) -> list[int]:
    """Alerts for the queue; the first one shown; one other decided so the queue has history."""
    opened = [record(server, name, customer)[0] for name, customer in SCREENINGS]
    decided = server.client.post(
        f"/alerts/{opened[-1]}/decisions",
        {"disposition": "false_positive", "reason": "different birth date and nationality"},
    )
    assert decided.status == 201, decided.body
    return opened


def _shoot(page: Page, url: str, path: Path) -> None:
    page.goto(url)
    page.screenshot(path=path)


if __name__ == "__main__":
    sys.exit(main())
