"""The brief's content and its one HTML page: title, period and data coverage, the headline KPIs with
同比 and target status, 需要关注 with figures, and the report's key charts as inline SVG.

Everything from data (the town's name above all) is HTML-escaped; the page loads nothing from
outside (fonts are the system's Noto CJK, charts are inline), so Chromium renders it offline.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import plotly.graph_objects as go

from analytics.present import fmt
from analytics.present.text import language
from analytics.semantic import coverage
from analytics.semantic.catalogue import BY_ID, METRICS
from analytics.semantic.periods import Period

# The overview's headline figures, in its order (pages/overview.py draws the same eight).
HEADLINE = (
    "disputes_total",
    "mediation_success_rate",
    "disputes_escalated",
    "document_review_rate",
    "document_filing_rate",
    "training_rate",
    "study_hours_compliance_rate",
    "certification_rate",
)
CHARTS = ("mediation_forms", "mediation_rate", "document_rates")  # of analytics.report.images.pack_charts
MAX_ATTENTION = 7  # more missed targets than fit: the rest are counted in one line, so the page stays one page
# px of the exported SVG: half the page's width for the first two, the whole width for a third; the page
# scales each to its slot, so a narrower export reads with larger text.
HALF, WHOLE, CHART_HEIGHT = (470, 300), (820, 300), 300


@dataclass(frozen=True)
class Brief:
    period: Period
    town_label: str
    lang: str
    card: dict[str, Any]
    data_until: date | None  # the last day with data for the chosen towns
    charts: tuple[tuple[str, str], ...]  # (title, SVG markup)
    generated: date


def build(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    town: str | None,
    lang: str,
    today: date | None = None,
    charts: bool = True,
) -> Brief:
    """The figures and charts of the brief (``charts=False`` skips the browser export of the charts)."""
    from analytics.report.pack import build_pack

    pack = build_pack(con, period, town, lang, today=today)
    svgs: tuple[tuple[str, str], ...] = ()
    if charts:
        svgs = tuple(_chart_svgs(pack))
    until = coverage.last_day(con, town)
    if until is not None:  # what a reader of this period's brief needs: does the data reach its end?
        until = min(until, period.end - timedelta(days=1))
    return Brief(period, pack.town_label, lang, pack.card, until, svgs, today or date.today())


def _chart_svgs(pack: Any) -> list[tuple[str, str]]:
    from analytics.report import images

    chosen = [c for c in images.pack_charts(pack) if c.key in CHARTS]
    sizes = [HALF, HALF, WHOLE] if len(chosen) == 3 else [HALF, HALF] if len(chosen) == 2 else [WHOLE]
    with images.browser_session():
        return [(c.title, _svg(c.figure, size)) for c, size in zip(chosen, sizes, strict=False)]


def _svg(fig: go.Figure, size: tuple[int, int]) -> str:
    import warnings

    width, height = size
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height, margin={"l": 44, "r": 16, "t": 56, "b": 36})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        return bytes(fig.to_image(format="svg", width=width, height=height)).decode("utf-8")


# ----- the page -----------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _kpi(card: dict[str, Any], metric_id: str, lang: str) -> str:
    say = language(lang)
    row = card["metrics"][metric_id]
    unit = row["unit"]
    empty = "cases" if row["value"] is None and row.get("denominator") == 0 else None
    value = fmt.value(unit, row["value"], lang, metric_id, empty=empty)
    change = ""
    if row["value"] is not None and row["previous"] is not None:
        change = fmt.change(unit, row["change"], row["change_pct"], row["change_pp"], lang, metric_id)
    previous = fmt.value(unit, row["previous"], lang, metric_id)
    status = row.get("status")
    target = ""
    if row["target_op"]:
        target = (
            f'<div class="target">{_e(say("common.target"))} '
            f"{_e(fmt.target(unit, row['target_op'], row['target'], lang, metric_id))} "
            f'<b class="s-{_e(status or "none")}">{_e(fmt.status_label(status, lang))}</b></div>'
        )
    return (
        f'<div class="kpi s-box-{_e(status or "none")}"><div class="label">{_e(BY_ID[metric_id].label(lang))}</div>'
        f'<div class="value">{_e(value)}</div>'
        f'<div class="change">{_e(change)}</div>'
        f'<div class="prev">{_e(say("overview.vs_last_year", previous=previous))}</div>{target}</div>'
    )


def attention(card: dict[str, Any], lang: str) -> list[str]:
    """Each missed target as a line of plain text with its figures (value, target, last year)."""
    say = language(lang)
    lines = []
    for metric in METRICS:
        row = card["metrics"][metric.id]
        if row["status"] == "missed":
            lines.append(
                say(
                    "brief.attention_item",
                    label=metric.label(lang),
                    value=fmt.value(metric.unit, row["value"], lang, metric.id),
                    target=fmt.target(metric.unit, row["target_op"], row["target"], lang, metric.id),
                    previous=fmt.value(metric.unit, row["previous"], lang, metric.id),
                )
            )
    return lines


def _attention_html(card: dict[str, Any], lang: str) -> str:
    say = language(lang)
    lines = attention(card, lang)
    if not lines:
        items = f'<li class="ok">{_e(say("overview.attention_none"))}</li>'
    else:
        shown = lines[:MAX_ATTENTION]
        items = "".join(f"<li>{_e(line)}</li>" for line in shown)
        if len(lines) > len(shown):
            items += f'<li class="more">{_e(say("brief.attention_more", n=len(lines) - len(shown)))}</li>'
    return f'<section class="attention"><h2>{_e(say("overview.attention"))}</h2><ul>{items}</ul></section>'


def _charts_html(charts: tuple[tuple[str, str], ...]) -> str:
    figures = "".join(
        f'<figure><img alt="{_e(title)}" src="data:image/svg+xml;base64,'
        f'{base64.b64encode(svg.encode("utf-8")).decode("ascii")}"></figure>'
        for title, svg in charts
    )
    return f'<section class="charts n{len(charts)}">{figures}</section>' if charts else ""


def _date(day: date | None, lang: str) -> str:
    if day is None:
        return language(lang)("common.no_data")
    return language(lang)("brief.date", year=day.year, month=day.month, day=day.day)


def document(brief: Brief) -> str:
    """The brief as one self-contained HTML page, laid out for one A4 portrait sheet."""
    say = language(brief.lang)
    period = brief.period
    title = say("brief.title", town=brief.town_label, period=period.label(brief.lang))
    meta = say(
        "brief.meta",
        period=period.label(brief.lang),
        previous=period.previous_year().label(brief.lang),
        until=_date(brief.data_until, brief.lang),
        generated=_date(brief.generated, brief.lang),
    )
    kpis = "".join(_kpi(brief.card, m, brief.lang) for m in HEADLINE)
    return f"""<!doctype html>
<html lang="{"zh-CN" if brief.lang == "zh" else "en"}"><head><meta charset="utf-8">
<title>{_e(title)}</title><style>{CSS}</style></head>
<body><main>
<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p></header>
<section class="kpis">{kpis}</section>
{_attention_html(brief.card, brief.lang)}
{_charts_html(brief.charts)}
<footer>{_e(say("brief.footer"))}</footer>
</main></body></html>"""


CSS = """
@page { size: A4 portrait; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; color: #1F2933;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { width: 210mm; height: 296mm; padding: 11mm 12mm 8mm; overflow: hidden; display: flex; flex-direction: column; }
header { border-bottom: 2px solid #B71C1C; padding-bottom: 2.5mm; margin-bottom: 3.5mm; }
h1 { font-size: 19pt; margin: 0 0 1.5mm; color: #B71C1C; font-weight: 700; }
.meta { margin: 0; font-size: 9.5pt; color: #52606D; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; }
.kpi { border: 1px solid #D9DEE3; border-left-width: 3px; border-radius: 2mm; padding: 2mm 2.5mm; min-width: 0; }
.s-box-met { border-left-color: #2E7D32; } .s-box-missed { border-left-color: #C62828; background: #FFF5F5; }
.kpi .label { font-size: 8.5pt; color: #52606D; overflow-wrap: anywhere; }
.kpi .value { font-size: 17pt; font-weight: 700; margin: 0.5mm 0; }
.kpi .change { font-size: 8.5pt; min-height: 3.5mm; }
.kpi .prev, .kpi .target { font-size: 8pt; color: #52606D; }
.s-met { color: #2E7D32; } .s-missed { color: #C62828; } .s-no_data, .s-none { color: #9E9E9E; }
.attention { margin-top: 3.5mm; border: 1px solid #F3C6C6; border-radius: 2mm; padding: 2mm 3mm; }
h2 { font-size: 11pt; margin: 0 0 1mm; color: #C62828; }
.attention ul { margin: 0; padding-left: 5mm; font-size: 9pt; line-height: 1.45; columns: 1; }
.attention li.ok { color: #2E7D32; list-style: none; margin-left: -5mm; }
.attention li.more { color: #52606D; list-style: none; margin-left: -5mm; }
.charts { margin-top: 3.5mm; display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; flex: 1 1 auto; min-height: 0;
          align-content: start; }
.charts figure { margin: 0; min-width: 0; }
.charts img { width: 100%; height: auto; display: block; }
.charts.n3 figure:last-child, .charts.n1 figure { grid-column: 1 / span 2; }
footer { margin-top: auto; padding-top: 2mm; font-size: 7.5pt; color: #9AA5B1; border-top: 1px solid #E4E7EB; }
"""
