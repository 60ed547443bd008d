"""Public entry point of the demo: writes Val-de-Parvis's year of real-format export files."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from data.demo.clock import TIMEZONE, Window, default_end, local
from data.demo.facebook import (
    QUARTER_VARIANTS,
    build_page,
    graph_file_name,
    meta_file_name,
    write_graph,
    write_meta,
)
from data.demo.requests311 import build_requests, write_311_years
from data.demo.x_classic import build_tweets, write_x_month, x_file_name

X_FORMAT = "x_tweet_activity"
META_FORMAT = "meta_posts"
GRAPH_FORMAT = "fb_graph_comments"
NYC311_FORMAT = "nyc311"


@dataclass(frozen=True)
class DemoFile:
    """One generated export file and how to import it."""

    path: Path
    format_id: str  # id of the importer that reads it (ingest/formats)
    timezone: str  # zone for timestamps written without an offset
    rows: int = 0  # records in the file: tweets, posts, comments or requests


def generate_demo(out_dir: Path, end: date | None = None, seed: int = 2026) -> list[DemoFile]:
    """Write the demo export files for the 12 full months ending at ``end`` into ``out_dir``.

    ``end`` must be the last day of a month; by default it is the last day of the last complete
    month before today. The same ``end`` and ``seed`` always give byte-identical files. Files
    come back in a stable order: X months, Meta quarters, Graph quarters, then 311 years.
    """
    window = Window.ending(end or default_end(date.today()))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[DemoFile] = []

    posts = build_page(window, seed)
    tweets = build_tweets(window, posts, seed)
    for first, last in window.months():
        path = out_dir / x_file_name(first)
        rows = write_x_month(path, tweets, first, last, seed)
        files.append(DemoFile(path, X_FORMAT, TIMEZONE, rows))

    quarters = window.quarters()
    by_quarter = [
        [p for p in posts if first <= local(p.published).date() <= last] for first, last in quarters
    ]
    for (first, last), variant, chunk in zip(quarters, QUARTER_VARIANTS, by_quarter, strict=True):
        path = out_dir / meta_file_name(first, last)
        files.append(DemoFile(path, META_FORMAT, TIMEZONE, write_meta(path, chunk, variant)))
    for (first, last), chunk in zip(quarters, by_quarter, strict=True):
        path = out_dir / graph_file_name(first, last)
        files.append(DemoFile(path, GRAPH_FORMAT, TIMEZONE, write_graph(path, chunk)))

    requests = build_requests(window, seed)
    for path, rows in write_311_years(out_dir, requests, seed):
        files.append(DemoFile(path, NYC311_FORMAT, TIMEZONE, rows))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data.demo.generate",
        description="Génère les fichiers d'export de la commune de démonstration Val-de-Parvis.",
    )
    parser.add_argument("out_dir", type=Path, help="dossier de sortie")
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=None,
        help="dernier jour couvert (AAAA-MM-JJ, fin de mois) ; défaut : fin du dernier mois complet",
    )
    parser.add_argument("--seed", type=int, default=2026, help="graine (défaut : 2026)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        files = generate_demo(args.out_dir, args.end, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    for f in files:
        print(f"{f.format_id:<18} {f.rows:>6}  {f.path.stat().st_size:>9}  {f.path.name}")
    print(f"{len(files)} fichiers en {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
