"""A report's chart as an inline SVG, drawn on the server by pygal.

No JavaScript: pygal's scripts are turned off (``js=[]``) and the small config
script it always adds is taken out of the tree, so the SVG is static markup
that a page embeds as it is. Every text in it (title, labels, series names)
goes through the XML serialiser, so it is escaped; the numbers are ours. The
SVG says what it shows: ``role="img"``, a ``<title>`` and a ``<desc>`` that
reads out the figures, and the table next to it holds the same numbers.
"""

from __future__ import annotations

import math
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

from deskwise.reports.base import Chart

WIDTH = 760
HEIGHT = 400
SMALL = (560, 320)  # a dashboard panel
LEGEND_ROW = 30  # px: one row of the legend at legend_font_size

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#dfe3ea",
    opacity=".85",
    opacity_hover=".95",
    colors=("#2f5bd3", "#e07b39", "#2e9e6a", "#b8428b", "#7a6cd9", "#c9a227", "#5d6678"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    title_font_size=20,
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=16,
    value_font_size=15,
)

KINDS: dict[str, Callable[..., Any]] = {
    "line": pygal.Line,
    "bar": pygal.Bar,
    "stacked_bar": pygal.StackedBar,
    "horizontal_bar": pygal.HorizontalBar,
}

MAX_DESC_POINTS = 40  # beyond this the <desc> summarises; the table has every number


def format_value(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if unit == "percent":
        return f"{value * 100:.0f}%"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit == "minutes":
        return f"{value:.0f} min"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.2f}"


def _clean(values: Sequence[float | None]) -> list[float | None]:
    """Numbers pygal can draw: None stays a gap, NaN and infinities become gaps."""
    out: list[float | None] = []
    for v in values:
        if v is None or isinstance(v, bool):
            out.append(None)
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(f if math.isfinite(f) else None)
    return out


def is_empty(chart: Chart | None) -> bool:
    if chart is None or not chart.x_labels or not chart.series:
        return True
    return all(v is None for _name, values in chart.series for v in _clean(values))


def describe(chart: Chart) -> str:
    """The chart in words, for screen readers (and anyone without the picture)."""
    kind = {
        "line": "Line chart",
        "bar": "Bar chart",
        "stacked_bar": "Stacked bar chart",
        "horizontal_bar": "Bar chart",
    }[chart.kind]
    parts = [f"{kind}: {chart.title}."]
    labels = [str(label) for label in chart.x_labels]
    for name, values in chart.series:
        clean = _clean(values)
        points = [
            f"{label} {format_value(v, chart.unit)}"
            for label, v in zip(labels, clean, strict=False)
            if v is not None
        ]
        if len(points) > MAX_DESC_POINTS:
            numbers = [v for v in clean if v is not None]
            parts.append(
                f"{name}: {len(numbers)} values from {labels[0]} to {labels[-1]}, lowest "
                f"{format_value(min(numbers), chart.unit)}, highest "
                f"{format_value(max(numbers), chart.unit)}."
            )
        else:
            parts.append(f"{name}: {', '.join(points) or 'no values'}.")
    return " ".join(parts)


def _strip_scripts(root: ET.Element) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag.rsplit("}", 1)[-1].lower() in {"script", "foreignobject"}:
                parent.remove(child)
            else:
                for attr in [a for a in child.attrib if a.lower().startswith("on")]:
                    del child.attrib[attr]


def render_svg(chart: Chart | None, *, small: bool = False) -> Markup:
    """The chart as SVG markup to put in a page, or a "no data" note."""
    if chart is None or is_empty(chart):
        title = escape(chart.title) if chart is not None else "Chart"
        return Markup(
            '<p class="muted chart-empty" role="note">{}: no data for this range.</p>'
        ).format(title)
    width, height = SMALL if small else (WIDTH, HEIGHT)
    labels = [str(label) for label in chart.x_labels]
    many = len(labels) > 14
    # pygal leaves room for one legend row: each row past the first grows the
    # drawing and its bottom margin, so many series neither squeeze the plot
    # nor lose their legend below the edge.
    columns = max(1, min(len(chart.series), 3 if small else 4))
    extra = (math.ceil(len(chart.series) / columns) - 1) * LEGEND_ROW
    height += extra
    config: dict[str, Any] = {
        "js": [],
        "style": STYLE,
        "width": width,
        "height": height,
        "title": chart.title,
        "disable_xml_declaration": True,
        "show_legend": len(chart.series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": columns,
        "tooltip_border_radius": 0,
        "print_values": False,
        "show_minor_x_labels": not many,
        "x_labels_major_every": max(1, len(labels) // 10) if many else None,
        "x_label_rotation": 30
        if many or max((len(label) for label in labels), default=0) > 12
        else 0,
        "truncate_label": 24,
        "truncate_legend": 22 if small else 30,
        "value_formatter": lambda v: format_value(v, chart.unit),
        "margin": 12,
        "margin_bottom": 12 + extra,
    }
    if chart.unit == "percent":
        config["range"] = (0, 1)
    if chart.kind != "line":
        config["zero"] = 0
    drawing = KINDS[chart.kind](**config)
    drawing.x_labels = labels
    for name, values in chart.series:
        drawing.add(str(name), _clean(values))
    root: ET.Element = drawing.render_tree()
    _strip_scripts(root)
    # A stable, unique id of our own: pygal's styles are scoped to it.
    chart_id = root.attrib.get("id") or f"chart-{uuid.uuid4()}"
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    root.attrib.update(
        {
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "preserveAspectRatio": "xMinYMin meet",
            "width": "100%",
        }
    )
    title_el = root.find("title")
    if title_el is None:
        title_el = ET.Element("title")
        root.insert(0, title_el)
    title_el.text = chart.title
    title_el.attrib["id"] = title_id
    desc = ET.Element("desc", {"id": desc_id})
    desc.text = describe(chart)
    root.insert(list(root).index(title_el) + 1, desc)
    svg = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return Markup(svg)  # noqa: S704 (serialised by ElementTree: every text is escaped)


def display_value(value: object, unit: str) -> str:
    """A table cell or headline figure as the page shows it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and unit in {"count", "percent", "hours", "minutes"}:
        return format_value(float(value), unit)
    if isinstance(value, float):
        return format_value(value, "count")
    return str(value)
