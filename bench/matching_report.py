"""The markdown of bench/matching.py's report, ready to paste into the README."""

from __future__ import annotations

from typing import Any

WEAK_GROUP = 0.97  # sub-kinds below this recall are listed under the tables


def _pct(value: float | None, queries: float | None = None) -> str:
    if value is None:
        return "–"
    shown = f"{value * 100:.1f} %"
    return f"{shown} ({int(queries)})" if queries is not None else shown


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def markdown(report: dict[str, Any]) -> str:
    columns: dict[str, dict[str, Any]] = report["columns"]
    names = list(columns)
    out = [f"Engine: {report.get('engine', 'pure Python')}.", ""]
    out += ["### Recall per variant kind (queries in brackets)", ""]
    kinds = sorted({kind for column in columns.values() for kind in column["kinds"]})
    rows = [
        [kind]
        + [
            _pct(c["kinds"][kind]["rate"], c["kinds"][kind]["queries"])
            if kind in c["kinds"]
            else "–"
            for c in columns.values()
        ]
        for kind in kinds
    ]
    rows.append(["**all labelled**"] + [_pct(c["recall"], c["labelled"]) for c in columns.values()])
    out += _table(["kind", *names], rows)
    out += ["", "### Alert rates (unlabelled queries)", ""]
    alert_keys = sorted({key for column in columns.values() for key in column["alerts"]})
    rows = [
        [key]
        + [
            _pct(c["alerts"][key]["rate"], c["alerts"][key]["queries"])
            if key in c["alerts"]
            else "–"
            for c in columns.values()
        ]
        for key in alert_keys
    ]
    out += _table(["queries", *names], rows)
    engines = {name: c for name, c in columns.items() if c["roc"]}
    out += ["", "### ROC: recall at a clean-alert rate (threshold on the top hit's score)", ""]
    rates = sorted(
        {rate for c in engines.values() for rate in c["roc"]}, key=lambda r: float(r[:-1])
    )
    rows = [
        [f"clean alerts <= {rate}"]
        + [
            f"{_pct(c['roc'][rate]['recall'])} at {c['roc'][rate]['threshold']:.3f}"
            + (" (floor)" if c["roc"][rate]["floor"] else "")
            for c in engines.values()
        ]
        for rate in rates
    ]
    out += _table(["", *engines], rows)
    out += ["", "### Speed and memory (one process, single thread, full explanations)", ""]
    rows = [["names/s"] + [f"{c['names_per_second']:.0f}" for c in columns.values()]]
    out += _table(["", *names], rows)
    out += [""]
    index_rows = []
    for label, figures in report["index"].items():
        fresh = figures["fresh_process"]
        index_rows.append(
            [
                label,
                f"{figures['entries']} / {figures['names']}",
                "reused"
                if figures["build_seconds"] is None
                else f"{figures['build_seconds']:.1f} s",
                f"{figures['load_seconds']:.2f} s",
                f"{figures['open_from_saved_seconds']:.2f} s",
                f"{figures['index_file_mb']:.0f} MB",
                f"{fresh.get('rss_mb', float('nan')):.0f} MB",
                f"{fresh.get('peak_rss_mb', float('nan')):.0f} MB",
            ]
        )
    out += _table(
        [
            "lists",
            "entries / names",
            "index build",
            "index load",
            "screener open (saved index)",
            "index file",
            "RSS, fresh process",
            "peak RSS, fresh process",
        ],
        index_rows,
    )
    baselines = [f"{n}: cutoff {c['cutoff']}" for n, c in columns.items() if "cutoff" in c]
    if baselines:
        out += [
            "",
            "Baseline (rapidfuzz token_sort_ratio, every listed name): " + "; ".join(baselines),
        ]
    weak = [
        f"- {name}: {group} {_pct(g['rate'], g['queries'])}"
        for name, c in columns.items()
        if "cutoff" not in c
        for group, g in c["groups"].items()
        if g["rate"] < WEAK_GROUP
    ]
    if weak:
        out += ["", f"Sub-kinds below {WEAK_GROUP:.0%} recall:", *weak]
    out += ["", "Disagreements between set A and set B of more than one point:"]
    out += [f"- {note}" for note in report["disagreements"]] or ["- none"]
    out += ["", f"Whole run: {report['seconds']:.0f} s, peak RSS {report['peak_rss_mb']:.0f} MB."]
    return "\n".join(out) + "\n"
