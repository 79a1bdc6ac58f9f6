"""The datasets the product reads, one module each; this list is the only place that names them.

Adding a dataset is adding its module (spec, builder, dictionary entries, template) and one line
below. The order matters where two specs score alike on a header: the first wins.
"""

from __future__ import annotations

from etl.datasets import (
    cases,
    disclosures,
    dispute_summaries,
    disputes,
    document_summaries,
    documents,
    events,
    legality_reviews,
    staff,
    training,
    work_summaries,
)
from etl.datasets.base import Dataset

DATASETS: dict[str, Dataset] = {
    d.table: d
    for d in (
        disputes.DATASET,
        dispute_summaries.DATASET,
        documents.DATASET,
        document_summaries.DATASET,
        training.DATASET,
        staff.DATASET,
        cases.DATASET,
        disclosures.DATASET,
        legality_reviews.DATASET,
        events.DATASET,
        work_summaries.DATASET,
    )
}
