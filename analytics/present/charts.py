"""Plotly figures in the house style, shared by every page and the report's images.

The house rules (issue 15), each kept here so a page can't break it:
- periods (years, 2020H1, ...) sit on a *category* axis, never a numeric one (no "2,019.5");
- a rate's axis spans the data and the target (90–100%, not 0–100%), the target a dashed grey line
  labelled at the side of the plot, outside the data (``target_line``);
- red means a missed target and nothing else, green a met one; every other series is blue or grey
  (``COLOURS`` holds no red or green hue but the status keys; tested);
- one fixed colour per category everywhere (``colour(key)``); this period against last year is
  blue against grey;
- titles (the finding, passed in by the caller) wrap to fit a 390 px phone, never cut; the legend
  sits under the plot, never over the data;
- a bar's value label is drawn only where it fits its bar at phone width (``fits``);
- counts carry their metric's unit (次 for meetings, 件 for disputes) and whole-number ticks;
- CJK font family; missing data is a gap, never a drawn zero, labelled 无数据 / No data.

``analytics.present.chartcheck`` measures a figure's text boxes from its layout, and the chart
tests render each chart through kaleido at 1440 and 390 px and check them.

Frames are pandas DataFrames; a value of None/NaN means "no data". No streamlit imports here.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.present import fmt
from analytics.present.i18n import text

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'

# One colour per category, the same on every page. Keys are the stored values (English codes for
# forms/outcomes, Chinese names for categories) and metric ids. No red or green among them: those
# two mean a missed and a met target (``STATUS``), and nothing else.
COLOURS: dict[str, str] = {
    # dispute categories (national people's-mediation list)
    "婚姻家庭": "#B07AA1",
    "邻里": "#4E79A7",
    "房屋宅基地": "#F28E2B",
    "合同": "#76B7B2",
    "生产经营": "#BCBD22",
    "损害赔偿": "#EDC948",
    "山林土地": "#8C6D31",
    "征地拆迁": "#6B6ECF",
    "环境污染": "#17BECF",
    "劳动争议": "#C5B0D5",
    "医疗": "#9C755F",
    "道路交通事故": "#2F4B7C",
    "物业": "#A0CBE8",
    "村务管理": "#86BCB6",
    "其他": "#BAB0AC",
    # agreement forms: neutral series, blue and grey-blue
    "written": "#2F5597",
    "oral": "#9DC3E6",
    "joint": "#6B6ECF",
    # outcomes: neutral (a failed mediation is not a missed target)
    "success": "#4E79A7",
    "failed": "#7F7F7F",
    "pending": "#BAB0AC",
}
# Metrics are neutral series: blue, teal and grey shades (their status carries red or green).
_METRIC_SHADES = ("#4E79A7", "#2F5597", "#76B7B2", "#9DC3E6", "#5C6F82", "#86BCB6", "#3B7EA1", "#A0CBE8", "#7F7F7F")
_METRIC_IDS = (
    "disputes_total", "disputes_written", "disputes_oral", "disputes_joint", "disputes_pending",
    "mediation_success_rate", "disputes_escalated", "disputes_referred", "documents_issued",
    "document_review_rate", "document_publication_rate", "document_filing_rate", "document_timely_filing_rate",
    "enforcement_staff", "training_rate", "study_hours_avg", "study_hours_compliance_rate", "certification_rate",
    "study_meetings", "mediator_trainings", "reconsideration_cases", "reconsideration_corrected_rate",
    "litigation_cases", "years_without_reconsideration", "head_appearance_rate", "litigation_loss_rate",
    "judgment_compliance_rate", "disclosure_requests", "disclosure_on_time_rate", "disclosure_overdue",
    "major_decision_review_rate", "contract_review_rate", "party_committee_reports",
    "supervision_quarters_covered", "document_cleanup_due", "legal_publicity_events",
)  # fmt: skip
COLOURS.update({m: _METRIC_SHADES[i % len(_METRIC_SHADES)] for i, m in enumerate(_METRIC_IDS)})
COLOURS.update({"disputes_written": COLOURS["written"], "disputes_oral": COLOURS["oral"]})
# Chinese names of agreement forms and outcomes map to the same colours.
COLOURS.update(
    {
        "书面": COLOURS["written"],
        "书面调解": COLOURS["written"],
        "口头": COLOURS["oral"],
        "口头调解": COLOURS["oral"],
        "联合调解": COLOURS["joint"],
        "成功": COLOURS["success"],
        "调解成功": COLOURS["success"],
        "失败": COLOURS["failed"],
        "调解失败": COLOURS["failed"],
        "调解中": COLOURS["pending"],
        "在办": COLOURS["pending"],
    }
)

DEFAULT_COLOUR = "#4E79A7"
CURRENT_COLOUR = "#4E79A7"  # this period
PREVIOUS_COLOUR = "#BAB0AC"  # the same period a year earlier
TARGET_COLOUR = "#555555"  # a target line is a reference, not a verdict: dark grey
NO_DATA_COLOUR = "#9E9E9E"
# The only red and green: a missed and a met target (the same as the cards, tables and report).
STATUS: dict[str, str] = {"missed": fmt.STATUS_COLOURS["missed"], "met": fmt.STATUS_COLOURS["met"]}

NARROW_WIDTH = 390  # a phone: every chart must read at this width
TITLE_SIZE = 15
TITLE_LINE = 21  # px per title line
FONT_SIZE = 13
LABEL_SIZE = 11  # bar value labels and the target's label
LEGEND_ROW = 22  # px per legend row
TICK_SIZE = 11  # axis labels


def colour(key: str | None) -> str:
    """The fixed colour of a category, form, outcome or metric id (a neutral blue if unknown)."""
    return COLOURS.get(str(key), DEFAULT_COLOUR) if key is not None else DEFAULT_COLOUR


def _clean(series: pd.Series) -> list[float | None]:
    """Numbers with NaN turned into None (plotly leaves a gap for None)."""
    return [None if v is None or pd.isna(v) else float(v) for v in series]


def _inert(value: Any) -> Any:
    """Text from the data as plotly shows it literally: its labels are a little HTML (``<a href>``)."""
    return html.escape(value, quote=False) if isinstance(value, str) and ("<" in value or "&" in value) else value


def _inert_texts(fig: go.Figure) -> None:
    """Every data-derived label of ``fig`` (categories, texts, names, annotations) made literal."""
    for trace in fig.data:
        for attr in ("x", "y", "text", "hovertext"):
            values = getattr(trace, attr, None)
            if values is not None and not isinstance(values, str) and any(_inert(v) is not v for v in values):
                setattr(trace, attr, [_inert(v) for v in values])
        if isinstance(getattr(trace, "name", None), str):
            trace.name = _inert(trace.name)
    for axis in ("xaxis", "yaxis"):
        categories = fig.layout[axis].categoryarray
        if categories is not None and any(_inert(v) is not v for v in categories):
            fig.layout[axis].categoryarray = [_inert(v) for v in categories]
    for note in fig.layout.annotations:
        note.text = _inert(note.text)


def text_width(value: str, size: float = FONT_SIZE) -> float:
    """An estimate of how wide ``value`` is drawn at ``size`` px: a CJK or full-width character is
    one em, a digit or Latin letter a little over half of one (Noto Sans CJK's proportions)."""
    width = 0.0
    for char in value:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += size
        elif char in "il.,:;|!'（）()[] ":
            width += size * 0.33
        elif char.isupper() or char in "%@mwMW#&":
            width += size * 0.72
        else:
            width += size * 0.56
    return width


_BREAK_AFTER = "，、；：。,;: ）)"
_BREAK_BEFORE = "（("  # 2017 | （报表数）


def wrap(value: str, width: float, size: float = TITLE_SIZE) -> list[str]:
    """``value`` in lines no wider than ``width`` px, broken after punctuation where it can be."""
    lines: list[str] = []
    rest = value
    while rest and text_width(rest, size) > width:
        cut = 1
        while cut < len(rest) and text_width(rest[: cut + 1], size) <= width:
            cut += 1
        breaks = [i + 1 for i in range(cut) if rest[i] in _BREAK_AFTER] + [
            i for i in range(1, cut + 1) if i < len(rest) and rest[i] in _BREAK_BEFORE
        ]
        soft = max((i for i in breaks if i >= cut * 0.55), default=cut)
        lines.append(rest[:soft].rstrip())
        rest = rest[soft:].lstrip()
    if rest:
        lines.append(rest)
    return lines


def fits(labels: Sequence[str | None], slot: float, size: float = LABEL_SIZE) -> bool:
    """Whether every label fits a bar ``slot`` px wide (with a little air)."""
    return all(text_width(label, size) + 4 <= slot for label in labels if label)


def bar_slot(categories: int, groups: int = 1, plot: float | None = None, gap: float = 0.2) -> float:
    """The px width of one bar at phone width: the plot shared by the categories, less the gap."""
    plot = plot if plot is not None else NARROW_WIDTH - 70
    return plot / max(categories, 1) * (1 - gap) / max(groups, 1)


def _legend_rows(fig: go.Figure, width: float) -> int:
    """How many rows the legend under the plot takes at ``width`` px (0 without a legend)."""
    names = [str(t.name) for t in fig.data if t.showlegend is not False and t.name]
    if fig.layout.showlegend is False or (fig.layout.showlegend is None and len(names) < 2) or not names:
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = 40 + text_width(name, FONT_SIZE)
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _side_label_width(fig: go.Figure) -> float:
    """Room to the right of the plot for the target's label (``target_line``)."""
    widths = [
        text_width(str(a.text), LABEL_SIZE) + 8
        for a in fig.layout.annotations
        if a.xref == "paper" and a.x is not None and a.x >= 1 and a.xanchor == "left"
    ]
    return max(widths, default=0.0)


def _top_label_rows(fig: go.Figure) -> int:
    """Labels set above the plot (a vertical target line's label): one row of room if any."""
    return int(any(a.yref == "paper" and a.y is not None and a.y >= 1 for a in fig.layout.annotations))


def style(fig: go.Figure, title: str | None = None, height: int = 320, lang: str = "zh") -> go.Figure:
    """The house layout: CJK font, white background, the title wrapped to fit a phone at the top
    left, the legend under the plot, room at the side for a target's label; text from the data is
    shown as written, never as markup. ``height`` is the plot's share; a longer title or legend
    adds to it rather than squeezing the data."""
    _inert_texts(fig)
    lines = [html.escape(line, quote=False) for line in wrap(str(title), NARROW_WIDTH - 20)] if title else []
    legend_rows = _legend_rows(fig, NARROW_WIDTH - 20)
    top = 10 + len(lines) * TITLE_LINE + (10 if lines else 0) + 18 * _top_label_rows(fig)
    bottom = 12 + (LEGEND_ROW * legend_rows + 26 if legend_rows else 0)
    extra = max(len(lines) - 1, 0) * TITLE_LINE + max(legend_rows - 1, 0) * LEGEND_ROW
    fig.update_layout(
        title={
            "text": "<br>".join(lines),
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            # Centred in the top margin (plotly's default): with ``yanchor="top"`` plotly lifts a
            # title of several lines by a line and cuts its first one at the figure's top edge.
            "pad": {"l": 10},
            "font": {"size": TITLE_SIZE},
        }
        if lines
        else None,
        font={"family": FONT_FAMILY, "size": FONT_SIZE},
        template="plotly_white",
        height=height + extra,
        margin={"l": 10, "r": max(10, math.ceil(_side_label_width(fig))), "t": top, "b": bottom},
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "x": 0,
            "entrywidth": 0,
            "font": {"size": FONT_SIZE},
        },
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=".,",
    )
    fig.update_xaxes(tickfont={"size": TICK_SIZE})
    fig.update_yaxes(tickfont={"size": TICK_SIZE})
    return fig


def target_line(fig: go.Figure, value: float, label: str, vertical: bool = False) -> None:
    """The target as a dashed grey line, labelled at the side of the plot (outside the data): at
    the right for a horizontal line, above the plot for a vertical one (horizontal bars)."""
    font = {"color": TARGET_COLOUR, "size": LABEL_SIZE}
    if vertical:
        fig.add_vline(x=value, line_dash="dash", line_color=TARGET_COLOUR, line_width=1.5)
        fig.add_annotation(
            x=value, xref="x", y=1, yref="paper", yanchor="bottom", text=label, showarrow=False, font=font, yshift=2
        )
        return
    fig.add_hline(y=value, line_dash="dash", line_color=TARGET_COLOUR, line_width=1.5)
    fig.add_annotation(
        x=1, xref="paper", xanchor="left", y=value, yref="y", text=label, showarrow=False, font=font, xshift=4
    )


def count_axis(fig: go.Figure, values: Sequence[float | None], axis: str = "y") -> None:
    """A count's axis: whole-number ticks (no "0.5 次"), from zero."""
    top = max((v for v in values if v is not None), default=0.0)
    step = 1 if top <= 6 else 2 if top <= 12 else None
    settings: dict[str, Any] = {"tickformat": ",d", "rangemode": "tozero", "title": None}
    if step:
        settings.update(dtick=step, tick0=0)
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**settings)


def tick_lines(label: str, slot: float) -> list[str]:
    """A category label in lines that fit ``slot`` px (婚姻家庭 over two lines on a phone)."""
    return wrap(label, max(slot - 4, TICK_SIZE * 2), TICK_SIZE)


def _category_x(fig: go.Figure, categories: Sequence[str]) -> None:
    """Categories level under the plot (never turned): a label wider than its share of a phone's
    plot is written over two lines instead."""
    labels = [str(v) for v in categories]
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        title=None,
        tickangle=0,
        tickfont={"size": TICK_SIZE},
    )
    slot = bar_slot(len(labels), gap=0.0)
    if any(text_width(label, TICK_SIZE) + 4 > slot for label in labels):
        fig.update_xaxes(
            tickvals=[_inert(v) for v in labels],
            ticktext=["<br>".join(html.escape(line, quote=False) for line in tick_lines(v, slot)) for v in labels],
        )


def annotate_category(
    fig: go.Figure,
    categories: Sequence[str],
    category: str,
    y: float,
    label: str,
    font_colour: str = "#333",
    size: int | None = None,
) -> None:
    """Write ``label`` above ``category`` on a category x axis.

    The position is the category's index: plotly reads an annotation's x of "2018" as the number
    2018 even on a category axis, which stretches the axis and squeezes every bar out of sight.
    """
    font: dict[str, Any] = {"color": font_colour}
    if size:
        font["size"] = size
    fig.add_annotation(
        x=list(categories).index(category), y=y, yref="y", text=label, showarrow=False, yanchor="bottom", font=font
    )


def _mark_missing(fig: go.Figure, xs: Sequence[str], ys: Sequence[float | None], lang: str, y: float = 0) -> None:
    """Write 无数据 where a period has no value instead of drawing a zero (where the word fits)."""
    missing = [x for x, v in zip(xs, ys, strict=True) if v is None]
    word = text("common.no_data", lang)
    if not missing or not fits([word], bar_slot(len(xs), gap=0.0), 12):
        return  # the table beside the chart says 无数据; a squeezed word would overlap its neighbours
    for x in missing:
        annotate_category(fig, xs, x, y, word, NO_DATA_COLOUR, 12)


def unit_suffix(unit: str, lang: str, metric_id: str | None = None) -> str:
    """What follows a number on an axis, a hover or a target line: 学时 / " h"; a count's own
    measure word from its metric (次 for meetings, 人 for staff, else 件) / nothing in English."""
    if unit == "count" and metric_id in fmt.UNIT_WORDS:
        return text("chart.suffix.count_word", lang, word=fmt.UNIT_WORDS[str(metric_id)])
    if unit in ("hours", "count"):
        return text(f"chart.suffix.{unit}", lang)
    return unit


_unit_suffix = unit_suffix


def readable(labels: Sequence[str | None], slot: float, size: float = LABEL_SIZE) -> list[str | None] | None:
    """Every label where all fit their slot at phone width; else only the last one (the period
    shown, at the right end where it has room); None without any."""
    if fits(labels, slot, size):
        return list(labels)
    last = max((i for i, label in enumerate(labels) if label), default=None)
    return None if last is None else [label if i == last else None for i, label in enumerate(labels)]


def _number_label(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:,.0f}" if float(value).is_integer() else fmt.fixed(value, 1, separators=True)


def trend_bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str | None = None,
    colour_key: str | None = None,
    unit: str = "count",
    lang: str = "zh",
    height: int = 320,
    target: float | None = None,
    metric_id: str | None = None,
    target_label: str | None = None,
    judged: bool = False,
) -> go.Figure:
    """Bars of a count per period; missing periods labelled 无数据, an optional target line
    labelled at the side in the metric's own unit (目标 2次, or ``target_label``: a pro-rated guide).

    ``judged``: the target is a verdict on each bar (a yearly amount against whole years), so a bar
    under it is red, the one colour of a missed target; a guide never colours a bar.
    """
    xs = [str(v) for v in frame[x]]
    ys = _clean(frame[y])
    suffix = unit_suffix(unit, lang, metric_id or colour_key)
    labels = [_number_label(v) for v in ys]
    neutral = colour(colour_key or y)
    line = target if judged else None
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=ys,
            marker_color=[STATUS["missed"] if line is not None and v is not None and v < line else neutral for v in ys],
            name=y,
            text=readable(labels, bar_slot(len(xs))),
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{x}}: %{{y:,}}{suffix}<extra></extra>",
        )
    )
    _category_x(fig, xs)
    if target is not None:
        target_line(fig, target, target_label or text("overview.target_line", lang, target=f"{target:g}{suffix}"))
    if unit == "count":
        count_axis(fig, [*ys, target])
    else:
        fig.update_yaxes(rangemode="tozero", title=None)
    top = max((v for v in (*ys, target) if v is not None), default=0.0)
    if top:
        fig.update_yaxes(range=[0, top * 1.15])  # room for the labels over the bars
    fig.update_layout(showlegend=False)
    _mark_missing(fig, xs, ys, lang)
    return style(fig, title, height, lang)


def rate_range(values: Sequence[float | None], target: float | None) -> tuple[float, float]:
    """A rate axis that spans the data and the target with a little room (90–100%, not 0–100%).

    A 0–100% axis flattens a +2.6 point change into nothing (STYLE.md); the room above keeps the
    value labels inside the plot, and the axis never goes below 0.
    """
    known = [v for v in (*values, target) if v is not None]
    if not known:
        return (0.0, 1.08)
    low, high = min(known), max(known)
    room = max(0.02, (high - low) * 0.25)
    return (max(0.0, low - room), high + room)


def rate_axis(fig: go.Figure, low: float, high: float, axis: str = "y") -> None:
    """A rate axis from ``low`` to ``high`` with a few round ticks, none above 100% (the room above
    the data is for labels, not for a "101%" tick)."""
    top = min(high, 1.0)
    step = next((s for s in (0.005, 0.01, 0.02, 0.05, 0.1, 0.2) if (top - low) / s <= 6), 0.25)
    first = math.ceil(low / step - 1e-9)
    ticks = [round(i * step, 4) for i in range(first, int(math.floor(top / step + 1e-9)) + 1)]
    settings: dict[str, Any] = {
        "range": [low, high],
        "tickvals": ticks,
        "tickformat": ".0%" if step >= 0.01 else ".1%",
        "title": None,
    }
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**settings)


def rate_trend(
    frame: pd.DataFrame,
    x: str,
    y: str | Sequence[str],
    target: float | None = None,
    title: str | None = None,
    lang: str = "zh",
    height: int = 320,
    names: dict[str, str] | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
) -> go.Figure:
    """Lines of one or more rates (fractions) per period, the target dashed, on an axis spanning both.

    ``numerator``/``denominator`` columns, when given, go into the hover ("98.6%（552/560）").
    Point labels are drawn for a single line whose labels fit between the points at phone width.
    """
    columns = [y] if isinstance(y, str) else list(y)
    xs = [str(v) for v in frame[x]]
    fig = go.Figure()
    for column in columns:
        ys = _clean(frame[column])
        custom = None
        hover = "%{x}: %{y:.1%}"
        if numerator and denominator and len(columns) == 1:
            custom = list(zip(_clean(frame[numerator]), _clean(frame[denominator]), strict=True))
            hover += text("common.counts", lang, numerator="%{customdata[0]:,.0f}", denominator="%{customdata[1]:,.0f}")
        labels = readable([None if v is None else fmt.percent(v) for v in ys], bar_slot(len(xs), gap=0.0))
        show_labels = len(columns) == 1 and labels is not None
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers+text" if show_labels else "lines+markers",
                name=(names or {}).get(column, column),
                line={"color": colour(column), "width": 2.5},
                marker={"size": 8},
                connectgaps=False,
                customdata=custom,
                text=labels if show_labels else None,
                textposition="top center",
                textfont={"size": LABEL_SIZE},
                hovertemplate=hover + "<extra>%{fullData.name}</extra>",
            )
        )
    _category_x(fig, xs)
    low, high = rate_range([v for c in columns for v in _clean(frame[c])], target)
    rate_axis(fig, low, high)
    if target is not None:
        target_line(fig, target, text("overview.target_line", lang, target=f"{target * 100:g}%"))
    if len(columns) == 1:
        _mark_missing(fig, xs, _clean(frame[columns[0]]), lang, y=low + (high - low) * 0.03)
    fig.update_layout(showlegend=len(columns) > 1)
    return style(fig, title, height, lang)


def stacked_bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    colour_by: str,
    title: str | None = None,
    unit: str = "count",
    lang: str = "zh",
    height: int = 340,
    labels: dict[str, str] | None = None,
    order: Sequence[str] | None = None,
    horizontal: bool = False,
    metric_id: str | None = None,
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Bars of ``y`` per ``x`` stacked by ``colour_by`` (long frame), colours fixed per category.

    ``labels`` maps stored values (written, success) to display names; ``order`` fixes the stack;
    ``colours`` overrides a group's colour (a status: red below a line, green above).
    """
    xs = [str(v) for v in dict.fromkeys(frame[x])]
    groups = list(order) if order else list(dict.fromkeys(frame[colour_by]))
    suffix = unit_suffix(unit, lang, metric_id)
    fig = go.Figure()
    everything: list[float | None] = []
    for group in groups:
        part = frame[frame[colour_by] == group]
        by_x = dict(zip(part[x].astype(str), _clean(part[y]), strict=True))
        values = [by_x.get(v) for v in xs]
        everything += values
        name = (labels or {}).get(group, str(group))
        common: dict[str, Any] = {
            "name": name,
            "marker_color": (colours or {}).get(group, colour(group)),
            "hovertemplate": f"{name} %{{{'y' if horizontal else 'x'}}}: "
            f"%{{{'x' if horizontal else 'y'}:,}}{suffix}<extra></extra>",
        }
        if horizontal:
            fig.add_trace(go.Bar(y=xs, x=values, orientation="h", **common))
        else:
            fig.add_trace(go.Bar(x=xs, y=values, **common))
    fig.update_layout(barmode="stack")
    if horizontal:
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(xs)), title=None)
    else:
        _category_x(fig, xs)
    if unit == "count":
        sums = frame.groupby(frame[x].astype(str))[y].sum(min_count=1)
        count_axis(fig, _clean(sums), "x" if horizontal else "y")
    return style(fig, title, height, lang)


def ranked_bar(
    frame: pd.DataFrame,
    label: str,
    value: str,
    title: str | None = None,
    unit: str = "count",
    lang: str = "zh",
    colour_key: str | None = None,
    colour_by_label: bool = False,
    height: int | None = None,
    top: int | None = None,
    metric_id: str | None = None,
    key: str | None = None,
) -> go.Figure:
    """Horizontal bars sorted largest first (villages, categories); rates shown as percentages on
    an axis that spans them. Each bar carries its ``key`` column's value (else its label) as
    ``customdata``, for click-to-drill."""
    columns = list(dict.fromkeys([label, value, key or label]))
    data = frame[columns].dropna(subset=[value]).sort_values(value, ascending=False)
    if top:
        data = data.head(top)
    labels = [str(v) for v in data[label]]
    values = _clean(data[value])
    is_rate = unit == "rate"
    suffix = "" if is_rate else unit_suffix(unit, lang, metric_id)
    colours = [colour(v) for v in labels] if colour_by_label else colour(colour_key or value)
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=values,
            orientation="h",
            marker_color=colours,
            customdata=[_inert(v) for v in data[key or label]],  # made literal; html.unescape gives it back
            text=["" if v is None else fmt.percent(v) if is_rate else f"{v:,.0f}" for v in values],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": LABEL_SIZE},
            hovertemplate="%{y}: " + ("%{x:.1%}" if is_rate else f"%{{x:,}}{suffix}") + "<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(labels)), title=None)
    known = [v for v in values if v is not None]
    if is_rate:
        low, high = rate_range(known, None)
        rate_axis(fig, low, high + (high - low) * 0.25, "x")
    else:
        count_axis(fig, known, "x")
        if known:
            fig.update_xaxes(range=[0, max(known) * 1.2])  # room for the labels after the bars
    fig.update_layout(showlegend=False)
    return style(fig, title, height or max(240, 28 * len(labels) + 80), lang)


def sparkline(
    values: Sequence[float | None],
    labels: Sequence[str] | None = None,
    key: str | None = None,
    unit: str = "count",
    height: int = 60,
) -> go.Figure:
    """A tiny neutral line without axes for a KPI tile; None is a gap. Grey-blue whatever the metric:
    the tile's status says whether it is good."""
    xs = [str(v) for v in (labels or range(len(values)))]
    ys = [None if v is None or pd.isna(v) else float(v) for v in values]
    hover = "%{x}: %{y:.1%}" if unit == "rate" else "%{x}: %{y:,}"
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            connectgaps=False,
            line={"color": SPARK_COLOUR, "width": 2},
            marker={"size": 4},
            hovertemplate=hover + "<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False, type="category")
    fig.update_yaxes(visible=False, range=[0, 1.05] if unit == "rate" else None)
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        template="plotly_white",
        font={"family": FONT_FAMILY},
    )
    return fig


SPARK_COLOUR = "#5C6F82"  # a tile's trend: neutral, never red or green (the tile's status is)


def sparkline_svg(
    values: Sequence[float | None], key: str | None = None, width: int = 240, height: int = 40, title: str = ""
) -> str:
    """A KPI tile's trend as a small inline ``<svg>`` (no chart library in the browser); None is a gap.

    The line is neutral grey-blue whatever ``key`` is: a sparkline of escalated disputes drawn red
    read as an alarm when none had escalated; red and green are the tile's status only.
    The line fills the box (``preserveAspectRatio="none"``), scaled between the smallest and the
    largest value; a flat series is drawn across the middle. Empty for fewer than two values.
    """
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None and not pd.isna(v)]
    if len(points) < 2:
        return ""
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    pad = 3.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height / 2 if high == low else pad + (high - v) / (high - low) * (height - 2 * pad)

    path = []
    previous = None
    for i, v in points:
        path.append(f"{'L' if previous == i - 1 else 'M'}{pad + i * step:.1f},{y(v):.1f}")
        previous = i
    label = f"<title>{title}</title>" if title else ""
    return (
        f'<svg class="kpi-spark" viewBox="0 0 {width} {height}" width="100%" height="{height}" '
        f'preserveAspectRatio="none" role="img">{label}<path d="{"".join(path)}" fill="none" '
        f'stroke="{SPARK_COLOUR}" stroke-width="2" vector-effect="non-scaling-stroke"/></svg>'
    )


# ----- analysis pages (mediation, documents, training): paired bars and half-year colours --------

COLOURS.update(
    {
        "H1": "#4E79A7",
        "H2": "#A0CBE8",
        "上半年": "#4E79A7",
        "下半年": "#A0CBE8",
        "expiring": "#F28E2B",
        "none": "#9E9E9E",
        "unknown": "#BAB0AC",
        "valid": "#76B7B2",
    }
)
# A status, not a category: an expired certificate or an officer below the hours line misses a target.
STATUS_KEYS: dict[str, str] = {"expired": STATUS["missed"], "below": STATUS["missed"], "met": STATUS["met"]}
COLOURS.update(STATUS_KEYS)


def largest_change(frame: pd.DataFrame, label: str, current: str, previous: str) -> tuple[str, float, float] | None:
    """The label whose count moved most against last year (by absolute change, then by the larger
    count): the finding a category chart's title names, not its first row. None without a pair."""
    best: tuple[float, float, str, float, float] | None = None
    for name, now, before in zip(frame[label], _clean(frame[current]), _clean(frame[previous]), strict=True):
        if now is None or before is None:
            continue
        key = (abs(now - before), max(now, before), str(name), now, before)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or best[0] == 0:
        return None
    return best[2], best[3], best[4]


def paired_bar(
    frame: pd.DataFrame,
    label: str,
    current: str,
    previous: str,
    names: tuple[str, str],
    title: str | None = None,
    unit: str = "count",
    lang: str = "zh",
    colour_by_label: bool = False,
    colour_key: str | None = None,
    height: int = 340,
    metric_id: str | None = None,
    horizontal: bool = False,
) -> go.Figure:
    """This period against the same period last year for each label (category, month): this
    period blue, last year grey, in every chart (two years, two colours). A side that is None has
    no bar and is labelled 无数据 in the hover, never drawn as 0. Labels over the bars only where
    they fit. Each bar carries its label as ``customdata`` (for click-to-drill).

    ``colour_by_label``/``colour_key`` are accepted for old callers and ignored: a category's own
    colour on both bars made the two years one colour.
    """
    del colour_by_label, colour_key
    xs = [str(v) for v in frame[label]]
    suffix = unit_suffix(unit, lang, metric_id)
    fig = go.Figure()
    everything: list[float | None] = []
    # Horizontal (many categories): last year's bar under this year's, as read top to bottom.
    sides = ((previous, names[1], PREVIOUS_COLOUR), (current, names[0], CURRENT_COLOUR))
    for column, name, fill in reversed(sides) if horizontal else sides:
        ys = _clean(frame[column])
        everything += ys
        labels = [_number_label(v) for v in ys]
        shown = fill == CURRENT_COLOUR and (horizontal or fits(labels, bar_slot(len(xs), 2, gap=0.3)))
        common: dict[str, Any] = {
            "name": name,
            "marker": {"color": fill},
            "customdata": [_inert(v) for v in frame[label]],
            "text": labels if shown else None,
            "textposition": "outside",
            "textfont": {"size": LABEL_SIZE},
            "cliponaxis": False,
        }
        if horizontal:
            fig.add_trace(
                go.Bar(
                    y=xs,
                    x=ys,
                    orientation="h",
                    hovertemplate=f"{name} %{{y}}: %{{x:,}}{suffix}<extra></extra>",
                    **common,
                )
            )
        else:
            fig.add_trace(go.Bar(x=xs, y=ys, hovertemplate=f"{name} %{{x}}: %{{y:,}}{suffix}<extra></extra>", **common))
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    top = max((v for v in everything if v is not None), default=0.0)
    if horizontal:
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(xs)), title=None)
        if unit == "count":
            count_axis(fig, everything, "x")
        if top:
            fig.update_xaxes(range=[0, top * 1.2])
        fig.update_layout(legend={"traceorder": "reversed"})
        return style(fig, title, max(height, 34 * len(xs) + 60), lang)
    _category_x(fig, xs)
    if unit == "count":
        count_axis(fig, everything)
    if top:
        fig.update_yaxes(range=[0, top * 1.15])
    return style(fig, title, height, lang)


def status_grid(
    frame: pd.DataFrame,
    x: str,
    group: str,
    y: str,
    names: dict[str, str],
    target: float,
    title: str | None = None,
    lang: str = "zh",
    numerator: str | None = None,
    denominator: str | None = None,
) -> go.Figure:
    """Several rates per period as a grid: one row per rate, one cell per period, green where the
    target is met, red where it is missed, grey where there is no data; the cell says the rate
    where it fits. Replaces 40 grouped bars whose "100%100%" labels hid the one document that
    missed: a red cell among green ones is the finding."""
    xs = [str(v) for v in dict.fromkeys(frame[x])]
    keys = list(dict.fromkeys(frame[group]))
    z: list[list[float | None]] = []
    texts: list[list[str]] = []
    hovers: list[list[str]] = []
    for key in keys:
        part = frame[frame[group] == key]
        by_x = {str(p): row for p, row in zip(part[x], part.to_dict("records"), strict=True)}
        row_z: list[float | None] = []
        row_text: list[str] = []
        row_hover: list[str] = []
        for period in xs:
            record = by_x.get(period)
            value = None if record is None else _clean(pd.Series([record[y]]))[0]
            counts = ""
            if record is not None and numerator and denominator:
                n, d = _clean(pd.Series([record[numerator], record[denominator]]))
                counts = (
                    text("common.counts", lang, numerator=f"{n:,.0f}", denominator=f"{d:,.0f}")
                    if n is not None and d is not None
                    else ""
                )
            shown = fmt.rate(value, lang) if value is not None else text("common.no_data", lang)
            row_z.append(None if value is None else (1.0 if value >= target - 1e-9 else 0.0))
            row_text.append("" if value is None else shown)
            row_hover.append(f"{names.get(key, key)} {period}: {shown}{counts}")
        z.append(row_z)
        texts.append(row_text)
        hovers.append(row_hover)
    cell = bar_slot(len(xs), gap=0.0, plot=NARROW_WIDTH - 40 - max(text_width(n, FONT_SIZE) for n in names.values()))
    show = fits([t for row in texts for t in row], cell, LABEL_SIZE - 1)
    fig = go.Figure(
        go.Heatmap(
            x=xs,
            y=[names.get(k, k) for k in keys],
            z=z,
            zmin=0,
            zmax=1,
            colorscale=[[0, STATUS["missed"]], [0.5, STATUS["missed"]], [0.5, "#A5D6A7"], [1, "#A5D6A7"]],
            showscale=False,
            xgap=2,
            ygap=2,
            text=texts if show else None,
            texttemplate="%{text}" if show else None,
            textfont={"size": LABEL_SIZE - 1},
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=xs, title=None, tickangle=0)
    fig.update_yaxes(type="category", autorange="reversed", title=None)
    fig.update_layout(showlegend=False, plot_bgcolor=NO_DATA_COLOUR)
    return style(fig, title, 60 + 34 * len(keys), lang)


def grouped_rates(
    frame: pd.DataFrame,
    x: str,
    group: str,
    y: str,
    names: dict[str, str],
    target: float | None = None,
    title: str | None = None,
    lang: str = "zh",
    height: int = 360,
    numerator: str | None = None,
    denominator: str | None = None,
) -> go.Figure:
    """Several rates per period as lines on an axis spanning the data and the target (lines, not
    grouped bars: bars on 0–100% hid a 94–99% series), one fixed colour per metric, the target
    dashed and labelled at the side; a missing rate is a gap."""
    xs = [str(v) for v in dict.fromkeys(frame[x])]
    fig = go.Figure()
    everything: list[float | None] = []
    for key in dict.fromkeys(frame[group]):
        part = frame[frame[group] == key].set_index(frame[frame[group] == key][x].astype(str))
        ys = [None if v not in part.index else _clean(pd.Series([part.loc[v, y]]))[0] for v in xs]
        everything += ys
        custom = None
        hover = f"{names.get(key, key)} %{{x}}: %{{y:.1%}}"
        if numerator and denominator:
            custom = [
                [
                    _clean(pd.Series([part.loc[v, numerator]]))[0] if v in part.index else None,
                    _clean(pd.Series([part.loc[v, denominator]]))[0] if v in part.index else None,
                ]
                for v in xs
            ]
            hover += text("common.counts", lang, numerator="%{customdata[0]:,.0f}", denominator="%{customdata[1]:,.0f}")
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=names.get(key, key),
                line={"color": colour(key), "width": 2.5},
                marker={"size": 7},
                connectgaps=False,
                customdata=custom,
                hovertemplate=hover + "<extra></extra>",
            )
        )
    _category_x(fig, xs)
    low, high = rate_range(everything, target)
    rate_axis(fig, low, high)
    if target is not None:
        target_line(fig, target, text("overview.target_line", lang, target=f"{target * 100:g}%"))
    return style(fig, title, height, lang)


def threshold_bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    threshold: float,
    title: str | None = None,
    unit: str = "hours",
    lang: str = "zh",
    height: int | None = None,
    line_label: str | None = None,
    judged: bool = True,
) -> go.Figure:
    """One horizontal bar per item (officer), names written level (never turned 90°), red below
    the threshold (a missed target) and green at or above it, the line dashed and labelled above
    the plot, clear of the bars. ``judged=False`` (the line is only a guide: a half-year of an
    annual amount) draws every bar neutral blue."""
    names = [str(v) for v in frame[x]]
    values = _clean(frame[y])
    suffix = unit_suffix(unit, lang)
    colours = [
        CURRENT_COLOUR if not judged else STATUS["missed"] if v is not None and v < threshold - 1e-9 else STATUS["met"]
        for v in values
    ]
    labels = [None if v is None else fmt.fixed(v, 1, separators=True).replace(".0", "") for v in values]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker_color=colours,
            text=labels,
            textposition="outside",
            textfont={"size": LABEL_SIZE},
            cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{x:,}}{suffix}<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(names)), title=None)
    target_line(
        fig,
        threshold,
        line_label or text("overview.target_line", lang, target=f"{threshold:g}{suffix}"),
        vertical=True,
    )
    top = max((v for v in (*values, threshold) if v is not None), default=1.0)
    fig.update_xaxes(range=[0, top * 1.2], title=None)
    fig.update_layout(showlegend=False)
    return style(fig, title, height or max(220, 26 * len(names) + 60), lang)
