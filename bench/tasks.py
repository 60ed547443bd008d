"""The measured steps of bench/run.py, each run in a fresh Python process.

``python -m bench.tasks TASK '{json params}'`` runs one step and prints its result as one JSON
line (the last line of stdout). The parent reads the child's peak RSS from ``os.wait4``, so
each figure's memory is that of its own process. Timings cover the measured call only:
interpreter start-up and module imports happen before the clock starts.
"""

from __future__ import annotations

import cProfile
import csv
import inspect
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REQUEST_INSERT_COLUMNS = (
    "import_id",
    "created_import_id",
    "source",
    "native_id",
    "created_at",
    "closed_at",
    "due_at",
    "status",
    "category",
    "subcategory",
    "description",
    "district",
    "channel",
    "service",
    "latitude",
    "longitude",
)
# NYC 311 header → canonical column, as ingest/formats/nyc311.py maps them.
ANCHOR_FIELDS = (
    "Unique Key",
    "Created Date",
    "Closed Date",
    "Due Date",
    "Status",
    "Complaint Type",
    "Descriptor",
    "Descriptor",
    "Borough",
    "Open Data Channel Type",
    "Agency",
    "Latitude",
    "Longitude",
)


def rss_mb(field: str = "VmRSS") -> float:
    """Resident set size of this process in MB (Linux /proc): current (VmRSS) or peak (VmHWM).

    VmHWM is the peak of this program only: it starts afresh at exec, whereas ``ru_maxrss``
    of a child also counts the memory of the parent it was forked from.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _profiled(profile: str | None):
    """A started profiler when ``profile`` names an output file, else None."""
    if not profile:
        return None
    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def _dump(profiler, profile: str | None) -> None:
    if profiler is not None and profile:
        profiler.disable()
        profiler.dump_stats(profile)


# --------------------------------------------------------------------------- databases


def task_migrate(url: str) -> dict:
    from store.db import migrate, new_engine

    engine = new_engine(url)
    started = time.perf_counter()
    migrate(engine)
    engine.dispose()
    return {"seconds": time.perf_counter() - started}


def task_import(url: str, files: list[str], timezone: str, profile: str | None = None) -> dict:
    """Import ``files`` in order through ``ingest.pipeline.import_bytes`` (validated, committed)."""
    from ingest.base import ImportContext
    from ingest.pipeline import import_bytes
    from store.db import new_engine

    engine = new_engine(url)
    baseline = rss_mb()
    results = []
    total = 0.0
    # The pipeline's progress callback (when it has one) marks its stages: time and memory of
    # each, at full scale and without a profiler.
    marks: list[list] = []
    options = {}
    if "progress" in inspect.signature(import_bytes).parameters:
        options["progress"] = lambda share, stage: marks.append(
            [stage, share, time.perf_counter(), rss_mb(), rss_mb("VmHWM")]
        )
    profiler = _profiled(profile)
    for name in files:
        path = Path(name)
        marks.clear()
        started = time.perf_counter()
        report = import_bytes(
            engine,
            path.read_bytes(),
            path.name,
            ImportContext(timezone=timezone),
            user="banc d'essai",
            **options,
        )
        seconds = time.perf_counter() - started
        total += seconds
        results.append(
            {
                "file": path.name,
                "seconds": seconds,
                "refused": report.refused,
                "format_id": report.format_id,
                "rows_read": report.rows_read,
                "inserted": report.inserted,
                "updated": report.updated,
                "rejected": len(report.rejections),
                "warnings": len(report.warnings),
                "stages": _stages(marks, started),
            }
        )
    _dump(profiler, profile)
    engine.dispose()
    return {
        "seconds": total,
        "files": results,
        "rows_read": sum(r["rows_read"] for r in results),
        "inserted": sum(r["inserted"] for r in results),
        "rejected": sum(r["rejected"] for r in results),
        "refused": [r["refused"] for r in results if r["refused"]],
        "baseline_rss_mb": baseline,
    }


def _stages(marks: list[list], started: float) -> list[dict]:
    """Consecutive progress marks of one stage merged: its name, seconds, RSS at its end and
    the peak RSS of the process so far (VmHWM)."""
    if not marks:
        return []
    stages: list[dict] = [
        {
            "stage": "read_bytes",
            "seconds": marks[0][2] - started,
            "rss": marks[0][3],
            "peak": marks[0][4],
        }
    ]
    # Each mark announces the stage that runs until the next mark.
    for (stage, _, at, _, _), (_, _, end, rss, peak) in zip(marks, marks[1:], strict=False):
        if stages[-1]["stage"] == stage:
            stages[-1].update(seconds=stages[-1]["seconds"] + end - at, rss=rss, peak=peak)
        else:
            stages.append({"stage": stage, "seconds": end - at, "rss": rss, "peak": peak})
    return stages


def task_anchor_sqlite(path: str, file: str) -> dict:
    """The plain anchor: csv module → tuples of the mapped columns → one executemany into the
    same (migrated) ``requests`` table, unique index included, one transaction."""
    import sqlite3

    connection = sqlite3.connect(path, timeout=10)
    # The pragmas store.db sets on every Parvis connection.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")
    cursor = connection.execute(
        "INSERT INTO imports (file_name, sha256, format_id, kind, imported_by, imported_at, "
        "timezone, rows_read, inserted, updated, unchanged, rejected, is_demo) VALUES "
        "(?, '', 'nyc311', 'request', 'anchor', '2026-01-01 00:00:00', 'Europe/Paris', "
        "0, 0, 0, 0, 0, 0)",
        (Path(file).name,),
    )
    import_id = cursor.lastrowid
    connection.commit()
    baseline = rss_mb()
    placeholders = ", ".join("?" for _ in REQUEST_INSERT_COLUMNS)
    sql = f"INSERT INTO requests ({', '.join(REQUEST_INSERT_COLUMNS)}) VALUES ({placeholders})"
    started = time.perf_counter()
    with open(file, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        positions = [header.index(name) for name in ANCHOR_FIELDS]
        rows = [
            (import_id, import_id, "nyc311", *[record[i] or None for i in positions])
            for record in reader
        ]
    connection.execute("BEGIN")
    connection.executemany(sql, rows)
    connection.commit()
    seconds = time.perf_counter() - started
    count = connection.execute("SELECT count(*) FROM requests").fetchone()[0]
    connection.close()
    return {"seconds": seconds, "rows": count, "baseline_rss_mb": baseline}


# --------------------------------------------------------------------------- Synthèse


def _month(text: str):
    from metrics.period import Period

    first = date.fromisoformat(text)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, date.fromordinal(following.toordinal() - 1), "Europe/Paris")


def _iso(period) -> list[str]:
    return [period.start.isoformat(), period.end.isoformat()]


def _period(bounds: list[str]):
    from metrics.period import Period

    return Period(date.fromisoformat(bounds[0]), date.fromisoformat(bounds[1]), "Europe/Paris")


def compared_periods(result, period) -> dict:
    """The periods whose figures a Synthèse holds: the period, its comparison period and, when
    the product computes it, the same period a year before."""
    periods = {"current": period, "previous": result.previous_period}
    if getattr(result, "year_before", None) and hasattr(period, "year_before"):
        periods["year_before"] = period.year_before()
    return periods


def task_synthesis(
    url: str,
    warm_month: str,
    month: str,
    runs: int,
    limit_seconds: float = 10.0,
    profile: str | None = None,
) -> dict:
    """``services.synthesis.synthesis`` for ``month``, each time right after a call for
    ``warm_month`` (a filter change with warm OS and SQLite caches), plus a breakdown of where
    the time goes (loads and computation of each compared period, weakest groups)."""
    from services import column_cache
    from services import synthesis as service
    from store import repository
    from store.db import new_engine

    engine = new_engine(url)
    period, other = _month(month), _month(warm_month)
    service.synthesis(engine, other)  # first call: connection, caches
    # The database's answer, as a server gives it before its copy in memory is loaded (and a
    # small database always).
    database_timings = _synthesis_timings(service, engine, period, other, runs, limit_seconds)
    database_result = service.synthesis(engine, period)
    # Warm caches: the server's copy of the columns, loaded in the background after a start or
    # an import (services.column_cache), here loaded in the foreground and timed.
    started = time.perf_counter()
    copy = column_cache.warm(engine)
    load_seconds = time.perf_counter() - started
    memory = {
        kind: int(getattr(copy, kind).memory_usage(deep=True).sum())
        for kind in ("requests", "messages", "publications")
    }
    service.synthesis(engine, other)
    timings = _synthesis_timings(service, engine, period, other, runs, limit_seconds)
    result = service.synthesis(engine, period)
    periods = compared_periods(result, period)
    figures = {"current": result.current, "previous": result.previous}
    if "year_before" in periods:
        figures["year_before"] = result.year_before
    # Where the time goes: the same call once more, with the loaders, the computation and the
    # weakest-groups search timed where the product calls them (wrapped in this process only).
    service.synthesis(engine, other)
    stages, rows, columns = _timed_synthesis(service, repository, engine, period)
    if profile:
        service.synthesis(engine, other)
        profiler = _profiled(profile)
        service.synthesis(engine, period)
        _dump(profiler, profile)
    engine.dispose()
    return {
        "timings": timings,
        "database_timings": database_timings,
        "same_as_database": result == database_result,
        "columns_load_seconds": load_seconds,
        "columns_rows": {k: len(getattr(copy, k)) for k in memory},
        "columns_bytes": memory,
        "figures": figures,
        "periods": {name: _iso(p) for name, p in periods.items()},
        "stages": stages,
        "rows": rows,
        "request_columns_read": columns,
    }


def _synthesis_timings(service, engine, period, other, runs: int, limit: float) -> list[float]:
    """Seconds of ``synthesis(period)``, each right after one of ``other`` (a filter change)."""
    timings: list[float] = []
    for _ in range(runs):
        service.synthesis(engine, other)
        started = time.perf_counter()
        service.synthesis(engine, period)
        timings.append(time.perf_counter() - started)
        if timings[0] >= limit:
            break
    return timings


def _timed_synthesis(service, repository, engine, period) -> tuple[dict, dict, int]:
    """One ``synthesis`` call with its loaders, ``synthesis_figures`` and ``weakest_groups``
    timed as the product calls them; also the rows loaded per kind and the most columns a
    request load actually filled."""
    stages: dict[str, float] = {}
    calls: dict[str, int] = {}
    rows = {"publications": 0, "messages": 0, "requests": 0}
    widest = 0

    def timed(owner, name: str, kind: str | None = None):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            nonlocal widest
            started = time.perf_counter()
            value = original(*args, **kwargs)
            stages[name] = stages.get(name, 0.0) + time.perf_counter() - started
            calls[name] = calls.get(name, 0) + 1
            if kind is not None:
                rows[kind] += len(value)
                if kind == "requests":
                    widest = max(widest, int(value.notna().any().sum()))
            return value

        return original, wrapper

    try:
        from store import aggregates  # the request counts and reads, where the product has them
    except ImportError:
        aggregates = None
    try:
        from services.column_cache import Columns  # the copy in memory, when the product has it
    except ImportError:
        Columns = None
    patched = []
    for owner, name, kind in (
        (Columns, "publications_in", "publications"),
        (Columns, "messages_in", "messages"),
        (Columns, "requests_window", "requests"),
        (repository, "load_publications", "publications"),
        (repository, "load_messages", "messages"),
        (repository, "load_requests", "requests"),
        (aggregates, "request_counts", None),
        (aggregates, "closed_requests", "requests"),
        (aggregates, "received_or_closed_requests", "requests"),
        (aggregates, "open_requests", None),
        (service, "synthesis_figures", None),
        (service, "weakest_groups", None),
    ):
        if owner is not None and hasattr(owner, name):
            original, wrapper = timed(owner, name, kind)
            setattr(owner, name, wrapper)
            patched.append((owner, name, original))
    try:
        service.synthesis(engine, period)
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)
    return {**stages, "calls": calls}, rows, widest


# The Synthèse figures in SQL, over [s, e), as metrics/ defines them (see docs/metrics.md).
DUCKDB_QUERIES = {
    "publications": """
        WITH p AS (
            SELECT reach, impressions,
                   CASE WHEN reactions IS NULL AND comments IS NULL AND shares IS NULL THEN NULL
                        ELSE coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0)
                   END AS inter
            FROM {publications} WHERE published_at >= $s AND published_at < $e)
        SELECT count(*), coalesce(sum(inter), 0),
               sum(inter) FILTER (WHERE reach IS NOT NULL),
               sum(reach) FILTER (WHERE inter IS NOT NULL),
               sum(inter) FILTER (WHERE impressions IS NOT NULL),
               sum(impressions) FILTER (WHERE inter IS NOT NULL)
        FROM p""",
    "messages": """
        SELECT count(*), count(replied_at),
               median(epoch(replied_at - sent_at) / 3600.0) FILTER (WHERE replied_at >= sent_at)
        FROM {messages}
        WHERE NOT coalesce(CAST(is_staff AS BOOLEAN), false) AND sent_at >= $s AND sent_at < $e""",
    "requests": """
        SELECT count(*) FILTER (WHERE created_at >= $s AND created_at < $e),
               count(*) FILTER (WHERE closed_at >= $s AND closed_at < $e),
               count(*) FILTER (WHERE created_at < $e AND (closed_at IS NULL OR closed_at >= $e)),
               median(epoch(closed_at - created_at) / 3600.0)
                   FILTER (WHERE closed_at >= $s AND closed_at < $e AND closed_at >= created_at)
        FROM {requests}""",
}


def _duckdb_figures(connection, tables: dict[str, str], period) -> dict:
    bounds = {
        "s": period.start_utc.tz_convert("UTC").tz_localize(None).to_pydatetime(),
        "e": period.end_utc.tz_convert("UTC").tz_localize(None).to_pydatetime(),
    }
    out = {}
    pub = connection.execute(DUCKDB_QUERIES["publications"].format(**tables), bounds).fetchone()
    out["publications"] = int(pub[0])
    out["interactions"] = int(pub[1])
    out["engagement_rate_reach"] = float(pub[2]) / float(pub[3]) if pub[3] else None
    out["engagement_rate_impressions"] = float(pub[4]) / float(pub[5]) if pub[5] else None
    msg = connection.execute(DUCKDB_QUERIES["messages"].format(**tables), bounds).fetchone()
    out["messages_received"] = int(msg[0])
    out["messages_answered"] = int(msg[1])
    out["share_answered"] = msg[1] / msg[0] if msg[0] else None
    out["median_first_response_hours"] = None if msg[2] is None else float(msg[2])
    req = connection.execute(DUCKDB_QUERIES["requests"].format(**tables), bounds).fetchone()
    out["requests_received"] = int(req[0])
    out["requests_closed"] = int(req[1])
    out["open_backlog"] = int(req[2])
    out["median_resolution_hours"] = None if req[3] is None else float(req[3])
    return out


def sqlite_scanner_path() -> str | None:
    """The DuckDB sqlite extension shipped as a wheel (requirements-bench.txt), if installed."""
    try:
        import duckdb
        import duckdb_extension_sqlite_scanner as package
    except ImportError:
        return None
    found = sorted(
        Path(package.__file__).parent.glob("extensions/*/sqlite_scanner.duckdb_extension")
    )
    wanted = [p for p in found if p.parent.name == f"v{duckdb.__version__}"]
    return str((wanted or found)[-1]) if found else None


def task_duckdb(
    path: str, warm_month: str, periods: dict[str, list[str]], runs: int, mode: str
) -> dict:
    """The same figures computed by DuckDB from the same SQLite file, for the same periods.

    ``mode`` "scanner": DuckDB reads the SQLite file itself at each query (sqlite extension,
    loaded from its wheel, signature checked); "memory": the three tables are first copied
    into DuckDB (untimed) and only the aggregate queries are timed.
    """
    import duckdb

    connection = duckdb.connect()
    extension = sqlite_scanner_path()
    loaded = False
    if extension:
        try:
            connection.execute(f"LOAD '{extension}'")
            loaded = True
        except duckdb.Error:
            loaded = False
    names = ("publications", "messages", "requests")
    load_seconds = 0.0
    if mode == "scanner":
        if not loaded:
            return {"error": "extension sqlite de DuckDB non chargeable"}
        connection.execute(f"ATTACH '{path}' AS city (TYPE sqlite, READ_ONLY)")
        tables = {t: f"city.{t}" for t in names}
    else:
        started = time.perf_counter()
        if loaded:
            connection.execute(f"ATTACH '{path}' AS city (TYPE sqlite, READ_ONLY)")
            for table in names:
                connection.execute(f"CREATE TABLE {table} AS SELECT * FROM city.{table}")
            connection.execute("DETACH city")
        else:  # no extension: through pandas, once, not timed
            import sqlite3

            import pandas as pd

            source = sqlite3.connect(path)
            for table in names:
                frame = pd.read_sql_query(f"SELECT * FROM {table}", source)
                for column in frame.columns:
                    if column.endswith("_at"):
                        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
                connection.register("frame", frame)
                connection.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
                connection.unregister("frame")
            source.close()
        load_seconds = time.perf_counter() - started
        tables = {t: t for t in names}
    compared = {name: _period(bounds) for name, bounds in periods.items()}
    other = _month(warm_month)
    _duckdb_figures(connection, tables, other)
    timings = []
    figures: dict[str, dict] = {}
    for _ in range(runs):
        _duckdb_figures(connection, tables, other)
        started = time.perf_counter()
        figures = {name: _duckdb_figures(connection, tables, p) for name, p in compared.items()}
        timings.append(time.perf_counter() - started)
    connection.close()
    return {
        "timings": timings,
        "figures": figures,
        "mode": mode,
        "scanner_loaded": loaded,
        "load_seconds": load_seconds,
        "duckdb": duckdb.__version__,
    }


# --------------------------------------------------------------------------- first render


def task_render(profile: str | None = None) -> dict:
    """``AppTest.from_file("dashboard.py").run()`` against DATABASE_URL, in this fresh process.

    AppTest runs the script in its own thread; with ``profile`` that thread is profiled (the
    main thread only waits for it).
    """
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import local_script_runner as runner

    baseline = rss_mb()
    profiler = None
    if profile:
        profiler = cProfile.Profile()
        original = runner.LocalScriptRunner._run_script_thread

        def profiled(self) -> None:
            profiler.enable()
            try:
                original(self)
            finally:
                profiler.disable()

        runner.LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    started = time.perf_counter()
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    app.run()
    seconds = time.perf_counter() - started
    if profiler is not None and profile:
        profiler.dump_stats(profile)
    metrics = {m.label: m.value for m in app.metric}
    # The server then loads the columns of a large database in the background: wait for it, so
    # that the peak memory of the process includes that copy.
    from services import column_cache

    waited = time.perf_counter()
    while column_cache.loading() and time.perf_counter() - waited < 300:
        time.sleep(0.1)
    return {
        "columns_wait_seconds": time.perf_counter() - waited,
        "seconds": seconds,
        "exceptions": [str(e.value)[:300] for e in app.exception],
        "metrics": len(metrics),
        "requests_received": metrics.get("Demandes reçues"),
        "baseline_rss_mb": baseline,
    }


# --------------------------------------------------------------------------- sentiment


def graph_texts(files: list[str]) -> list[str | None]:
    """Every comment and reply text of Graph API comment files, in document order."""
    texts: list[str | None] = []
    for name in files:
        document = json.loads(Path(name).read_text(encoding="utf-8"))
        for post in document.get("data", []):
            stack = list(reversed((post.get("comments") or {}).get("data", [])))
            while stack:
                comment = stack.pop()
                texts.append(comment.get("message"))
                stack.extend(reversed((comment.get("comments") or {}).get("data", [])))
    return texts


def task_sentiment(files: list[str], runs: int, limit_seconds: float) -> dict:
    """Throughput of ``metrics.sentiment.sentiments`` on the generated messages."""
    import pandas as pd

    from metrics.sentiment import sentiments

    texts = pd.Series(graph_texts(files), dtype="str")
    # Lexicons, VADER and the language model load on first use: a first, untimed call on a
    # sample pays for that once (reported apart), as a long-running server would have.
    started = time.perf_counter()
    sentiments(texts.head(2000))
    cold = time.perf_counter() - started
    timings = []
    scores = None
    for _ in range(runs):
        started = time.perf_counter()
        scores = sentiments(texts)
        timings.append(time.perf_counter() - started)
        if timings[-1] > limit_seconds:
            break
    assert scores is not None
    languages = scores["language"].value_counts().to_dict()
    return {
        "timings": timings,
        "texts": int(texts.notna().sum()),
        "distinct": int(texts.nunique()),
        "french": int(languages.get("fr", 0)),
        "languages": {str(k): int(v) for k, v in languages.items()},
        "cold_seconds": cold,
    }


def task_pages(url: str, warm_month: str, month: str, runs: int) -> dict:
    """Each detailed page's view (``services.views`` / ``services.voice``) for ``month`` right
    after one for ``warm_month`` (a filter change), with the server's column copy loaded:
    best and median seconds per page."""
    from metrics.themes import word_keys
    from services import column_cache, views
    from services.voice import voice_view
    from store.db import new_engine

    engine = new_engine(url)
    column_cache.warm(engine)
    period, other = _month(month), _month(warm_month)
    pages = {
        "Publications": lambda p: views.publications_view(engine, p, freq="week"),
        "Réponses aux habitants": lambda p: views.responses_view(engine, p, freq="week"),
        "Demandes et réclamations": lambda p: views.requests_view(engine, p, freq="week"),
        "Ce que disent les habitants": lambda p: voice_view(engine, p),
    }
    timings: dict[str, list[float]] = {}
    for name, view in pages.items():
        view(other)  # first call: caches of rules and lexicons
        for _ in range(max(1, runs)):
            # Texts' word keys are remembered (metrics.themes.word_keys): forget them, so that
            # each measure is a month not seen yet, as a first visit is.
            word_keys.cache_clear()
            view(other)
            started = time.perf_counter()
            view(period)
            timings.setdefault(name, []).append(time.perf_counter() - started)
    engine.dispose()
    return {"timings": timings}


def task_refresh(url: str, file: str, timezone: str) -> dict:
    """The column copy after an import of ``file``: a whole reload against a refresh from the
    import's rows only (``services.column_cache.load_columns`` with the previous copy), and
    whether both hold the same data."""
    from ingest.base import ImportContext
    from ingest.pipeline import import_bytes
    from services import column_cache
    from store.db import new_engine

    engine = new_engine(url)
    before = column_cache.load_columns(engine)
    started = time.perf_counter()
    path = Path(file)
    report = import_bytes(
        engine, path.read_bytes(), path.name, ImportContext(timezone=timezone), user="banc"
    )
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    refreshed = column_cache.load_columns(engine, before)
    refresh_seconds = time.perf_counter() - started
    started = time.perf_counter()
    whole = column_cache.load_columns(engine)
    whole_seconds = time.perf_counter() - started
    same = refreshed.version == whole.version and all(
        _texts(mine).sort_index().equals(_texts(theirs).sort_index())
        for mine, theirs in (
            (refreshed.requests, whole.requests),
            (refreshed.messages, whole.messages),
            (refreshed.publications, whole.publications),
        )
    )
    engine.dispose()
    return {
        "inserted": report.inserted,
        "updated": report.updated,
        "import_seconds": import_seconds,
        "refresh_seconds": refresh_seconds,
        "whole_seconds": whole_seconds,
        "rows": len(whole.requests),
        "same": bool(same),
    }


def _texts(frame):
    """``frame`` with its categoricals as text (their categories may differ by path)."""
    import pandas as pd

    return frame.astype(
        {n: "str" for n in frame.columns if isinstance(frame[n].dtype, pd.CategoricalDtype)}
    )


TASKS = {
    "pages": task_pages,
    "refresh": task_refresh,
    "migrate": task_migrate,
    "import": task_import,
    "anchor_sqlite": task_anchor_sqlite,
    "synthesis": task_synthesis,
    "duckdb": task_duckdb,
    "render": task_render,
    "sentiment": task_sentiment,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    task, params = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    result = TASKS[task](**params)
    result["rss_end_mb"] = rss_mb()
    result["peak_rss_mb"] = rss_mb("VmHWM")
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
