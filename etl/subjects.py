"""Whether a kind word in a cell comes with its subject: the work and training registers read a kind
by keywords (学习会, 督查, 调解员, 宣传), and a keyword says what was done but not what about.

安全生产专题学习会 is a study meeting, not one on the rule of law; 召开村调解员工作例会 is a meeting of
mediators, not their training; 第一季度安全生产督查 is a quarter's supervision, not of rule-of-law work.
``about`` says whether the rest of a cell names the subject, names nothing else (专题学习会, 季度督查:
the kind may be meant, and the caller says it counted it), or names another (the kind is not meant).
"""

from __future__ import annotations

import re
from typing import Literal

Subject = Literal["named", "none", "other"]

# Words that say a text is about the law or the rule of law (《行政复议法》 names a law).
LAW = re.compile(
    r"依法|法治|法制|法律|合法性|普法|学法|宪法|民法典|法规|条例|司法|执法|行政复议|行政诉讼|应诉|12·4|《[^》]*》"
)
# Words that say a gathering was for learning.
TRAINING = re.compile(r"培训|轮训|学习|授课|讲座|讲课|学法|研讨|考试|辅导|业务知识")
# Words that say when, where, who or how, and nothing about what.
_FILLER = re.compile(
    r"\d{2,4}年度?|第?[一二三四1-4]季度|季度|[上下]半年|全年|年度|每月|每季|召开|开展|组织|举办|举行|参加|集中"
    r"|全镇|本镇|镇级|村级|镇|乡|村|社区|机关|干部|人民|全体|[的和及与、，,：:（）()“”\"'·\-—\s]"
)


def about(text: str, keyword: str, subject: re.Pattern[str], filler: tuple[str, ...] = ()) -> Subject:
    """Whether ``text`` (holding ``keyword``) names ``subject``, nothing but ``filler`` and time, place
    and organising words ("none"), or something else ("other")."""
    if subject.search(text):
        return "named"
    rest = text.replace(keyword, "")
    for word in filler:
        rest = rest.replace(word, "")
    return "none" if not _FILLER.sub("", rest) else "other"
