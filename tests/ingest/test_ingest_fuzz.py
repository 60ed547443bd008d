"""Property tests: any input gives a value or a clear error (ImportRefused / ValueError)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_support import GOLDEN_DIR, xls_bytes, xlsx_bytes

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.parsing import header_key, parse_count, parse_datetime, parse_number
from ingest.registry import parse_file
from ingest.sniff import sniff

KINDS = {"csv", "json", "xml", "xlsx", "xls", "pdf", "binary", "empty"}
FORMATS = [
    "%Y-%m-%d %H:%M %z",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S%z",
]
ZONES = ["Europe/Paris", "America/New_York", "UTC", "Australia/Lord_Howe", "Nowhere/Atlantis"]
NUMBERISH = st.text(alphabet="0123456789 ,.-+eE\u00a0\u202f%x", max_size=30)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = [
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","retweets","replies","likes"',
    "Post ID;Page ID;Publish time;Permalink;Reactions",
    "Unique Key,Created Date,Closed Date,Complaint Type,Status",
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Replies,Reposts",
    "Reçu le;Répondu le;Canal;Texte;Conversation",
    "Received at,Replied at,Channel,Text,Id",
    "Report ID,Title,Category,Created,Confirmed,Acknowledged,Fixed,Closed,Status,Ward",
    "numero,type,soustype,datedecl,id_dmr,geo_point_2d,arrondissement",
    "ID DECLARATION;TYPE DECLARATION;SOUS TYPE DECLARATION;DATE DECLARATION",
    "id,created_at,status,subject,requester_id,solved_at,group_id",
    "Ticket ID,Subject,Status,Created time,Resolved time,Group",
    "Post ID,Permalink,Post Message,Type,Posted,Lifetime Post Total Reach",
    "Date,page_fans:lifetime",
    "Post title,Post link,Created date,Impressions,Likes",
    "Date,Sponsored followers,Organic followers,Total followers",
]

# Header cells a workbook importer looks for, mixed with noise.
SHEET_WORDS = [
    "Post ID", "Permalink", "Posted", "Lifetime Post Total Reach", "post_impressions_unique:lifetime",
    "Date", "page_fans:lifetime", "Post title", "Post link", "Created date", "Impressions",
    "Sponsored followers", "Organic followers", "Total followers", "like", "share", "comment",
    "Lifetime: The number (Total Count)", "2017-06-09T00:00:00", "03/01/2026", "1,234", "-", "",
]  # fmt: skip
SHEET_NAMES = [
    "Key Metrics",
    "All posts",
    "New followers",
    "Lifetime Post Stories by act...",
    "Feuil1",
]
CELL = st.one_of(
    st.sampled_from(SHEET_WORDS),
    st.integers(min_value=-10, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet="azé 0123456789/:-,.", max_size=12),
    st.none(),
)
WORKBOOK_SPEC = st.builds(
    lambda sheets: {"sheets": sheets},
    st.lists(
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(SHEET_NAMES),
                "rows": st.lists(st.lists(CELL, max_size=6), max_size=6),
            }
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda sheet: sheet["name"],
    ),
)
XML_PREFIXES = [
    b'<?xml version="1.0"?>',
    b'<?xml version="1.0" encoding="UTF-8"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Key Metrics"><Table>',
    b"<service_requests><request>",
    b"<!DOCTYPE x [",
]
WORKBOOK_FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _outcome(data: bytes) -> ParseResult | None:
    try:
        return parse_file(data, ImportContext())
    except ImportRefused as refused:
        assert str(refused).strip()
        return None


@FUZZ
@given(st.binary(max_size=2000))
def test_sniff_any_bytes(data: bytes) -> None:
    sniffed = sniff(data)
    assert isinstance(sniffed, Sniffed) and sniffed.kind in KINDS


@FUZZ
@given(st.text(max_size=500), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_sniff_any_text(text: str, encoding: str) -> None:
    sniffed = sniff(text.encode(encoding, errors="replace"))
    assert sniffed.kind in KINDS


@FUZZ
@given(st.binary(max_size=2000))
def test_parse_file_any_bytes(data: bytes) -> None:
    _outcome(data)


@FUZZ
@given(
    st.sampled_from(HEADERS),
    st.lists(st.lists(st.text(alphabet='ab1 ,;"\n-/:.APM0', max_size=12), max_size=10), max_size=6),
)
def test_parse_file_known_header_random_rows(header: str, rows: list[list[str]]) -> None:
    separator = ";" if ";" in header else ","
    body = "\n".join(separator.join(cells) for cells in rows)
    result = _outcome(f"{header}\n{body}".encode())
    if result is not None:
        assert len(result.frame) + len(result.rejections) >= 0
        assert len(result.frame) <= result.rows_read


@FUZZ
@given(st.integers(min_value=0, max_value=3000))
def test_parse_file_golden_prefixes(cut: int) -> None:
    # Every truncation of a real-looking export: refusal or partial result, never a crash.
    for path in (
        GOLDEN_DIR / "x_tweet_activity" / "classic_2021.csv",
        GOLDEN_DIR / "fb_graph_comments" / "threads.json",
        GOLDEN_DIR / "meta_posts" / "fb_fr_semicolon.csv",
    ):
        _outcome(path.read_bytes()[:cut])


@FUZZ
@given(st.one_of(st.text(max_size=40), NUMBERISH))
def test_parse_number_value_or_value_error(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError as error:
        assert str(error)
        return
    assert value is None or isinstance(value, float)


@FUZZ
@given(st.one_of(st.text(max_size=40), NUMBERISH), st.sampled_from([None, ",", "."]))
def test_parse_count_value_or_value_error(text: str, decimal: str | None) -> None:
    try:
        value = parse_count(text, decimal=decimal)
    except ValueError as error:
        assert str(error)
        return
    assert value is None or (isinstance(value, int) and 0 <= value < 2**63)


@FUZZ
@given(st.text(max_size=40), st.sampled_from(FORMATS), st.sampled_from(ZONES))
def test_parse_datetime_value_or_value_error(text: str, fmt: str, zone: str) -> None:
    try:
        value = parse_datetime(text, fmt, zone)
    except ValueError as error:
        assert str(error)
        return
    assert value is None or str(value.tz) == "UTC"


@FUZZ
@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
    st.sampled_from(ZONES[:4]),
)
def test_every_local_time_converts_even_in_dst_transitions(moment: datetime, zone: str) -> None:
    moment = moment.replace(second=0, microsecond=0)
    value = parse_datetime(moment.strftime("%d/%m/%Y %H:%M"), "%d/%m/%Y %H:%M", zone)
    assert value is not None and str(value.tz) == "UTC"
    # Shifting forward never moves a time by more than a DST gap (at most two hours).
    local = value.tz_convert(zone).tz_localize(None)
    assert timedelta(0) <= local - pd.Timestamp(moment) <= timedelta(hours=2)


@FUZZ
@given(st.text(max_size=40))
def test_header_key_is_idempotent(text: str) -> None:
    assert header_key(header_key(text)) == header_key(text)


# --------------------------------------------------------------------------- XML / XLSX / XLS


def _spreadsheetml(spec: dict) -> bytes:
    from xml.sax.saxutils import escape

    parts = ['<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
             'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">']  # fmt: skip
    for sheet in spec["sheets"]:
        parts.append(f'<Worksheet ss:Name="{escape(sheet["name"])}"><Table>')
        for row in sheet["rows"]:
            parts.append("<Row>")
            for value in row:
                kind = "Number" if isinstance(value, (int, float)) else "String"
                text = "" if value is None else escape(str(value))
                parts.append(f'<Cell><Data ss:Type="{kind}">{text}</Data></Cell>')
            parts.append("</Row>")
        parts.append("</Table></Worksheet>")
    parts.append("</Workbook>")
    return "".join(parts).encode()


@FUZZ
@given(st.sampled_from(XML_PREFIXES), st.binary(max_size=1500))
def test_parse_file_any_xml_bytes(prefix: bytes, data: bytes) -> None:
    _outcome(prefix + data)


@FUZZ
@given(
    st.sampled_from(XML_PREFIXES), st.text(alphabet='<>/="& abcdeRowCelDat:sINx\n', max_size=400)
)
def test_parse_file_any_xml_text(prefix: bytes, text: str) -> None:
    _outcome(prefix + text.encode())


@FUZZ
@given(WORKBOOK_SPEC)
def test_parse_file_any_spreadsheetml(spec: dict) -> None:
    _outcome(_spreadsheetml(spec))


@WORKBOOK_FUZZ
@given(WORKBOOK_SPEC)
def test_parse_file_any_xlsx(spec: dict) -> None:
    _outcome(xlsx_bytes(spec))


@WORKBOOK_FUZZ
@given(WORKBOOK_SPEC)
def test_parse_file_any_xls(spec: dict) -> None:
    _outcome(xls_bytes(spec))


_VALID_XLSX = xlsx_bytes(
    {
        "sheets": [
            {
                "name": "New followers",
                "rows": [
                    ["Date", "Sponsored followers", "Organic followers"],
                    ["03/01/2026", 1, 2],
                ],
            }
        ]
    }
)
_VALID_XLS = xls_bytes(
    {
        "sheets": [
            {
                "name": "All posts",
                "rows": [
                    ["Post title", "Post link", "Created date", "Impressions"],
                    ["a", "b", "03/01/2026", 3],
                ],
            }
        ]
    }
)


@WORKBOOK_FUZZ
@given(
    st.sampled_from([_VALID_XLSX, _VALID_XLS]),
    st.integers(min_value=0),
    st.binary(min_size=1, max_size=16),
)
def test_parse_file_damaged_workbooks(valid: bytes, at: int, patch: bytes) -> None:
    at %= len(valid)
    _outcome(valid[:at] + patch + valid[at + len(patch) :])


@FUZZ
@given(
    st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]), st.binary(max_size=3000)
)
def test_parse_file_any_bytes_behind_workbook_magic(magic: bytes, data: bytes) -> None:
    _outcome(magic + data)


JSON_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=30),
    st.sampled_from(["2026-03-02T08:00:00+01:00", "2026-03-02T08:00:00Z", "closed", "open"]),
)  # fmt: skip
JSON_KEYS = st.sampled_from(
    ["service_request_id", "status", "requested_datetime", "updated_datetime", "lat", "long",
     "id", "summary", "created_at", "closed_at", "lng", "extended_attributes", "description"]
)  # fmt: skip


@FUZZ
@given(
    st.lists(st.one_of(st.dictionaries(JSON_KEYS, JSON_VALUE, max_size=8), JSON_VALUE), max_size=6),
    st.sampled_from(["list", "issues", "service_requests"]),
)
def test_parse_file_any_request_records(items: list, wrapper: str) -> None:
    import json

    document = items if wrapper == "list" else {wrapper: items}
    _outcome(json.dumps(document).encode())
