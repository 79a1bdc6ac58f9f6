"""The scorecard of every period and town of a warehouse, kept as a fixture before a redesign.

``python -m tests.analytics.scorecard_oracle`` writes ``tests/fixtures/scorecards_<name>.json.gz``
for the sample warehouse (the bundled ledgers, loaded by the ETL) and the county bench warehouse
(20 towns, built by ``bench.scale``): every metric of the JSON scorecard for 2016-2025 by year,
half-year and quarter, for all towns together and each town. Written once from the code before a
change that must not move a figure; ``test_scorecard_oracle`` compares the code after with it.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
KINDS = ("year", "half", "quarter")


def fixture_path(name: str) -> Path:
    return FIXTURES / f"scorecards_{name}.json.gz"


def all_scorecards(path: Path) -> dict[str, Any]:
    """``"<period>|<town or *>"`` -> that scorecard's metrics, for every period and town."""
    con = db.reader(path).cursor()
    try:
        towns = [None, *(r[0] for r in con.execute("SELECT DISTINCT town FROM load_sheets ORDER BY town").fetchall())]
        cards = {}
        for kind in KINDS:
            for period in periods.periods_between(2016, 2025, kind):
                for town in towns:
                    cards[f"{period.id}|{town or '*'}"] = scorecard(con, period, town)["metrics"]
        return cards
    finally:
        con.close()


def sample_warehouse(folder: Path) -> Path:
    from etl.load import load_file

    path = folder / "sample.duckdb"
    for ledger in sorted((ROOT / "data" / "sample").glob("*.xlsx")):
        load_file(ledger, path)
    return path


def county_warehouse() -> Path:
    from bench.scale import SCALES, build

    return build(SCALES["county"])[0]


def write(name: str, cards: dict[str, Any]) -> Path:
    FIXTURES.mkdir(exist_ok=True)
    text = json.dumps(cards, ensure_ascii=False, sort_keys=True, indent=0)
    path = fixture_path(name)
    with gzip.GzipFile(path, "wb", mtime=0) as handle:  # mtime 0: the same cards give the same bytes
        handle.write(text.encode())
    return path


def read(name: str) -> dict[str, Any]:
    with gzip.open(fixture_path(name), "rt", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        print(write("sample", all_scorecards(sample_warehouse(Path(tmp)))))
    print(write("county", all_scorecards(county_warehouse())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
