"""Every page printed cleanly on A4 portrait (Ctrl+P, or Playwright's ``page.pdf``): no sidebar, top bar,
buttons or chart toolbars; the page's whole height, not one screen; charts and tables fitted to the
paper's width. Not a page; ``dashboard.py`` installs it on every run.

A plotly chart and a data grid are drawn at the pixel width they had on screen, so the print
stylesheet alone can't narrow them: a small script scales each one to the printable width
(``zoom``) when printing starts (``beforeprint``, or the print media query turning on, as
``page.emulate_media(media="print")`` does) and restores it afterwards. A table keeps every column.
A grid drawn with ``tables.on_paper`` prints as its static copy instead: every row, the header row
on each page, the title with the table.
``tests/browser/test_print.py`` prints pages and checks.
"""

from __future__ import annotations

import streamlit as st

PRINTABLE_WIDTH_PX = 703  # A4 portrait (210 mm) less two 12 mm margins, in CSS px at 96 per inch

PRINT_CSS = """<style>
[class*="st-key-paper_"] { display: none; }  /* a grid's static copy, for paper only (tables.on_paper) */
@media print {
  [class*="st-key-paper_"] { display: block !important; break-inside: avoid; }
  [class*="st-key-screen_"] { display: none !important; }
  [class*="st-key-paper_"] table { width: 100% !important; font-size: 10px; }
  [class*="st-key-paper_"] thead { display: table-header-group; }
  [class*="st-key-paper_"] tr { break-inside: avoid; }
  @page { size: A4 portrait; margin: 12mm; }
  html, body, #root, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] {
    height: auto !important; min-height: 0 !important; overflow: visible !important; position: static !important;
  }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stElementToolbar"], [data-testid="stPageLink"], .modebar-container, .st-key-brief_downloads,
  [data-testid="stBottom"], iframe[title="streamlit_analytics"],
  [data-testid="stExpander"]:has(details:not([open])), [data-testid="stTabs"] [role="tab"]:not([aria-selected="true"]) {
    display: none !important;
  }
  [data-testid="stMain"] { margin-left: 0 !important; width: 100% !important; }
  [data-testid="stMainBlockContainer"] { max-width: none !important; width: 100% !important; padding: 0 !important; }
  /* the overview: what needs attention across the page above the cards, the cards four to a row */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .st-key-attention) { flex-wrap: wrap !important; }
  [data-testid="stColumn"]:has(.st-key-kpi_grid), [data-testid="stColumn"]:has(.st-key-attention) {
    width: 100% !important; flex: 1 1 100% !important; min-width: 100% !important;
  }
  [data-testid="stColumn"]:has(.st-key-attention) { order: -1; }
  /* other rows of columns (cards, buttons) stay side by side at the paper's width */
  [data-testid="stHorizontalBlock"]:not(:has(> [data-testid="stColumn"] .st-key-attention)) { flex-wrap: nowrap !important; }
  [data-testid="stColumn"]:not(:has(.st-key-kpi_grid, .st-key-attention)) {
    min-width: 0 !important; width: auto !important; flex: 1 1 0 !important;
  }
  [data-testid="stMetric"], [data-testid="stVerticalBlockBorderWrapper"], [data-testid="stPlotlyChart"],
  .stPlotlyChart, [data-testid="stDataFrame"] { break-inside: avoid; }
  [data-testid="stElementContainer"]:has(h4, h5), [data-testid="stMarkdown"]:has(h4, h5) { break-after: avoid; }
  [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; }
}
</style>"""

# Scales charts and grids to the paper's width while printing; installed once per browser tab.
FIT_SCRIPT = """<script>
(() => {
  if (window.__printFit) return;
  window.__printFit = true;
  const WIDTH = __WIDTH__;
  const SELECTOR = '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]';
  const printing = window.matchMedia('print');
  // The width an element draws at, in CSS px: a chart's SVG as plotly laid it out, a grid's columns.
  function naturalWidth(el) {
    const svg = el.querySelector('svg.main-svg');
    if (svg && parseFloat(svg.getAttribute('width'))) return parseFloat(svg.getAttribute('width'));
    const scroller = el.querySelector('.dvn-scroller');
    return scroller ? scroller.scrollWidth : el.scrollWidth;
  }
  // A chart is scaled inside its frame (scaling the frame would widen what plotly lays the chart out
  // in, and plotly would draw it wider again); a grid is scaled whole.
  function scaled(el) { return el.querySelector('.js-plotly-plot') || el; }
  function fitOne(el) {
    const width = naturalWidth(el);
    const zoom = width > WIDTH ? String(WIDTH / width) : '';
    const target = scaled(el);
    if (target.style.zoom !== zoom) target.style.zoom = zoom;
  }
  // Plotly redraws a chart, and a grid its columns, at the print layout's width: fit them again then.
  const owners = new Map();
  const observer = new ResizeObserver((entries) => {
    if (printing.matches) entries.forEach((entry) => fitOne(owners.get(entry.target)));
  });
  function fit() {
    document.querySelectorAll(SELECTOR).forEach((el) => {
      fitOne(el);
      const watched = el.querySelector('svg.main-svg') || el;
      owners.set(watched, el);
      observer.observe(watched);
    });
  }
  function unfit() {
    observer.disconnect();
    owners.clear();
    document.querySelectorAll(SELECTOR).forEach((el) => { scaled(el).style.zoom = ''; });
  }
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
  printing.addEventListener('change', (e) => (e.matches ? fit() : unfit()));
})();
</script>""".replace("__WIDTH__", str(PRINTABLE_WIDTH_PX))


def install() -> None:
    """The print stylesheet and the fitting script, on the page (they draw nothing on screen)."""
    st.html(PRINT_CSS + FIT_SCRIPT, unsafe_allow_javascript=True)
