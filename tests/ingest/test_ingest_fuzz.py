"""Property tests: any input gives a value or a clear error (ImportRefused / ValueError)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_support import GOLDEN_DIR

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
]


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
