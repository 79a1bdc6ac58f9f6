"""One declarative spec per dataset: its table, fields, header aliases, kinds and required fields.

A sheet is recognised by its headers alone: ``match`` scores every spec against a header row and
returns the best one whose required fields are all present. ``kind`` names a cell parser in
``etl.normalise`` (see ``KINDS`` in ``etl.parse``). A field name with a colon
(``outcome:success``) is a sub-column of a two-row header, marked √ / 是 / 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.headers import clean_header


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    aliases: tuple[str, ...]
    label: str = ""  # Chinese name used in messages ("受理日期为空")


@dataclass(frozen=True)
class Spec:
    dataset: str  # table name in analytics/schema.sql
    label: str
    fields: tuple[Field, ...]
    required: tuple[tuple[str, ...], ...]  # each group needs at least one of its fields
    columns: tuple[str, ...]  # the table's columns except load_id, in order

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _f(name: str, kind: str, aliases: str, label: str = "") -> Field:
    return Field(name, kind, tuple(clean_header(a) for a in aliases.split()), label or aliases.split()[0])


def _sub(name: str, kind: str, parents: str, children: str, label: str) -> Field:
    """A sub-column of a two-row header: every parent/child combination is an alias."""
    combos = " ".join(f"{p}/{c}" for p in parents.split() for c in children.split())
    return _f(name, kind, combos, label)


PROVENANCE = ("town", "source_file", "sheet", "excel_row")
TOWN = _f("town", "text", "乡镇 所属乡镇 乡镇(街道) 镇街 乡镇名称", "乡镇")
_PERIOD = _f("period", "text", "年度 期间 年份 统计期间 年度/期间 时间 统计年度", "期间")
_FORM_PARENTS = "调解方式 协议形式 调解形式 调解协议形式"
_OUTCOME_PARENTS = "调解结果 调处结果 调解情况 结果"

DISPUTES = Spec(
    "disputes",
    "矛盾纠纷排查调处台账",
    (
        _f("received_date", "date", "受理日期 受理时间 排查日期 排查时间 登记日期 日期 收案日期 接案日期", "受理日期"),
        _f("village", "village", "所属村(社区) 所属村居 村(社区) 村居 纠纷发生地 发生地点 所在村 所属村 村别 村(居)"),
        _f("category", "category", "纠纷类型 纠纷类别 类别 案件类型 纠纷种类 类型"),
        _f("agreement_form", "form", _FORM_PARENTS, "调解方式"),
        _sub("agreement_form:written", "mark", _FORM_PARENTS, "书面 书面协议 书面调解", "调解方式/书面"),
        _sub("agreement_form:oral", "mark", _FORM_PARENTS, "口头 口头协议 口头调解", "调解方式/口头"),
        _f("agreement_form:is_written", "optional_mark", "是否书面协议 是否书面调解 是否签订书面协议 是否达成书面协议 是否书面 书面协议(是/否)", "是否书面协议"),
        _f("agreement_form:is_oral", "optional_mark", "是否口头协议 是否口头调解 是否口头", "是否口头协议"),
        _f("joint", "joint", "联合调解 是否联合调解 调解方式/联合 调解方式/联合调解", "联合调解"),
        _f("joint_body", "joint_body", "调解主体 调解单位 参与调解单位", "调解主体"),
        _f("outcome", "outcome", _OUTCOME_PARENTS, "调解结果"),
        _sub("outcome:success", "mark", _OUTCOME_PARENTS, "成功 调解成功 达成协议 已化解", "调解结果/成功"),
        _sub("outcome:failed", "mark", _OUTCOME_PARENTS, "失败 调解失败 不成功 调解不成 调解不成功 未成功 未化解 终止调解", "调解结果/失败"),
        _sub("outcome:pending", "mark", _OUTCOME_PARENTS, "调解中 在办 未结 正在调解", "调解结果/调解中"),
        _f("escalated", "optional_mark", "是否激化 激化情况 是否激化升级 有无激化", "是否激化"),
        _f("referred", "referred", "引导诉讼 转诉讼 处理去向 后续处理 是否引导诉讼", "引导诉讼"),
        _f("case_no", "text", "编号 案件编号 案号 登记编号"),
        _f("parties", "text", "当事人 当事人姓名 双方当事人 当事人信息"),
        _f("mediator", "text", "调解员 调解人 承办人"),
        _f("summary", "text", "纠纷简要情况 简要案情 纠纷情况 主要事实 纠纷简况 基本情况"),
        _f("amount", "number", "涉及金额 涉案金额 涉及金额(元) 金额 金额(元) 涉及金额(万元)"),
        _f("people", "integer", "涉及人数 人数 涉及人数(人)"),
        _f("closed_date", "optional_date", "结案日期 结案时间 调结日期 办结日期"),
        _f("follow_up", "text", "回访情况 回访 回访记录"),
        _f("note", "text", "备注"),
        TOWN,
    ),
    (("received_date",), ("outcome", "outcome:success", "outcome:failed")),
    (
        *PROVENANCE, "received_date", "village", "village_raw", "category", "category_raw",
        "agreement_form", "joint", "outcome", "outcome_raw", "escalated", "referred", "case_no",
        "parties", "mediator", "summary", "amount", "people", "closed_date", "follow_up", "note", "extra",
    ),
)  # fmt: skip

DISPUTE_SUMMARIES = Spec(
    "dispute_summaries",
    "矛盾纠纷汇总表",
    (
        _PERIOD,
        _f("disputes_total", "integer", "排查数 排查总数 排查件数 矛盾纠纷排查数 排查矛盾纠纷数 纠纷总数 受理数 排查数(件) 排查纠纷数"),
        _f("written", "integer", "书面调解 书面调解数 书面调解(件) 书面调解件数 书面"),
        _f("oral", "integer", "口头调解 口头调解数 口头调解(件) 口头调解件数 口头"),
        _f("joint", "integer", "联合调解 联合调解数 联合调解(件) 联合调解件数"),
        _f("success", "integer", "调解成功数 调解成功 成功数 调解成功件数 调解成功(件) 调解成功数(件)"),
        _f("reported_rate", "rate", "调解率 调解成功率 调解率(%) 调解成功率(%)"),
        TOWN,
    ),
    (("period",), ("disputes_total",)),
    (
        *PROVENANCE, "period_id", "period_start", "period_end", "disputes_total", "written", "oral",
        "joint", "success", "reported_rate",
    ),
)  # fmt: skip

DOCUMENTS = Spec(
    "documents",
    "规范性文件登记台账",
    (
        _f("doc_no", "text", "文号 发文字号 统一登记号 登记号 文件编号"),
        _f("title", "text", "文件名称 文件标题 名称 标题 规范性文件名称"),
        _f("issued_date", "day", "印发日期 发布日期 制发日期 公布日期 发文日期 印发时间 发布时间", "印发日期"),
        _f("reviewed", "mark_date", "合法性审查 是否经合法性审查 审查情况 合法性审核 是否审查 是否合法性审查 审查日期 合法性审查日期 审核日期", "合法性审查"),
        _f("published", "mark_text", "是否公开 公开情况 公开日期 公开途径 公开方式 公开时间", "是否公开"),
        _f("filed", "mark_date", "是否备案 报备情况 备案情况 是否报备", "是否备案"),
        _f("filed_date", "optional_date", "备案日期 报备日期 报送备案日期 备案时间 报备时间", "备案日期"),
        _f("status", "text", "状态 效力状态 文件状态 是否有效"),
        TOWN,
    ),
    (("title",), ("issued_date",), ("reviewed",), ("published",), ("filed", "filed_date")),
    (
        *PROVENANCE, "doc_no", "title", "issued_date", "reviewed", "published", "filed", "filed_date",
        "filing_days", "filing_working_days", "status", "extra",
    ),
)  # fmt: skip

DOCUMENT_SUMMARIES = Spec(
    "document_summaries",
    "规范性文件汇总表",
    (
        _PERIOD,
        _f("issued", "integer", "制发件数 制发数 发文件数 印发件数 制发数量 制发规范性文件件数 文件件数 制发(件)"),
        _f("reviewed", "integer", "审查件数 合法性审查件数 审查数 经审查件数 审查(件)"),
        _f("published", "integer", "公开件数 公开数 公开(件)"),
        _f("filed", "integer", "备案件数 报备件数 备案数 备案(件)"),
        _f("filed_timely", "integer", "及时备案件数 及时报备件数 及时备案数"),
        _f("reported_review_rate", "rate", "审查率 合法性审查率 审查率(%) 合法性审查率(%)"),
        _f("reported_publication_rate", "rate", "公开率 公开率(%)"),
        _f("reported_filing_rate", "rate", "备案率 报备率 备案率(%)"),
        TOWN,
    ),
    (("period",), ("issued", "reported_review_rate", "reported_publication_rate", "reported_filing_rate")),
    (
        *PROVENANCE, "period_id", "period_start", "period_end", "issued", "reviewed", "published",
        "filed", "filed_timely", "reported_review_rate", "reported_publication_rate", "reported_filing_rate",
    ),
)  # fmt: skip

_UNIT = "单位/岗位 单位(岗位) 单位 岗位 所在单位 工作单位 部门 职务"
_ENFORCEMENT = "是否执法人员 执法人员 是否行政执法人员 是否为执法人员"

TRAINING = Spec(
    "training",
    "学法培训台账",
    (
        _f("session_date", "date", "日期 培训日期 学习日期 学法日期 培训时间 时间 学习时间", "培训日期"),
        _f("topic", "text", "培训内容 学习主题 主题 学习内容 培训主题 内容"),
        _f("kind", "training_kind", "形式 类型 学法形式 培训形式 培训类型 学习形式"),
        _f("hours", "number", "学时 学时数 时长 学时(小时) 课时"),
        _f("name", "person", "姓名 参训人员 参训人 学员姓名", "姓名"),
        _f("unit", "text", _UNIT),
        _f("is_enforcement", "optional_mark", _ENFORCEMENT),
        _f("attendees", "integer", "参加人数 参训人数 参会人数 人数"),
        TOWN,
    ),
    (("session_date",), ("name", "attendees")),
    (
        *PROVENANCE, "session_date", "topic", "kind", "hours", "name", "unit", "is_enforcement",
        "attendees", "extra",
    ),
)  # fmt: skip

STAFF = Spec(
    "staff",
    "执法人员名册",
    (
        _f("roster_year", "integer", "年度 年份"),
        _f("name", "person", "姓名 执法人员姓名", "姓名"),
        _f("unit", "text", _UNIT),
        _f("is_enforcement", "optional_mark", _ENFORCEMENT),
        _f("cert_no", "text", "执法证号 执法证件号 证件号 执法证编号 执法证件号码 执法证件编号"),
        _f("cert_valid_until", "expiry_date", "证件有效期 有效期至 有效期 证件有效期至 执法证有效期"),
        _f("on_duty", "on_duty", "在岗状态 在岗情况 是否在岗 人员状态"),
        TOWN,
    ),
    (("name",), ("is_enforcement", "cert_no")),
    (
        *PROVENANCE, "roster_year", "name", "unit", "is_enforcement", "cert_no", "cert_valid_until",
        "on_duty", "extra",
    ),
)  # fmt: skip

SPECS: dict[str, Spec] = {
    s.dataset: s for s in (DISPUTES, DISPUTE_SUMMARIES, DOCUMENTS, DOCUMENT_SUMMARIES, TRAINING, STAFF)
}

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


def field_for(spec: Spec, label: str) -> str | None:
    """The field a header label maps to in ``spec``, trying without a unit suffix "(元)" too."""
    if not label:
        return None
    aliases = _aliases_of(spec)
    found = aliases.get(label)
    if found is None:
        found = aliases.get(_UNIT_SUFFIX.sub("", label))
    return found


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
