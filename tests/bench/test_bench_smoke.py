"""The city-scale benchmark keeps working: generate and run at a tiny scale (no timing checked)."""

from __future__ import annotations

import cProfile
import json
import subprocess
import sys
from pathlib import Path

from bench import generate, run
from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]


def test_generate_is_deterministic_and_writes_real_formats(tmp_path):
    first = generate.generate(tmp_path / "a", requests=500, messages=120, posts=16)
    second = generate.generate(tmp_path / "b", requests=500, messages=120, posts=16)
    names = [f["name"] for f in first["files"]]
    assert names == [f["name"] for f in second["files"]]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    formats = {f["format_id"] for f in first["files"]}
    assert formats == {"nyc311", "fb_graph_comments", "meta_posts"}
    assert first["resident_messages"] == 120
    header = (tmp_path / "a" / names[0]).read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[:3] == ["Unique Key", "Created Date", "Closed Date"]


def test_run_measures_every_figure_at_a_tiny_scale(tmp_path):
    doc = tmp_path / "performance.md"
    command = [
        sys.executable,
        "bench/run.py",
        "--requests",
        "2000",
        "--runs",
        "1",
        "--no-profile",
        "--work",
        str(tmp_path / "work"),
        "--doc",
        str(doc),
    ]
    if POSTGRES_URL:
        command += ["--postgres", POSTGRES_URL]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = doc.read_text(encoding="utf-8")
    for label in (
        "Import 311 → SQLite",
        "Pic mémoire (RSS) de l'import SQLite",
        "Synthèse après changement de période",
        "Premier rendu de la Synthèse",
        "Pic mémoire (RSS) du premier rendu",
        "Sentiment à l'import",
        "## Machine",
    ):
        assert label in report, label
    if POSTGRES_URL:
        assert "Import 311 → PostgreSQL" in report
    manifest = json.loads((tmp_path / "work" / "donnees" / "manifest.json").read_text())
    assert manifest["requests"] == 2000
    assert "2 000 lignes lues" in report.replace("\u202f", " ")


def _slow_part() -> int:
    return sum(i * i for i in range(200_000))


def test_profile_summary_names_what_dominates(tmp_path):
    profiler = cProfile.Profile()
    profiler.enable()
    _slow_part()
    profiler.disable()
    path = tmp_path / "p.prof"
    profiler.dump_stats(path)
    stages = ((0, "partie lente", "tests/bench/test_bench_smoke.py", "_slow_part"),)
    summary = run.summarize_profile(path, stages)
    assert summary["stages"][0]["label"] == "partie lente"
    assert summary["stages"][0]["share"] > 0.5
    assert run._dominates(summary, "tests/bench/test_bench_smoke.py:_slow_part")
    assert not run._dominates(summary, "store/repository.py:frame_records")
