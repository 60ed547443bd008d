"""Retention of residents' data: how long each kind of record is kept, and the purge."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from services.auth import audit
from store import repository

# Months each kind is kept (None: kept until removed by hand). Requests and messages carry
# residents' words; 24 months covers two budget cycles of follow-up (CNIL: a duration tied
# to the purpose, then deletion or anonymisation).
DEFAULT_RETENTION_MONTHS: dict[str, int | None] = {
    "request": 24,
    "message": 24,
    "publication": None,
    "audience": None,
}
KIND_LABELS = {
    "request": "demandes (closes)",
    "message": "messages des habitants",
    "publication": "publications",
    "audience": "audience",
}


def retention_months(engine: Engine) -> dict[str, int | None]:
    """The retention setting, kind by kind."""
    stored = repository.setting(engine, "retention_months", {}) or {}
    return {kind: stored.get(kind, default) for kind, default in DEFAULT_RETENTION_MONTHS.items()}


def save_retention_months(engine: Engine, months: dict[str, int | None], actor: str) -> None:
    """Store the retention setting (audited)."""
    clean = {k: (int(v) if v else None) for k, v in months.items() if k in DEFAULT_RETENTION_MONTHS}
    repository.save_setting(engine, "retention_months", clean)
    audit(engine, actor, "settings_changed", retention_months=clean)


def purge(
    engine: Engine, actor: str, dry_run: bool = True, now: datetime | None = None
) -> dict[str, int]:
    """Delete what is past its retention limit; with ``dry_run`` only count it. Audited."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    counts = {}
    for kind, months in retention_months(engine).items():
        if not months:
            continue
        cutoff = (pd.Timestamp(now) - pd.DateOffset(months=months)).to_pydatetime()
        counts[kind] = repository.purge_older_than(engine, kind, cutoff, dry_run)
    audit(engine, actor, "purge_dry_run" if dry_run else "purge", **counts)
    return counts
