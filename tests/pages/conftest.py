"""Fixtures of the dashboard page tests: the demo commune loaded once per module into a temporary
SQLite database, and fresh databases selected through DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.imports import load_demo
from store.db import ready_engine
from tests.conftest import sqlite_url


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite database holding the demo commune (generated and imported once)."""
    url = sqlite_url(tmp_path_factory.mktemp("pages-demo"))
    with pytest.MonkeyPatch.context() as patch:
        # As the autouse fixture does for each test: never the developer's real key.
        patch.setenv("PARVIS_SECRET_FILE", str(tmp_path_factory.getbasetemp() / "secret.key"))
        engine = ready_engine(url)
        load_demo(engine)
        engine.dispose()
    return url


@pytest.fixture
def demo_database(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL pointing at the module's demo database."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return demo_url


@pytest.fixture
def empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL pointing at a fresh, empty SQLite file."""
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url
