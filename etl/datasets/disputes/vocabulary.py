"""What a dispute ledger's words mean: categories, villages, outcomes, agreement forms, joint mediation
and referral, each a pure cell parser returning ``(value, reject reason, warning)``.
"""

from __future__ import annotations

import re

from etl.normalise import Outcome, as_text, compact, is_blank, to_bool

CATEGORIES = (
    "婚姻家庭", "邻里", "房屋宅基地", "合同", "生产经营", "损害赔偿", "山林土地", "征地拆迁",
    "环境污染", "劳动争议", "医疗", "道路交通事故", "物业", "村务管理", "其他",
)  # fmt: skip
# Words that decide the category whatever else the text names: 土地征收补偿 is 征地拆迁, not 山林土地; 工伤赔偿 is
# a labour dispute, not 损害赔偿; 房屋租赁合同 is a contract, not 房屋宅基地.
DECISIVE_KEYWORDS = (
    ("征地", "征地拆迁"), ("征收", "征地拆迁"), ("征用", "征地拆迁"), ("拆迁", "征地拆迁"), ("工伤", "劳动争议"),
    ("交通事故", "道路交通事故"), ("医患", "医疗"), ("离婚", "婚姻家庭"), ("彩礼", "婚姻家庭"), ("婚约", "婚姻家庭"),
    ("租赁", "合同"), ("家庭农场", "生产经营"), ("农民工工资", "劳动争议"), ("拖欠工资", "劳动争议"),
)  # fmt: skip
# The rest: the first match is read, and a text that also names another category is said.
CATEGORY_KEYWORDS = (
    ("土地承包", "山林土地"), ("山林", "山林土地"), ("林地", "山林土地"), ("林权", "山林土地"), ("土地", "山林土地"),
    ("欠薪", "劳动争议"), ("劳资", "劳动争议"), ("劳动", "劳动争议"), ("工资", "劳动争议"), ("宅基地", "房屋宅基地"),
    ("房屋", "房屋宅基地"), ("交通", "道路交通事故"), ("医疗", "医疗"), ("婚姻", "婚姻家庭"), ("家庭", "婚姻家庭"),
    ("赡养", "婚姻家庭"), ("抚养", "婚姻家庭"), ("继承", "婚姻家庭"), ("邻里", "邻里"), ("相邻", "邻里"),
    ("污染", "环境污染"), ("环境", "环境污染"), ("物业", "物业"), ("村务", "村务管理"), ("合同", "合同"),
    ("债务", "合同"), ("借贷", "合同"), ("生产经营", "生产经营"), ("经营", "生产经营"), ("损害赔偿", "损害赔偿"),
    ("人身损害", "损害赔偿"), ("赔偿", "损害赔偿"),
)  # fmt: skip


def _categories(text: str) -> tuple[str | None, list[str]]:
    """The category a text is read as, and the other categories it also names (none after a decisive word)."""
    decisive = next((category for keyword, category in DECISIVE_KEYWORDS if keyword in text), None)
    if decisive is not None:
        return decisive, []
    named = list(dict.fromkeys(category for keyword, category in CATEGORY_KEYWORDS if keyword in text))
    return (named[0], named[1:]) if named else (None, [])


def normalise_category(value: object) -> str | None:
    """The national category for a raw text, or None when it matches none (blank -> 其他)."""
    text = compact(value)
    if not text:
        return "其他"
    stem = re.sub(r"(纠纷|矛盾|争议|类|问题)+$", "", text) or text
    if stem in CATEGORIES:
        return stem
    if text in CATEGORIES:
        return text
    return _categories(text)[0]


def parse_category(value: object) -> Outcome:
    category = normalise_category(value)
    if category is None:
        return ("其他", None, f"无法识别的纠纷类型：{as_text(value)}，已归入其他")
    others = [] if category in (compact(value), "其他") else _categories(compact(value))[1]
    if others:
        also = "、".join(others)
        return (category, None, f"纠纷类型「{as_text(value)}」也像{also}，按{category}计，请核对")
    return (category, None, None)


_VILLAGE = re.compile(r"^(.+?)(?:村民委员会|村委会|村委|村)$")
_GROUP = re.compile(r"^(.+?村)(?:[一二三四五六七八九十\d]{1,3}(?:组|队|村民小组)|村民小组)$")  # 张村三组 is 张村
_COMMUNITY = re.compile(r"^(.+?)社区(?:居民委员会|居委会)?$")


def normalise_village(value: object) -> str:
    """XX村民委员会/XX村委会/XX村 -> XX村; XX社区居民委员会/XX社区居委会 -> XX社区; blank -> 未填."""
    text = compact(value)
    if not text:
        return "未填"
    match = _COMMUNITY.match(text)
    if match:
        return f"{match.group(1)}社区"
    group = _GROUP.match(text)
    if group:
        text = group.group(1)
    match = _VILLAGE.match(text)
    if match:
        name = match.group(1)
        # 张村村委会 and 张村村 are 张村 (its committee, its formal name): a name ending in 村 keeps it once
        return name if name.endswith("村") and len(name) > 1 else f"{name}村"
    return text


def parse_village(value: object) -> Outcome:
    village = normalise_village(value)
    if _GROUP.match(compact(value)):  # a 村民小组 counted as its village: said, it is a reading
        return (village, None, f"「{as_text(value)}」是村民小组，按「{village}」计入")
    return (village, None, None)


OUTCOME_WORDS = {
    "success": ("成功", "调解成功", "调处成功", "达成协议", "已化解", "化解", "已调解", "已调结", "调结"),
    "failed": (
        "失败",
        "调解失败",
        "调解不成",
        "调解不成功",
        "不成功",
        "未成功",
        "未化解",
        "未达成协议",
        "终止调解",
        "调解终止",
        "终止",
        "调解未成功",
        "未调成",
        "调解无效",
    ),  # fmt: skip
    "pending": ("调解中", "在办", "未结", "正在调解", "办理中", "处理中", "在调解", "正在办理"),
}
_OUTCOME_EXACT = {word: key for key, words in OUTCOME_WORDS.items() for word in words}
# A negated success (未调解成功, 没有达成协议, 无法化解) is a failure, whatever follows.
_NEGATED_SUCCESS = re.compile(
    r"(未|不|没有?|无法|未能|不能|难以|难)(能|再)?(调解|调处|调)?(成功|达成|化解|调成|和解)|(化解|调解|调处|达成|和解)不(了|成)"
)
_STILL_OPEN = ("尚未", "暂未", "正在", "仍在")  # 尚未达成协议: not failed yet, still in mediation
_OUTCOME_FRAGMENTS = (
    ("终止", "failed"), ("不成", "failed"), ("未成功", "failed"), ("未化解", "failed"), ("失败", "failed"),
    ("未达成", "failed"), ("调解中", "pending"), ("在办", "pending"), ("未结", "pending"),
    ("正在", "pending"), ("办理中", "pending"), ("成功", "success"), ("达成", "success"),
    ("化解", "success"),
    # 调解未果, 调解终结 end a mediation that failed; 已引导诉讼, 已起诉 send a failed one to court;
    # 双方自行和解 is settled (未和解 is caught as a negated success above)
    ("未果", "failed"), ("终结", "failed"), ("诉讼", "failed"), ("起诉", "failed"), ("和解", "success"),
)  # fmt: skip


def normalise_outcome(value: object) -> str | None:
    """success | failed | pending, or None when the text is none of them."""
    text = compact(value)
    if text in _OUTCOME_EXACT:
        return _OUTCOME_EXACT[text]
    if any(cue in text for cue in _STILL_OPEN) or (text.endswith("中") and len(text) <= 6):  # 化解中, 协商中
        return "pending"
    if _NEGATED_SUCCESS.search(text):
        return "failed"
    for fragment, outcome in _OUTCOME_FRAGMENTS:
        if fragment in text:
            return outcome
    return None


# Words that make a success only part of one, or doubtful (部分成功, 基本达成, 初步化解, 成功或失败,
# 成功？): it counts towards the mediation rate by its key word, and is said.
_HEDGES = ("部分", "基本", "初步", "或", "?")  # matched on the compacted text: ？ is ?


def parse_outcome(value: object) -> Outcome:
    if is_blank(value):
        return (None, "调解结果为空", None)
    outcome = normalise_outcome(value)
    if outcome is None:
        return (None, f"无法识别的调解结果：{as_text(value)}", None)
    text = compact(value)
    hedge = next((h for h in _HEDGES if h in text), None) if outcome == "success" else None
    if hedge is not None:
        return (outcome, None, f"调解结果「{as_text(value)}」含有「{hedge}」，不是明确的成功，已按调解成功计入，请核对")
    return (outcome, None, None)


def normalise_agreement_form(value: object) -> str | None:
    """书面/书面协议/书面调解/人民调解协议书 -> written; 口头/口头协议/口头调解 -> oral."""
    text = compact(value)
    if "口头" in text and ("书面" not in text or re.search(r"(未|没有?|无)(签订?|签署|形成|达成)?书面", text)):
        return "oral"  # 口头（未签书面协议）
    if "书面" in text or re.search(r"协议书|调解书|签订协议|签订调解协议", text):  # 人民调解协议书 is a written one
        return "written"
    return None


def parse_agreement_form(value: object) -> Outcome:
    if is_blank(value):
        return (None, None, None)
    form = normalise_agreement_form(value)
    if form is None:
        return (None, None, f"无法识别的调解方式：{as_text(value)}")
    return (form, None, None)


def parse_joint(value: object) -> Outcome:
    """联合调解 flag: a yes-mark or the word 联合; anything else is said, and read as no."""
    if is_blank(value):
        return (False, None, None)
    if "联合" in compact(value):
        return (True, None, None)
    flag = to_bool(value)
    if flag is None:
        return (False, None, f"无法识别的联合调解标记：{as_text(value)}，已按否处理")
    return (flag, None, None)


# Between two bodies: a list mark, or 和/与/及 right after a body's last character (司法所和派出所),
# so that a village named 太和 or 永和 (太和村调委会) is one body.
_BODIES = re.compile(r"[、，,;；/＋+]|(?<=[所局会站庭院处办委队组部室心])[和与及]")


def parse_joint_body(value: object) -> Outcome:
    """调解主体: joint when it says 联合 or names two bodies or more (司法所、派出所)."""
    text = compact(value)
    if not text:
        return (False, None, None)
    bodies = [part for part in _BODIES.split(text) if part]
    return ("联合" in text or len(bodies) > 1, None, None)


_COURT = re.compile(r"诉讼|法院|仲裁|起诉")
# a no that governs the court word: just before it, in its clause (不起诉, 拒绝诉讼, 不愿意到法院, 未申请仲裁)
_REFUSED = re.compile(r"(?:未|不|无|没有|拒绝|放弃|无需|不愿|不想|暂不)[^，,；;。]{0,4}$")


def parse_referred(value: object) -> Outcome:
    """引导诉讼: a yes-mark, or a destination naming a court, litigation or arbitration, unless a no
    governs it (不起诉, 拒绝诉讼). A no elsewhere in the sentence is about something else: 调解不成，
    引导当事人向县法院起诉 and 当事人不服，已到法院起诉 are referrals. A sentence naming the court both
    ways (告知可起诉，当事人未起诉) is read by its last mention, and said."""
    if is_blank(value):
        return (False, None, None)
    text = compact(value)
    readings = [not _REFUSED.search(text[: found.start()]) for found in _COURT.finditer(text)]
    if readings:
        said = None
        if len(set(readings)) > 1:
            said = f"「{as_text(value)}」既写了诉讼（仲裁）又写了不诉讼，按最后写的「{'已引导' if readings[-1] else '未引导'}」计，请核对"
        return (readings[-1], None, said)
    return (bool(to_bool(value)), None, None)
