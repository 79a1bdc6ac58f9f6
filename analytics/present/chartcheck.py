"""Where a figure's text lands, estimated from its layout, and what would be cut or overlap.

A browser lays the text out only when it draws; a test can't ask it where a label went. This module
reads a house-style figure (``analytics.present.charts``) the way plotly places it at a given width:
the title at the top left, the legend under the plot, a target's label at the side, bar and point
labels over their marks, tick labels under their categories, and sizes each text with
``charts.text_width``. ``problems(fig, width)`` lists, in words, a title wider than the figure,
text boxes that overlap, labels wider than their bar or cell, and category labels that would have
to be turned (plotly turns them 45°–90° when they don't fit side by side).

An estimate, deliberately a little pessimistic (text is assumed as wide as its widest glyphs are
likely to be), so a chart that passes here reads in the browser too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from analytics.present.charts import FONT_SIZE, LABEL_SIZE, LEGEND_ROW, TITLE_LINE, TITLE_SIZE, text_width

TICK_HEIGHT = 18  # px of a row of x tick labels
TEXT_HEIGHT = 14  # px of a line of label text


@dataclass(frozen=True)
class Box:
    kind: str  # title | legend | side | top | label | tick
    text: str
    x0: float
    y0: float  # from the top of the figure
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 - 1 and other.x0 < self.x1 - 1 and self.y0 < other.y1 - 1 and other.y0 < self.y1 - 1


def _lines(value: Any) -> list[str]:
    return [line for line in str(value or "").split("<br>") if line]


def _plain(value: Any) -> str:
    """Text as drawn: plotly shows ``&lt;`` as ``<``."""
    return str(value).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True)
class _Frame:
    """The figure's plot area in px at one width."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    def x_of(self, fraction: float) -> float:
        return self.left + fraction * (self.right - self.left)

    def y_of(self, fraction: float) -> float:
        return self.bottom - fraction * (self.bottom - self.top)


def _trace_values(fig: go.Figure, axis: str) -> list[float]:
    values: list[float] = []
    for trace in fig.data:
        if trace.type == "heatmap":
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        data = trace.x if (axis == "x") != horizontal and axis == "x" else trace.y
        if axis == "x" and not horizontal:
            continue
        if axis == "y" and horizontal:
            continue
        for v in data if data is not None else ():
            if isinstance(v, int | float) and v == v:
                values.append(float(v))
    return values


def _range(fig: go.Figure, axis: str) -> tuple[float, float]:
    """The value axis's range: as set, else from zero to a little over the data."""
    layout = fig.layout.xaxis if axis == "x" else fig.layout.yaxis
    if layout.range is not None:
        return float(layout.range[0]), float(layout.range[1])
    values = _trace_values(fig, axis)
    stacked = fig.layout.barmode == "stack"
    top = max(values, default=1.0)
    if stacked:
        top = sum(v for v in values if v > 0) / max(len(_categories(fig, "x" if axis == "y" else "y")), 1) * 2
    return 0.0, (top or 1.0) * 1.05


def _categories(fig: go.Figure, axis: str) -> list[str]:
    layout = fig.layout.xaxis if axis == "x" else fig.layout.yaxis
    if layout.categoryarray is not None:
        return [str(v) for v in layout.categoryarray]
    found: list[str] = []
    for trace in fig.data:
        for v in (trace.x if axis == "x" else trace.y) or ():
            if str(v) not in found:
                found.append(str(v))
    return found


def _category_axis(fig: go.Figure) -> str:
    """Which axis holds the categories: y for horizontal bars and grids' rows, x otherwise."""
    if any(getattr(t, "orientation", None) == "h" for t in fig.data):
        return "y"
    return "x"


def _frame(fig: go.Figure, width: float) -> _Frame:
    layout = fig.layout
    height = float(layout.height or 320)
    margin = layout.margin
    left, right = float(margin.l or 0), float(margin.r or 0)
    top, bottom = float(margin.t or 0), float(margin.b or 0)
    heatmap = any(t.type == "heatmap" for t in fig.data)
    if _category_axis(fig) == "y" or heatmap:
        ticks = [_plain(v) for v in (_categories(fig, "y") or [])]
        if heatmap:
            ticks = [str(v) for t in fig.data for v in (t.y or ())]
        size = float(fig.layout.yaxis.tickfont.size or FONT_SIZE) if fig.layout.yaxis.tickfont else FONT_SIZE
        left += max((text_width(v, size) for v in ticks), default=0) + 6  # automargin
    else:
        left += 30  # numbers on the value axis ("100%" at 11 px, and air)
    rows = max((len(_lines(v)) for v in (fig.layout.xaxis.ticktext or ())), default=1)
    if fig.layout.xaxis.side != "top":
        bottom = max(bottom, 12 + TICK_HEIGHT * rows)
    return _Frame(width, height, left, width - right, top, height - bottom)


def _title(fig: go.Figure, width: float) -> list[Box]:
    title = fig.layout.title
    lines = _lines(title.text if title else None)
    if not lines:
        return []
    x0 = float(title.pad.l or 0)
    widest = max(text_width(_plain(line), TITLE_SIZE) for line in lines)
    # plotly centres the title in the top margin (``style`` leaves y and yanchor to it)
    middle = float(fig.layout.margin.t or 0) / 2
    tall = len(lines) * TITLE_LINE
    return [Box("title", " / ".join(lines), x0, middle - tall / 2, x0 + widest, middle + tall / 2)]


def _legend(fig: go.Figure, frame: _Frame) -> list[Box]:
    names = [_plain(t.name) for t in fig.data if t.showlegend is not False and t.name]
    if fig.layout.showlegend is False or (fig.layout.showlegend is None and len(names) < 2) or not names:
        return []
    rows, used, widest = 1, 0.0, 0.0
    for name in names:
        item = 40 + text_width(name, FONT_SIZE)
        if used and used + item > frame.width - 10:
            rows, used = rows + 1, 0.0
        used += item
        widest = max(widest, used)
    height = rows * LEGEND_ROW
    return [Box("legend", " · ".join(names), 0, frame.height - height, widest, frame.height)]


def _annotations(fig: go.Figure, frame: _Frame) -> list[Box]:
    boxes = []
    y_low, y_high = _range(fig, "y") if _category_axis(fig) == "x" else (0.0, 1.0)
    x_low, x_high = _range(fig, "x") if _category_axis(fig) == "y" else (0.0, 1.0)
    for note in fig.layout.annotations:
        label = _plain(note.text or "")
        size = float(note.font.size or FONT_SIZE) if note.font else FONT_SIZE
        wide = text_width(label, size)
        if note.xref == "paper" and note.x is not None and note.x >= 1:
            y = frame.y_of((float(note.y) - y_low) / ((y_high - y_low) or 1))
            x0 = frame.right + 4
            boxes.append(Box("side", label, x0, y - TEXT_HEIGHT / 2, x0 + wide, y + TEXT_HEIGHT / 2))
        elif note.yref == "paper" and note.y is not None and note.y >= 1:
            x = frame.x_of((float(note.x) - x_low) / ((x_high - x_low) or 1))
            boxes.append(Box("top", label, x - wide / 2, frame.top - 2 - TEXT_HEIGHT, x + wide / 2, frame.top - 2))
        elif note.xref in (None, "x") and isinstance(note.x, int | float):
            categories = _categories(fig, "x")
            slot = (frame.right - frame.left) / max(len(categories), 1)
            x = frame.left + slot * (float(note.x) + 0.5)
            y = frame.y_of((float(note.y) - y_low) / ((y_high - y_low) or 1))
            boxes.append(Box("note", label, x - wide / 2, y - TEXT_HEIGHT, x + wide / 2, y))
    return boxes


def _texts(trace: Any) -> list[str | None]:
    values = trace.text
    if values is None or isinstance(values, str):
        return []
    return [None if v in (None, "") else _plain(v) for v in values]


def _bar_labels(fig: go.Figure, frame: _Frame, problems: list[str]) -> list[Box]:
    """Boxes of the labels over (or after) bars and points, and labels wider than their bar."""
    axis = _category_axis(fig)
    categories = _categories(fig, axis)
    if not categories:
        return []
    bars = [t for t in fig.data if t.type == "bar"]
    groups = len([t for t in bars if t.x is not None]) if fig.layout.barmode == "group" else 1
    span = (frame.right - frame.left) if axis == "x" else (frame.bottom - frame.top)
    slot = span / len(categories)
    gap = fig.layout.bargap if fig.layout.bargap is not None else 0.2
    bar = slot * (1 - gap) / max(groups, 1)
    low, high = _range(fig, "y" if axis == "x" else "x")
    boxes: list[Box] = []
    for index, trace in enumerate(t for t in fig.data if t.type in ("bar", "scatter")):
        labels = _texts(trace)
        if not labels:
            continue
        size = float(trace.textfont.size or FONT_SIZE) if trace.textfont else FONT_SIZE
        positions = trace.x if axis == "x" else trace.y
        values = trace.y if axis == "x" else trace.x
        offset = 0.0
        if trace.type == "bar" and groups > 1:
            offset = (index - (groups - 1) / 2) * bar
        for category, value, label in zip(positions or (), values or (), labels, strict=False):
            if label is None or value is None or str(category) not in categories:
                continue
            wide = text_width(label, size)
            fraction = (float(value) - low) / ((high - low) or 1)
            if axis == "x":
                centre = frame.left + slot * (categories.index(str(category)) + 0.5) + offset
                if trace.type == "bar" and wide + 2 > bar:
                    problems.append(f"bar label {label!r} ({wide:.0f} px) wider than its bar ({bar:.0f} px)")
                top = frame.y_of(fraction)
                boxes.append(Box("label", label, centre - wide / 2, top - TEXT_HEIGHT - 2, centre + wide / 2, top - 2))
            else:
                centre = frame.top + slot * (categories[::-1].index(str(category)) + 0.5) + offset
                end = frame.x_of(fraction)
                box = Box("label", label, end + 3, centre - TEXT_HEIGHT / 2, end + 3 + wide, centre + TEXT_HEIGHT / 2)
                if box.x1 > frame.width:
                    problems.append(f"label {label!r} runs off the right edge")
                boxes.append(box)
    return boxes


def _ticks(fig: go.Figure, frame: _Frame, problems: list[str]) -> None:
    """Category labels on the x axis must fit side by side, or plotly turns them."""
    if _category_axis(fig) != "x":
        return
    categories = _categories(fig, "x")
    heatmap = any(t.type == "heatmap" for t in fig.data)
    if heatmap:
        categories = [str(v) for t in fig.data for v in (t.x or ())]
    if not categories:
        return
    slot = (frame.right - frame.left) / len(categories)
    shown = list(fig.layout.xaxis.ticktext or categories)
    size = float(fig.layout.xaxis.tickfont.size or FONT_SIZE) if fig.layout.xaxis.tickfont else FONT_SIZE
    for category in shown:
        wide = max(text_width(_plain(line), size) for line in _lines(category) or [""])
        if wide + 4 > slot:
            problems.append(f"x label {category!r} ({wide:.0f} px) doesn't fit its {slot:.0f} px: it would be turned")
            return


def _cells(fig: go.Figure, frame: _Frame, problems: list[str]) -> None:
    for trace in fig.data:
        if trace.type != "heatmap" or trace.text is None:
            continue
        columns = len(trace.x or ())
        cell = (frame.right - frame.left) / max(columns, 1)
        size = float(trace.textfont.size or LABEL_SIZE) if trace.textfont else LABEL_SIZE
        for row in trace.text:
            for label in row:
                if label and max(text_width(_plain(line), size) for line in _lines(label)) + 2 > cell:
                    problems.append(f"cell text {label!r} wider than its cell ({cell:.0f} px)")
                    return


def _bars(fig: go.Figure, frame: _Frame) -> list[Box]:
    """The bars themselves, as boxes other text must not cover (a target's label over the bars)."""
    axis = _category_axis(fig)
    categories = _categories(fig, axis)
    bars = [t for t in fig.data if t.type == "bar"]
    if not categories or not bars:
        return []
    groups = len(bars) if fig.layout.barmode == "group" else 1
    span = (frame.right - frame.left) if axis == "x" else (frame.bottom - frame.top)
    slot = span / len(categories)
    gap = fig.layout.bargap if fig.layout.bargap is not None else 0.2
    bar = slot * (1 - gap) / groups
    low, high = _range(fig, "y" if axis == "x" else "x")
    base: dict[str, float] = {}
    found = []
    for index, trace in enumerate(bars):
        positions = trace.x if axis == "x" else trace.y
        values = trace.y if axis == "x" else trace.x
        offset = (index - (groups - 1) / 2) * bar if groups > 1 else 0.0
        for category, value in zip(positions or (), values or (), strict=False):
            if value is None or str(category) not in categories:
                continue
            start = base.get(str(category), low) if fig.layout.barmode == "stack" else low
            end = start + float(value) if fig.layout.barmode == "stack" else float(value)
            base[str(category)] = end
            f0, f1 = ((v - low) / ((high - low) or 1) for v in (start, end))
            if axis == "x":
                centre = frame.left + slot * (categories.index(str(category)) + 0.5) + offset
                found.append(
                    Box("bar", str(category), centre - bar / 2, frame.y_of(f1), centre + bar / 2, frame.y_of(f0))
                )
            else:
                centre = frame.top + slot * (categories[::-1].index(str(category)) + 0.5) + offset
                found.append(
                    Box("bar", str(category), frame.x_of(f0), centre - bar / 2, frame.x_of(f1), centre + bar / 2)
                )
    return found


def boxes(fig: go.Figure, width: float) -> list[Box]:
    """Every text box of ``fig`` drawn ``width`` px wide."""
    frame = _frame(fig, width)
    return [*_title(fig, width), *_legend(fig, frame), *_annotations(fig, frame), *_bar_labels(fig, frame, [])]


def problems(fig: go.Figure, width: float) -> list[str]:
    """What would be cut or would overlap when ``fig`` is drawn ``width`` px wide (empty: none)."""
    found: list[str] = []
    frame = _frame(fig, width)
    title = _title(fig, width)
    for box in title:
        if box.x1 > width - 2:
            found.append(f"title cut at {width:.0f} px: {box.text!r} needs {box.x1:.0f} px")
        if box.y0 < 0:
            found.append(f"title cut at the top: {box.text!r}")
        if box.y1 > frame.top:
            found.append(f"title ({box.y1:.0f} px) runs into the plot (top {frame.top:.0f} px)")
    legend = _legend(fig, frame)
    for box in legend:
        if box.y0 < frame.bottom + TICK_HEIGHT - 2:
            found.append(f"legend ({box.y0:.0f} px) over the plot or its labels (bottom {frame.bottom:.0f} px)")
    notes = _annotations(fig, frame)
    for box in notes:
        if box.x1 > width or box.x0 < 0:
            found.append(f"label {box.text!r} cut at the edge")
    labels = _bar_labels(fig, frame, found)
    _ticks(fig, frame, found)
    _cells(fig, frame, found)
    if fig.layout.xaxis.side == "top":  # labels above the plot: they share the top margin with the title
        labels.append(Box("tick", "x labels", frame.left, frame.top - TICK_HEIGHT, frame.right, frame.top))
    every = [*title, *legend, *notes, *labels]
    for i, one in enumerate(every):
        for other in every[i + 1 :]:
            if one.overlaps(other):
                found.append(f"{one.kind} {one.text!r} overlaps {other.kind} {other.text!r}")
    for mark in _bars(fig, frame):
        for one in [*title, *legend, *notes]:
            if one.overlaps(mark):
                found.append(f"{one.kind} {one.text!r} covers the bar of {mark.text!r}")
    return found
