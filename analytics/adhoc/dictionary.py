"""The data dictionary (数据字典): every ``v_*`` view and column a user may query, described.

Views and columns are read from the database at run time (``duckdb_views()``/``duckdb_columns()``),
so the dictionary can never drift from ``schema.sql``; the descriptions are the one table below,
keyed by column name (or ``view.column`` where a name means something else in that view). A test
fails when a column has no description. Personal fields (names, certificate numbers, free text) are
listed in ``PERSONAL_NAMES``/``PERSONAL_TEXT``; their example values are masked unless
the person acting may see them (``analytics.access.personal_visible``) — ``mask_personal`` does the same for any result frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from analytics import access
from analytics.present.text import bilingual, text
from analytics.queries import mask_people
from etl.datasets import DATASETS

# view -> (zh, en)
VIEWS: dict[str, tuple[str, str]] = {
    **{f"v_{name}": d.view for name, d in DATASETS.items()},
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
    # each dataset's own columns, as it declares them (etl.datasets)
    **{f"v_{name}.{column}": doc for name, d in DATASETS.items() for column, doc in d.docs.items()},
    # A column named without its view means what the first dataset declaring it says (disputes' joint
    # flag, the register's reviewed mark); the summaries' counts of the same name are read with their view.
    **{column: doc for d in reversed(DATASETS.values()) for column, doc in d.docs.items()},
}

# Personal fields: names are masked after the surname (王小明 → 王**), free text and numbers hidden.
PERSONAL_NAMES = frozenset().union(*(d.personal_names for d in DATASETS.values()))
PERSONAL_TEXT = frozenset({"raw_row", "extra"}).union(*(d.personal_text for d in DATASETS.values()))
HIDDEN = "（已隐藏）"
EXAMPLE_CHARS = 30

# Stored codes shown in the user's words (the dictionary's examples and the pivot's labels).
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    column: labels for d in DATASETS.values() for column, labels in d.value_labels.items()
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
    return COLUMNS.get(f"{view}.{column}") or COLUMNS.get(column) or _word_column_doc(view, column)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def word_columns(view: str, columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The columns in words that 自助分析's copy adds beside the codes: (name, SQL).

    A coded column (outcome: success) gets a column named by its Chinese label holding the words
    users see (调解结果 = '调解成功'); a yes/no column one holding 是/否 (联合调解 = '是'). Without
    them ``WHERE outcome = '成功'`` silently finds nothing. Names that would clash are skipped.
    """
    taken = {name for name, _ in columns}
    found = []
    for name, kind in columns:
        described = describe(view, name)
        if described is None or name in PERSONAL_NAMES or name in PERSONAL_TEXT:
            continue
        words = described[0]
        if words in taken or words == name:
            continue
        quoted = '"' + name.replace('"', '""') + '"'
        if name in VALUE_LABELS:
            cases = " ".join(
                f"WHEN {_sql_text(code)} THEN {_sql_text(zh)}" for code, (zh, _) in VALUE_LABELS[name].items()
            )
            sql = f"CASE CAST({quoted} AS VARCHAR) {cases} ELSE CAST({quoted} AS VARCHAR) END"
        elif kind == "BOOLEAN":
            sql = f"CASE WHEN {quoted} THEN '是' WHEN NOT {quoted} THEN '否' END"
        else:
            continue
        taken.add(words)
        found.append((words, sql))
    return found


def _word_column_doc(view: str, column: str) -> tuple[str, str, str, str] | None:
    """The description of a column in words (``word_columns``): the code column it spells out."""
    for name, doc in COLUMNS.items():
        stored = name.split(".", 1)[-1]
        if doc[0] != column or ("." in name and not name.startswith(f"{view}.")):
            continue
        codes = VALUE_LABELS.get(stored)
        listing = "、".join(zh for zh, _ in codes.values()) if codes else "是、否"
        return (
            column,
            f"{doc[1]} (in words)",
            f"{stored} 列的中文写法：{listing}（按中文筛选可写 {column} = '{listing.split('、')[0]}'）",
            f"The {stored} column in Chinese words as the pages show them: {listing}",
        )
    return None


def codes_note(column: str, lang: str = "zh") -> str:
    """The codes a coded column stores and what each means: success=调解成功、failed=调解失败."""
    codes = VALUE_LABELS.get(column)
    if not codes:
        return ""
    pairs = [f"{code}={bilingual(zh, en, lang)}" for code, (zh, en) in codes.items()]
    return text("dictionary.codes", lang, codes=text("dictionary.list_separator", lang).join(pairs))


def label(column: str, lang: str = "zh", view: str | None = None) -> str:
    """A column's short label (受理日期 / Received); the column name itself when undescribed."""
    found = describe(view or "", column)
    if found is None:
        return column
    return bilingual(found[0], found[1], lang)


def value_label(column: str, value: object, lang: str = "zh") -> str:
    """A stored value in the user's words: written → 书面调解, True → 是; None → 空/(empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return text("dictionary.empty", lang)
    if isinstance(value, (bool, np.bool_)):
        return bilingual(*BOOLEAN_LABELS[bool(value)], lang)
    mapped = VALUE_LABELS.get(column, {}).get(str(value))
    return bilingual(*mapped, lang) if mapped else str(value)


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
    if access.personal_visible() if show is None else show:
        return frame
    masked = frame.copy()
    for column in masked.columns:
        if is_personal(str(column)):
            values = [mask_value(str(column), v) for v in masked[column]]
            masked[column] = pd.Series(values, index=masked.index, dtype="object")
    return masked


def mask_labels(column: str, values: Iterable[object]) -> list[object]:
    """A personal column's values masked for display, as ``mask_personal`` does, but kept apart where
    masking makes two people look alike (a chart's categories): 张*, 张*（2）."""
    if access.personal_visible():
        return list(values)
    seen: dict[object, int] = {}
    shown: list[object] = []
    for value in values:
        masked = mask_value(column, value)
        seen[masked] = seen.get(masked, 0) + 1
        shown.append(masked if seen[masked] == 1 else f"{masked}（{seen[masked]}）")
    return shown


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
    show = access.personal_visible() if show_personal is None else show_personal
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
    docs = []
    for view in views(con):
        view_text = bilingual(*VIEWS.get(view, ("", "")), lang)
        view_columns = columns(con, view)
        samples = (
            _view_examples(con, view, [name for name, _ in view_columns], 3, show_personal) if with_examples else {}
        )
        column_docs = []
        for name, kind in view_columns:
            found = describe(view, name)
            label_text = bilingual(found[0], found[1], lang) if found else name
            description = bilingual(found[2], found[3], lang) if found else ""
            if not any(code in description for code in VALUE_LABELS.get(name, {})):
                description += codes_note(name, lang)  # every coded column says its codes
            sample = samples.get(name, [])
            column_docs.append(ColumnDoc(name, kind, label_text, description, sample))
        docs.append(ViewDoc(view, view_text, column_docs))
    return docs


def as_frame(docs: list[ViewDoc], lang: str = "zh") -> pd.DataFrame:
    """The dictionary as one table: view, column, type, label, description, examples."""
    headers = [
        text(f"dictionary.header.{h}", lang) for h in ("view", "column", "type", "label", "description", "examples")
    ]
    rows = [
        [
            doc.name,
            col.name,
            col.type,
            col.label,
            col.description,
            text("dictionary.list_separator", lang).join(col.examples),
        ]
        for doc in docs
        for col in doc.columns
    ]
    return pd.DataFrame(rows, columns=headers)
