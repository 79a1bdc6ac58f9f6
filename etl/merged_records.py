"""One record written over several lines, its 序号 or 编号 cell merged over them: read as one row.

A town ledger gives a dispute with two parties two lines, 当事人 「张三」 on the first and 「李四」 on
the second, and merges every other cell of the case (序号, 受理日期, 结果) over both. Printed, it is
one case: one 序号, one date, one result. Filled down (``parse.fill_merged_down``), it was two rows
and counted twice. A merged 乡镇 or 村 is a block over several records, each with its own 序号;
a merged 序号 is the record itself. Only registers whose row is one record named by an id
(``Dataset.record_id``: disputes, documents, cases, disclosure requests) are read this way; in a
training ledger a session's 序号 merged over its attendees' rows is one row per person, as meant.
"""

from __future__ import annotations

from etl import normalise as n
from etl.sheet import MergedRange

_SERIAL = frozenset(["序号", "编号", "序列号", "顺序号", "no", "no."])

Note = tuple[int, str, str | None, str]


def id_columns(labels: list[str], columns: dict[int, str], record_id: str | None) -> list[int]:
    """The columns naming a record: 序号 (read or not) and the dataset's id field (编号, 案号)."""
    if record_id is None:
        return []
    return [c for c, label in enumerate(labels) if columns.get(c) == record_id or n.compact(label).lower() in _SERIAL]


def join_merged_records(
    body: list[list[object]], merged: list[MergedRange], first_row: int, ids: list[int], labels: list[str]
) -> list[Note]:
    """Join the lines of each record whose id cell is merged down over them into its first line, in
    place (the lines below become blank, skipped as such), and say so once per record. ``body`` is
    already filled down: a cell merged with the id is the same on every line, and a cell typed on
    each line (当事人) is joined with 、 in the order typed. Run after ``fill_merged_down``."""
    if not ids:
        return []
    last_row = first_row + len(body) - 1
    spans = sorted({(r1, r2, c1) for (r1, c1), (r2, _) in merged if c1 in ids and r2 > r1 >= first_row})
    notes: list[Note] = []
    done = -1
    for top, end, c in spans:
        bottom = min(end, last_row)
        if top <= done or bottom <= top:
            continue  # past the table, or overlapping a record already joined (序号 and 编号 merged alike)
        lines = body[top - first_row : bottom - first_row + 1]
        if c >= len(lines[0]) or n.is_blank(lines[0][c]):
            continue
        done = bottom
        width = max(map(len, lines))
        joined: list[object] = []
        differing: list[str] = []
        for k in range(width):
            values = [line[k] for line in lines if k < len(line) and not n.is_blank(line[k])]
            distinct = list(dict.fromkeys(values))
            if len(distinct) > 1:
                joined.append("、".join(str(n.as_text(v)) for v in distinct))
                differing.append(f"{labels[k] if k < len(labels) and labels[k] else f'第{k + 1}列'}「{joined[-1]}」")
            else:
                joined.append(distinct[0] if distinct else "")
        body[top - first_row] = joined
        for r in range(top + 1, bottom + 1):
            body[r - first_row] = [""] * width
        label = labels[c] if c < len(labels) and labels[c] else "序号"
        what = f"，{'；'.join(differing)}" if differing else ""
        notes.append(
            (
                top + 1,
                label,
                n.as_text(joined[c]),
                f"{label}合并了第{top + 1}–{bottom + 1}行，按一条记录计入{what}；如是几条记录，请取消合并、每行填写{label}",
            )
        )
    return notes
