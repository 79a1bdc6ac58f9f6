"""Text from the data is drawn as written: plotly reads a little HTML in labels (<a href>, <b>, <br>),
so a village named like a link must not become one."""

from __future__ import annotations

import pandas as pd

from analytics.present import charts

LINK = '<a href="http://host/x">点我</a>村'


def test_categories_names_titles_and_annotations_are_literal() -> None:
    frame = pd.DataFrame({"village": [LINK, "东街&西街社区"], "value": [3, 2]})
    fig = charts.ranked_bar(frame, "village", "value", title=f"{LINK} 排第一")
    shown = fig.to_dict()
    text = repr(shown)
    assert "<a href" not in text and "&lt;a href" in text
    assert "东街&amp;西街社区" in text
    assert shown["layout"]["title"]["text"].startswith("&lt;a href")


def test_ordinary_labels_are_untouched() -> None:
    frame = pd.DataFrame({"village": ["龙村", "东街社区"], "value": [3, 2]})
    fig = charts.ranked_bar(frame, "village", "value", title="龙村排第一")
    assert set(fig.data[0].y) == {"龙村", "东街社区"} and fig.layout.title.text == "龙村排第一"
