"""Charts: static, accessible, escaped SVG from a report's numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

# Parsing our own output, to check it is well-formed: never untrusted input.
import pytest

from deskwise.reports import charts
from deskwise.reports.base import Chart

SVG = "{http://www.w3.org/2000/svg}"


def desc_text(svg: str) -> str:
    desc = ET.fromstring(svg).find(f"{SVG}desc")  # noqa: S314
    assert desc is not None
    return desc.text or ""


def chart(kind="bar", **kwargs) -> Chart:
    values = dict(
        kind=kind,
        title="Tickets opened",
        x_labels=["Mon", "Tue", "Wed"],
        series=[("Service Desk", [3, None, 5]), ("Infrastructure", [1, 2, 0])],
    )
    values.update(kwargs)
    return Chart(**values)


@pytest.mark.parametrize("kind", ["line", "bar", "stacked_bar", "horizontal_bar"])
def test_every_kind_is_a_static_svg_with_title_and_desc(kind):
    svg = str(charts.render_svg(chart(kind)))
    root = ET.fromstring(  # noqa: S314
        svg
    )  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.find(f"{SVG}title").text == "Tickets opened"
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "Service Desk: Mon 3, Wed 5" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{root.find(f'{SVG}title').get('id')} {desc.get('id')}"
    assert not root.findall(f".//{SVG}script")
    assert "<script" not in svg
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]


def test_labels_and_names_are_escaped():
    hostile = "<script>alert(1)</script>"
    hostile_chart = chart(
        title=f"T {hostile}",
        x_labels=[hostile, "b", "c"],
        series=[("<img src=x onerror=alert(1)>", [1, 2, 3])],
    )
    svg = str(charts.render_svg(hostile_chart))
    assert "<script" not in svg
    assert "<img" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(  # noqa: S314
        svg
    )


def test_no_data_is_a_note_not_an_error():
    for empty in (
        chart(x_labels=[], series=[]),
        chart(series=[("A", [None, None, None])]),
        chart(series=[("A", [float("nan"), float("inf"), None])]),
    ):
        html = str(charts.render_svg(empty))
        assert "<svg" not in html
        assert "no data for this range" in html
    assert "no data" in str(charts.render_svg(None))
    # A title with markup in the note is escaped too.
    assert "&lt;b&gt;" in str(charts.render_svg(chart(title="<b>", series=[])))


def test_percent_values_read_as_percentages():
    svg = str(charts.render_svg(chart(series=[("Met", [0.5, 0.25, None])], unit="percent")))
    assert "Met: Mon 50%, Tue 25%." in svg


def test_small_charts_for_panels_and_many_labels():
    labels = [f"2026-01-{d:02d}" for d in range(1, 32)]
    svg = str(
        charts.render_svg(
            chart("line", x_labels=labels, series=[("A", list(range(31)))]), small=True
        )
    )
    root = ET.fromstring(  # noqa: S314
        svg
    )
    assert root.get("viewBox") == "0 0 560 320"
    assert "Mon" not in desc_text(svg)  # 31 points: still listed one by one
    assert "2026-01-31 30" in desc_text(svg)
    long = [f"d{i}" for i in range(60)]
    desc = desc_text(
        str(charts.render_svg(chart("line", x_labels=long, series=[("A", list(range(60)))])))
    )
    assert "60 values from d0 to d59, lowest 0, highest 59" in desc


def test_display_values():
    assert charts.display_value(0.756, "percent") == "76%"
    assert charts.display_value(2.0, "count") == "2"
    assert charts.display_value(1.26, "hours") == "1.3 h"
    assert charts.display_value(None, "count") == "—"
    assert charts.display_value("Mon", "text") == "Mon"


def legend_bottom(svg: str) -> float:
    """The lowest edge of a legend box, in the drawing's own units."""
    import re

    lowest = 0.0

    def walk(element: ET.Element, dy: float) -> None:
        nonlocal lowest
        moved = re.match(r"translate\(\s*[-\d.]+[ ,]+([-\d.]+)", element.get("transform") or "")
        dy += float(moved.group(1)) if moved else 0.0
        if element.tag == f"{SVG}rect" and "reactive" in (element.get("class") or ""):
            lowest = max(lowest, dy + float(element.get("y", 0)) + float(element.get("height", 0)))
        for child in element:
            walk(child, dy)

    walk(ET.fromstring(svg), 0.0)  # noqa: S314
    return lowest


def test_many_series_grow_the_drawing_for_their_legend():
    def view_box(n: int, *, small: bool = False) -> str:
        series = [(f"Category {i}", [i, i + 1, i + 2]) for i in range(n)]
        svg = str(charts.render_svg(chart(series=series), small=small))
        legends = ET.fromstring(svg).iter(f"{SVG}g")  # noqa: S314
        names = [g for g in legends if "legend" in (g.get("class") or "").split()]
        assert len(names) == n  # every series keeps its legend entry
        box = ET.fromstring(svg).get("viewBox") or ""  # noqa: S314
        assert legend_bottom(svg) <= float(box.split()[3])  # and is inside the drawing
        return box

    assert view_box(4) == "0 0 760 400"  # one row of four
    assert view_box(9) == f"0 0 760 {400 + 2 * charts.LEGEND_ROW}"  # three rows
    assert view_box(3, small=True) == "0 0 560 320"
    assert view_box(7, small=True) == f"0 0 560 {320 + 2 * charts.LEGEND_ROW}"
