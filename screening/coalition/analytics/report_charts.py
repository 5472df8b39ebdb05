"""Inline SVG charts for the analytics report: bars, a heat-map matrix and monthly lines.

Each function takes plain series (labels and numbers), not an analysis result, and returns one
``<svg>`` element as text. The elements are built with lxml, so every label (a party or member
name from a list file) is escaped by the serializer, and the output is well-formed XML by
construction. No script, no external font or stylesheet: the page must render offline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from lxml import etree
from lxml.builder import ElementMaker

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = ElementMaker(namespace=SVG_NS, nsmap={None: SVG_NS})

# Colour-blind-safe qualitative palette (Okabe & Ito), one colour per series in order.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
FONT = "font-family:sans-serif;font-size:12px"
WIDTH = 760
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 190
TITLE_HEIGHT = 28


def _text(x: float, y: float, content: str, **attributes: str) -> etree._Element:
    return _SVG.text(content, x=f"{x:.1f}", y=f"{y:.1f}", style=FONT, **attributes)


def _svg(width: float, height: float, title: str) -> etree._Element:
    svg = _SVG.svg(
        _SVG.title(title),
        width=f"{width:.0f}",
        height=f"{height:.0f}",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        role="img",
    )
    svg.append(_text(0, 18, title, **{"font-weight": "bold"}))
    return svg


def _serialize(svg: etree._Element) -> str:
    return etree.tostring(svg, encoding="unicode")


def bar_chart(
    bars: Sequence[tuple[str, float]], *, title: str, value_format: str = "{:,.0f}"
) -> str:
    """Horizontal bars, one per (label, value), in the order given; values must be >= 0."""
    height = TITLE_HEIGHT + len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    svg = _svg(WIDTH, max(height, TITLE_HEIGHT + BAR_HEIGHT), title)
    largest = max((value for _, value in bars), default=0.0) or 1.0
    room = WIDTH - LABEL_WIDTH - 70  # the value is written after the bar
    for row, (label, value) in enumerate(bars):
        top = TITLE_HEIGHT + row * (BAR_HEIGHT + BAR_GAP)
        length = room * max(value, 0.0) / largest
        svg.append(_text(LABEL_WIDTH - 6, top + 13, label, **{"text-anchor": "end"}))
        svg.append(
            _SVG.rect(
                x=str(LABEL_WIDTH),
                y=str(top),
                width=f"{length:.1f}",
                height=str(BAR_HEIGHT),
                fill=PALETTE[0],
            )
        )
        svg.append(_text(LABEL_WIDTH + length + 4, top + 13, value_format.format(value)))
    return _serialize(svg)


def _shade(value: float, largest: float) -> str:
    """White (0) to dark blue (largest): a sequential scale for the heat map."""
    share = 0.0 if largest <= 0 else min(max(value / largest, 0.0), 1.0)
    red, green, blue = (round(255 - share * (255 - c)) for c in (0x08, 0x30, 0x6B))
    return f"#{red:02x}{green:02x}{blue:02x}"


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    corner: str = "",
    value_format: Callable[[float], str] = lambda value: f"{value:.0f}",
) -> str:
    """A matrix of cells shaded by value; None cells are grey with a dash (no figure)."""
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError("heatmap: values must have one row per label and one cell per column")
    cell_width, cell_height, label_width = 64, 28, 70
    width = label_width + cell_width * len(columns) + 10
    height = TITLE_HEIGHT + cell_height * (len(rows) + 1) + 10
    svg = _svg(max(width, 320), height, title)
    largest = max((v for row in values for v in row if v is not None), default=0.0)
    svg.append(_text(4, TITLE_HEIGHT + 18, corner))
    for column, label in enumerate(columns):
        x = label_width + column * cell_width + cell_width / 2
        svg.append(_text(x, TITLE_HEIGHT + 18, label, **{"text-anchor": "middle"}))
    for row, (label, cells) in enumerate(zip(rows, values, strict=True)):
        top = TITLE_HEIGHT + cell_height * (row + 1)
        svg.append(_text(4, top + 18, label))
        for column, value in enumerate(cells):
            left = label_width + column * cell_width
            fill = "#dddddd" if value is None else _shade(value, largest)
            svg.append(
                _SVG.rect(
                    x=str(left),
                    y=str(top),
                    width=str(cell_width - 2),
                    height=str(cell_height - 2),
                    fill=fill,
                )
            )
            dark = value is not None and largest > 0 and value / largest > 0.5
            svg.append(
                _text(
                    left + cell_width / 2,
                    top + 18,
                    "–" if value is None else value_format(value),
                    fill="#ffffff" if dark else "#000000",
                    **{"text-anchor": "middle"},
                )
            )
    return _serialize(svg)


def line_chart(
    x_labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str
) -> str:
    """One line per series over the x labels (months), with a legend; a y axis from 0."""
    if any(len(points) != len(x_labels) for points in series.values()):
        raise ValueError("line_chart: every series needs one value per x label")
    left, right, top, bottom = 50, 20, TITLE_HEIGHT + 22, 40
    height = 320
    plot_width = WIDTH - left - right
    plot_height = height - top - bottom
    svg = _svg(WIDTH, height, title)
    largest = max((v for points in series.values() for v in points), default=0.0) or 1.0
    step = plot_width / max(len(x_labels) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - value / largest)

    svg.append(
        _SVG.line(
            x1=str(left),
            y1=str(top + plot_height),
            x2=str(left + plot_width),
            y2=str(top + plot_height),
            stroke="#888888",
        )
    )
    for tick in (0.0, largest / 2, largest):
        svg.append(_text(left - 4, y_of(tick) + 4, f"{tick:,.0f}", **{"text-anchor": "end"}))
    # About eight x labels, whatever the span: a label per month would overlap.
    every = max(1, len(x_labels) // 8)
    for index in range(0, len(x_labels), every):
        svg.append(
            _text(
                left + index * step,
                height - bottom + 16,
                x_labels[index],
                **{"text-anchor": "middle"},
            )
        )
    for number, (name, points) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        path = " ".join(f"{left + i * step:.1f},{y_of(v):.1f}" for i, v in enumerate(points))
        svg.append(
            _SVG.polyline(points=path, fill="none", stroke=colour, **{"stroke-width": "1.5"})
        )
        svg.append(
            _SVG.rect(
                x=str(left + number * 90), y=str(TITLE_HEIGHT), width="12", height="12", fill=colour
            )
        )
        svg.append(_text(left + number * 90 + 16, TITLE_HEIGHT + 11, name))
    return _serialize(svg)
