"""Helpers shared by the ingest tests: golden-file serialisation, golden cases, realdata path.

Golden expectation format (``<case>.expected.csv``), fixed so diffs stay readable:

* one header row with the canonical columns of the kind, in ``ingest.canonical`` order;
* comma separator, minimal quoting, ``\\n`` line ends, UTF-8 without BOM;
* timestamps in ISO 8601 UTC, ``2026-01-31T08:00:00+00:00`` (``.ffffff`` only when non-zero);
  naive calendar days (audience) as ``2026-01-31``;
* missing values (NA, NaN, NaT) as an empty cell;
* booleans as ``true`` / ``false``; whole numbers plain; decimals as Python ``repr``;
* text as is (embedded newlines kept inside quotes).

``<case>.expected-report.json`` holds format_id, kind, rows_read, rejections ([line, reason])
and warnings. ``<case>.context.json`` (optional) gives the ImportContext (timezone,
our_accounts). Regenerate every expectation with ``PARVIS_REGEN_GOLDEN=1 pytest tests/ingest``,
then read the diff before committing.

Golden inputs stay text so diffs stay readable: ``<case>.csv``, ``<case>.json``, ``<case>.xml``
are uploaded as they are; ``<case>.xlsx.json`` / ``<case>.xls.json`` are workbook specs turned
into XLSX (openpyxl) or BIFF ``.xls`` (:func:`xls_bytes`) bytes by the test;
``<case>.utf16le.csv`` is re-encoded in UTF-16 LE with a BOM (Meta's page exports).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import struct
from dataclasses import dataclass
from datetime import datetime
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
    if isinstance(value, pd.Timestamp) and value.tz is None:
        # Audience days are naive calendar dates.
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
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
    def transform(self) -> str:
        """ "xlsx", "xls", "utf16le" or "" (the file is uploaded as it is)."""
        parts = self.path.name.split(".")
        return parts[1] if len(parts) == 3 else ""

    def data(self) -> bytes:
        """The bytes uploaded for this case."""
        raw = self.path.read_bytes()
        if self.transform == "xlsx":
            return xlsx_bytes(json.loads(raw))
        if self.transform == "xls":
            return xls_bytes(json.loads(raw))
        if self.transform == "utf16le":
            return codecs.BOM_UTF16_LE + raw.decode("utf-8").encode("utf-16-le")
        return raw

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


TRANSFORMS = {"xlsx", "xls", "utf16le"}


def golden_cases() -> list[GoldenCase]:
    """Every golden input: ``golden/<format_id>/<case>[.<transform>].csv|json|xml``."""
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*/*")):
        parts = path.name.split(".")
        if path.suffix not in (".csv", ".json", ".xml"):
            continue
        if len(parts) == 2 or (len(parts) == 3 and parts[1] in TRANSFORMS):
            cases.append(GoldenCase(path.parent.name, path))
    return cases


# --------------------------------------------------------------------------- workbooks


def spec_value(value: object) -> object:
    """A JSON spec cell: {"date": "2026-01-31T08:00:00"} is a datetime, anything else as is."""
    if isinstance(value, dict) and "date" in value:
        return datetime.fromisoformat(value["date"])
    return value


def xlsx_bytes(spec: dict) -> bytes:
    """An XLSX built with openpyxl from ``{"sheets": [{"name": …, "rows": [[…], …]}]}``."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_spec in spec["sheets"]:
        sheet = book.create_sheet(sheet_spec["name"])
        for row in sheet_spec["rows"]:
            sheet.append([spec_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _biff_record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _biff_bof(sheet_type: int) -> bytes:
    return _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, sheet_type, 0x0DBB, 0x07CC, 0, 6))


def _biff_cell(row: int, col: int, value: object) -> bytes:
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        value = value.strftime("%m/%d/%Y")  # LinkedIn writes its dates as text
    if isinstance(value, (int, float)):
        return _biff_record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))
    text = str(value).encode("utf-16-le")
    return _biff_record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text) // 2, 1) + text)


def xls_bytes(spec: dict) -> bytes:
    """A minimal Excel 97-2003 (BIFF8) workbook in an OLE2 container, from the same spec.

    Only what xlrd needs: BOF / BOUNDSHEET / EOF globals, LABEL and NUMBER cells. Dates are
    written as MM/DD/YYYY text, as LinkedIn's own .xls exports do.
    """
    sheets = []
    for sheet_spec in spec["sheets"]:
        body = _biff_bof(0x0010)
        rows = sheet_spec["rows"]
        width = max((len(r) for r in rows), default=0)
        body += _biff_record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                value = spec_value(value)
                if value is not None and value != "":
                    body += _biff_cell(r, c, value)
        sheets.append((sheet_spec["name"], body + _biff_record(0x000A, b"")))
    names = [name.encode("utf-16-le") for name, _ in sheets]
    globals_size = len(_biff_bof(0x0005)) + len(_biff_record(0x000A, b""))
    globals_size += sum(len(_biff_record(0x0085, b"\0" * (8 + len(n)))) for n in names)
    stream = _biff_bof(0x0005)
    offset = globals_size
    for (_, body), name in zip(sheets, names, strict=True):
        payload = struct.pack("<IBBBB", offset, 0, 0, len(name) // 2, 1) + name
        stream += _biff_record(0x0085, payload)
        offset += len(body)
    stream += _biff_record(0x000A, b"")
    for _, body in sheets:
        stream += body
    return _ole2(stream)


def _ole2(stream: bytes) -> bytes:
    """``stream`` as the "Workbook" stream of a one-stream OLE2 compound file (512-byte sectors)."""
    size = max(len(stream), 4096)  # smaller streams would belong in the mini stream
    stream = stream.ljust((size + 511) // 512 * 512, b"\0")
    data_sectors = len(stream) // 512
    fat_sector, dir_sector = data_sectors, data_sectors + 1
    if data_sectors + 2 > 128:
        raise ValueError("test workbook too large for a one-sector FAT")
    fat = [i + 1 for i in range(data_sectors - 1)] + [0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, dir_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", fat_sector) + b"\xff" * (4 * 108)

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\0" * 36
            + struct.pack("<II", start, length)
            + b"\0" * 4
        )

    directory = entry("Root Entry", 5, 1, 0xFFFFFFFE, 0)
    directory += entry("Workbook", 2, 0xFFFFFFFF, 0, size)
    directory += entry("", 0, 0xFFFFFFFF, 0, 0) * 2
    return header + stream + struct.pack("<128I", *fat) + directory
