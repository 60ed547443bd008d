"""Helpers shared by the ingest tests: golden-file serialisation, golden cases, realdata path.

Golden expectation format (``<case>.expected.csv``), fixed so diffs stay readable:

* one header row with the canonical columns of the kind, in ``ingest.canonical`` order;
* comma separator, minimal quoting, ``\\n`` line ends, UTF-8 without BOM;
* timestamps in ISO 8601 UTC, ``2026-01-31T08:00:00+00:00`` (``.ffffff`` only when non-zero);
* missing values (NA, NaN, NaT) as an empty cell;
* booleans as ``true`` / ``false``; whole numbers plain; decimals as Python ``repr``;
* text as is (embedded newlines kept inside quotes).

``<case>.expected-report.json`` holds format_id, kind, rows_read, rejections ([line, reason])
and warnings. ``<case>.context.json`` (optional) gives the ImportContext (timezone,
our_accounts). Regenerate every expectation with ``PARVIS_REGEN_GOLDEN=1 pytest tests/ingest``,
then read the diff before committing.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingest.base import ImportContext, ParseResult

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
# /work/shared/realdata: next to the repository, never inside it (licences forbid copies).
REALDATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata"
REGEN = os.environ.get("PARVIS_REGEN_GOLDEN") == "1"


def golden_cell(value: object) -> str:
    """One cell of the golden serialisation."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.tz_convert("UTC")
        spec = "seconds" if value.microsecond == 0 else "microseconds"
        return value.isoformat(timespec=spec)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def golden_csv(frame: pd.DataFrame) -> str:
    """``frame`` serialised in the golden format described in this module's docstring."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.astype(object).itertuples(index=False):
        writer.writerow([golden_cell(v) for v in row])
    return buffer.getvalue()


def golden_report(result: ParseResult) -> dict:
    """The non-frame part of a result, as stored in ``<case>.expected-report.json``."""
    return {
        "format_id": result.format_id,
        "kind": result.kind,
        "rows_read": result.rows_read,
        "rejections": [[r.line, r.reason] for r in result.rejections],
        "warnings": list(result.warnings),
    }


@dataclass(frozen=True)
class GoldenCase:
    """One golden input file and where its expectations live."""

    format_id: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.name.split(".", 1)[0]

    @property
    def expected_csv(self) -> Path:
        return self.path.with_name(f"{self.name}.expected.csv")

    @property
    def expected_report(self) -> Path:
        return self.path.with_name(f"{self.name}.expected-report.json")

    def context(self) -> ImportContext:
        path = self.path.with_name(f"{self.name}.context.json")
        if not path.exists():
            return ImportContext()
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ImportContext(
            timezone=raw.get("timezone", ImportContext.timezone),
            our_accounts=tuple(raw.get("our_accounts", ())),
        )


def golden_cases() -> list[GoldenCase]:
    """Every golden input: ``golden/<format_id>/<case>.csv|json`` (expectations excluded)."""
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*/*")):
        if path.suffix not in (".csv", ".json") or path.name.count(".") != 1:
            continue
        cases.append(GoldenCase(path.parent.name, path))
    return cases
