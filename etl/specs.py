"""Recognising a sheet by its headers: which dataset's spec a header row matches, and how.

``match`` scores every dataset's spec (``etl.datasets``) against a header row and returns the best
one whose required fields are all present; ``header_score`` ranks candidate header rows.
"""

from __future__ import annotations

import re

from etl.datasets import DATASETS
from etl.fields import Spec

SPECS: dict[str, Spec] = {name: d.spec for name, d in DATASETS.items()}

_UNIT_SUFFIX = re.compile(r"\([^()]*\)$")


def _alias_index(spec: Spec) -> dict[str, str]:
    """Alias -> field; an alias listed under two fields belongs to the first, as in a scan."""
    index: dict[str, str] = {}
    for f in spec.fields:
        for alias in f.aliases:
            index.setdefault(alias, f.name)
    return index


_ALIASES: dict[int, tuple[Spec, dict[str, str]]] = {}  # id(spec) -> (spec, its alias index)


def _aliases_of(spec: Spec) -> dict[str, str]:
    cached = _ALIASES.get(id(spec))
    if cached is None or cached[0] is not spec:
        cached = _ALIASES[id(spec)] = (spec, _alias_index(spec))
    return cached[1]


# A unit that changes what a number counts: 时长(分钟) is no number of hours, 人数(万) no head count.
_MAGNITUDE = re.compile(
    r"^(分钟|分|min|mins|秒|天|日|周|月|年|万|千|百|万元|千元|万人|%|‰|百分比|小数)$", re.IGNORECASE
)
NUMERIC_KINDS = frozenset(["number", "integer"])


def _suffix_refused(spec: Spec, label: str) -> tuple[str, str] | None:
    """(field, unit) where ``label`` names a numeric field with a unit that changes its magnitude."""
    suffix = _UNIT_SUFFIX.search(label)
    if suffix is None:
        return None
    name = _aliases_of(spec).get(label[: suffix.start()])
    unit = suffix.group()[1:-1].strip()
    if name is None or spec.field(name).kind not in NUMERIC_KINDS or not _MAGNITUDE.match(unit):
        return None
    return name, unit


def _one_label(spec: Spec, label: str) -> str | None:
    """The field ``label`` names as written, or without a unit suffix "(元)" that leaves its magnitude."""
    aliases = _aliases_of(spec)
    found = aliases.get(label)
    if found is None and _suffix_refused(spec, label) is None:
        found = aliases.get(_UNIT_SUFFIX.sub("", label))
    return found


_GROUP_SUFFIX = re.compile(r"(情况|信息|记录|事项)$")


def _tails(spec: Spec) -> dict[str, frozenset[str]]:
    """Text -> the fields with an alias ending in it (and longer): 日期 ends 结案日期 and 排查日期."""
    cached = _TAILS.get(id(spec))
    if cached is None or cached[0] is not spec:
        tails: dict[str, set[str]] = {}
        for f in spec.fields:
            for alias in f.aliases:
                for i in range(1, len(alias)):
                    tails.setdefault(alias[i:], set()).add(f.name)
        cached = _TAILS[id(spec)] = (spec, {t: frozenset(names) for t, names in tails.items()})
    return cached[1]


_TAILS: dict[int, tuple[Spec, dict[str, frozenset[str]]]] = {}


def _under_group(spec: Spec, label: str) -> str | None:
    """The field a two-row label "parent/child" names when the whole is no alias: the parent's words run
    into the child's (结案 over 日期: 结案日期; 答复情况 over 日期: 答复日期), or the child names a field on
    its own (备案情况 over 是否备案 | 备案日期, 合法性审查 over 审查日期 | 审查人), the parent being a group's
    label over its columns. A child that may be the tail of another field's name (日期 under 调解: 调解日期
    is no 受理日期) names nothing alone: that would be a guess."""
    at = label.find("/")
    while at > 0:
        parent, child = label[:at], label[at + 1 :]
        if child:
            for joined in dict.fromkeys((parent + child, _GROUP_SUFFIX.sub("", parent) + child)):
                found = _one_label(spec, joined)
                if found is not None:
                    return found
            found = _one_label(spec, child)
            if found is not None and not _tails(spec).get(child, frozenset()) - {found}:
                return found
        at = label.find("/", at + 1)
    return None


def field_for(spec: Spec, label: str) -> str | None:
    """The field a header label maps to in ``spec``, trying without a unit suffix "(元)" too, unless the
    unit changes what a number counts (时长(天) is no 学时; ``unit_refused`` says why); a two-row label
    that is no alias as a whole is read by its parts (``_under_group``)."""
    if not label:
        return None
    found = _one_label(spec, label)
    if found is None and "/" in label:
        found = _under_group(spec, label)
    return found


def unit_refused(spec: Spec, label: str) -> str | None:
    """Why ``label`` was not read as the numeric field it names: its unit (a sheet note), or None."""
    if not label or label in _aliases_of(spec):
        return None
    refused = _suffix_refused(spec, label)
    if refused is None:
        return None
    name, unit = refused
    return f"「{label}」的单位是「{unit}」，不能当作{spec.field(name).label}读，这一列没有读入；请换算后填在「{spec.field(name).label}」列"


def header_map(spec: Spec, labels: list[str]) -> dict[int, str]:
    """Column index -> field for every label that matches an alias of ``spec``."""
    mapping = {}
    for c, label in enumerate(labels):
        name = field_for(spec, label)
        if name is not None:
            mapping[c] = name
    return mapping


def _has_required(spec: Spec, fields: set[str]) -> bool:
    return all(any(name in fields for name in group) for group in spec.required)


def score(spec: Spec, labels: list[str]) -> int:
    """How many distinct fields of ``spec`` the labels name (the town column doesn't count)."""
    return len(set(header_map(spec, labels).values()) - {"town"})


def match(labels: list[str]) -> tuple[Spec, dict[int, str]] | None:
    """The best-scoring spec whose required fields are all present, with its column map."""
    best: tuple[int, Spec, dict[int, str]] | None = None
    for spec in SPECS.values():
        mapping = header_map(spec, labels)
        fields = set(mapping.values())
        if not _has_required(spec, fields):
            continue
        value = len(fields - {"town"})
        if best is None or value > best[0]:
            best = (value, spec, mapping)
    return None if best is None else (best[1], best[2])


def header_score(labels: list[str]) -> int:
    """Score for header detection: best alias count over all specs, doubled when one is complete."""
    best = 0
    for spec in SPECS.values():
        mapping = header_map(spec, labels)
        fields = set(mapping.values()) - {"town"}
        value = len(fields) * 2 + (1 if _has_required(spec, fields | {"town"}) else 0)
        best = max(best, value)
    return best
