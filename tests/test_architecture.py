"""The core package stays UI-free: nothing under analytics/ or etl/ imports streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["analytics", "etl", "sample"])
def test_core_packages_never_import_streamlit(package: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_importing_every_core_module_loads_no_streamlit() -> None:
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in ("analytics", "etl", "sample")
        for p in (ROOT / package).rglob("*.py")
        if p.name != "__main__.py"
    ]
    code = "import sys, importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "False"


def test_loading_every_sample_workbook_imports_no_pandas(tmp_path: Path) -> None:
    """The load path (read, parse, store, aggregates) runs on numpy and DuckDB alone: importing
    pandas costs ≈ 0.25 s of CPU, a fifth of reading a 100,000-row ledger (``etl.columns``).
    Loading into a warehouse that exists already covers the checks a later load makes too."""
    code = (
        "import sys\nfrom pathlib import Path\nfrom etl.load import load_file\n"
        "for source in sorted(Path('data/sample').glob('*.xlsx')) * 2:\n"
        f"    load_file(source, path={str(tmp_path / 'w.duckdb')!r}, confirmed=True)\n"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "False"
