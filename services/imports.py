"""The import use cases: import files, undo imports, load and remove the demo commune."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from ingest.base import ImportContext
from ingest.pipeline import ImportReport, import_bytes, with_sentiment
from services.auth import audit
from services.settings import current_settings
from store import repository
from store.enrichment import SCORED, rescored_rows

DEMO_USER = "démo"
DEMO_NAME = "Val-de-Parvis (démonstration)"


def import_context(engine: Engine, timezone: str | None = None) -> ImportContext:
    """The context importers get: the chosen time zone (or the collectivité's) and our accounts."""
    settings = current_settings(engine)
    return ImportContext(timezone=timezone or settings.timezone, our_accounts=settings.our_accounts)


def import_file(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    user: str,
    timezone: str | None = None,
    dry_run: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Import (or preview) one uploaded file; a real import is recorded in the audit log."""
    report = import_bytes(
        engine,
        data,
        file_name,
        import_context(engine, timezone),
        user=user,
        dry_run=dry_run,
        progress=progress,
    )
    if not dry_run:
        audit(
            engine,
            user,
            "import" if report.accepted else "import_refused",
            file=file_name,
            sha256=report.sha256,
            format=report.format_id,
            import_id=report.import_id,
            rows_read=report.rows_read,
            inserted=report.inserted,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.rejections),
        )
    return report


def undo(engine: Engine, import_id: int, user: str) -> dict[str, int]:
    """Undo one import (see :func:`store.repository.undo_import`), recorded in the audit log."""
    result = repository.undo_import(engine, import_id, user)
    audit(engine, user, "undo", import_id=import_id, **result)
    return result


def has_demo(engine: Engine) -> bool:
    """True when demo data is loaded."""
    return bool(repository.demo_import_ids(engine))


def remove_demo(engine: Engine, user: str = DEMO_USER) -> int:
    """Undo every demo import, newest first; returns how many imports were undone."""
    ids = repository.demo_import_ids(engine)
    for import_id in ids:
        repository.undo_import(engine, import_id, user)
    if ids:
        audit(engine, user, "demo_removed", imports=len(ids))
    return len(ids)


def load_demo(engine: Engine, end: date | None = None, user: str = DEMO_USER) -> list[ImportReport]:
    """Generate the demo commune's export files and import them through the real importers.

    Any demo already loaded is removed first, so that loading twice gives the same data.
    """
    from data.demo.generate import generate_demo

    remove_demo(engine, user)
    reports = []
    with tempfile.TemporaryDirectory(prefix="parvis-demo-") as folder:
        for demo_file in generate_demo(Path(folder), end=end):
            path = Path(demo_file.path)
            reports.append(
                import_bytes(
                    engine,
                    path.read_bytes(),
                    path.name,
                    ImportContext(timezone=demo_file.timezone),
                    user=DEMO_USER,
                    is_demo=True,
                )
            )
    if repository.setting(engine, "name") is None:
        repository.save_setting(engine, "name", DEMO_NAME)
    audit(engine, user, "demo_loaded", imports=sum(1 for r in reports if r.import_id))
    return reports


def stored_scores(texts: pd.Series) -> pd.DataFrame:
    """language, sentiment and sentiment_label of ``texts`` as an import stores them, with
    plain Python values (None for missing) to compare with stored rows."""
    scored = with_sentiment(pd.DataFrame({"text": texts}), "text")
    return pd.DataFrame(
        {
            "language": scored["language"].astype(object).where(scored["language"].notna(), None),
            "sentiment": [None if pd.isna(v) else float(v) for v in scored["sentiment"]],
            "sentiment_label": scored["sentiment_label"]
            .astype(object)
            .where(scored["sentiment_label"].notna(), None),
        },
        index=texts.index,
    )


def rescore_sentiment(engine: Engine, user: str) -> dict[str, dict[str, int]]:
    """Score every stored message and request description again with the current analyzer
    (after an update of Parvis), so that older and newer imports are read alike. Each kind is
    rewritten in one transaction; audited, and the data version moves when anything changed.
    Returns, per kind, the rows read and the rows whose score changed."""
    counts = {}
    for kind in SCORED:
        read, changed = rescored_rows(engine, kind, stored_scores)
        counts[kind] = {"read": read, "changed": changed}
    audit(engine, user, "rescore_sentiment", **counts)
    return counts
