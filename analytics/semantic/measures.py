"""The semantic layer: every measure declared once, and the shapes a metric's formula can take.

A ``Measure`` is a count of a ledger's rows, declared as the SQL condition those rows meet in its
``v_*`` view (a measure with no condition counts every row). The monthly aggregates, the
consistency checks, the pivot's rates and the page queries all take a measure's SQL from here;
none writes ``outcome = 'success'`` again (a test scans for it).

A metric (``analytics.semantic.catalogue``) declares its formula over measures: a ``Count`` of one, a
``Ratio`` of one to the sum of others (with, where summary sheets take another route to the same
figure, that route in the same declaration), or a ``Mean``.
"""

from __future__ import annotations

from dataclasses import dataclass

RATE_TOLERANCE = 0.0005  # a typed rate agrees with its own counts within 0.05 percentage points


@dataclass(frozen=True)
class Measure:
    name: str
    condition: str | None  # the rows counted, as SQL over the dataset's view; None: every row
    zh: str
    en: str

    @property
    def sql(self) -> str:
        """The aggregate expression: ``count(*) FILTER (WHERE <condition>)``."""
        return "count(*)" if self.condition is None else f"count(*) FILTER (WHERE {self.condition})"


MEASURES: dict[str, dict[str, Measure]] = {
    dataset: {m.name: m for m in measures}
    for dataset, measures in {
        "disputes": (
            Measure("total", None, "排查数", "disputes screened"),
            Measure("written", "agreement_form = 'written'", "书面调解", "written agreements"),
            Measure("oral", "agreement_form = 'oral'", "口头调解", "oral agreements"),
            Measure("joint", "joint", "联合调解", "joint mediation"),
            Measure("pending", "outcome = 'pending'", "在办", "pending"),
            Measure("success", "outcome = 'success'", "调解成功数", "successful mediations"),
            Measure("failed", "outcome = 'failed'", "调解失败数", "failed mediations"),
            Measure("escalated", "escalated", "激化", "escalated"),
            Measure("referred", "referred AND outcome = 'failed'", "引导诉讼", "referred to court"),
        ),
        "documents": (
            Measure("issued", None, "制发件数", "documents issued"),
            Measure("reviewed", "reviewed", "审查件数", "reviewed"),
            Measure("published", "published", "公开件数", "published"),
            Measure("filed", "filed", "备案件数", "filed"),
            # {days}: the stored day count the deadline is measured in (a setting, see metrics)
            Measure("timely", "filed AND {days} BETWEEN 0 AND $deadline", "及时备案件数", "filed in time"),
        ),
        # enforcement officers of a period (officers.OFFICER_ROWS as o, the period as p)
        "officers": (
            Measure("staff", None, "执法人员", "enforcement officers"),
            Measure("trained", "o.trained", "参加培训", "trained"),
            Measure("compliant", "o.hours >= $hours_per_year * p.months / 12", "学时达标", "enough study hours"),
            Measure("rostered", "o.from_roster", "名册人员", "on the roster"),
            Measure(
                "certified",
                "o.from_roster AND o.cert_valid_until >= p.end_d - INTERVAL 1 DAY",
                "持有效证件",
                "certified at period end",
            ),
        ),
    }.items()
}


def measure(dataset: str, name: str) -> Measure:
    return MEASURES[dataset][name]


def select_list(dataset: str, names: tuple[str, ...]) -> str:
    """``count(*) FILTER (WHERE …) AS <name>, …`` for the named measures, in that order."""
    return ",\n".join(f"{measure(dataset, name).sql} AS {name}" for name in names)


def condition(dataset: str, name: str) -> str:
    """The measure's row condition (``true`` for a measure that counts every row)."""
    return measure(dataset, name).condition or "true"


def any_of(dataset: str, *names: str) -> str:
    """Rows counted by any of the measures, as one SQL condition."""
    return " OR ".join(f"({condition(dataset, name)})" for name in names)


# --- the shapes of a metric's formula ---------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """The value of one measure; ``zero_is_no_data``: a zero count means nothing was recorded."""

    measure: str
    zero_is_no_data: bool = False


@dataclass(frozen=True)
class Ratio:
    """``numerator`` ÷ the sum of ``denominator``; a zero base is no data.

    ``reported``: the column of a rate typed on a summary sheet without its counts, shown as
    reported. ``summary``: the summary sheet's own counts for the same rate (a summary row has no
    pending disputes, so its decided disputes are its total), against which a typed rate is checked.
    """

    numerator: str
    denominator: tuple[str, ...]
    reported: str | None = None
    summary: tuple[str, str] | None = None  # (numerator column, denominator column) on the summary sheet

    def sql(self) -> str:
        """The rate over summed aggregate rows: ``sum(a) / nullif(sum(b) + sum(c), 0)``."""
        base = " + ".join(f"sum({name})" for name in self.denominator)
        return f"sum({self.numerator}) / nullif({base}, 0)"


@dataclass(frozen=True)
class Mean:
    """``total`` ÷ ``count`` (study hours per officer)."""

    total: str
    count: str


Formula = Count | Ratio | Mean
