"""Pure, vectorised cell normalisers: dates, yes/no marks, categories, villages, outcomes.

Each ``parse_*`` function reads one raw cell and returns ``(value, error, warning)``; ``column``
applies one to a whole Series by parsing each *distinct* value once and mapping the results
back, so a 100,000-row column costs one dictionary lookup per row, not one parse.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from etl.columns import booleans, days_to_dates, integers
from etl.dates import AHEAD, out_of_range, read_date

Outcome = tuple[object, str | None, str | None]  # (value, reject reason, warning)
CellParser = Callable[[object], Outcome]

UNIX_EPOCH = date(1970, 1, 1)
_SPACES = re.compile(r"\s+")


class Parsed:
    """A normalised column: ``array`` plus, row by row, a reject reason or a warning (else None).

    ``array`` is a numpy array (``etl.columns`` says which kind holds what); ``values`` is the
    same column as a pandas Series, for callers outside the load path. Messages and text are
    built on first use: most columns have no message at all, and ``has_errors``/``has_warnings``
    say so without a pass over 100,000 Nones.
    """

    def __init__(
        self,
        array: Any,
        errors: np.ndarray | None = None,
        warnings: np.ndarray | None = None,
        text: np.ndarray | Callable[[], np.ndarray] | None = None,
    ) -> None:
        self.array = array
        self._errors = errors  # None: no row has one
        self._warnings = warnings
        self._text = text  # the raw cells as trimmed text, or how to make it cheaply; None: not cheap

    @property
    def values(self) -> Any:
        """The column as a pandas Series (imports pandas: not for the load path)."""
        from etl.columns import as_series

        return as_series(self.array)

    @property
    def boolean(self) -> bool:
        return bool(self.array.dtype == np.bool_)

    def _none(self) -> np.ndarray:
        return np.full(len(self.array), None, dtype=object)

    @property
    def has_errors(self) -> bool:
        return self._errors is not None

    @property
    def has_warnings(self) -> bool:
        return self._warnings is not None

    @property
    def errors(self) -> np.ndarray:
        if self._errors is None:
            self._errors = self._none()
        return self._errors

    @errors.setter
    def errors(self, errors: np.ndarray | None) -> None:
        self._errors = errors

    @property
    def warnings(self) -> np.ndarray:
        if self._warnings is None:
            self._warnings = self._none()
        return self._warnings

    @warnings.setter
    def warnings(self, warnings: np.ndarray | None) -> None:
        self._warnings = warnings

    @property
    def text(self) -> np.ndarray | None:
        if callable(self._text):
            self._text = self._text()
        return self._text


@dataclass(frozen=True)
class Distinct:
    """A column's distinct values and, per row, which one it holds: ``cells == uniques[codes]``.

    Touching 100,000 cell objects costs ≈ 10 ms a pass (each is a separate allocation, so a cache
    miss), so a column is grouped once and every check and parse works on ``uniques``.
    """

    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, array: np.ndarray) -> Distinct:
        codes, uniques = factorize(array)
        return cls(codes, uniques)

    def rows_where(self, hits: np.ndarray) -> np.ndarray:
        """Rows whose value is a hit (``hits`` is a boolean per unique)."""
        return hits[self.codes] if len(self.uniques) else np.zeros(len(self.codes), dtype=bool)

    def equal_to(self, value: object) -> np.ndarray:
        """Rows whose cell ``== value`` (for a value no missing cell can equal: not None or NaN)."""
        return self.rows_where(np.asarray(self.uniques == value, dtype=bool))

    def isin(self, values: frozenset[str]) -> np.ndarray:
        return self.rows_where(np.fromiter((u in values for u in self.uniques), dtype=bool, count=len(self.uniques)))


def objects(values: Any) -> np.ndarray:
    """Cells as a 1-D object array (a list, an array or a pandas Series)."""
    array = values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else np.asarray(values, dtype=object)
    return array.reshape(-1) if array.ndim != 1 else array


def is_missing(value: object) -> bool:
    """None or a NaN: what pandas counts as missing in a cell."""
    return value is None or (isinstance(value, float) and value != value)


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def as_text(value: object) -> str | None:
    """A cell as trimmed text: 123.0 -> "123", a date -> "2020-03-05", blank -> None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def compact(value: object) -> str:
    """Text for matching: every space removed, full-width forms folded (``"调 解 成 功"``, ``"Ｙ"``)."""
    text = as_text(value)
    if not text:
        return ""
    if not text.isascii():  # ２０２０, Ｙ, 　(full-width space), ✔️ (with its emoji selector)
        text = unicodedata.normalize("NFKC", text).replace("\ufe0f", "")
    return _SPACES.sub("", text)


def factorize(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(array, use_na_sentinel=False)`` for an object array, without pandas.

    One C-level pass over the cells: ``dict.setdefault`` gives each cell the row where its value
    first appears, and a running count of first appearances turns those rows into codes. The
    missing cells (None, NaN) become one NaN unique at the end, as pandas makes them. Equal cells
    are one value as Python's ``==`` and ``hash`` say (1, 1.0 and True alike), again as pandas'
    object hash table does.
    """
    count = len(array)
    seen: dict[object, int] = {}
    first = np.fromiter(map(seen.setdefault, array, range(count)), dtype=np.intp, count=count)
    starts = first == np.arange(count)
    codes = (np.cumsum(starts) - 1)[first]
    uniques = array[starts]
    missing = [i for i, u in enumerate(uniques) if is_missing(u)]
    if not missing:
        return codes, uniques
    kept = np.ones(len(uniques), dtype=bool)
    kept[missing] = False
    remap = np.empty(len(uniques), dtype=np.intp)
    remap[kept] = np.arange(int(kept.sum()))
    remap[missing] = int(kept.sum())
    merged = np.empty(int(kept.sum()) + 1, dtype=object)
    merged[:-1] = uniques[kept]
    merged[-1] = math.nan
    return remap[codes], merged


def column(
    cells: Any,
    parser: CellParser,
    distinct: Distinct | None = None,
    convert: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Parsed:
    """Apply ``parser`` to each distinct value of ``cells`` once and spread the results back.

    ``distinct`` (the column already grouped) gives each row the code of its distinct value, so
    spreading is one numpy ``take`` per output rather than a dictionary lookup per row.
    ``convert`` turns the parsed distinct values into their column type (booleans, dates) before
    they are spread: the same result as converting every row, at the cost of one row per value.
    """
    if distinct is None:
        distinct = Distinct.of(objects(cells))
    codes, uniques = distinct.codes, distinct.uniques
    count = len(uniques)
    values = np.empty(count, dtype=object)
    errors = np.full(count, None, dtype=object)
    warnings = np.full(count, None, dtype=object)
    for i, unique in enumerate(uniques):
        values[i], errors[i], warnings[i] = parser(unique)

    def spread(array: np.ndarray) -> np.ndarray:
        return array.take(codes) if count else array[:0]

    def text() -> np.ndarray:
        return spread(np.array([as_text(u) for u in uniques], dtype=object))

    return Parsed(
        spread(values if convert is None else convert(values)),
        spread(errors) if _any_message(errors) else None,
        spread(warnings) if _any_message(warnings) else None,
        text if count <= len(codes) // 4 else None,
    )


def _any_message(messages: np.ndarray) -> bool:
    return any(m is not None and m == m for m in messages)  # a str, not None or NaN


# --- dates -------------------------------------------------------------------------------------


def to_date(value: object) -> date | None:
    """A cell as a date (a month as its first day), or None when it is not one (raises nothing)."""
    if isinstance(value, bool) or is_blank(value):
        return None
    reading = read_date(value)
    return reading.day or reading.month


def date_parser(month: str | None = "first", latest: date | None = None) -> CellParser:
    """A cell parser for dates whose value is days since 1970-01-01 (float), for one-step conversion.

    ``month``: what a month with no day becomes: ``"first"`` its first day (the period is still
    certain, so with a warning), ``"last"`` its last day (an expiry date), None a reject (a day
    is needed, e.g. to tell whether a filing was in time). ``latest``: the last plausible day.
    """

    def parse(value: object) -> Outcome:
        # A date cell (most cells of a date column) is read as read_date would, without its steps.
        if type(value) is datetime:
            return _day_outcome(value.date(), None, latest)
        if type(value) is date:
            return _day_outcome(value, None, latest)
        if is_blank(value):
            return (math.nan, None, None)
        reading = read_date(value)
        day, warning = reading.day, reading.warning
        if day is None and reading.month is not None:
            text = as_text(value)
            if month is None:
                return (math.nan, f"日期只有年月，缺少日：{text}", None)
            if month == "last":
                following = (reading.month.replace(day=28) + timedelta(days=4)).replace(day=1)
                day, where = following - timedelta(days=1), "最后一天"
            else:
                day, where = reading.month, "1日"
            warning = f"日期只有年月，缺少日：{text}，按当月{where}计"
        if day is None:
            return (math.nan, reading.reason, None)
        return _day_outcome(day, warning, latest)

    return parse


def _day_outcome(day: date, warning: str | None, latest: date | None) -> Outcome:
    reason = out_of_range(day, latest=latest or date.today() + AHEAD)
    if reason is not None:
        return (math.nan, reason, None)
    return (float((day - UNIX_EPOCH).days), None, warning)


parse_date = date_parser()


def date_column(cells: Any, distinct: Distinct | None = None, parser: CellParser = parse_date) -> Parsed:
    """Dates as a ``datetime64[D]`` column (NaT where blank or unreadable)."""
    return column(cells, parser, distinct, days_to_dates)


# --- yes/no marks ------------------------------------------------------------------------------

TRUE_MARKS = frozenset(
    ["√", "✓", "✔", "☑", "✅", "🗸", "●", "是", "有", "已", "对", "V", "Y", "YES", "TRUE", "T", "1", "1.0"]
)
FALSE_MARKS = frozenset(
    ["×", "✗", "✘", "X", "否", "无", "未", "不", "没有", "N", "NO", "FALSE", "F", "0", "0.0", "-", "--", "—", "——", "/"]
)


# What makes a text say no, or not yet, wherever it stands: 暂未公开, 涉密不公开, 待公开, 拟公开, 有待审查.
NOT_YET = ("未", "不", "没", "无", "否", "待", "拟", "暂缓")


# Acts a yes/no column is about: 已审查, 未备案, 不公开, 已于3月5日报备 name one and are marks as plain as √
# and ×. Not 通过: 未通过 was a review that found fault, not no review.
_ACTS = (
    "审查", "审核", "审定", "备案", "报备", "报送", "报县", "公开", "公布", "发布", "公示", "签订", "签署", "履行",
    "出庭", "参加", "参训", "到会", "出席", "取得", "激化", "办理", "答复", "送审", "报审", "清理", "整改", "执行",
    "按时", "及时", "完成", "落实", "开展", "提交", "上报", "登记", "在岗",
)  # fmt: skip
# Texts that say yes though they begin as a no would: a review with no objection was a review.
YES_WORDS = frozenset(["无异议", "无问题", "无不同意见", "审查通过", "同意", "合法"])
_NOTE = re.compile(r"[（(【\[].*?[）)】\]]")


def notes_in(text: str) -> list[str]:
    """The bracketed notes of ``text``: 张伟（请假） has 请假."""
    return [note[1:-1] for note in _NOTE.findall(text)]


def without_notes(text: str) -> str:
    """``text`` without its bracketed notes: 在岗（借调） is 在岗, 已备案（补报） is 已备案."""
    return _NOTE.sub("", text)


def read_mark(value: object) -> tuple[bool | None, bool]:
    """A yes/no mark as a bool (None when blank or not a mark), and whether it was read from its first
    character alone: 已故, 已调任, 无意见 are read 是/否/否 by 已/无 but may mean otherwise, so the
    callers say so (``parse_mark`` and its kin). 已审查, 未备案, 不公开 name the act and are plain."""
    if isinstance(value, bool):
        return value, False
    if isinstance(value, (int, float)) and not is_blank(value):
        return (bool(value) if value in (0, 1) else None), False
    text = compact(value).upper()
    if not text:
        return None, False
    if text in TRUE_MARKS or text in YES_WORDS:
        return True, False
    if text in FALSE_MARKS:
        return False, False
    rest = without_notes(text[1:].removeprefix("经"))
    plain = not rest or any(act in rest for act in _ACTS)
    if text[0] in "未不否无没":  # 未备案, 未激化, 不公开
        return False, not plain
    if text[0] in "已是有" and not any(cue in text for cue in NOT_YET):  # 已审查, 是（经司法所审查）; not 有待审查
        return True, not plain
    return None, False


def to_bool(value: object) -> bool | None:
    """A yes/no mark as a bool; None when blank or not a mark (``read_mark``, whether inferred or not)."""
    return read_mark(value)[0]


def _inferred(value: object, parsed: bool) -> str:
    return f"「{as_text(value)}」按开头的「{compact(value)[0]}」读作{'是' if parsed else '否'}，请核对"


def parse_mark(value: object) -> Outcome:
    """A yes/no cell; blank is False, anything unreadable is rejected."""
    if is_blank(value):
        return (False, None, None)
    parsed, inferred = read_mark(value)
    if parsed is None:
        return (None, f"无法识别的是否标记：{as_text(value)}", None)
    return (parsed, None, _inferred(value, parsed) if inferred else None)


def parse_optional_mark(value: object) -> Outcome:
    """A yes/no cell whose blank means unknown (None); unreadable is a warning, not a reject."""
    if is_blank(value):
        return (None, None, None)
    parsed, inferred = read_mark(value)
    if parsed is None:
        return (None, None, f"无法识别的是否标记：{as_text(value)}，已按未填处理")
    return (parsed, None, _inferred(value, parsed) if inferred else None)


# Circulation that is not publication: 内部传阅, 涉密 and 保密 whatever else is said; 仅印发至各村,
# 内部发文, 抄送各单位 when no public channel is named as well.
_NOT_PUBLIC = ("内部", "涉密", "保密", "密件", "机密", "秘密")
_CIRCULATED = ("仅", "传阅", "印发至", "印发到", "发至", "发到", "送至", "下发", "抄送", "各村", "各单位", "各部门")
# Channels that put a text before the public: 政府网站, 政务公开栏, 公示栏, 公众号, 张贴, 依申请公开.
_PUBLIC_CHANNELS = (
    "网", "公开", "公告", "公示", "公布", "发布", "张贴", "栏", "报", "公众号", "微信", "微博", "新媒体", "平台",
    "广播", "电视", "媒体", "社会", "APP", "政务服务",
)  # fmt: skip


def parse_mark_or_text(value: object) -> Outcome:
    """Yes when marked so, or when it names a public channel (政府网站, 政务公开栏) or is a date; a
    text saying no or not yet in the middle (涉密不公开, 暂未公开, 待公开) is no, and so is internal
    circulation (内部传阅, 涉密, 仅印发至各村): each said. Any other text is yes, and said."""
    if is_blank(value):
        return (False, None, None)
    parsed, inferred = read_mark(value)
    if parsed is not None:
        return (parsed, None, _inferred(value, parsed) if inferred else None)
    text = compact(value).upper()
    cue = next((c for c in NOT_YET if c in text), None)
    if cue is not None:
        return (False, None, f"「{as_text(value)}」含有「{cue}」，按否计入，请核对")
    public = any(channel in text for channel in _PUBLIC_CHANNELS)
    internal = next((c for c in _NOT_PUBLIC if c in text), None)
    if internal is None and not public:
        internal = next((c for c in _CIRCULATED if c in text), None)
    if internal is not None:
        return (False, None, f"「{as_text(value)}」是内部发送或涉密，不是向社会公开，按未公开计入，请核对")
    if public or to_date(value) is not None:
        return (True, None, None)
    return (True, None, f"「{as_text(value)}」没有写明公开途径，按已公开计入，请核对")


def parse_mark_or_date(value: object) -> Outcome:
    """Yes for a yes-mark or a date (审查日期 2020-03-05); a sentence naming the act done, and no no
    (经司法所合法性审查, 法律顾问审查) or a bare 通过, is yes and said; other text is rejected."""
    if is_blank(value):
        return (False, None, None)
    parsed, inferred = read_mark(value)
    if parsed is not None:
        return (parsed, None, _inferred(value, parsed) if inferred else None)
    if to_date(value) is not None or _dated_act(value):
        return (True, None, None)
    text = compact(value)
    if (text == "通过" or any(act in text for act in _ACTS)) and not any(cue in text for cue in NOT_YET):
        return (True, None, f"「{as_text(value)}」按已办理（是）计入，请核对")
    return (None, f"无法识别的是否标记：{as_text(value)}", None)


DATE_IN_TEXT = re.compile(r"(?:(\d{4})\s*[年./-]\s*)?(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*[日号]?")


def _dated_act(value: object) -> bool:
    """A sentence that says the act was done on a day, with no no in it: 2024年8月15日已备案. Its
    builder reads the day from it (``etl.datasets.documents``)."""
    text = compact(value)
    return (
        DATE_IN_TEXT.search(text) is not None
        and any(act in text for act in _ACTS)
        and not any(cue in text for cue in NOT_YET)
    )


# --- people ------------------------------------------------------------------------------------

_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·"})


def person_name(value: object) -> str | None:
    """A name as a person reads it: 王  芳, 王　芳 and ＷＡＮＧ are 王芳 and WANG, 王芳（队长） is 王芳.

    Spaces between Chinese characters only align two-character names; full-width forms and the
    dot between the parts of a minority name (阿依古丽·买买提) are written several ways.
    """
    text = as_text(value)
    if text is None:
        return None
    text = without_notes(unicodedata.normalize("NFKC", text).translate(_DOTS))  # 王芳（队长）, 张伟(综合办)
    return _SPACES.sub(" ", _CJK_GAP.sub("", text)).strip() or None


# Names listed in one cell: 张三、李四、王五 (a session's attendees), 张三,李四. Not a space: 诸葛 秘名 is one
# name spaced out, as person_name reads it.
_SEVERAL_NAMES = re.compile(r"^[\u3400-\u9fff·]{2,6}\s*[、，,；;/／]\s*[\u3400-\u9fff·]{2,6}")


# A group written where a name goes: 王芳等5人, 全体执法人员, 执法队全体, 王芳等人.
_GROUP = re.compile(r"等\s*[\d一二两三四五六七八九十]+\s*(?:人|名)|等人$|全体|所有人")


def parse_person(value: object) -> Outcome:
    name = person_name(value)
    text = as_text(value) or ""
    if name and _GROUP.search(text):
        return (
            name,
            None,
            f"「{text}」写的是一群人，不是一个人的姓名；本台账每行按一人计（这一格计作一人，与名册对不上）；请每人一行登记",
        )
    if name and _SEVERAL_NAMES.match(text.strip()):
        return (
            name,
            None,
            f"「{text}」像是写了几个人，本台账每行按一人计（这一格计作一人，与名册对不上）；请每人一行登记",
        )
    return (name, None, None)


# --- numbers, rates, text ----------------------------------------------------------------------

_NUMBER_TEXT = re.compile(
    r"^[^\d\-+.]*([-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+)\s*(件|人|次|个|元|万元|小时|学时|h|户|起|年度|年)?$"
)


def to_number(value: object) -> float | None:
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER_TEXT.match(compact(value))
    if not match:
        return None
    number = float(match.group(1).replace(",", ""))
    return number * 10000 if match.group(2) == "万元" else number


def parse_number(value: object) -> Outcome:
    if is_blank(value):
        return (math.nan, None, None)
    number = to_number(value)
    if number is None:
        return (math.nan, None, f"无法识别的数字：{as_text(value)}，已按未填处理")
    return (number, None, None)


def to_rate(value: object) -> float | None:
    """A rate as a fraction: "96.7%" -> 0.967, 0.967 -> 0.967, 96.7 -> 0.967."""
    if isinstance(value, bool) or is_blank(value):
        return None
    text = compact(value)
    percent = text.endswith(("%", "％"))
    number = to_number(text.rstrip("%％")) if isinstance(value, str) else to_number(value)
    if number is None:
        return None
    return number / 100 if percent or number > 1 else number


def parse_rate(value: object) -> Outcome:
    if is_blank(value):
        return (math.nan, None, None)
    rate = to_rate(value)
    if rate is None:
        return (math.nan, None, f"无法识别的比率：{as_text(value)}，已按未填处理")
    return (rate, None, None)


def parse_text(value: object) -> Outcome:
    return (as_text(value), None, None)


_strip = np.frompyfunc(str.strip, 1, 1)  # a ufunc: str.strip over an object array, in C
_SAMPLE = 1024  # rows looked at to guess whether a column repeats a few values
_NUMBER_TYPES = frozenset([int, float])


def _few_distinct(array: np.ndarray) -> bool:
    """Whether the column's first rows repeat a handful of values (then parse per distinct value)."""
    if len(array) < 4 * _SAMPLE:
        return False
    return len(dict.fromkeys(array[:_SAMPLE])) * 8 <= _SAMPLE


def _all_str(array: np.ndarray) -> bool:
    return set(map(type, array)) <= {str}


def _numbers(array: np.ndarray) -> np.ndarray | None:
    """The cells as float64 when every one is a number (int or float, not bool) or missing, else None."""
    if not set(map(type, array)) <= _NUMBER_TYPES | {type(None)}:
        return None
    return np.array(array, dtype="float64")


def _blank_to_none(texts: np.ndarray) -> np.ndarray:
    texts[texts == ""] = None
    return texts


def _strings(array: np.ndarray, few: bool = False) -> np.ndarray | None:
    """Trimmed text (None where blank) when every cell is a str, else None.

    ``few``: the cells are already distinct values, so there is nothing to group.
    """
    if not few and _few_distinct(array):
        codes, uniques = factorize(array)
        if not len(uniques) or not _all_str(uniques):
            return None
        return _blank_to_none(_strip(uniques)).take(codes)
    if few and not _all_str(array):
        return None
    try:
        return _blank_to_none(_strip(array))
    except TypeError:  # a cell that is not a str
        return None


def text_column(cells: Any, distinct: Distinct | None = None) -> Parsed:
    """Cells as trimmed text; columns of plain strings or whole numbers skip the per-value path."""
    if distinct is not None:
        texts = _strings(distinct.uniques, few=True)
        if texts is not None:
            return Parsed(texts.take(distinct.codes) if len(texts) else texts)
        return column(cells, parse_text, distinct)
    array = objects(cells)
    stripped = _strings(array)
    if stripped is not None:
        return Parsed(stripped)
    numbers = _numbers(array)
    if numbers is not None and len(numbers) and not np.isnan(numbers).any() and (numbers % 1 == 0).all():
        texts = np.empty(len(numbers), dtype=object)
        texts[:] = list(map(str, numbers.astype("int64").tolist()))
        return Parsed(texts)
    return column(array, parse_text)


INTEGER_MAX = 2_147_483_647  # what the warehouse's INTEGER columns hold


def number_column(cells: Any, integer: bool = False) -> Parsed:
    """Numbers (float64, or integers with a mask); a column of real numbers is converted in one step.

    ``integer`` columns are counts (件数, 人数) and years: a negative number, a fraction or one past what
    the warehouse holds is no count, so it is a warning and counts as not filled in, never rounded or
    wrapped into a figure."""
    array = objects(cells)
    numbers = _numbers(array)
    parsed = Parsed(numbers) if numbers is not None else column(array, parse_number)
    numbers = np.asarray(parsed.array, dtype="float64")
    if integer:
        _no_count(numbers, parsed)
    parsed.array = integers(numbers) if integer else numbers
    return parsed


def _no_count(numbers: np.ndarray, parsed: Parsed) -> None:
    """Blank (NaN) the cells of ``numbers`` that are no count, each with its warning on ``parsed``."""
    with np.errstate(invalid="ignore"):
        negative, huge = numbers < 0, numbers > INTEGER_MAX
        fraction = ~negative & ~huge & (numbers % 1 != 0) & ~np.isnan(numbers)
    for bad, why in ((negative, "不能为负数"), (fraction, "应为整数"), (huge, "数字过大")):
        for i in np.flatnonzero(bad):  # a handful at most in a real sheet
            parsed.warnings[i] = f"{why}：{numbers[i]:g}，已按未填处理"
        numbers[bad] = np.nan


def rate_column(cells: Any, distinct: Distinct | None = None) -> Parsed:
    """Rates as fractions (float64, NaN where blank)."""
    parsed = column(cells, parse_rate, distinct)
    parsed.array = np.asarray(parsed.array, dtype="float64")
    return parsed


def bool_column(cells: Any, parser: CellParser = parse_mark, distinct: Distinct | None = None) -> Parsed:
    """Yes/no marks as booleans with a mask where unknown (``etl.columns.booleans``)."""
    return column(cells, parser, distinct, booleans)


def none_if_nan(array: np.ndarray) -> np.ndarray:
    """An object array with None instead of NaN (for text columns); untouched when there is none."""
    if array.dtype != object:
        return array
    missing = array != array  # NaN and NaT only; cheaper than a missing check per cell
    if not missing.any():
        return array
    array = array.copy()
    array[missing] = None
    return array
