"""Golden-file tests: each synthetic input parses to exactly its stored canonical frame."""

from __future__ import annotations

import json

import pytest
from ingest_support import REGEN, GoldenCase, golden_cases, golden_csv, golden_report

from ingest.registry import importers, parse_file

CASES = golden_cases()


def test_golden_cases_cover_every_format() -> None:
    assert {case.format_id for case in CASES} == {i.format_id for i in importers()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.format_id}/{c.path.name}")
def test_golden(case: GoldenCase) -> None:
    result = parse_file(case.data(), case.context())
    actual_csv = golden_csv(result.frame)
    actual_report = golden_report(result)
    if REGEN:
        case.expected_csv.write_text(actual_csv, encoding="utf-8", newline="")
        case.expected_report.write_text(
            json.dumps(actual_report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        pytest.skip(f"attendus régénérés pour {case.path.name} : relisez le diff")
    assert result.format_id == case.format_id
    assert actual_csv == case.expected_csv.read_text(encoding="utf-8")
    assert actual_report == json.loads(case.expected_report.read_text(encoding="utf-8"))
