"""Fixtures for the app and command-line tests: a fresh SQLite database selected by DATABASE_URL."""

from pathlib import Path

import pytest

from tests.conftest import sqlite_url


@pytest.fixture
def app_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL pointing at a fresh SQLite file, for code that reads the environment."""
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url
