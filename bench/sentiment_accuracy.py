"""Accuracy, lexicon coverage and speed of metrics.sentiment on the French review corpus."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: .venv/bin/python bench/sentiment_accuracy.py
    sys.path.insert(0, str(ROOT))

from metrics.sentiment import sentiment_of, sentiments  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "sentiment-fr"
SETS = ("dev.tsv", "test.tsv")
THROUGHPUT_TEXTS = 50_000
THROUGHPUT_RUNS = 3


@dataclass(frozen=True)
class Evaluation:
    """Binary accuracy of the compound sign against the corpus labels (1 positive, 0 negative)."""

    texts: int
    correct: int
    neutral: int  # |compound| < 0.05: still counted by their sign (≥ 0 → positive)
    not_evaluated: int  # language other than French or English: counted as errors
    no_hit: int  # no lexicon word, emoji or emoticon: compound 0, so counted positive

    @property
    def accuracy(self) -> float:
        return self.correct / self.texts if self.texts else 0.0


def read_corpus(path: Path) -> list[tuple[int, str]]:
    """(label, text) rows of a ``label<TAB>text`` file; label 1 = positive, 0 = negative."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, sep, text = line.partition("\t")
        if sep and label.strip() in ("0", "1"):
            rows.append((int(label), text))
    return rows


def evaluate(rows: list[tuple[int, str]]) -> Evaluation:
    """Score every text; a compound ≥ 0 predicts positive (VADER's usual binary mapping)."""
    correct = neutral = not_evaluated = no_hit = 0
    for label, text in rows:
        result = sentiment_of(text)
        if result.compound is None:
            not_evaluated += 1
            continue
        neutral += abs(result.compound) < 0.05
        no_hit += not any(word[0] not in "!?" for word, _ in result.words)
        correct += (result.compound >= 0) == (label == 1)
    return Evaluation(len(rows), correct, neutral, not_evaluated, no_hit)


def throughput(texts: list[str], total: int = THROUGHPUT_TEXTS) -> tuple[float, int]:
    """(best texts/second over THROUGHPUT_RUNS runs, texts per run), one sentiment_of per text.

    No cache: each repeated text is scored again, as if every comment were different.
    """
    repeated = (texts * (total // len(texts) + 1))[:total]
    sentiment_of(repeated[0])  # loads the lexicons once, outside the timing
    best = 0.0
    for _ in range(THROUGHPUT_RUNS):
        start = time.perf_counter()
        for text in repeated:
            sentiment_of(text)
        best = max(best, len(repeated) / (time.perf_counter() - start))
    return best, len(repeated)


def frame_throughput(texts: list[str], total: int = THROUGHPUT_TEXTS) -> float:
    """Texts/second of ``sentiments()`` on the same texts, where each distinct text is scored once."""
    import pandas as pd

    series = pd.Series((texts * (total // len(texts) + 1))[:total])
    start = time.perf_counter()
    sentiments(series)
    return len(series) / (time.perf_counter() - start)


def _thousands(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ")


def main() -> int:
    if not DATA.is_dir():
        print(f"Corpus absent ({DATA}) : rien à mesurer.")
        return 0
    present = [name for name in SETS if (DATA / name).is_file()]
    if not present:
        print(f"Aucun fichier {', '.join(SETS)} dans {DATA} : rien à mesurer.")
        return 0
    corpora = {name: read_corpus(DATA / name) for name in present}

    print("Sentiment (metrics.sentiment) sur", DATA)
    print()
    header = f"{'jeu':<10}{'textes':>8}{'exactitude':>12}{'neutres':>9}{'non évalués':>13}"
    print(header + f"{'sans mot du lexique':>21}")
    print("-" * (len(header) + 21))
    for name, rows in corpora.items():
        result = evaluate(rows)
        share = result.no_hit / result.texts if result.texts else 0.0
        print(
            f"{name:<10}{result.texts:>8}{result.accuracy:>11.1%} {result.neutral:>8}"
            f"{result.not_evaluated:>13}{result.no_hit:>12} ({share:.1%})"
        )
    print()
    print("Exactitude binaire : compound ≥ 0 → positif, < 0 → négatif. Les textes neutres")
    print("(|compound| < 0,05) comptent selon leur signe ; un texte sans mot du lexique a un")
    print("compound de 0 et compte donc positif ; un texte non évalué (autre langue) compte faux.")
    print("Réglages faits sur dev.tsv seulement ; test.tsv n'a servi qu'à cette mesure.")

    speed_set = "test.tsv" if "test.tsv" in corpora else present[0]
    texts = [text for _, text in corpora[speed_set]]
    per_second, count = throughput(texts)
    print()
    print(
        f"Débit : {_thousands(per_second)} textes français/s ({speed_set} répété à "
        f"{_thousands(count)} textes, un appel sentiment_of par texte, sans cache ; "
        f"meilleur de {THROUGHPUT_RUNS} passes)"
    )
    print(
        "sentiments() sur la même série (textes distincts notés une fois) : "
        f"{_thousands(frame_throughput(texts))} textes/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
