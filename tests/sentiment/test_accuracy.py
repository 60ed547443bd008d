"""Accuracy floor of metrics.sentiment on the French development corpus, and the bench script."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import sentiment_accuracy as bench

# Measured on dev.tsv when the analyzer was written: 88.0 %. The floor leaves room for small
# lexicon changes, and catches any real regression (vaderSentiment-fr as shipped: 69.6 %).
DEV_FLOOR = 0.88


@pytest.fixture
def dev_corpus() -> Path:
    path = bench.DATA / "dev.tsv"
    if not path.is_file():
        pytest.skip(
            f"../shared/realdata/sentiment-fr/dev.tsv absent ({path}): accuracy not measured"
        )
    return path


def test_dev_accuracy_stays_above_the_floor(dev_corpus):
    result = bench.evaluate(bench.read_corpus(dev_corpus))
    assert result.texts == 391
    assert result.not_evaluated == 0
    assert result.accuracy >= DEV_FLOOR
    assert result.no_hit / result.texts < 0.05


def test_read_corpus(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("1\tsuper série\n0\tnul\nlabel\ttext\n\n", encoding="utf-8")
    assert bench.read_corpus(path) == [(1, "super série"), (0, "nul")]
    result = bench.evaluate(bench.read_corpus(path))
    assert (result.texts, result.correct, result.accuracy) == (2, 2, 1.0)


def test_bench_without_corpus_says_so_and_exits_0(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(bench, "DATA", tmp_path / "absent")
    assert bench.main() == 0
    assert "absent" in capsys.readouterr().out
