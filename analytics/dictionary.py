"""The data dictionary (数据字典): every ``v_*`` view and column a user may query, described.

Views and columns are read from the database at run time (``duckdb_views()``/``duckdb_columns()``),
so the dictionary can never drift from ``schema.sql``; the descriptions are the one table below,
keyed by column name (or ``view.column`` where a name means something else in that view). A test
fails when a column has no description. Personal fields (names, certificate numbers, free text) are
listed in ``PERSONAL_NAMES``/``PERSONAL_TEXT``; their example values are masked unless
``settings.show_personal_fields()`` — ``mask_personal`` does the same for any result frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from analytics import settings
from analytics.queries import mask_people

# view -> (zh, en)
VIEWS: dict[str, tuple[str, str]] = {
    "v_disputes": ("矛盾纠纷排查调处台账：每行一件纠纷", "Dispute ledger: one row per dispute"),
    "v_dispute_summaries": (
        "矛盾纠纷汇总表：每行一个乡镇一年或半年（早年报表数）",
        "Dispute summary sheet: one row per town and year or half-year (reported figures)",
    ),
    "v_documents": ("规范性文件登记台账：每行一件文件", "Normative documents register: one row per document"),
    "v_document_summaries": (
        "规范性文件审查备案汇总表：每行一个乡镇一年或半年",
        "Normative documents summary sheet: one row per town and year or half-year",
    ),
    "v_training": (
        "学法培训台账：每行一人一次培训（或一次培训及参加人数）",
        "Training ledger: one row per person per session (or a session with an attendee count)",
    ),
    "v_staff": ("执法人员名册：每行一人", "Enforcement staff roster: one row per person"),
    "v_rejects": (
        "导入时无法读取的行：文件、工作表、行号和原因",
        "Rows that could not be loaded: file, sheet, row and reason",
    ),
    "v_warnings": ("导入时的提示：已读取但需要核对的单元格", "Load warnings: cells read but worth checking"),
}

# column (or view.column) -> (zh label, en label, zh description, en description)
COLUMNS: dict[str, tuple[str, str, str, str]] = {
    # --- provenance, on every view ---
    "load_id": (
        "导入批次",
        "Load",
        "导入批次编号（同一文件的新版本会替换旧版本）",
        "Load number (a new version of a file replaces the old one)",
    ),
    "town": ("乡镇", "Town", "乡镇名称", "Township"),
    "source_file": ("来源文件", "Source file", "数据来自的 Excel/CSV 文件名", "Spreadsheet the row came from"),
    "sheet": ("工作表", "Sheet", "来源工作表名称", "Worksheet name"),
    "excel_row": (
        "Excel 行号",
        "Excel row",
        "在来源工作表中的行号（与 Excel 左侧行号一致）",
        "Row number in the worksheet, as Excel shows it",
    ),
    "extra": ("其他列", "Other columns", "台账中未识别的列（JSON）", "Unrecognised ledger columns (JSON)"),
    # --- disputes ---
    "received_date": (
        "受理日期",
        "Received",
        "纠纷受理（排查、登记）日期",
        "Date the dispute was received or recorded",
    ),
    "village": (
        "村（社区）",
        "Village",
        "所属村（社区），已统一为“XX村/XX社区”；未填写为“未填”",
        "Village or community, normalised; 未填 when blank",
    ),
    "village_raw": (
        "村（社区）原文",
        "Village (as typed)",
        "台账中填写的村（社区）原文",
        "Village as typed in the ledger",
    ),
    "category": (
        "纠纷类型",
        "Category",
        "纠纷类型（人民调解统计口径），无法识别为“其他”",
        "Dispute category (national mediation statistics list); 其他 when unknown",
    ),
    "category_raw": (
        "纠纷类型原文",
        "Category (as typed)",
        "台账中填写的纠纷类型原文",
        "Category as typed in the ledger",
    ),
    "agreement_form": (
        "调解协议形式",
        "Agreement form",
        "written＝书面调解，oral＝口头调解，空＝未填",
        "written or oral mediation agreement; empty when not recorded",
    ),
    "joint": (
        "联合调解",
        "Joint mediation",
        "是否联合调解（在排查总数之内，不是第三种形式）",
        "Joint mediation flag (inside the total, not a third form)",
    ),
    "outcome": (
        "调解结果",
        "Outcome",
        "success＝调解成功，failed＝调解失败，pending＝调解中",
        "success, failed or pending",
    ),
    "outcome_raw": ("调解结果原文", "Outcome (as typed)", "台账中填写的调解结果原文", "Outcome as typed in the ledger"),
    "escalated": ("是否激化", "Escalated", "纠纷是否激化升级", "Whether the dispute escalated"),
    "referred": (
        "引导诉讼",
        "Referred to court",
        "调解不成后是否引导诉讼或仲裁",
        "Whether a failed mediation was guided to litigation or arbitration",
    ),
    "case_no": ("案件编号", "Case no.", "台账中的案件编号或序号", "Case number in the ledger"),
    "parties": (
        "当事人",
        "Parties",
        "纠纷当事人姓名（个人信息，默认隐去名字）",
        "Names of the parties (personal; masked by default)",
    ),
    "mediator": ("调解员", "Mediator", "承办调解员姓名", "Mediator's name"),
    "summary": (
        "纠纷简要情况",
        "Summary",
        "纠纷简要情况（可能含个人信息）",
        "Short account of the dispute (may hold personal details)",
    ),
    "amount": ("涉及金额", "Amount", "纠纷涉及金额（元）", "Amount at stake (yuan)"),
    "people": ("涉及人数", "People involved", "纠纷涉及人数", "Number of people involved"),
    "closed_date": ("结案日期", "Closed", "结案日期", "Date the case was closed"),
    "follow_up": ("回访情况", "Follow-up", "回访情况", "Follow-up visit notes"),
    "note": ("备注", "Note", "备注", "Remarks"),
    # --- summaries (both kinds) ---
    "period_id": (
        "期间",
        "Period",
        "汇总期间：2018＝全年，2018H1＝上半年，2018H2＝下半年",
        "Period: 2018 year, 2018H1/H2 half-years",
    ),
    "period_start": ("期间开始", "Period start", "期间第一天", "First day of the period"),
    "period_end": ("期间结束", "Period end", "期间结束后的第一天（不含）", "First day after the period (exclusive)"),
    "disputes_total": ("排查数", "Disputes", "排查出的矛盾纠纷件数", "Disputes screened"),
    "written": ("书面调解", "Written", "书面调解件数", "Disputes with a written agreement"),
    "oral": ("口头调解", "Oral", "口头调解件数", "Disputes with an oral agreement"),
    "v_dispute_summaries.joint": ("联合调解", "Joint", "联合调解件数", "Joint mediations"),
    "success": ("调解成功数", "Successful", "调解成功件数", "Successful mediations"),
    "reported_rate": (
        "调解率（报表）",
        "Mediation rate (reported)",
        "汇总表上填写的调解率（小数，0.986＝98.6%）",
        "Mediation rate as typed (fraction)",
    ),
    "issued": ("制发件数", "Issued", "制发的规范性文件件数", "Normative documents issued"),
    "v_document_summaries.reviewed": ("审查件数", "Reviewed", "经合法性审查的件数", "Documents with a legality review"),
    "v_document_summaries.published": ("公开件数", "Published", "向社会公开的件数", "Documents published"),
    "v_document_summaries.filed": ("备案件数", "Filed", "报送备案的件数", "Documents filed"),
    "filed_timely": ("及时备案件数", "Filed in time", "在期限内报送备案的件数", "Documents filed within the deadline"),
    "reported_review_rate": (
        "审查率（报表）",
        "Review rate (reported)",
        "汇总表上填写的审查率（小数）",
        "Review rate as typed (fraction)",
    ),
    "reported_publication_rate": (
        "公开率（报表）",
        "Publication rate (reported)",
        "汇总表上填写的公开率（小数）",
        "Publication rate as typed (fraction)",
    ),
    "reported_filing_rate": (
        "备案率（报表）",
        "Filing rate (reported)",
        "汇总表上填写的备案率（小数）",
        "Filing rate as typed (fraction)",
    ),
    # --- documents ---
    "doc_no": ("文号", "Document no.", "发文字号或统一登记号", "Document number"),
    "title": ("文件名称", "Title", "规范性文件名称", "Document title"),
    "issued_date": ("印发日期", "Issued", "印发（发布）日期", "Date of issue"),
    "reviewed": ("合法性审查", "Reviewed", "是否经合法性审查", "Whether the document had a legality review"),
    "published": ("是否公开", "Published", "是否向社会公开", "Whether the document was published"),
    "filed": ("是否备案", "Filed", "是否报送备案", "Whether the document was filed"),
    "filed_date": ("备案日期", "Filed on", "报送备案日期", "Date of filing"),
    "filing_days": ("备案用时（天）", "Days to filing", "印发到备案的自然日天数", "Calendar days from issue to filing"),
    "filing_working_days": (
        "备案用时（工作日）",
        "Working days to filing",
        "印发到备案的工作日天数（按国家法定节假日和调休）；超出日历年份为空",
        "Working days from issue to filing (official calendar); empty past its last year",
    ),
    "status": ("效力状态", "Status", "有效、废止、失效或已修改", "In force, repealed, expired or amended"),
    # --- training and staff ---
    "session_date": ("培训日期", "Session date", "学法培训日期", "Date of the session"),
    "topic": ("培训内容", "Topic", "培训内容或学习主题", "Topic of the session"),
    "kind": (
        "形式",
        "Kind",
        "会前学法、中心组学法、依法行政专题学习会、专题讲座、执法培训、调解员培训、线上学法或其他",
        "Kind of session (pre-meeting study, study meeting, lecture, enforcement or mediator training, online, other)",
    ),
    "hours": ("学时", "Hours", "本次学时数", "Study hours of the session"),
    "name": ("姓名", "Name", "人员姓名（个人信息，默认隐去名字）", "Person's name (personal; masked by default)"),
    "unit": ("单位/岗位", "Unit", "所在单位或岗位", "Unit or post"),
    "is_enforcement": (
        "执法人员",
        "Enforcement officer",
        "是否行政执法人员",
        "Whether the person is an enforcement officer",
    ),
    "attendees": (
        "参加人数",
        "Attendees",
        "按场次登记时的参加人数（按人登记时为空）",
        "Attendee count on a session row (empty on per-person rows)",
    ),
    "roster_year": (
        "名册年度",
        "Roster year",
        "名册所属年度；为空表示适用于各年",
        "Year the roster describes; empty means every year",
    ),
    "cert_no": ("执法证号", "Certificate no.", "行政执法证件号码", "Enforcement certificate number"),
    "cert_valid_until": (
        "证件有效期至",
        "Certificate valid until",
        "执法证件有效期截止日期",
        "Certificate expiry date",
    ),
    "on_duty": ("在岗", "On duty", "是否在岗", "Whether the person is on duty"),
    # --- rejects and warnings ---
    "column_name": ("列", "Column", "出问题的列（表头）", "Column (header) concerned"),
    "value": ("单元格内容", "Cell value", "出问题的单元格内容", "The cell's content"),
    "reason": ("原因", "Reason", "无法读取的原因", "Why the row could not be loaded"),
    "raw_row": (
        "原始行",
        "Original row",
        "原始整行内容（JSON），便于修改后重新导入",
        "The original cells (JSON), to fix and reload",
    ),
    "message": ("提示", "Message", "提示内容", "What to check"),
}

# Personal fields: names are masked after the surname (王小明 → 王**), free text and numbers hidden.
PERSONAL_NAMES = frozenset({"parties", "name", "mediator"})
PERSONAL_TEXT = frozenset({"summary", "cert_no", "raw_row", "extra"})
HIDDEN = "（已隐藏）"
EXAMPLE_CHARS = 30

# Stored codes shown in the user's words (the dictionary's examples and the pivot's labels).
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "agreement_form": {"written": ("书面调解", "Written"), "oral": ("口头调解", "Oral")},
    "outcome": {"success": ("调解成功", "Success"), "failed": ("调解失败", "Failed"), "pending": ("调解中", "Pending")},
}
BOOLEAN_LABELS = {True: ("是", "Yes"), False: ("否", "No")}


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    label: str
    description: str
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ViewDoc:
    name: str
    description: str
    columns: list[ColumnDoc]


def describe(view: str, column: str) -> tuple[str, str, str, str] | None:
    """(zh label, en label, zh description, en description) of a column, or None if undescribed."""
    return COLUMNS.get(f"{view}.{column}") or COLUMNS.get(column)


def label(column: str, lang: str = "zh", view: str | None = None) -> str:
    """A column's short label (受理日期 / Received); the column name itself when undescribed."""
    found = describe(view or "", column)
    if found is None:
        return column
    return found[1] if lang == "en" else found[0]


def value_label(column: str, value: object, lang: str = "zh") -> str:
    """A stored value in the user's words: written → 书面调解, True → 是; None → 空/(empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return "（空）" if lang != "en" else "(empty)"
    index = 1 if lang == "en" else 0
    if isinstance(value, (bool, np.bool_)):
        return BOOLEAN_LABELS[bool(value)][index]
    mapped = VALUE_LABELS.get(column, {}).get(str(value))
    return mapped[index] if mapped else str(value)


def is_personal(column: str) -> bool:
    return column in PERSONAL_NAMES or column in PERSONAL_TEXT


def mask_value(column: str, value: object) -> object:
    """One value of a personal column masked (names after the surname, the rest hidden); missing → None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if column in PERSONAL_NAMES:
        return mask_people(value)
    if column in PERSONAL_TEXT:
        return HIDDEN
    return value


def mask_personal(frame: pd.DataFrame, show: bool | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with personal columns (by name) masked, unless shown by the setting."""
    if settings.show_personal_fields() if show is None else show:
        return frame
    masked = frame.copy()
    for column in masked.columns:
        if is_personal(str(column)):
            values = [mask_value(str(column), v) for v in masked[column]]
            masked[column] = pd.Series(values, index=masked.index, dtype="object")
    return masked


def views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The user-facing views (``v_*``) of the current database, by name."""
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database() "
        "AND schema_name = 'main' AND starts_with(view_name, 'v_') ORDER BY view_name"
    ).fetchall()
    return [name for (name,) in rows]


def columns(con: duckdb.DuckDBPyConnection, view: str) -> list[tuple[str, str]]:
    """(name, type) of a view's columns in their order."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [view],
    ).fetchall()
    return [(str(name), str(kind)) for name, kind in rows]


def undescribed(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``view`` or ``view.column`` entries the dictionary has no description for (should be empty)."""
    missing = [view for view in views(con) if view not in VIEWS]
    for view in views(con):
        missing += [f"{view}.{name}" for name, _ in columns(con, view) if describe(view, name) is None]
    return missing


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def examples(
    con: duckdb.DuckDBPyConnection, view: str, column: str, count: int = 3, show_personal: bool | None = None
) -> list[str]:
    """A few distinct non-null values of a column, as text, masked if personal."""
    if view not in views(con) or column not in {name for name, _ in columns(con, view)}:
        raise ValueError(f"未知的视图或列：{view}.{column}")
    return _examples(con, view, column, count, show_personal)


def _examples(
    con: duckdb.DuckDBPyConnection, view: str, column: str, count: int, show_personal: bool | None
) -> list[str]:
    return _view_examples(con, view, [column], count, show_personal)[column]


def _view_examples(
    con: duckdb.DuckDBPyConnection, view: str, names: list[str], count: int, show_personal: bool | None
) -> dict[str, list[str]]:
    """Examples of several columns of one view in one query (one scan of the view, not one per column)."""
    if not names:
        return {}
    # Identifiers come from the database's own catalogue, never from user text.
    parts = [
        f"SELECT {i} AS i, v::VARCHAR AS v FROM (SELECT DISTINCT {_quote(name)} AS v FROM t "
        f"WHERE {_quote(name)} IS NOT NULL ORDER BY v LIMIT {int(count)})"
        for i, name in enumerate(names)
    ]
    rows = con.execute(f"WITH t AS MATERIALIZED (FROM {_quote(view)}) " + " UNION ALL ".join(parts)).fetchall()
    show = settings.show_personal_fields() if show_personal is None else show_personal
    found: dict[str, list[str]] = {name: [] for name in names}
    for i, value in rows:
        column = names[i]
        text = str(value if show else mask_value(column, value))
        found[column].append(text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…")
    # Masking may make several names look alike (王**); keep each shown value once.
    return {name: list(dict.fromkeys(values)) for name, values in found.items()}


def dictionary(
    con: duckdb.DuckDBPyConnection, lang: str = "zh", with_examples: bool = True, show_personal: bool | None = None
) -> list[ViewDoc]:
    """Every ``v_*`` view with its columns, types, labels, descriptions and example values."""
    index = 1 if lang == "en" else 0
    docs = []
    for view in views(con):
        view_text = VIEWS.get(view, ("", ""))[index]
        view_columns = columns(con, view)
        samples = (
            _view_examples(con, view, [name for name, _ in view_columns], 3, show_personal) if with_examples else {}
        )
        column_docs = []
        for name, kind in view_columns:
            found = describe(view, name)
            label_text = (found[1] if lang == "en" else found[0]) if found else name
            description = (found[3] if lang == "en" else found[2]) if found else ""
            sample = samples.get(name, [])
            column_docs.append(ColumnDoc(name, kind, label_text, description, sample))
        docs.append(ViewDoc(view, view_text, column_docs))
    return docs


def as_frame(docs: list[ViewDoc], lang: str = "zh") -> pd.DataFrame:
    """The dictionary as one table: view, column, type, label, description, examples."""
    headers = (
        ["视图", "列", "类型", "名称", "说明", "示例值"]
        if lang != "en"
        else ["View", "Column", "Type", "Label", "Description", "Examples"]
    )
    rows = [
        [
            doc.name,
            col.name,
            col.type,
            col.label,
            col.description,
            "、".join(col.examples) if lang != "en" else ", ".join(col.examples),
        ]
        for doc in docs
        for col in doc.columns
    ]
    return pd.DataFrame(rows, columns=headers)
