"""Find a sheet's header row (below any title rows), its two-row variant, and the title's town/year.

The header is the row, among the first ``SCAN_ROWS``, whose cells best match known aliases;
scoring is delegated to the caller (``score``) so this module knows nothing about datasets.
A two-row header (调解方式 over 书面 | 口头, 备案情况 over 是否备案 | 备案日期) yields labels such as
``调解方式/书面``; which field such a label names is ``etl.specs.field_for``'s to say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from etl.names import town_problem, town_reading
from etl.readers import MergedRange

SCAN_ROWS = 30
MIN_SCORE = 2

_PARENS = str.maketrans({"（": "(", "）": ")", "：": ":", "／": "/", "　": " "})
_JUNK = re.compile(r"[\s*＊:]+")
_TOWN = re.compile(r"([^\s\d年县市区省州()（）、，,:：]{1,8}?(?:街道|镇|乡))(?!村|镇)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|年度)")


@dataclass
class HeaderInfo:
    """Where the header is and what it says. ``labels[c]`` is column ``c``'s header ('' if none)."""

    row: int  # 0-based index of the (first) header row
    depth: int  # 1, or 2 for a two-row header
    labels: list[str]
    titles: list[str] = field(default_factory=list)  # non-empty text of the rows above

    @property
    def first_data_row(self) -> int:
        return self.row + self.depth


def clean_header(value: object) -> str:
    """Header text for matching: no spaces, newlines, asterisks or colons; half-width brackets."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _JUNK.sub("", str(value).translate(_PARENS))


def _row_text(row: list[object]) -> list[str]:
    return [clean_header(v) for v in row]


def _horizontal_spans(merged: list[MergedRange], row: int, width: int) -> list[tuple[int, int]]:
    """Column spans (first, last) of merged areas starting on ``row``, wider than one cell, cut to the
    row's ``width``, left to right: a column is in one span at most, however many areas a file lists
    (an area starting inside one to its left, which Excel refuses to open, is left out)."""
    spans: list[tuple[int, int]] = []
    for c1, c2 in sorted({(c1, c2) for (r1, c1), (_r2, c2) in merged if r1 == row and c2 > c1 and c1 < width}):
        if not spans or c1 > spans[-1][1]:
            spans.append((c1, min(c2, width - 1)))
    return spans


def two_row_labels(parent: list[str], child: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """Combine a parent header row with the sub-header row below it."""
    width = max(len(parent), len(child))
    parent = parent + [""] * (width - len(parent))
    child = child + [""] * (width - len(child))
    filled = list(parent)
    for first, last in spans:
        for c in range(first + 1, min(last + 1, width)):
            filled[c] = parent[first]
    if not spans:
        # No merge information (CSV, some .xls): a blank parent cell over a sub-label
        # belongs to the nearest parent on its left.
        current = ""
        for c in range(width):
            if parent[c]:
                current = parent[c]
            elif child[c]:
                filled[c] = current
    labels = []
    for c in range(width):
        if child[c] and filled[c] and child[c] != filled[c]:
            labels.append(f"{filled[c]}/{child[c]}")
        else:
            labels.append(child[c] or filled[c])
    return labels


def candidates(rows: list[list[object]], merged: list[MergedRange]) -> Iterator[HeaderInfo]:
    """Every plausible header (one- and two-row) among the first rows, top to bottom."""
    limit = min(len(rows), SCAN_ROWS)
    for r in range(limit):
        labels = _row_text(rows[r])
        if sum(1 for x in labels if x) < 2:
            continue
        yield HeaderInfo(r, 1, labels)
        if r + 1 < len(rows):
            child = _row_text(rows[r + 1])
            if any(child):
                width = max(len(labels), len(child))
                yield HeaderInfo(r, 2, two_row_labels(labels, child, _horizontal_spans(merged, r, width)))


def _looks_like_subheader(rows: list[list[object]], merged: list[MergedRange], row: int) -> bool:
    if row + 1 >= len(rows):
        return False
    child = _row_text(rows[row + 1])
    return any(child[c] for first, last in _horizontal_spans(merged, row, len(child)) for c in range(first, last + 1))


def find_header(
    rows: list[list[object]],
    merged: list[MergedRange],
    score: Callable[[list[str]], int],
    min_score: int = MIN_SCORE,
) -> HeaderInfo | None:
    """The best-scoring header, or None when no candidate reaches ``min_score``."""
    best: HeaderInfo | None = None
    best_score = min_score - 1
    for candidate in candidates(rows, merged):
        value = score(candidate.labels)
        better = value > best_score
        tie_two_row = (
            value == best_score
            and best is not None
            and candidate.depth == 2
            and candidate.row == best.row
            and _looks_like_subheader(rows, merged, candidate.row)
        )
        # A sub-header row that reads as well alone as under the row above it (a title, a caption in
        # two cells) is the header by itself: that row adds no field, and its text is a title's.
        tie_lower_row = (
            value == best_score
            and best is not None
            and best.depth == 2
            and candidate.depth == 1
            and candidate.row == best.row + 1
        )
        if better or tie_two_row or tie_lower_row:
            best, best_score = candidate, value
    if best is not None:
        best.titles = titles_above(rows, best.row)
    return best


def titles_above(rows: list[list[object]], row: int) -> list[str]:
    return [str(v).strip() for r in rows[:row] for v in r if v is not None and str(v).strip()]


def town_from_titles(titles: list[str]) -> str | None:
    """The town named in a title ("珠龙镇2020年矛盾纠纷排查调处台账" -> "珠龙镇"); 全镇 or 本乡 names none."""
    for title in titles:
        for match in _TOWN.finditer(title.replace(" ", "")):
            name = re.sub(r"^(中国共产党|中共)", "", match.group(1))  # 中共珠龙镇委员会: the Party committee of 珠龙镇
            if (
                not name.endswith(("乡镇", "城镇", "村镇"))
                and not town_problem(name)
                and town_reading(name)[0] == "town"
            ):
                return name
    return None


_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def the_one_year(texts: list[str]) -> int | None:
    """The year the texts (a sheet's titles and name) name, when they name exactly one with 年 or 年度
    ("东坪乡2020年矛盾纠纷台账", a sheet 2020年); None for none, a span (2016—2025年) or several."""
    joined = [text.replace(" ", "") for text in texts]
    years = {int(y) for text in joined for y in _ANY_YEAR.findall(text)}
    if len(years) != 1 or not any(_YEAR.search(text) for text in joined):
        return None
    return years.pop()


def year_from_titles(titles: list[str]) -> int | None:
    """The year named in a title ("珠龙镇2020年…" -> 2020)."""
    for title in titles:
        match = _YEAR.search(title.replace(" ", ""))
        if match:
            return int(match.group(1))
    return None
