"""A link's parameters read as ids, from the README's form and the older label forms (``pages.links``),
and a new session seeded from them (AppTest)."""

from __future__ import annotations

import pytest

from pages import links

YEARS = range(2016, 2026)
TOWNS = ("珠龙镇", "郑集镇")


@pytest.mark.parametrize(
    ("params", "view"),
    [
        ({"lang": "en", "kind": "half", "period": "2020H2"}, {"lang": "en", "kind": "half", "period": "2020H2"}),
        ({"period": "2020"}, {"kind": "year", "period": "2020"}),
        ({"kind": "year", "period": "2020Q3"}, {"kind": "quarter", "period": "2020Q3"}),  # the period wins
        ({"lang": "English", "period": "2020年上半年"}, {"lang": "en", "kind": "half", "period": "2020H1"}),
        ({"lang": "中文", "period": "2024 H1"}, {"lang": "zh", "kind": "half", "period": "2024H1"}),
        ({"period": "2021年第三季度"}, {"kind": "quarter", "period": "2021Q3"}),
        ({"kind": "Half-year"}, {"kind": "half"}),
        ({"kind": "季度"}, {"kind": "quarter"}),
        ({"town": "全部乡镇"}, {"town": "all"}),
        ({"town": "All towns"}, {"town": "all"}),
        ({"town": "郑集镇"}, {"town": "郑集镇"}),
        ({"town": "无名镇", "lang": "fr", "period": "2020H3", "kind": "month"}, {}),  # unreadable: defaults apply
    ],
)
def test_read(params: dict[str, str], view: dict[str, str]) -> None:
    assert links.read(params, YEARS, TOWNS) == view


def test_a_new_session_is_seeded_from_an_old_link_and_the_address_is_rewritten(make_app) -> None:
    app = make_app(lang="English", period="2020年上半年")
    assert not app.exception
    assert (app.session_state["lang"], app.session_state["kind"], app.session_state["period"]) == (
        "en",
        "half",
        "2020H1",
    )
    address = {key: app.query_params[key] for key in ("lang", "kind", "period", "town")}
    assert address == {"lang": "en", "kind": "half", "period": "2020H1", "town": "all"}
