"""Fixtures for the ingest tests (helpers live in ingest_support.py, importable by name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import GOLDEN_DIR, REALDATA_DIR


@pytest.fixture
def realdata() -> Path:
    """The shared realdata folder; the test is skipped, visibly, when it is absent."""
    folder = REALDATA_DIR.resolve()
    if not folder.is_dir():
        pytest.skip(f"dossier de données réelles absent : {folder} (hors dépôt, licences)")
    return folder


@pytest.fixture
def golden_dir() -> Path:
    """The folder of golden inputs and expectations."""
    return GOLDEN_DIR
