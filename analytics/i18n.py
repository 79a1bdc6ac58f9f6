"""User-facing text, one catalogue per language: ``ZH`` and ``EN``.

Convention for colleagues adding keys:
- one section per page, keys prefixed by the page: ``overview.*``, ``mediation.*``,
  ``documents.*``, ``training.*``, ``report.*``, ``explore.*``, ``data.*``; shared words live under
  ``common.*`` / ``nav.*`` / ``sidebar.*`` / ``status.*``.
- add every key to both ZH and EN (a test compares the key sets); Chinese is the reference text.
- metric labels are not here: they live once in ``analytics.catalogue`` (``metric.label(lang)``).
- ``text(key, lang, **kw)`` formats ``{name}`` placeholders with ``str.format``.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # --- common ---
    "app.title": "法治政府建设看板",
    "common.no_data": "无数据",
    "common.no_cases": "无案件",
    "common.reported": "报表数",
    "common.reported_help": "该数字来自汇总表（报表数），不是由台账逐条统计得出",
    "common.mixed": "部分报表数",
    "common.download_csv": "下载 CSV",
    "common.download_xlsx": "下载 Excel",
    "common.data_table": "数据表",
    "common.target": "目标",
    "common.previous": "上年同期",
    "common.change": "同比",
    "common.value": "本期",
    "common.metric": "指标",
    "common.status": "状态",
    "common.unit.case": "件",
    "common.unit.person": "人",
    "common.unit.hour": "学时",
    "common.unit.time": "次",
    "common.unit.pp": "个百分点",
    "common.period": "期间",
    "common.year": "年度",
    "common.source": "来源",
    # --- navigation ---
    "nav.overview": "总览",
    "nav.mediation": "矛盾纠纷调解",
    "nav.documents": "规范性文件",
    "nav.training": "学法培训",
    "nav.report": "报告",
    "nav.explore": "自助分析",
    "nav.data": "数据管理",
    # --- sidebar ---
    "sidebar.language": "语言 / Language",
    "sidebar.kind": "期间类型",
    "sidebar.kind.year": "年度",
    "sidebar.kind.half": "半年",
    "sidebar.kind.quarter": "季度",
    "sidebar.period": "期间",
    "sidebar.town": "乡镇",
    "sidebar.all_towns": "全部乡镇",
    "sidebar.share": "复制浏览器地址即可分享当前视图。",
    # --- status ---
    "status.met": "达标",
    "status.missed": "未达标",
    "status.no_data": "无数据",
    "status.none": "—",
    # --- empty state ---
    "empty.title": "数据库中还没有数据",
    "empty.body": (
        "看板需要先导入台账。请在「数据管理」页面上传矛盾纠纷、规范性文件、学法培训等 Excel 台账，"
        "或在命令行执行：\n\n`python -m etl load data/sample/*.xlsx`\n\n导入完成后刷新本页即可看到数据。"
    ),
    "empty.period": "所选期间没有任何数据，请在左侧选择其他期间。",
    "empty.go_data": "前往数据管理",
    # --- overview ---
    "overview.title": "总览",
    "overview.subtitle": "{period}　{town}　对比{previous}",
    "overview.attention": "需要关注",
    "overview.attention_none": "本期所有有目标的指标均已达标。",
    "overview.attention_item": "**{label}**：{value}，目标{op}{target}（上年同期 {previous}）",
    "overview.no_data_item": "**{label}**：本期无数据，无法判断是否达标",
    "overview.table": "全部指标",
    "overview.trend": "趋势",
    "overview.vs_last_year": "上年同期 {previous}",
    "overview.target_line": "目标 {target}",
}

EN: dict[str, str] = {
    # --- common ---
    "app.title": "Rule-of-law Government Dashboard",
    "common.no_data": "No data",
    "common.no_cases": "No cases",
    "common.reported": "Reported",
    "common.reported_help": "This figure comes from a summary sheet (as reported), not counted from ledger rows",
    "common.mixed": "Partly reported",
    "common.download_csv": "Download CSV",
    "common.download_xlsx": "Download Excel",
    "common.data_table": "Data table",
    "common.target": "Target",
    "common.previous": "Same period last year",
    "common.change": "Change",
    "common.value": "This period",
    "common.metric": "Metric",
    "common.status": "Status",
    "common.unit.case": "",
    "common.unit.person": "",
    "common.unit.hour": "h",
    "common.unit.time": "",
    "common.unit.pp": " pp",
    "common.period": "Period",
    "common.year": "Year",
    "common.source": "Source",
    # --- navigation ---
    "nav.overview": "Overview",
    "nav.mediation": "Dispute mediation",
    "nav.documents": "Normative documents",
    "nav.training": "Law study & training",
    "nav.report": "Report",
    "nav.explore": "Explore",
    "nav.data": "Data management",
    # --- sidebar ---
    "sidebar.language": "语言 / Language",
    "sidebar.kind": "Period type",
    "sidebar.kind.year": "Year",
    "sidebar.kind.half": "Half-year",
    "sidebar.kind.quarter": "Quarter",
    "sidebar.period": "Period",
    "sidebar.town": "Town",
    "sidebar.all_towns": "All towns",
    "sidebar.share": "Copy the browser address to share this view.",
    # --- status ---
    "status.met": "Met",
    "status.missed": "Missed",
    "status.no_data": "No data",
    "status.none": "—",
    # --- empty state ---
    "empty.title": "The database has no data yet",
    "empty.body": (
        "Load the ledgers first: upload the dispute, normative-document and training Excel ledgers on the "
        "Data management page, or run on the command line:\n\n`python -m etl load data/sample/*.xlsx`\n\n"
        "Then reload this page."
    ),
    "empty.period": "There is no data for the chosen period; pick another period in the sidebar.",
    "empty.go_data": "Go to Data management",
    # --- overview ---
    "overview.title": "Overview",
    "overview.subtitle": "{period} · {town} · compared with {previous}",
    "overview.attention": "Needs attention",
    "overview.attention_none": "Every metric with a target met it this period.",
    "overview.attention_item": "**{label}**: {value}, target {op}{target} (same period last year {previous})",
    "overview.no_data_item": "**{label}**: no data this period, so the target can't be judged",
    "overview.table": "All metrics",
    "overview.trend": "Trend",
    "overview.vs_last_year": "Last year {previous}",
    "overview.target_line": "Target {target}",
}

CATALOGUES: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}
LANGUAGES: tuple[str, ...] = ("zh", "en")


def text(key: str, lang: str = "zh", **fields: object) -> str:
    """The text of ``key`` in ``lang``; falls back to Chinese, then to the key itself."""
    catalogue = CATALOGUES.get(lang, ZH)
    template = catalogue.get(key) or ZH.get(key) or key
    return template.format(**fields) if fields else template
