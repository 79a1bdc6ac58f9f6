"""What shows how to fill a ledger in rather than what happened: a 填表说明 or 示例 sheet, a 示例 row.

Templates come with an instruction sheet holding a sample table under the ledger's own headers
(序号 例, XX村), and ledgers keep the sample row their template had under the header (序号 示例).
Read by their headers alone, both were counted as real rows. A sheet whose name, or a title line
above its header, says it is instructions or a sample is not loaded, with its reason
(``sheet_reason``); a row with a cell that marks it a sample (示例, 例, 样例, 填写示例, or text
beginning 示例：) is no data, and said (``example_rows``, ``example_notes``).
"""

from __future__ import annotations

import re

import numpy as np

from etl import normalise as n

# The words an instruction or sample sheet is named by, alone or joined (填表说明, 说明及示例, 样表).
_WORDS = r"(?:(?:填表|填写|填报|使用|模板|录入|导入)?(?:说明|须知|示例|样表|样例|范例|示范|例表)(?:表|页)?[及和与、]?)+"
_NAME = re.compile(_WORDS)
_BRACKETED = re.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]$")  # 填表说明(勿删), 示例【参考】
# A title line saying what follows is a sample: 示例如下, 以下为示例, or a ledger's title marked (示例).
_SAMPLE_TITLE = re.compile(r"示例如下|样表如下|以下为(填写)?(示例|样表|样例)|[(（【\[](示例|样表|样例|范例)[)）】\]]")
TITLE_MAX = 40  # characters: a longer line above the header is a paragraph of notes, not the sheet's title

# A cell marking its row a sample: the word alone (示例, 例, 例1, （样例）) or leading the cell's text
# (示例：张三与李四宅基地纠纷, 【示例】…). Every such word has 例, searched for first.
_MARK = re.compile(r"[(（【\[]?(?:填写|填表|填报)?(?:示例|样例|范例|举例|例)\d{0,2}[)）】\]]?[:：.．]?")
_LEADING = re.compile(
    r"[(（【\[](?:填写|填表|填报)?(?:示例|样例|范例)[)）】\]]|(?:填写|填表|填报)?(?:示例|样例|范例|例)[:：]"
)
MARK_MAX = 8  # characters of a cell that is a mark alone


INSTRUCTIONS = "是填表说明或示例"  # in every reason ``sheet_reason`` gives


def is_instructions(reason: str) -> bool:
    """Whether a sheet's reason for not being loaded is ``sheet_reason``'s (no table to map by hand)."""
    return INSTRUCTIONS in reason


def sheet_reason(name: str, titles: list[str]) -> str | None:
    """Why a sheet is instructions or a sample, not a ledger (its name, or a title line above its
    header), or None."""
    compact = _BRACKETED.sub("", n.compact(name))
    if compact and _NAME.fullmatch(compact):
        return f"工作表名「{name}」表明它{INSTRUCTIONS}，其中的表格不是台账数据，未导入；如确是台账，请改工作表名后重新导入"
    for title in titles:
        text = n.compact(title)
        if len(text) > TITLE_MAX:
            continue
        bare = _BRACKETED.sub("", text).rstrip(":：")
        if (bare and _NAME.fullmatch(bare)) or _SAMPLE_TITLE.search(text):
            return (
                f"表头上方写着「{title}」，这张工作表{INSTRUCTIONS}，其中的表格不是台账数据，未导入；"
                "如确是台账，请删去这一行后重新导入"
            )
    return None


def is_mark(value: object) -> bool:
    """Whether a cell marks its row a sample (示例, 例, 填写示例, 示例：…)."""
    if type(value) is not str or "例" not in value:
        return False
    text = n.compact(value)
    return bool((len(text) <= MARK_MAX and _MARK.fullmatch(text)) or _LEADING.match(text))


def example_rows(grid: np.ndarray, distinct: dict[int, n.Distinct]) -> np.ndarray:
    """Per row, the column of its first cell marking it a sample, or -1. Every column is looked at
    (序号, where the mark usually is, is seldom read), through its distinct values."""
    found = np.full(len(grid), -1, dtype="int64")
    for c in range(grid.shape[1]):
        if c in distinct:
            uniques = distinct[c].uniques
            hits = np.fromiter(map(is_mark, uniques), dtype=bool, count=len(uniques))
            rows = distinct[c].rows_where(hits) if hits.any() else None
        else:
            cells = grid[:, c].tolist()
            marks = {u for u in dict.fromkeys(cells) if is_mark(u)}
            rows = np.fromiter((v in marks for v in cells), dtype=bool, count=len(cells)) if marks else None
        if rows is not None:
            found[rows & (found < 0)] = c
    return found


def example_notes(
    found: np.ndarray, grid: np.ndarray, excel_row: np.ndarray, labels: list[str]
) -> list[tuple[int, str, str, str]]:
    """A note on each row read as a sample: it is no data, and the person should know it was left out."""
    notes = []
    for i in np.flatnonzero(found >= 0).tolist():
        c = int(found[i])
        label = labels[c] if c < len(labels) and labels[c] else f"第{c + 1}列"
        value = str(grid[i, c])
        message = f"此行的「{label}」写着「{value}」，读作填表示例，不算一条数据，未计入；如是真实数据，请删去「{value}」字样后重新导入"
        notes.append((int(excel_row[i]), label, value, message))
    return notes
