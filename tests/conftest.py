"""Shared fixtures: databases (SQLite always, PostgreSQL when a server is given), real data paths."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from store.db import migrate, new_engine

REPO_ROOT = Path(__file__).resolve().parents[1]
REALDATA = REPO_ROOT.parent / "shared" / "realdata"
POSTGRES_URL = os.environ.get("PARVIS_TEST_POSTGRES_URL", "")


@pytest.fixture(autouse=True)
def _isolated_secret(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    # Tests never read or create the developer's real pseudonymisation key.
    monkeypatch.setenv("PARVIS_SECRET_FILE", str(tmp_path_factory.getbasetemp() / "secret.key"))


@pytest.fixture
def realdata() -> Path:
    """The shared folder of real export files; skips where it is absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"../shared/realdata absent ({REALDATA}): real-data tests not run")
    return REALDATA


def sqlite_url(folder: Path) -> str:
    """URL of a fresh SQLite file in ``folder``."""
    return f"sqlite:///{folder / 'parvis-test.sqlite'}"


def imported_frame(engine, frame, sha256: str, kind: str = "request", timezone: str = "UTC"):
    """A canonical ``frame`` of ``kind`` written as one file by ``repository.apply_import``;
    its outcome."""
    from store import repository

    return repository.apply_import(
        engine,
        kind=kind,
        format_id="test",
        frame=frame,
        rows_read=len(frame),
        rejections=[],
        file_name=f"{kind}.csv",
        sha256=sha256,
        user="test",
        timezone=timezone,
    )


def imported_rows(engine, kind: str, rows: list[dict], sha: str, timezone: str = "Europe/Paris"):
    """``rows`` of ``kind`` (dicts of canonical columns) written by one import; its outcome.
    ``sha``: one character, repeated as the file's fingerprint."""
    import pandas as pd

    from ingest.canonical import conform

    frame = conform(pd.DataFrame(rows), kind)
    return imported_frame(engine, frame, sha * 64, kind, timezone)


def _postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip(
            "PARVIS_TEST_POSTGRES_URL not set: PostgreSQL tests run in CI (scripts/test.sh)"
        )
    name = f"parvis_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: SQLite, and PostgreSQL when a test server is configured."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        yield from _postgres_database()


@pytest.fixture
def postgres_engine() -> Iterator:
    """A migrated engine on a fresh PostgreSQL database, for what only PostgreSQL has (COPY,
    triggers); skipped where no test server is configured."""
    for url in _postgres_database():
        engine = new_engine(url)
        migrate(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def engine(database_url: str):
    """A migrated engine on a fresh database."""
    engine = new_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def realdata_dir() -> Path:
    """Module-scoped twin of ``realdata``."""
    if not REALDATA.is_dir():
        pytest.skip(f"../shared/realdata absent ({REALDATA}): real-data tests not run")
    return REALDATA
