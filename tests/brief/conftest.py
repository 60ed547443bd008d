"""Fixtures of the brief tests: the demo commune loaded once, copied for each test that needs
its own database, and a fresh empty database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from metrics.period import Period, last_complete_month
from services.imports import load_demo
from store.db import ready_engine
from tests.conftest import sqlite_url


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo commune (12 months ending last month), built once."""
    folder = tmp_path_factory.mktemp("brief-demo")
    with pytest.MonkeyPatch.context() as patch:
        # never the developer's real pseudonymisation key
        patch.setenv("PARVIS_SECRET_FILE", str(folder / "secret.key"))
        engine = ready_engine(sqlite_url(folder))
        load_demo(engine)
        engine.dispose()
    return folder / "parvis-test.sqlite"


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL of a private copy of the demo database (for the app and settings tests)."""
    _copy(demo_file, tmp_path / "parvis-test.sqlite")
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def demo_db(demo_url: str) -> Iterator[Engine]:
    """An engine on a private copy of the demo database."""
    engine = ready_engine(demo_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_demo_db(demo_file: Path) -> Iterator[Engine]:
    """An engine on the shared demo database, for tests that only read."""
    engine = ready_engine(f"sqlite:///{demo_file}")
    yield engine
    engine.dispose()


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine on a fresh, empty database (DATABASE_URL points at it too)."""
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    engine = ready_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def month() -> Period:
    """The last complete month: the demo's last month and the pages' default period."""
    return last_complete_month(date.today())
