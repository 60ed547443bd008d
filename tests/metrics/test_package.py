"""Tests of the metrics package boundary: pure pandas, no UI, database or ingest imports."""

import ast
import subprocess
import sys
from pathlib import Path

METRICS = Path(__file__).resolve().parents[2] / "metrics"
FORBIDDEN = ("streamlit", "sqlalchemy", "ingest", "store", "ui", "pages")


def test_no_module_imports_a_forbidden_package():
    for path in sorted(METRICS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_every_module_loads_no_forbidden_package():
    modules = sorted(f"metrics.{path.stem}" for path in METRICS.glob("*.py"))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=METRICS.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
