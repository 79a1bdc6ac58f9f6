"""The briefing as it is used (issue 15): printed on A4 (no sidebar, no buttons, charts and tables
within the paper's width), on a 390 px phone (title clear of the top bar, 需要关注 first, cards two to a
row, labels not cut), and the overview's brief downloaded as a one-page PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.brief.render import pdf_pages
from pages.printing import PRINTABLE_WIDTH_PX
from tests.browser.conftest import screenshot, wait_rendered

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _visible(page, selector: str) -> int:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter(e => {
             const s = getComputedStyle(e), r = e.getBoundingClientRect();
             return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
           }).length""",
        selector,
    )


@pytest.mark.parametrize("path", ["/?kind=year&period=2020", "/mediation?kind=year&period=2020"])
def test_print_hides_the_frame_and_fits_charts_and_tables_to_the_paper(page, app_url: str, path: str) -> None:
    # buttons, and the headers of closed expanders (a control with nothing under it on paper)
    buttons = "[data-testid='stDownloadButton'] button, [data-testid='stButton'] button, details:not([open]) > summary"
    page.goto(app_url + path)
    wait_rendered(page)
    page.wait_for_selector("[data-testid='stPlotlyChart'], [data-testid='stDataFrame']", timeout=60_000)
    page.wait_for_selector(buttons, timeout=60_000)
    page.wait_for_timeout(800)
    assert _visible(page, "[data-testid='stSidebar']") == 1
    assert _visible(page, buttons) >= 1
    page.emulate_media(media="print")
    page.wait_for_timeout(1000)  # the grid redraws at the print layout's width, and is fitted again
    assert _visible(page, "[data-testid='stSidebar']") == 0
    assert _visible(page, buttons) == 0
    assert _visible(page, "[data-testid='stHeader'], [data-testid='stExpandSidebarButton']") == 0
    widths = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'], [data-testid='stDataFrame']")]
             .filter(e => e.getBoundingClientRect().width > 0)
             .map(e => {
               const svg = e.querySelector('svg.main-svg');
               const grid = e.querySelector('.dvn-scroller');
               const drawn = svg ? parseFloat(svg.getAttribute('width')) : grid ? grid.scrollWidth : e.scrollWidth;
               const scaled = e.querySelector('.js-plotly-plot') || e;
               return drawn * (parseFloat(scaled.style.zoom) || 1);
             })"""
    )
    # the static tables printed instead of grids are fluid: as wide as the paper, whatever it is
    fluid = page.evaluate(
        """() => [...document.querySelectorAll("[class*='st-key-paper_'] table")]
             .filter(e => e.getBoundingClientRect().width > 0)
             .map(e => e.getBoundingClientRect().width - e.closest("[class*='st-key-paper_']").getBoundingClientRect().width)"""
    )
    assert widths or fluid, "no chart or table on the page"
    assert max(widths, default=0) <= PRINTABLE_WIDTH_PX + 1, widths  # every chart and grid within A4 less its margins
    assert max(fluid, default=0) <= 1, fluid
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf_pages(pdf) >= 1
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    assert not any(page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(e => e.style.zoom)"))


def test_a_tall_table_prints_whole_with_its_title(page, app_url: str) -> None:
    """The overview's 全部指标 grid scrolls on screen; on paper it is an HTML table with every row, its
    header row repeated on each page, and its title in the same block (never left alone on a page)."""
    page.goto(app_url + "/?kind=year&period=2020")
    wait_rendered(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    paper = ".st-key-paper_overview_table"
    assert (
        _visible(page, paper) == 0 and _visible(page, ".st-key-screen_overview_table [data-testid='stDataFrame']") == 1
    )
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    assert _visible(page, paper) == 1 and _visible(page, ".st-key-screen_overview_table") == 0
    rows = page.locator(f"{paper} tbody tr").count()
    assert rows >= 30, rows  # every metric of the catalogue, not the ten a grid shows
    assert page.locator(f"{paper} h5").inner_text() == "全部指标"
    assert page.locator(f"{paper} thead th").first.inner_text() == "指标"
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf_pages(pdf) >= 2
    page.emulate_media(media="screen")


def test_the_overview_on_a_phone(browser, app_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?lang=en&kind=year&period=2020")
        wait_rendered(page)
        page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
        page.wait_for_timeout(500)
        box = page.evaluate(
            """() => {
              const rect = (e) => e.getBoundingClientRect();
              const header = document.querySelector("[data-testid='stHeader']");
              const title = [...document.querySelectorAll('h4')].find(h => h.innerText.startsWith('Overview'));
              const attention = document.querySelector('.st-key-attention');
              const cards = [...document.querySelectorAll('.st-key-kpi_grid [data-testid=stMetric]')].map(rect);
              const labels = [...document.querySelectorAll('.st-key-kpi_grid [data-testid=stMetricLabel] p')]
                .map(p => p.scrollWidth <= p.clientWidth + 1);
              return {header: header ? rect(header).bottom : 0, title: rect(title).top, attention: rect(attention).top,
                      cards: cards.map(r => [Math.round(r.left), Math.round(r.top), Math.round(r.width)]), labels};
            }"""
        )
        assert box["title"] >= box["header"] - 1, box  # the title is not under the top bar
        assert box["attention"] < min(top for _, top, _ in box["cards"]), box  # 需要关注 comes first
        rows: dict[int, int] = {}
        for _, top, _ in box["cards"]:
            rows[top] = rows.get(top, 0) + 1
        assert len(box["cards"]) == 8 and sorted(rows.values()) == [2, 2, 2, 2], box  # two cards to a row
        assert all(width <= 195 for _, _, width in box["cards"]), box
        assert all(box["labels"]), box  # "Mediation success rate" wraps, never "Mediation success r…"
        screenshot(page, "overview_2020_en_390")
    finally:
        context.close()


def test_the_overview_offers_the_brief_as_one_a4_page(page, app_url: str) -> None:
    page.goto(f"{app_url}/?kind=year&period=2020")
    wait_rendered(page)
    with page.expect_download(timeout=180_000) as download:
        page.get_by_role("button", name="简报 PDF").click()
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "brief_2020_all_zh.pdf"
    assert data.startswith(b"%PDF") and pdf_pages(data) == 1
