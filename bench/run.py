"""City scale, measured side by side: each Parvis figure beside an anchor, on two cores.

Generates a large city (bench/generate.py), then measures in one run:

- the import of the big NYC 311 CSV through the real path (``ingest.pipeline.import_bytes``
  on a fresh migrated database) into SQLite, beside a plain ``sqlite3.executemany`` of the same
  rows, with the peak RSS of the import process;
- the same into PostgreSQL, beside ``psql \\copy`` of the same file (when a server is given);
- the Synthèse after a filter change (``services.synthesis.synthesis``, warm caches) beside
  DuckDB computing the same figures from the same SQLite file;
- the first render of the Synthèse in a fresh process (Streamlit AppTest) and its peak RSS;
- the sentiment throughput on the generated messages;

then profiles the slow paths (cProfile) and writes the table, the machine and an explanation
of every missed target to docs/performance.md. Each measured step runs in its own process.

    .venv/bin/python bench/run.py                      # 1,000,000 requests (8 to 20 min)
    .venv/bin/python bench/run.py --requests 100000    # a quick run
    .venv/bin/python bench/run.py --postgres postgresql+psycopg://postgres@127.0.0.1:54330/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: .venv/bin/python bench/run.py
    sys.path.insert(0, str(ROOT))

from bench import generate as generator  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
TIMEZONE = "Europe/Paris"
REPEAT_BELOW_SECONDS = 10.0  # a step under this is measured at least --runs times
PROFILE_ROWS = 100_000  # requests in the profiled import (a prefix of the big file)
SYNTHESIS_LIMIT_SECONDS = 0.3
RENDER_LIMIT_SECONDS = 5.0
RENDER_LIMIT_MB = 1536
IMPORT_RATIO = 1.5
LOADS: list[float] = []  # 1-minute load average before and after each measured step
SYNTHESIS_RATIO = 3.0


# --------------------------------------------------------------------------- measurements


@dataclass
class Timing:
    """Repeated measures of one step, in seconds."""

    values: list[float]
    limit: float = REPEAT_BELOW_SECONDS

    @property
    def best(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def note(self) -> str:
        if len(self.values) == 1 and self.values[0] >= self.limit:
            return f"1 mesure (> {self.limit:.0f} s)"
        return f"{len(self.values)} mesure" + ("s" if len(self.values) > 1 else "")


@dataclass
class Figure:
    """One line of the table."""

    key: str
    label: str
    unit: str  # "s", "MB", "textes/s"
    parvis: Timing | float | None
    anchor: Timing | float | None
    anchor_label: str
    target: str
    passed: bool | None  # None: no target, or not measured
    ratio: float | None = None
    note: str = ""
    profile: dict | None = None  # summary of the profile of the Parvis side
    details: list[str] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # import stage → share, full scale


def child(task: str, params: dict, env: dict[str, str] | None = None) -> dict:
    """Run ``bench.tasks`` TASK in a fresh interpreter; its JSON result, with the child's peak
    RSS and its wall time including start-up."""
    LOADS.append(os.getloadavg()[0])
    command = [sys.executable, "-m", "bench.tasks", task, json.dumps(params)]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            env={**os.environ, **(env or {})},
        )
        assert process.stdout is not None
        output = process.stdout.read()
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"bench.tasks {task} a échoué ({process.returncode}) :\n{tail}")
    lines = [line for line in output.decode().splitlines() if line.strip()]
    result = json.loads(lines[-1])
    # The child's own peak (VmHWM); ru_maxrss from wait4 also counts the parent's memory at
    # fork time, so it is only an upper bound (kept for reference).
    result["ru_maxrss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    result.setdefault("peak_rss_mb", result["ru_maxrss_mb"])
    result["process_seconds"] = wall
    LOADS.append(os.getloadavg()[0])
    return result


def repeat(step: Callable[[], float], runs: int) -> Timing:
    """At least ``runs`` measures of ``step`` while it takes under 10 s; one above that."""
    values = [step()]
    while len(values) < runs and values[0] < REPEAT_BELOW_SECONDS:
        values.append(step())
    return Timing(values)


def fr(value: float, decimals: int = 0) -> str:
    """A number the French way: spaces between thousands, a decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- profiles

# (depth, label, file suffix, function): cumulative time of each, as a share of the profile.
IMPORT_STAGES = (
    (0, "parse_blocks (détection, lecture, validation)", "ingest/registry.py", "parse_blocks"),
    (1, "sniff (décodage, JSON, séparateur)", "ingest/sniff.py", "sniff"),
    (1, "read_csv_table (enregistrements CSV)", "ingest/parsing.py", "read_csv_table"),
    (1, "RowsBuilder.add_datetime", "ingest/parsing.py", "add_datetime"),
    (1, "RowsBuilder.add_text", "ingest/parsing.py", "add_text"),
    (1, "RowsBuilder.add_id", "ingest/parsing.py", "add_id"),
    (1, "RowsBuilder.add_float", "ingest/parsing.py", "add_float"),
    (1, "RowsBuilder.reject_duplicates", "ingest/parsing.py", "reject_duplicates"),
    (1, "RowsBuilder.frame_and_rejections", "ingest/parsing.py", "frame_and_rejections"),
    (1, "_implausible_time_warnings", "ingest/formats/nyc311.py", "_implausible_time_warnings"),
    (1, "_flattened (fils JSON)", "ingest/formats/fb_graph_comments.py", "_flattened"),
    (1, "_replied_at (réponse par fil)", "ingest/formats/fb_graph_comments.py", "_replied_at"),
    (0, "enriched (pseudonymes, masquage, sentiment)", "ingest/pipeline.py", "enriched"),
    (1, "pseudonyms", "ingest/privacy.py", "pseudonyms"),
    (1, "masked_texts", "ingest/privacy.py", "masked_texts"),
    (1, "with_sentiment → sentiments", "metrics/sentiment.py", "sentiments"),
    (0, "ImportWriter.add (comparaison, écriture d'un bloc)", "store/repository.py", "add"),
    (1, "conform", "ingest/canonical.py", "conform"),
    (1, "frame_records (dicts de valeurs Python)", "store/repository.py", "frame_records"),
    (1, "diff_rows (lecture des clés existantes)", "store/repository.py", "diff_rows"),
    (1, "Session.execute (SELECT du diff, INSERT)", "sqlalchemy/orm/session.py", "execute"),
    (
        0,
        "ImportWriter.finish (fin du COPY, index, rejets, commit)",
        "store/repository.py",
        "finish",
    ),
)
SYNTHESIS_STAGES = (
    (0, "services.synthesis.synthesis", "services/synthesis.py", "synthesis"),
    (
        1,
        "period_figures (période, comparaison, un an avant)",
        "services/synthesis.py",
        "period_figures",
    ),
    (
        1,
        "weakest_groups (catégorie et quartier les plus faibles)",
        "services/synthesis.py",
        "weakest_groups",
    ),
    (
        2,
        "requests_breakdown (délais en temps ouvré, cibles)",
        "metrics/requests.py",
        "requests_breakdown",
    ),
    (1, "load_requests (toutes les lectures de demandes)", "store/repository.py", "load_requests"),
    (1, "request_counts (comptes SQL)", "store/aggregates.py", "request_counts"),
    (1, "closed_requests (durées lues)", "store/aggregates.py", "closed_requests"),
    (1, "load_messages", "store/repository.py", "load_messages"),
    (1, "load_publications", "store/repository.py", "load_publications"),
    (2, "Session.execute (requêtes SQL)", "sqlalchemy/orm/session.py", "execute"),
    (2, "Result.all (lignes SQLAlchemy, conversions)", "sqlalchemy/engine/result.py", "all"),
    (2, "_frame_from_rows (DataFrame + conform)", "store/repository.py", "_frame_from_rows"),
    (3, "conform", "ingest/canonical.py", "conform"),
    (1, "synthesis_figures (calcul pandas)", "metrics/synthesis.py", "synthesis_figures"),
)
RENDER_STAGES = (
    (0, "exécution du script (fil du script)", "scriptrunner/script_runner.py", "_run_script"),
    (
        1,
        "import de modules (pandas, SQLAlchemy, Altair…)",
        "<frozen importlib._bootstrap>",
        "_find_and_load",
    ),
    (1, "ready_engine → migrate (Alembic)", "store/db.py", "migrate"),
    (1, "pages/synthese.py (la page)", "pages/synthese.py", "<module>"),
    (2, "cached_synthesis", "ui/components.py", "cached_synthesis"),
    (2, "key_sentences → sentence_facts (phrases clés)", "ui/components.py", "key_sentences"),
    (3, "sentence_facts", "services/brief.py", "sentence_facts"),
    (2, "sidebar_filters (choix des filtres)", "ui/filters.py", "sidebar_filters"),
    (1, "services.synthesis.synthesis (tous appels)", "services/synthesis.py", "synthesis"),
    (2, "weakest_groups", "services/synthesis.py", "weakest_groups"),
    (1, "load_requests (toutes les lectures de demandes)", "store/repository.py", "load_requests"),
    (1, "imports.has_demo", "services/imports.py", "has_demo"),
    (1, "current_settings", "services/settings.py", "current_settings"),
    (1, "gate (comptes)", "ui/auth.py", "gate"),
)


def _function_name(key: tuple[str, int, str]) -> str:
    path, line, name = key
    if path == "~":
        return name
    text = path.replace("\\", "/")
    for marker in ("/site-packages/", str(ROOT).replace("\\", "/") + "/", "/lib/python3."):
        if marker in text:
            text = text.split(marker, 1)[1]
            break
    return f"{text}:{line}:{name}"


# Who reads the requests, and how often: the one loader every figure goes through.
LOADER = ("store/repository.py", "load_requests")


def summarize_profile(path: Path, stages: tuple, top: int = 14) -> dict:
    """Shares of the profile's total time: named stages (cumulative), the functions with the
    most own time, and the callers of ``load_requests``."""
    stats = pstats.Stats(str(path))
    table = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    callers = []
    for (file, _, func), (_, _, _, _, by) in table.items():
        if func == LOADER[1] and file.replace("\\", "/").endswith(LOADER[0]):
            callers += [
                {"function": _function_name(key), "calls": nc, "cumulative": ct}
                for key, (_, nc, _, ct) in by.items()
            ]
    callers.sort(key=lambda c: c["cumulative"], reverse=True)
    found = []
    for depth, label, suffix, name in stages:
        cumulative = sum(
            ct
            for (file, _, func), (_, _, _, ct, _) in table.items()
            if func == name and file.replace("\\", "/").endswith(suffix)
        )
        if cumulative > 0:
            found.append(
                {
                    "depth": depth,
                    "label": label,
                    "seconds": cumulative,
                    "function": f"{suffix}:{name}",
                }
            )
    own = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return {
        "total": total,
        "loader_callers": callers,
        "cumulative": {_function_name(key): value[3] for key, value in table.items()},
        "stages": [dict(s, share=s["seconds"] / total if total else 0.0) for s in found],
        "top": [
            {
                "function": _function_name(key),
                "calls": value[1],
                "own": value[2],
                "share": value[2] / total if total else 0.0,
                "cumulative": value[3],
            }
            for key, value in own
        ],
    }


# --------------------------------------------------------------------------- steps


@dataclass
class Context:
    args: argparse.Namespace
    work: Path
    data: Path
    manifest: dict
    runs: int
    profiles: Path
    env: dict[str, str]
    code: str = ""

    def files(self, kind: str) -> list[Path]:
        return [self.data / f["name"] for f in self.manifest["files"] if f["kind"] == kind]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def fresh_sqlite(ctx: Context, name: str) -> Path:
    """A new migrated SQLite database: a copy of one migrated (Alembic) once per run."""
    template = ctx.work / "migree.sqlite"
    if not template.exists():
        child("migrate", {"url": sqlite_url(template)}, ctx.env)
    path = ctx.work / name
    drop_sqlite(path)
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{path}{suffix}")
    return path


def drop_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def head_file(source: Path, rows: int, target: Path) -> int:
    """The header and the first ``rows`` records of a CSV without embedded line breaks."""
    written = -1
    with source.open("rb") as reader, target.open("wb") as writer:
        for line in reader:
            if written >= rows:
                break
            writer.write(line)
            written += 1
    return written


def measure_sqlite_import(ctx: Context) -> tuple[list[Figure], Path]:
    files = ctx.files("request")
    last: dict = {}
    keep: Path | None = None
    peaks: list[float] = []

    def parvis() -> float:
        nonlocal last, keep
        if keep is not None:
            drop_sqlite(keep)
        keep = fresh_sqlite(ctx, "parvis.sqlite")
        log(f"import Parvis → SQLite ({fr(ctx.manifest['requests'])} demandes)")
        last = child(
            "import",
            {"url": sqlite_url(keep), "files": [str(f) for f in files], "timezone": TIMEZONE},
            ctx.env,
        )
        if last["refused"]:
            raise RuntimeError(f"import refusé : {last['refused']}")
        peaks.append(last["peak_rss_mb"])
        log(f"  {last['seconds']:.1f} s, pic RSS {last['peak_rss_mb']:.0f} MB")
        return last["seconds"]

    parvis_timing = repeat(parvis, ctx.runs)
    anchor_rss: list[float] = []

    def anchor() -> float:
        path = fresh_sqlite(ctx, "anchor.sqlite")
        seconds = 0.0
        for f in files:
            result = child("anchor_sqlite", {"path": str(path), "file": str(f)}, ctx.env)
            seconds += result["seconds"]
            anchor_rss.append(result["peak_rss_mb"])
        drop_sqlite(path)
        log(f"  ancre sqlite3.executemany : {seconds:.1f} s")
        return seconds

    anchor_timing = repeat(anchor, ctx.runs)
    ratio = parvis_timing.median / anchor_timing.median
    size = sum(f.stat().st_size for f in files) / 1e6
    rows = last["rows_read"]
    details = [
        f"{fr(rows)} lignes lues, {fr(last['inserted'])} insérées, {last['rejected']} rejetées"
        + (
            " (les dates illisibles que le générateur plante, une pour 200 000 lignes)"
            if last["rejected"]
            else ""
        )
        + f" ; fichier de {fr(size, 0)} MB.",
        f"Débit Parvis : {fr(rows / parvis_timing.median, 0)} lignes/s ; ancre : "
        f"{fr(rows / anchor_timing.median, 0)} lignes/s.",
    ]
    stages = _stage_text(last)
    if stages:
        details.append(stages)
    figures = [
        Figure(
            "import_sqlite",
            f"Import 311 → SQLite ({fr(rows)} demandes)",
            "s",
            parvis_timing,
            anchor_timing,
            "sqlite3.executemany (module csv, une transaction, même table et index unique)",
            f"≤ {IMPORT_RATIO:g}× l'ancre",
            ratio <= IMPORT_RATIO,
            ratio,
            details=details,
            stages=_stage_shares(last),
        ),
        Figure(
            "import_sqlite_rss",
            "Pic mémoire (RSS) de l'import SQLite",
            "MB",
            max(peaks),
            max(anchor_rss),
            "processus de l'ancre",
            "— (information)",
            None,
            max(peaks) / max(anchor_rss),
            details=[
                f"Processus neuf par mesure (VmHWM) ; {last['baseline_rss_mb']:.0f} MB avant "
                f"l'import (interpréteur, pandas, SQLAlchemy) ; {max(peaks) / size:.1f}× la "
                "taille du fichier."
            ],
        ),
    ]
    assert keep is not None
    return figures, keep


STAGE_NAMES = {
    "read_bytes": "lecture des octets",
    "lecture du fichier": "détection et lecture par pyarrow du CSV entier, ou de sa première "
    "partie au-delà de 32 MB (avant le premier bloc)",
    "analyse et écriture": "par blocs de 100 000 lignes : validation, pseudonymisation, sentiment, "
    "comparaison et écriture (COPY ou INSERT ; PostgreSQL écrit un bloc pendant l'analyse "
    "du suivant, et un fil lit les parties suivantes du fichier)",
    "fin de l'écriture": "fin du dernier bloc, index, empreinte du fichier, rejets et commit",
}


def _stage_shares(result: dict, formats: tuple[str, ...] = ()) -> dict[str, float]:
    """Share of the import time of each stage marked by the progress callback."""
    seconds: dict[str, float] = {}
    for f in result.get("files", []):
        if formats and f.get("format_id") not in formats:
            continue
        for stage in f.get("stages", []):
            seconds[stage["stage"]] = seconds.get(stage["stage"], 0.0) + stage["seconds"]
    total = sum(seconds.values()) or 1.0
    return {name: value / total for name, value in seconds.items()}


def _stage_text(result: dict, formats: tuple[str, ...] = ()) -> str:
    """The import's own stages (marked by its progress callback, no profiler), summed over the
    files (of ``formats`` when given), as one line."""
    merged: dict[str, dict] = {}
    for f in result.get("files", []):
        if formats and f.get("format_id") not in formats:
            continue
        for stage in f.get("stages", []):
            into = merged.setdefault(stage["stage"], {"stage": stage["stage"], "seconds": 0.0})
            into["seconds"] += stage["seconds"]
            into["peak"] = max(into.get("peak", 0.0), stage["peak"])
    stages = list(merged.values())
    if not stages:
        return ""
    total = sum(s["seconds"] for s in stages) or 1.0
    parts = [
        f"{STAGE_NAMES.get(s['stage'], s['stage'])} {fr(s['seconds'], 1)} s "
        f"({s['seconds'] / total:.0%}, pic {fr(s['peak'], 0)} MB)"
        for s in stages
    ]
    return (
        "Étapes chronométrées par le rappel de progression de `import_bytes`, sans profileur, "
        "avec le pic de mémoire atteint à la fin de chacune : " + " ; ".join(parts) + "."
    )


def profile_import(ctx: Context, url_for: Callable[[str], str], label: str) -> dict | None:
    """cProfile of the real import on a prefix of the request file, in a fresh database."""
    if ctx.args.no_profile:
        return None
    source = ctx.files("request")[0]
    sample = ctx.work / "profil-311.csv"
    rows = head_file(source, ctx.args.profile_rows, sample)
    url = url_for("profil")
    output = ctx.profiles / f"import-{label}.prof"
    log(f"profil de l'import {label} ({fr(rows)} lignes)")
    child(
        "import",
        {"url": url, "files": [str(sample)], "timezone": TIMEZONE, "profile": str(output)},
        ctx.env,
    )
    sample.unlink()
    summary = summarize_profile(output, IMPORT_STAGES)
    summary["rows"] = rows
    return summary


def import_social(ctx: Context, database: Path) -> Figure:
    """Posts, then comments, into the Parvis database (needed by the Synthèse and the render)."""
    files = ctx.files("publication") + ctx.files("message")
    log(f"import des publications et messages ({len(files)} fichiers)")
    result = child(
        "import",
        {"url": sqlite_url(database), "files": [str(f) for f in files], "timezone": TIMEZONE},
        ctx.env,
    )
    messages = sum(f["inserted"] for f in result["files"] if f["format_id"] == "fb_graph_comments")
    posts = sum(f["inserted"] for f in result["files"] if f["format_id"] == "meta_posts")
    message_seconds = sum(
        f["seconds"] for f in result["files"] if f["format_id"] == "fb_graph_comments"
    )
    profile = None
    if not ctx.args.no_profile and ctx.files("message"):
        biggest = max(ctx.files("message"), key=lambda p: p.stat().st_size)
        copy = fresh_sqlite(ctx, "profil-messages.sqlite")
        output = ctx.profiles / "import-messages.prof"
        child(
            "import",
            {
                "url": sqlite_url(copy),
                "files": [str(biggest)],
                "timezone": TIMEZONE,
                "profile": str(output),
            },
            ctx.env,
        )
        drop_sqlite(copy)
        profile = summarize_profile(output, IMPORT_STAGES)
        profile["rows"] = next(
            f["rows"] for f in ctx.manifest["files"] if f["name"] == biggest.name
        )
    log(f"  {fr(messages)} messages en {message_seconds:.1f} s")
    return Figure(
        "import_messages",
        f"Import des commentaires Graph → SQLite ({fr(messages)} messages, "
        f"{len(ctx.files('message'))} fichiers)",
        "s",
        Timing([message_seconds]),
        None,
        "—",
        "— (information)",
        None,
        note="1 mesure",
        profile=profile,
        stages=_stage_shares(result, ("fb_graph_comments",)),
        details=[
            *[line for line in (_stage_text(result, ("fb_graph_comments",)),) if line],
            f"{fr(messages / message_seconds, 0)} messages/s ; {fr(posts)} publications Meta en "
            f"{result['seconds'] - message_seconds:.1f} s ; pic RSS {result['peak_rss_mb']:.0f} MB.",
        ],
    )


def libpq(url: str, database: str | None = None) -> str:
    """A psql connection URI for a SQLAlchemy PostgreSQL URL (optionally another database)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def psql(uri: str, command: str) -> str:
    done = subprocess.run(
        ["psql", uri, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", command],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql a échoué : {done.stderr.strip()}")
    return done.stdout.strip()


def measure_postgres(ctx: Context) -> list[Figure]:
    url = ctx.args.postgres
    admin = libpq(url)
    files = ctx.files("request")
    created: list[str] = []

    def create(prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        psql(admin, f'CREATE DATABASE "{name}"')
        created.append(name)
        return name

    def drop(name: str) -> None:
        psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        created.remove(name)

    from sqlalchemy.engine import make_url

    def sa_url(name: str) -> str:
        return make_url(url).set(database=name).render_as_string(hide_password=False)

    last: dict = {}
    peaks: list[float] = []
    try:

        def parvis() -> float:
            nonlocal last
            name = create("parvis_bench")
            child("migrate", {"url": sa_url(name)}, ctx.env)
            log("import Parvis → PostgreSQL")
            last = child(
                "import",
                {"url": sa_url(name), "files": [str(f) for f in files], "timezone": TIMEZONE},
                ctx.env,
            )
            drop(name)
            if last["refused"]:
                raise RuntimeError(f"import refusé : {last['refused']}")
            peaks.append(last["peak_rss_mb"])
            log(f"  {last['seconds']:.1f} s")
            return last["seconds"]

        parvis_timing = repeat(parvis, ctx.runs)
        copy_db = create("parvis_bench_copy")
        columns = ", ".join(f'"{c}" text' for c in generator.NYC311_COLUMNS)
        uri = libpq(url, copy_db)
        psql(uri, f"CREATE TABLE nyc311 ({columns})")
        psql(uri, 'CREATE UNIQUE INDEX nyc311_key ON nyc311 ("Unique Key")')

        def anchor() -> float:
            psql(uri, "TRUNCATE nyc311")
            seconds = 0.0
            for f in files:
                started = time.perf_counter()
                psql(uri, f"\\copy nyc311 FROM '{f}' CSV HEADER")
                seconds += time.perf_counter() - started
            log(f"  ancre psql \\copy : {seconds:.1f} s")
            return seconds

        anchor_timing = repeat(anchor, ctx.runs)
        server = psql(uri, "SHOW server_version").split()[0]
        drop(copy_db)

        def profile_url(_: str) -> str:
            name = create("parvis_bench_profile")
            child("migrate", {"url": sa_url(name)}, ctx.env)
            return sa_url(name)

        profile = profile_import(ctx, profile_url, "postgresql")
    finally:
        for name in list(created):
            drop(name)
    ratio = parvis_timing.median / anchor_timing.median
    rows = last["rows_read"]
    return [
        Figure(
            "import_postgres",
            f"Import 311 → PostgreSQL {server} ({fr(rows)} demandes)",
            "s",
            parvis_timing,
            anchor_timing,
            "psql \\copy … CSV HEADER (41 colonnes text, index unique sur Unique Key)",
            f"≤ {IMPORT_RATIO:g}× l'ancre",
            ratio <= IMPORT_RATIO,
            ratio,
            profile=profile,
            stages=_stage_shares(last),
            details=[
                *[line for line in (_stage_text(last),) if line],
                f"Débit Parvis : {fr(rows / parvis_timing.median, 0)} lignes/s ; ancre : "
                f"{fr(rows / anchor_timing.median, 0)} lignes/s ; pic RSS de l'import "
                f"{fr(max(peaks), 0)} MB.",
            ],
        )
    ]


def _months(manifest: dict) -> tuple[str, str]:
    """The last month of the data (what the dashboard shows by default) and the one before."""
    end = date.fromisoformat(manifest["end"])
    last = end.replace(day=1)
    before = date(last.year - (last.month == 1), (last.month - 2) % 12 + 1, 1)
    return before.isoformat(), last.isoformat()


def _same(a: dict, b: dict) -> list[str]:
    differ = []
    for key, value in a.items():
        other = b.get(key)
        if isinstance(value, float) and isinstance(other, float):
            if abs(value - other) > 1e-6 * max(1.0, abs(value)):
                differ.append(key)
        elif value != other:
            differ.append(key)
    return differ


PERIOD_NAMES = {
    "current": "période",
    "previous": "période de comparaison",
    "year_before": "même période un an avant",
}


def measure_synthesis(ctx: Context, database: Path) -> list[Figure]:
    warm, month = _months(ctx.manifest)
    log(f"Synthèse de {month[:7]} après {warm[:7]}")
    output = ctx.profiles / "synthesis.prof"
    result = child(
        "synthesis",
        {
            "url": sqlite_url(database),
            "warm_month": warm,
            "month": month,
            "runs": max(ctx.runs, 3),
            "limit_seconds": REPEAT_BELOW_SECONDS,
            "profile": None if ctx.args.no_profile else str(output),
        },
        ctx.env,
    )
    parvis = Timing(result["timings"])
    profile = None if ctx.args.no_profile else summarize_profile(output, SYNTHESIS_STAGES)
    log(f"  Parvis {parvis.median:.3f} s")
    periods = result["periods"]
    described = " ; ".join(
        f"{PERIOD_NAMES.get(name, name)} {bounds[0]} → {bounds[1]}"
        for name, bounds in periods.items()
    )
    anchor = None
    anchor_label = "DuckDB (non installé : pip install -r requirements-bench.txt)"
    details = []
    try:
        import duckdb  # noqa: F401

        has_duckdb = True
    except ImportError:
        has_duckdb = False
    if has_duckdb:
        params = {"path": str(database), "warm_month": warm, "periods": periods}
        params["runs"] = max(ctx.runs, 3)
        scanner = child("duckdb", {**params, "mode": "scanner"}, ctx.env)
        memory = child("duckdb", {**params, "mode": "memory"}, ctx.env)
        if "error" not in scanner:
            duck = scanner
            anchor_label = (
                f"DuckDB {scanner['duckdb']} lisant le même fichier SQLite (extension sqlite)"
            )
        else:
            duck = memory
            anchor_label = (
                f"DuckDB {memory['duckdb']}, tables copiées en mémoire avant la mesure, "
                "seules les requêtes mesurées (extension sqlite non chargeable)"
            )
        anchor = Timing(duck["timings"])
        details.append(
            f"DuckDB, tables déjà en mémoire (copie non mesurée : {memory['load_seconds']:.1f} s) :"
            f" {fr(Timing(memory['timings']).median * 1000, 1)} ms (médiane)."
        )
        differ = []
        for name, figures in duck["figures"].items():
            differ += [f"{k} ({name})" for k in _same(figures, result["figures"].get(name, {}))]
        details.append(
            "DuckDB trouve les mêmes chiffres que Parvis pour chaque période comparée : "
            + ("oui." if not differ else f"NON ({', '.join(sorted(set(differ)))}).")
        )
        log(f"  DuckDB {anchor.median:.3f} s")
    details.insert(0, _synthesis_breakdown(result, described))
    if "columns_load_seconds" in result:
        rows, sizes = result["columns_rows"], result["columns_bytes"]
        database = Timing(result["database_timings"])
        details.insert(
            1,
            "Caches chauds = la copie en mémoire des colonnes que lit la Synthèse "
            "(`services.column_cache`, chargée en arrière-plan par le serveur au démarrage et "
            f"après chaque import) : chargée en {fr(result['columns_load_seconds'], 1)} s, "
            f"{fr(rows['requests'])} demandes, {fr(rows['messages'])} messages, "
            f"{fr(rows['publications'])} publications, "
            f"{fr(sum(sizes.values()) / 2**20, 0)} MB ; mêmes chiffres que ceux lus dans la "
            f"base : {'oui' if result['same_as_database'] else 'NON'}. Tant qu'elle n'est pas "
            f"chargée, la base répond : {fr(database.median, 2)} s (médiane de "
            f"{len(database.values)} mesures).",
        )
    ratio = parvis.median / anchor.median if anchor else None
    passed = parvis.median < SYNTHESIS_LIMIT_SECONDS and (ratio is None or ratio <= SYNTHESIS_RATIO)
    return [
        Figure(
            "synthesis",
            "Synthèse après changement de période (caches chauds)",
            "s",
            parvis,
            anchor,
            anchor_label,
            f"≤ {SYNTHESIS_RATIO:g}× l'ancre et < {fr(SYNTHESIS_LIMIT_SECONDS, 1)} s",
            passed,
            ratio,
            profile=profile,
            details=details,
        )
    ]


def _synthesis_breakdown(result: dict, described: str) -> str:
    """Where one ``synthesis`` call spends its time, as the product calls its parts."""
    stages, calls, rows = result["stages"], result["stages"].get("calls", {}), result["rows"]

    def part(name: str, label: str) -> str:
        if name not in stages:
            return ""
        return f"{label} {fr(stages[name], 2)} s ({calls.get(name, 1)} appel(s))"

    parts = [
        part("requests_window", "`Columns.requests_window` (demandes en mémoire)"),
        part("messages_in", "`Columns.messages_in`"),
        part("publications_in", "`Columns.publications_in`"),
        part("load_requests", "`load_requests`"),
        part("load_messages", "`load_messages`"),
        part("load_publications", "`load_publications`"),
        part("synthesis_figures", "calcul pandas `synthesis_figures`"),
        part("weakest_groups", "`weakest_groups` (lecture comprise ; non refait par DuckDB)"),
    ]
    return (
        f"Périodes calculées : {described}. Un appel chronométré par parties : "
        + " ; ".join(p for p in parts if p)
        + f". Lignes lues : {fr(rows['requests'])} demandes (au plus "
        f"{result.get('request_columns_read', '?')} colonnes remplies par lecture), "
        f"{fr(rows['messages'])} messages, {fr(rows['publications'])} publications."
    )


def measure_render(ctx: Context, database: Path) -> list[Figure]:
    empty = fresh_sqlite(ctx, "vide.sqlite")
    results: dict[str, list[dict]] = {"big": [], "empty": []}

    def render(which: str, path: Path) -> Callable[[], float]:
        def step() -> float:
            result = child("render", {}, {**ctx.env, "DATABASE_URL": sqlite_url(path)})
            if result["exceptions"]:
                raise RuntimeError(f"le rendu a levé : {result['exceptions']}")
            results[which].append(result)
            return result["seconds"]

        return step

    log("premier rendu (AppTest, processus neuf)")
    big = repeat(render("big", database), ctx.runs)
    log(f"  {big.median:.2f} s, pic {max(r['peak_rss_mb'] for r in results['big']):.0f} MB")
    small = repeat(render("empty", empty), ctx.runs)
    profile = None
    if not ctx.args.no_profile:
        output = ctx.profiles / "render.prof"
        child("render", {"profile": str(output)}, {**ctx.env, "DATABASE_URL": sqlite_url(database)})
        profile = summarize_profile(output, RENDER_STAGES)
    drop_sqlite(empty)
    peak = max(r["peak_rss_mb"] for r in results["big"])
    peak_empty = max(r["peak_rss_mb"] for r in results["empty"])
    first = results["big"][0]
    # The process then waits for the background load of the column copy: not part of a render.
    process = statistics.median(
        r["process_seconds"] - r.get("columns_wait_seconds", 0.0) for r in results["big"]
    )
    return [
        Figure(
            "render",
            "Premier rendu de la Synthèse, processus neuf",
            "s",
            big,
            small,
            "même application, base vide",
            f"< {RENDER_LIMIT_SECONDS:g} s",
            big.median < RENDER_LIMIT_SECONDS,
            big.median / small.median,
            profile=profile,
            details=[
                f'AppTest.from_file("dashboard.py").run() ; {first["metrics"]} tuiles, '
                f"« Demandes reçues » = {first['requests_received']} ; processus entier "
                f"(démarrage de Python et import de Streamlit compris) : {process:.1f} s ; "
                "la copie des colonnes en mémoire (`services.column_cache`), lancée en "
                "arrière-plan pendant le rendu, finit "
                f"{fr(first.get('columns_wait_seconds', 0.0), 1)} s après lui (le pic mémoire "
                "l'inclut)."
            ],
        ),
        Figure(
            "render_rss",
            "Pic mémoire (RSS) du premier rendu",
            "MB",
            peak,
            peak_empty,
            "même application, base vide",
            f"< {RENDER_LIMIT_MB / 1024:g} GB",
            peak < RENDER_LIMIT_MB,
            peak / peak_empty,
        ),
    ]


def measure_sentiment(ctx: Context) -> list[Figure]:
    files = [str(f) for f in ctx.files("message")]
    if not files:
        return []
    log("sentiment des messages")
    result = child(
        "sentiment",
        {"files": files, "runs": ctx.runs, "limit_seconds": REPEAT_BELOW_SECONDS},
        ctx.env,
    )
    timing = Timing(result["timings"])
    texts, distinct = result["texts"], result["distinct"]
    rate_best, rate_median = texts / timing.best, texts / timing.median
    return [
        Figure(
            "sentiment",
            "Sentiment à l'import (metrics.sentiment.sentiments)",
            "textes/s",
            Timing([rate_best, rate_median]),
            None,
            "—",
            "— (information)",
            None,
            note=timing.note,
            details=[
                f"{fr(texts)} textes dont {fr(distinct)} distincts ({distinct / texts:.0%}) : chaque "
                f"texte distinct est évalué une fois ; {fr(distinct / timing.median, 0)} textes "
                f"distincts/s ; {fr(result['french'])} textes détectés en français "
                f"({result['french'] / texts:.0%}). Durée médiane {timing.median:.1f} s "
                f"({timing.note}) ; premier appel (lexiques, VADER, modèle de langue) sur 2 000 "
                f"textes : {result['cold_seconds']:.1f} s, non compté."
            ],
        )
    ]


def measure_pages(ctx: Context, database: Path) -> list[Figure]:
    """The detailed pages after a filter change, column copy loaded (information: the issue
    sets the 0.3 s target on the Synthèse)."""
    warm, month = _months(ctx.manifest)
    log("pages détaillées après changement de période")
    result = child(
        "pages",
        {"url": sqlite_url(database), "warm_month": warm, "month": month, "runs": ctx.runs},
        ctx.env,
    )
    figures = []
    for name, values in result["timings"].items():
        timing = Timing(values)
        log(f"  {name} : {timing.median:.2f} s")
        figures.append(
            Figure(
                "page",
                f"Page « {name} » après changement de période",
                "s",
                timing,
                None,
                "—",
                "— (information)",
                None,
                details=[
                    f"La vue de la page (`services.views`, `services.voice`) pour {month[:7]} "
                    f"juste après {warm[:7]}, copie des colonnes chargée, sans `st.cache_data`."
                ],
            )
        )
    return figures


def measure_refresh(ctx: Context, database: Path) -> list[Figure]:
    """The column copy after a monthly-sized import into the big city: refreshed from the
    import's rows against reloaded whole (run last: the import changes the database)."""
    requests = max(1000, ctx.args.requests // 50)
    folder = ctx.work / "import-suivant"
    manifest = generator.generate(
        folder, requests, 0, 0, date.fromisoformat(ctx.manifest["end"]), ctx.args.seed + 1
    )
    file = folder / manifest["files"][0]["name"]
    log(f"copie des colonnes après un import de {fr(requests)} demandes")
    result = child(
        "refresh",
        {"url": sqlite_url(database), "file": str(file), "timezone": ctx.manifest["timezone"]},
        ctx.env,
    )
    shutil.rmtree(folder, ignore_errors=True)
    log(f"  {result['refresh_seconds']:.2f} s contre {result['whole_seconds']:.1f} s")
    return [
        Figure(
            "refresh",
            f"Copie des colonnes en mémoire rafraîchie après un import de {fr(requests)} demandes",
            "s",
            Timing([result["refresh_seconds"]]),
            Timing([result["whole_seconds"]]),
            "rechargement complet de la copie",
            "— (information)",
            None,
            result["refresh_seconds"] / result["whole_seconds"],
            details=[
                f"Import de {fr(result['inserted'])} demandes nouvelles et "
                f"{fr(result['updated'])} modifiées en {fr(result['import_seconds'], 1)} s dans "
                f"la base de {fr(result['rows'])} demandes ; la copie rafraîchie ne relit que "
                "les lignes de cet import (`services.column_cache.load_columns` avec la copie "
                "précédente) ; mêmes données qu'un rechargement complet : "
                + ("oui." if result["same"] else "NON.")
            ],
        )
    ]


# --------------------------------------------------------------------------- report

# What to change in product code, shown for a figure only when its profile shows the slow
# implementation the advice is about: (evidence, minimum share, advice). Evidence is a
# ``file:function`` whose cumulative time (as a stage or any profiled function) reaches the
# share, or ``caller:function``, a caller of load_requests reaching it.
Fix = tuple[tuple[str, ...], float, str]
_IMPORT_FIXES: tuple[Fix, ...] = (
    (
        ("store/repository.py:_open_copy",),
        1e-9,
        "**Écriture PostgreSQL.** L'import est lu, validé et écrit par blocs de 100 000 lignes "
        "dans une transaction : PostgreSQL enregistre un bloc (`COPY` binaire laissé ouvert, "
        "données formatées par un second fil) pendant que Parvis analyse le suivant, et un fil "
        "lit les parties suivantes du fichier ; le premier bloc part 0,8 s après le début ; un "
        "premier import massif reconstruit les index secondaires après son `COPY`. Ce qui "
        "reste : environ 6,5 s de calcul côté client (lecture pyarrow 1,3 s, validation par "
        "bloc 2 s, données du COPY 0,7 s, sentiment, empreinte) et 5 s côté serveur, dont "
        "1,1 s de reconstruction des index après le dernier bloc, pendant laquelle le client "
        "n'a plus rien à faire. Pistes : alléger la validation par bloc (listes Python des "
        "colonnes, fuseau horaire), lire moins de colonnes avec pyarrow.",
    ),
    (
        ("sqlalchemy/orm/persistence.py:_collect_insert_commands",),
        0.02,
        "**INSERT par l'ORM.** `apply_import` insère par le chemin ORM « bulk » "
        "(`session.execute(insert(model), [dict…])` : `_collect_insert_commands` et "
        "`construct_params` pour chaque ligne) : écrire les nouvelles lignes par le Core avec "
        "des tuples (`connection.execute(table.insert(), …)` ou `cursor.executemany`).",
    ),
    (
        ("psycopg/_cursor_base.py:_send_query_prepared",),
        0.02,
        "**PostgreSQL ligne à ligne.** psycopg 3 exécute l'`executemany` en mode pipeline, une "
        "requête préparée par ligne (`_send_query_prepared` appelé N fois, attente dans `wait`) :"
        " écrire par `COPY requests (…) FROM STDIN` (`cursor.copy()`, `write_row`).",
    ),
    (
        ("sqlalchemy/engine/default.py:_init_compiled",),
        0.08,
        "**Paramètres par SQLAlchemy.** Même par le Core, chaque ligne passe par "
        "`construct_params` et chaque horodatage par le convertisseur DateTime du dialecte "
        "SQLite (`sqlite/base.py:process`, une fois par cellule) avant `executemany` : sur "
        "SQLite, passer directement à `cursor.executemany` (via `exec_driver_sql`) des tuples "
        "dont les horodatages sont déjà formatés colonne par colonne "
        '(`Series.dt.strftime("%Y-%m-%d %H:%M:%S.%f")`), comme le fait l\'ancre.',
    ),
    (
        ("store/repository.py:frame_records",),
        0.05,
        "**Mémoire.** `frame_records` convertit toutes les lignes avant le premier INSERT : le "
        "pic de mémoire de l'import est atteint à cette étape (voir les étapes chronométrées "
        "ci-dessus). Convertir et insérer par tranches de 5 000 lignes du DataFrame garderait "
        "le pic à celui de la lecture.",
    ),
    (
        ("psycopg/_copy.py:write_row",),
        0.05,
        "**COPY ligne à ligne.** Le COPY PostgreSQL passe chaque ligne par `copy.write_row` "
        "(Python, un appel par ligne) : formater chaque paquet en texte COPY colonne par "
        "colonne (horodatages via `Series.dt.strftime`, `\\N` pour les manquants) et "
        "l'envoyer d'un seul `copy.write(...)`.",
    ),
    (
        ("store/repository.py:_python_value",),
        0.03,
        "**Conversion cellule par cellule.** `_python_value` est appelé pour chaque cellule "
        "(19 colonnes × N lignes, un `pd.Timestamp(...).tz_convert(...)` par horodatage) : "
        "convertir colonne par colonne (`Series.dt.tz_convert(None)`, "
        "`.astype(object).where(Series.notna(), None)`) et passer des tuples aux INSERT.",
    ),
    (
        ("store/repository.py:diff_rows", "stage:comparaison avec les données enregistrées"),
        0.15,
        "**Diff.** `diff_rows` relit les clés existantes par paquets de 900 (`IN (…)`) : quand "
        "la table contient déjà des lignes de la source (le 2e fichier d'un même export), "
        "charger les clés du fichier dans une table temporaire et faire le diff par jointure "
        "(un aller-retour au lieu de N/900) ; le sauter quand rien de la source n'est stocké.",
    ),
    (
        ("ingest/parsing.py:read_csv_table",),
        0.05,
        "**Lecture CSV.** `read_csv_table` donne à pyarrow les octets du fichier, sans le "
        "décoder en texte (le texte ne sert qu'aux lignes rejetées et au repli ligne à ligne) ; "
        "au-delà de 32 MB, un fichier stocké par blocs est lu par parties par un fil à part. "
        "Si cette étape domine encore, c'est que le fichier est lu entier (format non "
        "`row_wise`) ou par le module csv (repli) : voir le profil.",
    ),
    (
        ("ingest/parsing.py:add_float",),
        0.05,
        "**Nombres.** `RowsBuilder.add_float` analyse chaque cellule avec `parse_number` : "
        '`pd.to_numeric(colonne, errors="coerce")` pour le cas courant, `parse_number` '
        "seulement pour les cellules non lues (messages d'erreur inchangés).",
    ),
    (
        ("ingest/parsing.py:add_text",),
        0.05,
        "**Textes.** `RowsBuilder.add_text` applique `str.strip` cellule par cellule : le faire "
        "sur les valeurs distinctes (`pd.factorize`) — 40 catégories et 20 quartiers pour un "
        "million de lignes.",
    ),
    (
        ("ingest/parsing.py:add_datetime",),
        0.08,
        "**Dates.** `RowsBuilder.add_datetime` passe par `pd.to_datetime(format=…)` (strptime) "
        "pour chaque format essayé : analyser les dates distinctes seulement (`pd.factorize` : "
        "un export 311 répète souvent la même seconde) ou découper les champs d'un format fixe "
        "(`MM/JJ/AAAA hh:mm:ss AM`) par tranches de caractères.",
    ),
    (
        ("ingest/privacy.py:masked_texts",),
        0.05,
        "**Masquage.** `masked_texts` passe trois expressions régulières sur chaque ligne : les "
        "appliquer aux textes distincts (`pd.factorize`, comme `sentiments`) puis reprojeter.",
    ),
    (
        ("ingest/formats/fb_graph_comments.py:_replied_at",),
        0.05,
        "**Réponses.** `_replied_at` boucle en Python sur chaque fil (`groupby`, listes triées,"
        " une compréhension par message) : `pd.merge_asof(habitants, personnel, "
        'by="thread_id", on="sent_at", direction="forward", '
        "allow_exact_matches=False)` donne la première réponse strictement postérieure en une "
        "passe vectorielle.",
    ),
    (
        ("metrics/sentiment.py:sentiments",),
        0.1,
        "**Sentiment.** Déjà évalué une fois par texte distinct ; le reste du coût est "
        "l'analyseur : mémoriser les scores des textes déjà vus d'un import à l'autre (table "
        "texte → score) ou noter les textes distincts sur les deux cœurs "
        "(`ProcessPoolExecutor`).",
    ),
)
_READ_FIXES: tuple[Fix, ...] = (
    (
        ("metrics/requests.py:requests_breakdown",),
        0.15,
        "**Ventilations.** `weakest_groups` appelle `requests_breakdown` deux fois (catégorie "
        "puis quartier) et chaque appel recalcule, pour les mêmes demandes, les délais en "
        "temps ouvré et le respect des cibles : les calculer une fois par demande et ne "
        "refaire que le regroupement.",
    ),
    (
        ("services/synthesis.py:synthesis",),
        0.5,
        "**Sans la copie en mémoire.** Un serveur qui démarre, ou qui vient d'importer, "
        "répond depuis la base le temps de recharger la copie (quelques secondes pour un "
        "million de demandes) ; cette voie relit des lignes et reste autour d'une seconde, "
        "comme DuckDB lisant le même fichier. Garder la copie à jour par différence à "
        "l'import (ajouter les lignes de l'import au lieu de tout relire) raccourcirait "
        "cette fenêtre.",
    ),
    (
        ("store/repository.py:load_requests",),
        0.3,
        "**Trop de lignes lues.** Chaque `load_requests` ramène en Python toutes les demandes "
        "utiles à la période — reçues, clôturées, et tout le stock encore ouvert — pour chacune "
        "des périodes comparées : calculer reçues, clôturées et stock en SQL (`SUM(CASE …)` "
        "sur `ix_requests_created_at` / `ix_requests_closed_at`, une requête par période ou "
        "une seule pour toutes) et ne lire que les durées (`closed_at - created_at`) des "
        "demandes clôturées dans la période pour la médiane ; c'est ce que fait l'ancre DuckDB.",
    ),
    (
        ("caller:weakest_groups",),
        0.05,
        "**Double lecture.** `weakest_groups` relit les demandes de la période "
        "(`load_requests`) que `period_figures` vient de lire : lire une fois les colonnes "
        "dont les deux ont besoin et partager le DataFrame, ou mémoriser la lecture par "
        "(période, sélection, `data_version`).",
    ),
    (
        ("sqlalchemy/orm/loading.py:chunks",),
        0.03,
        "**Lignes ORM.** Les lectures passent par `Session.execute(select(colonnes)).all()`, "
        "donc par le chargement ORM (`sqlalchemy/orm/loading.py`, une conversion texte → "
        "datetime par cellule sur SQLite, puis `DataFrame(list de tuples)` et `conform`) : lire "
        "par le Core ou en brut (`exec_driver_sql`) et convertir les horodatages d'un coup "
        '(`pd.to_datetime(colonne, format="ISO8601")`), ou `pd.read_sql` / ADBC vers Arrow.',
    ),
    (
        ("ui/components.py:key_sentences",),
        0.1,
        "**Phrases clés.** `key_sentences` → `sentence_facts` relit les demandes reçues ou "
        "clôturées de la période (cinq colonnes) pour la part d'accusés de réception "
        "Services Publics+, que la Synthèse ne garde pas : la compter en SQL, comme les "
        "reçues, clôturées et en cours (`store/aggregates.py`), ou garder ces colonnes dans "
        "la lecture de `weakest_groups` et la partager.",
    ),
)
FIXES: dict[str, tuple[Fix, ...]] = {
    "import_sqlite": _IMPORT_FIXES,
    "import_postgres": _IMPORT_FIXES,
    "import_messages": _IMPORT_FIXES,
    "synthesis": _READ_FIXES,
    "render": _READ_FIXES,
}


PRODUCT_PATHS = (
    "ingest",
    "metrics",
    "services",
    "store",
    "ui",
    "pages",
    "dashboard.py",
    "requirements.txt",
)


def code_state() -> str:
    """The last commit that changed product code, and the product files changed but not
    committed (read-only git): commits of the benchmark or the docs do not count."""
    try:
        head = subprocess.run(
            ["git", "log", "-1", "--format=%h", "--", *PRODUCT_PATHS],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *PRODUCT_PATHS],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
    except OSError:
        return "?"
    changed = sorted(line[3:] for line in dirty if line.strip())
    return head + (f" + {len(changed)} fichier(s) modifié(s) non commité(s)" if changed else "")


def machine(ctx: Context, started: datetime, seconds: float) -> list[str]:
    import numpy
    import pandas
    import sqlalchemy
    import streamlit

    memory = "?"
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import duckdb

        duck = duckdb.__version__
    except ImportError:
        duck = "non installé"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    load = (
        f"- Charge de la machine pendant le banc (moyenne sur 1 min, relevée avant et après "
        f"chaque étape) : médiane {fr(statistics.median(LOADS), 1)}, maximum "
        f"{fr(max(LOADS), 1)} pour {nproc or os.cpu_count()} cœurs. Au-delà de 1, d'autres "
        "processus (tests, navigateurs d'autres sessions) partageaient les cœurs et les temps "
        "en sont allongés d'autant ; les ratios restent comparables quand l'ancre a tourné "
        "dans les mêmes conditions."
        if LOADS
        else ""
    )
    end_state = code_state()
    code = f"- Code mesuré (dernier commit du code produit) : {ctx.code}"
    if end_state != ctx.code:
        code += (
            f" au début, {end_state} à la fin : le code a changé pendant le banc, les chiffres "
            "mélangent deux versions."
        )
    else:
        code += ", inchangé du début à la fin du banc."
    return [
        f"- Date : {started:%Y-%m-%d %H:%M} (UTC) ; durée du banc : {seconds / 60:.1f} min.",
        code,
        f"- Machine : `nproc` = {nproc or os.cpu_count()}, {cpu}, mémoire {memory}, "
        f"{platform.system()} {platform.release()}.",
        f"- Python {platform.python_version()}, pandas {pandas.__version__}, numpy "
        f"{numpy.__version__}, SQLAlchemy {sqlalchemy.__version__}, Streamlit "
        f"{streamlit.__version__}, SQLite {sqlite3.sqlite_version}, DuckDB {duck}.",
        load,
    ]


def _value(value: Timing | float | None, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Timing):
        if unit == "textes/s":
            return f"{fr(value.values[0], 0)} / {fr(value.values[1], 0)} textes/s"
        return f"{_num(value.best, unit)} / {_num(value.median, unit)}"
    return _num(value, unit)


def _num(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{fr(value, 0)} MB"
    if value < 1:
        return f"{fr(value * 1000, 0)} ms"
    return f"{fr(value, 2)} s"


def _verdict(figure: Figure) -> str:
    if figure.passed is None:
        return "information"
    return "✅ atteint" if figure.passed else "❌ manqué"


def render_report(
    ctx: Context, figures: list[Figure], started: datetime, seconds: float, skipped: list[str]
) -> str:
    m = ctx.manifest
    sizes = {
        kind: sum(f["bytes"] for f in m["files"] if f["kind"] == kind) / 1e6
        for kind in ("request", "message", "publication")
    }
    lines = [
        "# Performances à l'échelle d'une grande ville",
        "",
        "Généré par `bench/run.py` (ne pas modifier à la main : relancer le banc). "
        f"Commande : `{ctx.args.command_line}`.",
        "",
        f"Données (`bench/generate.py`, graine {m['seed']}) : {fr(m['requests'])} demandes au "
        f"format NYC 311 ({fr(sizes['request'], 0)} MB, 41 colonnes), "
        f"{fr(m['resident_messages'])} messages d'habitants et {fr(m['staff_messages'])} réponses "
        f"de la page en JSON de l'API Graph ({fr(sizes['message'], 0)} MB), {fr(m['posts'])} "
        f"publications Meta Business Suite ; du {m['start']} au {m['end']}, {m['categories']} "
        f"catégories, {m['quartiers']} quartiers. Génération : {m['seconds']:.0f} s.",
        "",
        "## Chiffres",
        "",
        "Temps : meilleur / médiane de 3 mesures au moins quand l'étape prend moins de 10 s, "
        "une seule au-delà (signalé). Le verdict et le ratio portent sur la médiane.",
        "",
        "| Chiffre | Parvis (meilleur / médiane) | Ancre (meilleur / médiane) | Ratio | Cible | "
        "Verdict |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        ratio = "—" if f.ratio is None else f"{fr(f.ratio, 2)}×"
        note = f" ({f.parvis.note})" if isinstance(f.parvis, Timing) and f.unit == "s" else ""
        anchor_note = f" ({f.anchor.note})" if isinstance(f.anchor, Timing) else ""
        anchor = "—" if f.anchor is None else f"{_value(f.anchor, f.unit)}{anchor_note}"
        lines.append(
            f"| {f.label} | {_value(f.parvis, f.unit)}{note} | {anchor} — {f.anchor_label} | "
            f"{ratio} | {f.target} | {_verdict(f)} |"
        )
    if skipped:
        lines += ["", "Non mesuré : " + " ; ".join(skipped) + "."]
    lines += ["", "## Détails", ""]
    for f in figures:
        for detail in f.details:
            lines.append(f"- **{f.label}** : {detail}")
    lines += ["", "## Machine", ""] + machine(ctx, started, seconds)
    missed = [f for f in figures if f.passed is False]
    lines += ["", "## Cibles manquées : ce qui domine et ce qui le corrigerait", ""]
    if not missed:
        lines.append("Toutes les cibles sont atteintes à cette échelle.")
    for f in missed:
        lines += _explain(f, figures)
    informative = [f for f in figures if f.passed is not False and f.profile]
    if informative:
        lines += ["", "## Autres profils", ""]
        for f in informative:
            lines += _profile_lines(f) + _advice(f)
    lines += [
        "",
        "## Méthode",
        "",
        "- Chaque étape mesurée tourne dans un processus Python neuf (`python -m bench.tasks`) ;"
        " le pic de mémoire est le `VmHWM` de ce processus seul (lu dans `/proc/self/status` à la "
        "fin de l'étape ; le `ru_maxrss` rendu par `os.wait4` compte aussi la mémoire du parent "
        "au moment du fork). Les temps "
        "ne comptent que l'appel mesuré (lecture du fichier comprise pour les imports), pas le "
        "démarrage de l'interpréteur ni les imports de modules.",
        "- Import : `ingest.pipeline.import_bytes` sur une base neuve migrée (Alembic), avec "
        "détection, validation, pseudonymisation, masquage, sentiment, diff et écriture dans une "
        "transaction. `PARVIS_MAX_UPLOAD_MB` est relevé à la taille du fichier : la limite par "
        "défaut (200 Mo) refuse un export 311 d'un million de lignes.",
        "- Ancre SQLite : lecture par le module `csv`, tuples des 13 colonnes que l'importeur "
        "NYC 311 retient, un `executemany` dans la table `requests` migrée (index unique "
        "compris), une transaction, mêmes pragmas (WAL, synchronous=NORMAL).",
        "- Ancre PostgreSQL : `psql \\copy` du même fichier dans une table des 41 colonnes du "
        "fichier, en `text`, avec un index unique sur `Unique Key`.",
        "- Synthèse : `services.synthesis.synthesis(engine, Period(dernier mois))` juste après "
        "un appel sur le mois d'avant (un changement de filtre), tel que le produit le calcule "
        "(le mois, sa période de comparaison, le même mois un an avant, et la catégorie et le "
        "quartier les plus faibles) ; sans `st.cache_data`, mais avec la copie des colonnes en "
        "mémoire que le serveur garde (`services.column_cache`, son chargement est mesuré à "
        "part, et le temps sans elle aussi). DuckDB "
        "calcule les douze chiffres de la Synthèse (publications, interactions, taux "
        "d'engagement, messages reçus et répondus, part répondue, délai médian de première "
        "réponse, demandes reçues et clôturées, stock ouvert à la fin, délai médian de "
        "résolution) pour les mêmes périodes, et le banc vérifie qu'il trouve les mêmes valeurs "
        "que Parvis ; il ne refait pas la recherche des groupes les plus faibles (son temps "
        "Parvis est donné à part).",
        '- Premier rendu : `AppTest.from_file("dashboard.py").run()` dans un processus neuf, '
        "`DATABASE_URL` vers la base de la grande ville, période par défaut (dernier mois "
        "complet) ; l'ancre est la même application sur une base vide.",
        "- Profils : cProfile (les temps profilés sont plus longs que les temps mesurés, les "
        "parts restent parlantes) ; l'import est profilé sur les "
        f"{fr(ctx.args.profile_rows)} premières lignes du fichier 311.",
        "",
    ]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


def _profile_lines(f: Figure) -> list[str]:
    p = f.profile
    if not p:
        return ["Pas de profil (`--no-profile`)."]
    sample = f" sur {fr(p['rows'])} lignes" if p.get("rows") else ""
    lines = [
        f"**{f.label}** — profil cProfile{sample}, {p['total']:.2f} s profilées.",
        "",
        "| Étape (temps cumulé) | s | part |",
        "| --- | --- | --- |",
    ]
    for stage in p["stages"]:
        indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * stage["depth"]
        lines.append(
            f"| {indent}{stage['label']} | {stage['seconds']:.2f} | {min(stage['share'], 1.0):.0%} |"
        )
    callers = p.get("loader_callers") or []
    if sum(c["calls"] for c in callers) > 1:
        lines += [
            "",
            f"`load_requests` appelé {sum(c['calls'] for c in callers)} fois : "
            + " ; ".join(
                f"par `{c['function'].rsplit(':', 1)[-1]}` ×{c['calls']} "
                f"({fr(c['cumulative'], 2)} s)"
                for c in callers
            )
            + ".",
        ]
    lines += ["", "| Fonction (temps propre) | appels | s | part |", "| --- | --- | --- | --- |"]
    for top in p["top"]:
        lines.append(
            f"| `{top['function']}` | {fr(top['calls'])} | {top['own']:.2f} | {top['share']:.0%} |"
        )
    lines.append("")
    return lines


def _explain(f: Figure, figures: list[Figure]) -> list[str]:
    measured = f.parvis.median if isinstance(f.parvis, Timing) else f.parvis
    ratio = "" if f.ratio is None else f", {fr(f.ratio, 2)}× l'ancre"
    lines = [
        f"### {f.label}",
        "",
        f"Mesuré : {_num(measured, f.unit)}{ratio} ; cible : {f.target}.",
        "",
    ]
    return lines + _profile_lines(f) + _advice(f)


def _advice(f: Figure) -> list[str]:
    advice = [
        text
        for evidence, share, text in FIXES.get(f.key, ())
        if any(_share(f, key) >= share for key in evidence)
    ]
    if not advice:
        return []
    return ["Ce qui le corrigerait :", ""] + [f"- {text}" for text in advice] + [""]


def _share(figure: Figure, key: str) -> float:
    """Share of the figure's time taken by ``key``: ``file:function`` (its cumulative time in
    the profile, as a stage or as any profiled function), ``caller:function`` (that caller of
    load_requests) or ``stage:name`` (an import stage timed at full scale)."""
    if key.startswith("stage:"):
        return figure.stages.get(key.split(":", 1)[1], 0.0)
    profile = figure.profile
    if not profile:
        return 0.0
    total = profile["total"] or 1.0
    if key.startswith("caller:"):
        name = key.split(":", 1)[1]
        return (
            sum(
                c["cumulative"]
                for c in profile.get("loader_callers", [])
                if c["function"].rsplit(":", 1)[-1] == name
            )
            / total
        )
    shares = [s["share"] for s in profile["stages"] if s["function"] == key]
    file, _, name = key.rpartition(":")
    shares += [
        value / total
        for function, value in profile.get("cumulative", {}).items()
        if function.split(":", 1)[0].endswith(file) and function.rsplit(":", 1)[-1] == name
    ]
    return max(shares, default=0.0)


def _dominates(profile: dict | None, key: str) -> bool:
    """True when ``key`` takes at least 5 % of the profile."""
    return _share(Figure("", "", "s", None, None, "", "", None, profile=profile), key) >= 0.05


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Mesure Parvis à l'échelle d'une grande ville, chaque chiffre à côté d'une "
        "ancre, et écrit docs/performance.md.",
    )
    parser.add_argument("--requests", type=int, default=generator.DEFAULT_REQUESTS)
    parser.add_argument(
        "--messages", type=int, default=None, help="défaut : 30 %% des demandes (300 000)"
    )
    parser.add_argument("--posts", type=int, default=None, help="défaut : 2 %% des demandes")
    parser.add_argument("--data", type=Path, default=None, help="fichiers déjà générés")
    parser.add_argument("--work", type=Path, default=None, help="dossier de travail (bases)")
    parser.add_argument("--keep", action="store_true", help="garder le dossier de travail")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("PARVIS_BENCH_POSTGRES_URL", ""),
        help="URL SQLAlchemy d'un serveur PostgreSQL (bases créées puis supprimées)",
    )
    parser.add_argument("--runs", type=int, default=3, help="mesures par étape de moins de 10 s")
    parser.add_argument("--doc", type=Path, default=DOC, help="rapport Markdown à écrire")
    parser.add_argument("--no-profile", action="store_true", help="sans profils cProfile")
    parser.add_argument("--profile-rows", type=int, default=PROFILE_ROWS)
    parser.add_argument("--no-render", action="store_true", help="sans le premier rendu")
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.messages is None:
        args.messages = round(args.requests * 0.3)
    if args.posts is None:
        args.posts = max(10, round(args.requests * 0.02))
    for prefix in ("postgresql://", "postgres://"):  # psycopg 3 is the driver Parvis ships
        if args.postgres.startswith(prefix):
            args.postgres = "postgresql+psycopg://" + args.postgres[len(prefix) :]
    args.command_line = "python bench/run.py " + " ".join(
        "URL" if "://" in a else a for a in (argv if argv is not None else sys.argv[1:])
    )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started_at = datetime.now(UTC)
    code = code_state()
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="parvis-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = args.data or work / "donnees"
    try:
        if args.data is None:
            log(
                f"génération : {fr(args.requests)} demandes, {fr(args.messages)} messages, "
                f"{fr(args.posts)} publications → {data}"
            )
            manifest = generator.generate(
                data, args.requests, args.messages, args.posts, args.end, args.seed
            )
            log(f"  {manifest['seconds']:.1f} s")
        else:
            manifest = json.loads((data / "manifest.json").read_text())
        biggest = max(f["bytes"] for f in manifest["files"]) / 1024 / 1024
        env = {
            "PARVIS_MAX_UPLOAD_MB": str(max(200, int(biggest) + 1)),
            "PARVIS_SECRET_FILE": str(work / "secret.key"),
        }
        profiles = work / "profils"
        profiles.mkdir(exist_ok=True)
        ctx = Context(args, work, data, manifest, max(1, args.runs), profiles, env, code)
        figures: list[Figure] = []
        skipped: list[str] = []
        imported, database = measure_sqlite_import(ctx)
        imported[0].profile = profile_import(
            ctx, lambda name: sqlite_url(fresh_sqlite(ctx, f"{name}.sqlite")), "sqlite"
        )
        drop_sqlite(work / "profil.sqlite")
        figures += imported
        if args.postgres and shutil.which("psql"):
            figures += measure_postgres(ctx)
        else:
            skipped.append(
                "import PostgreSQL ("
                + ("psql absent" if args.postgres else "pas de --postgres")
                + ")"
            )
        social = import_social(ctx, database)
        figures += measure_synthesis(ctx, database)
        figures += measure_pages(ctx, database)
        if not args.no_render:
            figures += measure_render(ctx, database)
        else:
            skipped.append("premier rendu (--no-render)")
        figures += measure_sentiment(ctx)
        figures.append(social)
        figures += measure_refresh(ctx, database)
        seconds = time.perf_counter() - started
        report = render_report(ctx, figures, started_at, seconds, skipped)
        args.doc.parent.mkdir(parents=True, exist_ok=True)
        args.doc.write_text(report, encoding="utf-8")
        print(_console_table(figures))
        log(f"rapport écrit : {args.doc} ({seconds / 60:.1f} min)")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _console_table(figures: list[Figure]) -> str:
    rows = [("chiffre", "Parvis", "ancre", "ratio", "cible", "verdict")]
    for f in figures:
        rows.append(
            (
                f.label[:58],
                _value(f.parvis, f.unit),
                _value(f.anchor, f.unit),
                "—" if f.ratio is None else f"{f.ratio:.2f}×",
                f.target,
                _verdict(f),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


if __name__ == "__main__":
    raise SystemExit(main())
