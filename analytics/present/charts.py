"""Plotly figures in the house style, shared by every page and the report's images.

- periods (years, 2020H1, ...) sit on a *category* axis, never a numeric one (no "2,019.5");
- rates are fractions drawn on a 0–100% axis with the target as a dashed line;
- one fixed colour per category everywhere (``COLOURS``; ``colour(key)``);
- CJK font family, hover text with units, the title (a finding) is passed in by the caller;
- missing data is a gap, never a drawn zero, and a missing period is labelled 无数据 / No data.

Frames are pandas DataFrames; a value of None/NaN means "no data". No streamlit imports here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.present.i18n import text

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'

# One colour per category, the same on every page. Keys are the stored values (English codes for
# forms/outcomes, Chinese names for categories) and metric ids.
COLOURS: dict[str, str] = {
    # dispute categories (national people's-mediation list)
    "婚姻家庭": "#E15759",
    "邻里": "#4E79A7",
    "房屋宅基地": "#F28E2B",
    "合同": "#76B7B2",
    "生产经营": "#59A14F",
    "损害赔偿": "#EDC948",
    "山林土地": "#8C6D31",
    "征地拆迁": "#B07AA1",
    "环境污染": "#17BECF",
    "劳动争议": "#FF9DA7",
    "医疗": "#9C755F",
    "道路交通事故": "#D37295",
    "物业": "#A0CBE8",
    "村务管理": "#86BCB6",
    "其他": "#BAB0AC",
    # agreement forms
    "written": "#1F77B4",
    "oral": "#FF7F0E",
    "joint": "#9467BD",
    # outcomes
    "success": "#2CA02C",
    "failed": "#D62728",
    "pending": "#BCBD22",
    # metrics
    "disputes_total": "#4E79A7",
    "disputes_written": "#1F77B4",
    "disputes_oral": "#FF7F0E",
    "disputes_joint": "#9467BD",
    "disputes_pending": "#BCBD22",
    "mediation_success_rate": "#2CA02C",
    "disputes_escalated": "#D62728",
    "disputes_referred": "#8C564B",
    "documents_issued": "#59A14F",
    "document_review_rate": "#76B7B2",
    "document_publication_rate": "#EDC948",
    "document_filing_rate": "#B07AA1",
    "document_timely_filing_rate": "#FF9DA7",
    "enforcement_staff": "#9C755F",
    "training_rate": "#F28E2B",
    "study_hours_avg": "#E15759",
    "study_hours_compliance_rate": "#4E79A7",
    "certification_rate": "#17BECF",
    "study_meetings": "#8C6D31",
    "mediator_trainings": "#D37295",
    "reconsideration_cases": "#B07AA1",
    "reconsideration_corrected_rate": "#FF9DA7",
    "litigation_cases": "#4E79A7",
    "years_without_reconsideration": "#59A14F",
    "head_appearance_rate": "#2CA02C",
    "litigation_loss_rate": "#A0522D",
    "judgment_compliance_rate": "#76B7B2",
    "disclosure_requests": "#F28E2B",
    "disclosure_on_time_rate": "#17BECF",
    "disclosure_overdue": "#B8860B",
    "major_decision_review_rate": "#8C6D31",
    "contract_review_rate": "#9C755F",
    "party_committee_reports": "#3B7EA1",
    "supervision_quarters_covered": "#86BCB6",
    "document_cleanup_due": "#A0CBE8",
    "legal_publicity_events": "#EDC948",
}
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
TARGET_COLOUR = "#C62828"
NO_DATA_COLOUR = "#9E9E9E"


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


def style(fig: go.Figure, title: str | None = None, height: int = 320, lang: str = "zh") -> go.Figure:
    """The house layout: CJK font, white background, left-aligned title, legend on top; text from
    the data is shown as written, never as markup."""
    _inert_texts(fig)
    title = _inert(title)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}} if title else None,
        font={"family": FONT_FAMILY, "size": 13},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=".,",
    )
    return fig


def _category_x(fig: go.Figure, categories: Sequence[str]) -> None:
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(categories), title=None)


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
    """Write 无数据 where a period has no value instead of drawing a zero."""
    for x, v in zip(xs, ys, strict=True):
        if v is None:
            annotate_category(fig, xs, x, y, text("common.no_data", lang), NO_DATA_COLOUR, 12)


def _unit_suffix(unit: str, lang: str) -> str:
    """What follows a number on an axis or a target line: 学时 / " h", 件 / nothing, else the unit itself."""
    if unit in ("hours", "count"):
        return text(f"chart.suffix.{unit}", lang)
    return unit


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
) -> go.Figure:
    """Bars of a count per period; missing periods labelled 无数据, an optional target line."""
    xs = [str(v) for v in frame[x]]
    ys = _clean(frame[y])
    suffix = _unit_suffix(unit, lang)
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=ys,
            marker_color=colour(colour_key or y),
            name=y,
            text=[None if v is None else f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}" for v in ys],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{x}}: %{{y:,}}{suffix}<extra></extra>",
        )
    )
    _category_x(fig, xs)
    if target is not None:
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color=TARGET_COLOUR,
            annotation_text=text("overview.target_line", lang, target=f"{target:g}{suffix}"),
            annotation_position="top left",
        )
    fig.update_yaxes(rangemode="tozero", title=None)
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
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers+text" if len(columns) == 1 else "lines+markers",
                name=(names or {}).get(column, column),
                line={"color": colour(column), "width": 2.5},
                marker={"size": 8},
                connectgaps=False,
                customdata=custom,
                text=[None if v is None else f"{v * 100:.1f}%" for v in ys],
                textposition="top center",
                hovertemplate=hover + "<extra>%{fullData.name}</extra>",
            )
        )
    _category_x(fig, xs)
    low, high = rate_range([v for c in columns for v in _clean(frame[c])], target)
    fig.update_yaxes(range=[low, high], tickformat=".0%", title=None)
    if target is not None:
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color=TARGET_COLOUR,
            annotation_text=text("overview.target_line", lang, target=f"{target * 100:g}%"),
            annotation_position="bottom right",
        )
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
) -> go.Figure:
    """Bars of ``y`` per ``x`` stacked by ``colour_by`` (long frame), colours fixed per category.

    ``labels`` maps stored values (written, success) to display names; ``order`` fixes the stack.
    """
    xs = [str(v) for v in dict.fromkeys(frame[x])]
    groups = list(order) if order else list(dict.fromkeys(frame[colour_by]))
    suffix = _unit_suffix(unit, lang)
    fig = go.Figure()
    for group in groups:
        part = frame[frame[colour_by] == group]
        by_x = dict(zip(part[x].astype(str), _clean(part[y]), strict=True))
        values = [by_x.get(v) for v in xs]
        name = (labels or {}).get(group, str(group))
        common: dict[str, Any] = {
            "name": name,
            "marker_color": colour(group),
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
) -> go.Figure:
    """Horizontal bars sorted largest first (villages, categories); rates shown as percentages."""
    data = frame[[label, value]].dropna(subset=[value]).sort_values(value, ascending=False)
    if top:
        data = data.head(top)
    labels = [str(v) for v in data[label]]
    values = _clean(data[value])
    is_rate = unit == "rate"
    suffix = "" if is_rate else _unit_suffix(unit, lang)
    colours = [colour(v) for v in labels] if colour_by_label else colour(colour_key or value)
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=values,
            orientation="h",
            marker_color=colours,
            text=["" if v is None else f"{v * 100:.1f}%" if is_rate else f"{v:,.0f}" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: " + ("%{x:.1%}" if is_rate else f"%{{x:,}}{suffix}") + "<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(labels)), title=None)
    fig.update_xaxes(title=None, tickformat=".0%" if is_rate else None, range=[0, 1.1] if is_rate else None)
    return style(fig, title, height or max(240, 28 * len(labels) + 80), lang)


def sparkline(
    values: Sequence[float | None],
    labels: Sequence[str] | None = None,
    key: str | None = None,
    unit: str = "count",
    height: int = 60,
) -> go.Figure:
    """A tiny line without axes for a KPI tile; None is a gap."""
    xs = [str(v) for v in (labels or range(len(values)))]
    ys = [None if v is None or pd.isna(v) else float(v) for v in values]
    hover = "%{x}: %{y:.1%}" if unit == "rate" else "%{x}: %{y:,}"
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            connectgaps=False,
            line={"color": colour(key), "width": 2},
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


def sparkline_svg(
    values: Sequence[float | None], key: str | None = None, width: int = 240, height: int = 40, title: str = ""
) -> str:
    """A KPI tile's trend as a small inline ``<svg>`` (no chart library in the browser); None is a gap.

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
        f'stroke="{colour(key)}" stroke-width="2" vector-effect="non-scaling-stroke"/></svg>'
    )


# ----- analysis pages (mediation, documents, training): paired bars and half-year colours --------

COLOURS.update(
    {
        "H1": "#4E79A7",
        "H2": "#A0CBE8",
        "上半年": "#4E79A7",
        "下半年": "#A0CBE8",
        "expired": "#C62828",
        "expiring": "#F28E2B",
        "valid": "#2E7D32",
        "none": "#9E9E9E",
        "unknown": "#BAB0AC",
        "below": "#C62828",
        "met": "#2E7D32",
    }
)


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
) -> go.Figure:
    """This period against the same period last year for each label (category, month): the current
    bar solid in the label's fixed colour, last year's the same colour faded. A side that is None
    has no bar and is labelled 无数据 in the hover, never drawn as 0."""
    xs = [str(v) for v in frame[label]]
    suffix = _unit_suffix(unit, lang)
    colours = [colour(v) for v in xs] if colour_by_label else colour(colour_key or current)
    fig = go.Figure()
    for column, name, opacity in ((previous, names[1], 0.4), (current, names[0], 1.0)):
        ys = _clean(frame[column])
        fig.add_trace(
            go.Bar(
                x=xs,
                y=ys,
                name=name,
                marker={"color": colours, "opacity": opacity},
                text=[None if v is None else f"{v:,.0f}" for v in ys] if opacity == 1.0 else None,
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name} %{{x}}: %{{y:,}}{suffix}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    _category_x(fig, xs)
    fig.update_yaxes(rangemode="tozero", title=None)
    return style(fig, title, height, lang)


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
    """Several rates per period as grouped bars on 0–100% (lines would overlap at 100%), one fixed
    colour per metric, the target dashed; a missing rate is a gap labelled 无数据 in the hover."""
    xs = [str(v) for v in dict.fromkeys(frame[x])]
    fig = go.Figure()
    for key in dict.fromkeys(frame[group]):
        part = frame[frame[group] == key].set_index(frame[frame[group] == key][x].astype(str))
        ys = [None if v not in part.index else _clean(pd.Series([part.loc[v, y]]))[0] for v in xs]
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
            go.Bar(
                x=xs,
                y=ys,
                name=names.get(key, key),
                marker_color=colour(key),
                customdata=custom,
                text=[None if v is None else f"{v * 100:.1f}%".replace(".0%", "%") for v in ys],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=hover + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    _category_x(fig, xs)
    fig.update_yaxes(range=[0, 1.15], tickformat=".0%", title=None)
    if target is not None:
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color=TARGET_COLOUR,
            annotation_text=text("overview.target_line", lang, target=f"{target * 100:g}%"),
            annotation_position="bottom right",
        )
    fig = style(fig, title, height, lang)
    # Legend under the plot: several metrics' names would run over the title of a narrow chart.
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0})
    return fig


def threshold_bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    threshold: float,
    title: str | None = None,
    unit: str = "hours",
    lang: str = "zh",
    height: int = 340,
    line_label: str | None = None,
) -> go.Figure:
    """One bar per item (officer), red below the threshold and green at or above it, the line dashed."""
    xs = [str(v) for v in frame[x]]
    ys = _clean(frame[y])
    suffix = _unit_suffix(unit, lang)
    colours = [colour("below") if v is not None and v < threshold - 1e-9 else colour("met") for v in ys]
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=ys,
            marker_color=colours,
            text=[None if v is None else f"{v:,.1f}".replace(".0", "") for v in ys],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{x}}: %{{y:,}}{suffix}<extra></extra>",
        )
    )
    _category_x(fig, xs)
    fig.add_hline(
        y=threshold,
        line_dash="dash",
        line_color=TARGET_COLOUR,
        annotation_text=line_label or text("overview.target_line", lang, target=f"{threshold:g}{suffix}"),
        annotation_position="top left",
    )
    fig.update_yaxes(rangemode="tozero", title=None)
    fig.update_layout(showlegend=False)
    return style(fig, title, height, lang)
