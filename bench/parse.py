"""Parse time and peak memory of every real list file, against a plain-parse baseline.

For each file, two fresh subprocesses run one after the other:
  reader    `lists.open_list(path).entities()` consumed to the end (detect, parse, map, validate)
  baseline  the cheapest full read of the same bytes with no mapping: lxml ``etree.parse`` of the
            whole tree for XML, ``csv.reader`` over every row for CSV, openpyxl read-only rows for
            XLSX
Peak memory is the subprocess's maximum resident set size (ru_maxrss) minus that of a subprocess
that only imports the same modules and warms the lazily loaded country, language and script
tables by reading two tiny files (about 0.2 s and 12 MB, once per process), so it measures what
reading the file adds.

    python bench/parse.py [--lists ../shared/data/lists] [--json bench/results/parse.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LISTS = ROOT.parent / "shared" / "data" / "lists"

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
import csv, io
from lxml import etree
import openpyxl
import lists
# Warm up once per process, outside the clock and the memory delta: the country, language and
# script tables load lazily (about 0.2 s and 12 MB) on the first record of any file.
lists_dir = Path(sys.argv[3])
for warm in ("un/fixtures/GSmiguel/sample_un_consolidated.xml",
             "uk/fixtures/GSmiguel/sample_uk_sanctions.xml"):
    for _ in lists.open_list(lists_dir / warm).entities():
        pass
start = time.perf_counter()
count = 0
if mode == "reader":
    listed = lists.open_list(path)
    for _ in listed.entities():
        count += 1
elif mode == "baseline":
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    else:
        files = [path]
    for file in files:
        head = file.read_bytes()[:4]
        if head.startswith(b"PK"):
            workbook = openpyxl.load_workbook(file, read_only=True)
            for sheet in workbook.worksheets:
                count += sum(1 for _ in sheet.iter_rows(values_only=True))
        elif head.lstrip().startswith(b"<"):
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            count += sum(1 for _ in etree.parse(str(file), parser).getroot().iter())
        else:
            with file.open(encoding="cp1252", errors="replace", newline="") as handle:
                count += sum(1 for _ in csv.reader(handle))
elapsed = time.perf_counter() - start
rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "seconds": elapsed, "rss_kib": rss_kib}))
"""

FILES = [
    "ofac/sdn.csv",
    "ofac/legacy_csv_2021",
    "ofac/consolidated_csv_2025-12",
    "ofac/consolidated_xml/2026-01-08/consolidated.xml",
    "ofac/consolidated_2018/consolidated.xml",
    "ofac/fixtures/GSmiguel/sample_sdn_advanced.xml",
    "uk/ConList.xlsx",
    "uk/derived/ConList.csv",
    "uk/legacy_csv_2018/sanctionsconlist.csv",
    "uk/fixtures/GSmiguel/sample_uk_sanctions.xml",
    "eu/fixtures/GSmiguel/sample_eu_fsf.xml",
    "eu/fixtures/legacy_2016_FSD_WHOLE/data.xml",
    "un/consolidated.xml",
    "un/history/2018-08-24/consolidated.xml",
    "ca/sema-lmes.xml",
    "ca/history/2020-04/sema-lmes.xml",
    "au/regulation8_consolidated.xlsx",
    "jp/mof/shisantouketsu20260305.xlsx",
    "jp/meti/end_user_list_20250929.xlsx",
]


def run(mode: str, path: Path, lists_dir: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(path), str(lists_dir)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--json", type=Path, help="Also write the results to this JSON file.")
    args = parser.parse_args()
    idle = run("idle", args.lists / FILES[0], args.lists)["rss_kib"]
    rows = []
    header = (
        f"{'file':52} {'MB':>6} {'entities':>8} {'reader s':>9} {'base s':>7} "
        f"{'ratio':>6} {'reader MB':>9} {'base MB':>8}"
    )
    print(header)
    for relative in FILES:
        path = args.lists / relative
        reader = run("reader", path, args.lists)
        baseline = run("baseline", path, args.lists)
        row = {
            "file": relative,
            "bytes": size_of(path),
            "entities": reader["count"],
            "reader_seconds": round(reader["seconds"], 3),
            "baseline_seconds": round(baseline["seconds"], 3),
            "time_ratio": round(reader["seconds"] / max(baseline["seconds"], 1e-6), 1),
            "reader_peak_mb": round(max(reader["rss_kib"] - idle, 0) / 1024, 1),
            "baseline_peak_mb": round(max(baseline["rss_kib"] - idle, 0) / 1024, 1),
        }
        rows.append(row)
        print(
            f"{relative:52} {row['bytes'] / 1e6:6.2f} {row['entities']:8.0f} "
            f"{row['reader_seconds']:9.3f} {row['baseline_seconds']:7.3f} {row['time_ratio']:6.1f} "
            f"{row['reader_peak_mb']:9.1f} {row['baseline_peak_mb']:8.1f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
