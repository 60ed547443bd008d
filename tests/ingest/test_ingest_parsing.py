"""Shared parsing helpers: header keys, CSV records, numbers, ids and time-zone-aware dates."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.base import ImportRefused
from ingest.parsing import (
    csv_records,
    header_key,
    is_excel_mangled_id,
    parse_count,
    parse_datetime,
    parse_datetimes,
    parse_number,
)
from ingest.registry import header_key as registry_header_key


def test_header_key_is_case_accent_and_space_insensitive() -> None:
    assert header_key("  Réactions ") == header_key("reactions") == "reactions"
    assert header_key("Total\u00a0 clicks") == "total clicks"
    assert header_key("Nom d’utilisateur") == header_key("nom d'utilisateur")
    assert header_key("\ufeffPost ID") == "post id"
    assert header_key("Reactions, Comments and Shares") != header_key("Reactions")
    assert registry_header_key is header_key


def test_csv_records_give_first_physical_line() -> None:
    text = 'a,b\n1,"deux\nlignes"\n\n3,4\r\n5,6'
    records = list(csv_records(text, ","))
    assert [(r.line, r.cells) for r in records] == [
        (1, ["a", "b"]),
        (2, ["1", "deux\nlignes"]),
        (5, ["3", "4"]),
        (6, ["5", "6"]),
    ]


def test_unterminated_quote_swallowing_the_file_is_refused() -> None:
    text = 'a,b\n1,"jamais refermé\n' + "x,y\n" * 50_000
    with pytest.raises(ImportRefused, match="à partir de la ligne 2.*guillemet"):
        list(csv_records(text, ","))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3423.0", 3423.0),
        ("1,234", 1234.0),
        ("12,345,678", 12345678.0),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234", 1234.0),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("0,25", 0.25),
        (".5", 0.5),
        ("-12", -12.0),
        ("+7", 7.0),
        ("1e3", 1000.0),
        ("1.22158E+17", 1.22158e17),
        (" 42 ", 42.0),
        ("-", None),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_number(text: str | None, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["abc", "12%", "1,2,3", "1.2.3", "nan", "inf", "1e999", "1.", "--1", "1 2 3,4,5"]
)
def test_parse_number_errors_are_value_errors_in_french(text: str) -> None:
    with pytest.raises(ValueError, match="«"):
        parse_number(text)


def test_parse_number_forced_decimal_comma() -> None:
    assert parse_number("1,234", decimal=",") == pytest.approx(1.234)
    assert parse_number("1.234,5", decimal=",") == 1234.5


@pytest.mark.parametrize(
    ("text", "value"), [("3423.0", 3423), ("0", 0), ("1 234", 1234), ("-", None)]
)
def test_parse_count(text: str, value: int | None) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [("3.5", "entier"), ("-3", "négatif"), ("99999999999999999999", "trop grand"), ("x", "nombre")],
)
def test_parse_count_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_count(text)


def test_mangled_ids() -> None:
    assert is_excel_mangled_id("1.22158E+17")
    assert is_excel_mangled_id("1,22158E+17")
    assert not is_excel_mangled_id("1221580000000000001")
    assert not is_excel_mangled_id("104873000000001_1221580000000000001")


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize(
    ("text", "fmt", "tz", "expected"),
    [
        ("2021-12-28 16:45 +0000", "%Y-%m-%d %H:%M %z", "Europe/Paris", utc("2021-12-28 16:45")),
        ("2017-07-18T05:22:18+0200", "%Y-%m-%dT%H:%M:%S%z", "UTC", utc("2017-07-18 03:22:18")),
        ("15/01/2026 09:00", "%d/%m/%Y %H:%M", "Europe/Paris", utc("2026-01-15 08:00")),
        ("15/07/2026 09:00", "%d/%m/%Y %H:%M", "Europe/Paris", utc("2026-07-15 07:00")),
        # Spring gap: 02:30 does not exist in Paris, shifted forward to 03:00 CEST.
        ("29/03/2026 02:30", "%d/%m/%Y %H:%M", "Europe/Paris", utc("2026-03-29 01:00")),
        # Autumn overlap: 02:30 happens twice, the first (CEST) one is taken.
        ("25/10/2026 02:30", "%d/%m/%Y %H:%M", "Europe/Paris", utc("2026-10-25 00:30")),
        (
            "05/01/2022 12:00:03 AM",
            "%m/%d/%Y %I:%M:%S %p",
            "America/New_York",
            utc("2022-05-01 04:00:03"),
        ),
        (
            "11/06/2022 01:30:00 AM",
            "%m/%d/%Y %I:%M:%S %p",
            "America/New_York",
            utc("2022-11-06 05:30"),
        ),
    ],
)
def test_parse_datetime(text: str, fmt: str, tz: str, expected: pd.Timestamp) -> None:
    value = parse_datetime(text, fmt, tz)
    assert value == expected
    assert str(value.tz) == "UTC"


def test_parse_datetime_empty_and_errors() -> None:
    assert parse_datetime("", "%Y", "UTC") is None
    assert parse_datetime(None, "%Y", "UTC") is None
    with pytest.raises(ValueError, match="format attendu"):
        parse_datetime("31/02/2026 10:00", "%d/%m/%Y %H:%M", "Europe/Paris")
    with pytest.raises(ValueError, match="Fuseau horaire inconnu"):
        parse_datetime("2026", "%Y", "Mars/Olympus_Mons")


def test_parse_datetimes_tries_formats_in_order_and_reports_bad_positions() -> None:
    values, bad = parse_datetimes(
        ["2022-05-01T00:00:03.000", "05/01/2022 12:00:03 AM", "", "demain"],
        ["%m/%d/%Y %I:%M:%S %p", "%Y-%m-%dT%H:%M:%S.%f"],
        "America/New_York",
    )
    assert values.dtype == "datetime64[us, UTC]"
    assert values.iloc[0] == values.iloc[1] == utc("2022-05-01 04:00:03")
    assert pd.isna(values.iloc[2]) and pd.isna(values.iloc[3])
    assert bad == [3]
