"""``python -m sample``: regenerate data/sample/*.xlsx (the same as ``python -m etl sample``)."""

from sample import generate

for written_path in generate():
    print(written_path)
