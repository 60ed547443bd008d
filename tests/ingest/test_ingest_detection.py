"""Detection stays unambiguous: every golden and real file is recognised by exactly one importer."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import GoldenCase, golden_cases
from test_ingest_realdata import NOT_EXPORTS, SUPPORTED

from ingest.registry import importers
from ingest.sniff import sniff


def _matches(data: bytes) -> list[str]:
    sniffed = sniff(data)
    return [i.format_id for i in importers() if i.identify(sniffed)]


def test_format_ids_are_unique() -> None:
    ids = [i.format_id for i in importers()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", golden_cases(), ids=lambda c: f"{c.format_id}/{c.path.name}")
def test_each_golden_file_is_recognised_by_exactly_one_importer(case: GoldenCase) -> None:
    assert _matches(case.data()) == [case.format_id]


@pytest.mark.parametrize(("name", "format_id"), [(n, f) for n, f, *_ in SUPPORTED], ids=str)
def test_each_real_file_is_recognised_by_exactly_one_importer(
    realdata: Path, name: str, format_id: str
) -> None:
    assert _matches((realdata / name).read_bytes()) == [format_id]


@pytest.mark.parametrize("name", NOT_EXPORTS)
def test_non_exports_are_recognised_by_no_importer(realdata: Path, name: str) -> None:
    assert _matches((realdata / name).read_bytes()) == []


def test_signatures_of_csv_importers_are_pairwise_disjoint() -> None:
    """No importer's required header (any variant) satisfies another importer's identify."""
    for importer in importers():
        for variant, required in (getattr(importer, "header_signature", None) or {}).items():
            header = ",".join(f'"{h}"' for h in required)
            data = f"{header}\n".encode()
            found = _matches(data)
            assert importer.format_id not in found or found == [importer.format_id], (
                importer.format_id,
                variant,
                found,
            )
