"""Names that come from people and files, checked or made harmless on the way in.

- A **town** name (``--town``, the data page's town box, ``default_town`` in settings, a 乡镇 cell)
  must look like a place name: 2–20 letters (汉字 or Latin), digits, the middle dot of minority
  names and full-width brackets, nothing else. A name with markup (``![t](http://…)镇``, ``<script>``), punctuation or
  control characters is refused with ``town_problem``'s Chinese reason, because a town is shown in
  every page heading, report title and file name. A 乡镇 cell may say something else than a name,
  which ``town_reading`` tells apart: a town's body (珠龙镇人民政府), the town itself (全镇, 镇本级)
  or a level above it (县直).
- An upload's **file name** is the client's, so it is never used as it came: ``shown_file_name``
  is what is stored, shown and used as the name of the temporary copy inside a fresh private
  folder: the last path part (no ``/``, ``\\``, ``..``), control and direction-changing characters
  dropped, cut to a length a heading and a file system can hold, with its extension kept.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

TOWN_MIN, TOWN_MAX = 2, 20
MIDDLE_DOTS = "·・•‧"  # what 间隔号 looks like in different input methods
TOWN_EXTRA = MIDDLE_DOTS + "（）"  # full-width brackets: 城关镇（街道）
FILE_NAME_MAX = 80  # characters kept of an upload's name (a heading must hold it)
FILE_NAME_BYTES = 200  # and its UTF-8 bytes: a file system allows 255 for a name
SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def town_problem(name: str) -> str | None:
    """Why ``name`` is no plausible town name (a Chinese sentence), or None when it is one."""
    if TOWN_MIN <= len(name) <= TOWN_MAX and all(ch.isalnum() or ch in TOWN_EXTRA for ch in name):
        return None
    # An invisible character is what is wrong with a name that looks right: shown by its code point.
    shown = _CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", name)
    shown = shown if len(shown) <= TOWN_MAX * 2 else shown[: TOWN_MAX * 2] + "…"
    return (
        f"乡镇名称「{shown}」不是有效的地名：应为 {TOWN_MIN}–{TOWN_MAX} 个汉字、字母或数字"
        f"（可含间隔号·和全角括号），不能含空格、其他标点、符号或控制字符"
    )


# What a 乡镇 cell says when it names no town: the town itself (全镇, 镇本级, 本镇, 镇直: its own
# offices' matters), or a level above any town (县直, 市本级, 全县): not a town of a township's ledger.
_BODIES = (
    "人民政府|政府|党委政府|党委|党工委|镇委|乡委|办事处|街道办|人大主席团|人大|"
    "司法所|综治中心|综治办|人民调解委员会|调解委员会|调委会"
)
_THIS_TOWN = re.compile(
    rf"(?:全|本|该)(?:镇|乡|街道)|(?:乡镇|镇|乡|街道)(?:本级|直|直属|属|级|机关|{_BODIES})(?:单位|部门|机关)?|本级"
)
_ABOVE_TOWN = re.compile(
    r"全(?:县|市|区|旗)|(?:县|市|区|旗)(?:本级|直|直属|属|级|机关|委|政府|人民政府)(?:单位|部门|机关)?"
)
# A town's own body (珠龙镇人民政府, 珠龙镇党委, 东街街道办事处, 珠龙镇司法所): that town.
_TOWN_BODY = re.compile(rf"(.+?(?:街道|镇|乡))(?:{_BODIES})")


def town_reading(cell: str) -> tuple[str, str | None]:
    """How a 乡镇 cell is read: ("town", name) for a town's name, or its own body's (珠龙镇人民政府 is
    珠龙镇); ("this", None) for the town itself, whichever the ledger is of (全镇, 镇本级, 镇直);
    ("above", None) for a county's or city's own level (县直, 市本级), which no town's figure counts."""
    text = "".join(cell.split())
    if _THIS_TOWN.fullmatch(text):
        return ("this", None)
    if _ABOVE_TOWN.fullmatch(text):
        return ("above", None)
    body = _TOWN_BODY.fullmatch(text)
    if body and town_problem(body.group(1)) is None and not body.group(1).endswith(("乡镇", "城镇", "村镇")):
        return ("town", body.group(1))
    return ("town", cell)


def check_town(name: str) -> str:
    """``name`` trimmed, when it is a plausible town name; else ``ValueError`` with the reason."""
    name = unicodedata.normalize("NFC", name.strip())
    problem = town_problem(name)
    if problem:
        raise ValueError(problem)
    return name


def shown_file_name(name: str) -> str:
    """An upload's client file name as it may be stored, shown and used inside a private folder:
    its last path part (``/`` or ``\\``), without control or direction-changing characters, at
    most ``FILE_NAME_MAX`` characters and ``FILE_NAME_BYTES`` bytes with its extension kept;
    never empty, never ``.`` or ``..``."""
    last = _CONTROLS.sub("", name).replace("\\", "/")
    last = PurePosixPath(last).name.strip(" .") if "/" in last or last.strip(" .") else ""
    suffix = SUFFIX.search(last)
    ext = suffix.group(0) if suffix else ""
    if len(last) > FILE_NAME_MAX or len(last.encode()) > FILE_NAME_BYTES:
        stem = last[: len(last) - len(ext)][: FILE_NAME_MAX - len(ext) - 1]
        while len((stem + "…" + ext).encode()) > FILE_NAME_BYTES:
            stem = stem[:-1]
        last = stem + "…" + ext
    return last if last.strip(" .…") else "upload" + ext
