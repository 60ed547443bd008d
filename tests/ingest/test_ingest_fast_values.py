"""Column-wise numbers, ids, texts and dates against the per-cell code: same values and rejections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import parsing
from ingest.base import Sniffed
from ingest.parsing import (
    RowsBuilder,
    clean_id,
    excel_id_warning,
    is_excel_mangled_id,
    parse_datetimes,
    parse_number,
    read_csv_table,
    zone,
)

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
]
ZONES = ["America/New_York", "Europe/Paris", "Australia/Lord_Howe", "UTC"]


def reference_parse_datetimes(values, formats, timezone):
    """parse_datetimes as it was, value by value."""
    tz = zone(timezone)
    format_list = [formats] if isinstance(formats, str) else list(formats)
    texts = pd.Series(
        [None if v is None else str(v).strip() for v in values], dtype="object"
    ).replace("", None)
    result = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us, UTC]")
    todo = texts.notna()
    for fmt in format_list:
        if not todo.any():
            break
        subset = texts[todo]
        try:
            parsed = pd.to_datetime(subset, format=fmt, errors="coerce", utc="%z" in fmt)
        except (ValueError, TypeError, OverflowError):
            continue
        if "%z" not in fmt:
            parsed = parsed.dt.tz_localize(
                tz, ambiguous=np.ones(len(parsed), dtype=bool), nonexistent="shift_forward"
            ).dt.tz_convert("UTC")
        parsed = parsed.astype("datetime64[us, UTC]")
        ok = parsed.notna()
        result.loc[ok[ok].index] = parsed[ok]
        todo.loc[ok[ok].index] = False
    bad = [int(i) for i in np.flatnonzero(todo.to_numpy())]
    return result, bad


# Digits, separators and words near the formats' shapes: valid dates, impossible ones (31/04,
# 29/02, hour 00 or 13 on a 12-hour clock), lower-case am, padded and one-digit fields.
NEAR_DATES = st.text(alphabet="0123456789/:-T. APMam", min_size=0, max_size=26)


@st.composite
def date_texts(draw) -> str:
    fmt = draw(st.sampled_from(FORMATS))
    stamp = draw(
        st.datetimes(
            min_value=pd.Timestamp("0900-01-01").to_pydatetime(),
            max_value=pd.Timestamp("2100-12-31").to_pydatetime(),
        )
    )
    text = pd.Timestamp(stamp).strftime(fmt)
    if "%f" in fmt:
        text = text[: len(text) - draw(st.integers(0, 6))]
    mutation = draw(st.integers(0, 6))
    if mutation == 1 and text:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from("0123456789 /:aX")) + text[at + 1 :]
    elif mutation == 2:
        text = f" {text} "
    elif mutation == 3:
        text = draw(NEAR_DATES)
    return text


@FUZZ
@given(
    values=st.lists(date_texts(), max_size=40),
    formats=st.lists(st.sampled_from(FORMATS), min_size=1, max_size=3, unique=True),
    timezone=st.sampled_from(ZONES),
)
def test_dates_read_as_before(values: list[str], formats: list[str], timezone: str) -> None:
    expected, expected_bad = reference_parse_datetimes(values, formats, timezone)
    for given_values in (values, pa.array(values, pa.string())):
        result, bad = parse_datetimes(given_values, formats, timezone)
        assert bad == expected_bad
        pd.testing.assert_series_equal(result, expected, check_index_type=False)


def test_clock_changes_and_impossible_days_read_as_before() -> None:
    values = [
        "03/08/2026 02:30:00 AM",  # New York spring gap
        "11/01/2026 01:30:00 AM",  # New York autumn, twice
        "03/29/2026 02:30:00 AM",
        "10/25/2026 02:30:00 AM",  # Paris
        "02/29/2024 12:00:00 PM",
        "02/29/2023 12:00:00 PM",
        "04/31/2024 12:00:00 AM",
        "12/31/2024 12:59:59 AM",
        "00/10/2024 10:00:00 AM",
        "10/10/2024 00:00:00 AM",
        "10/10/2024 13:00:00 PM",
        "10/10/2024 10:00:60 AM",
        "10/10/0999 10:00:00 AM",
        "02/29/1900 10:00:00 AM",  # not a leap year (a century)
        "02/29/2000 10:00:00 AM",  # a leap year (divisible by 400)
        "02/29/2100 10:00:00 AM",
        "02/28/2100 10:00:00 AM",
        "03/01/1000 12:00:00 AM",
        "12/31/9999 01:59:59 AM",
        "01/01/1970 12:00:00 AM",
        "12/31/1969 11:59:59 PM",
        "10/10/2024 10:00:00 am",
        "1/5/2024 1:05:00 PM",
        "",
        "  ",
    ]
    for timezone in ZONES:
        expected, expected_bad = reference_parse_datetimes(values, FORMATS, timezone)
        result, bad = parse_datetimes(pa.array(values), FORMATS, timezone)
        assert bad == expected_bad
        pd.testing.assert_series_equal(result, expected, check_index_type=False)


@pytest.mark.parametrize("given_values", [list, pa.array])
def test_a_local_time_utc_cannot_hold_is_unread_not_a_crash(given_values) -> None:
    """9999-12-31 at 11 pm in New York is in the year 10000 in UTC: pandas cannot localize
    it and stopped the whole file; it is now an unread value, its neighbours read."""
    values = ["12/31/9999 11:59:59 PM", "12/31/9999 01:00:00 AM", "01/01/2024 10:00:00 AM"]
    result, bad = parse_datetimes(given_values(values), FORMATS, "America/New_York")
    assert bad == [0]
    assert result.iloc[1] == pd.Timestamp("9999-12-31 06:00", tz="UTC")
    assert result.iloc[2] == pd.Timestamp("2024-01-01 15:00", tz="UTC")
    paris, bad = parse_datetimes(given_values(values[:1]), FORMATS, "Europe/Paris")
    assert bad == [] and paris.iloc[0] == pd.Timestamp("9999-12-31 22:59:59", tz="UTC")


def test_a_row_whose_date_utc_cannot_hold_says_so() -> None:
    """The row is rejected, with a reason that does not call a well-written date unreadable."""
    from ingest.base import ImportContext
    from ingest.registry import parse_file
    from tests.ingest.test_ingest_blocks import troubled_311

    lines = troubled_311(30).decode("utf-8").split("\r\n")
    lines[2] = lines[2].replace("06/02/2022 10:00:00 AM", "12/31/9999 11:00:00 PM", 1)
    assert "12/31/9999" in lines[2]
    data = "\r\n".join(lines).encode("utf-8")
    york = parse_file(data, ImportContext(timezone="America/New_York"))
    reasons = [r.reason for r in york.rejections if r.line == 3]
    assert len(reasons) == 1 and "hors de la plage" in reasons[0], reasons
    assert "illisible" not in reasons[0]
    paris = parse_file(data, ImportContext(timezone="Europe/Paris"))
    assert not [r for r in paris.rejections if r.line == 3]


def test_many_distinct_dates_take_the_unfactorised_path() -> None:
    stamps = pd.date_range("2024-01-01", periods=20_000, freq="37min")
    values = [s.strftime("%m/%d/%Y %I:%M:%S %p") for s in stamps]
    values[5] = "not a date"
    values[9000] = ""
    expected, expected_bad = reference_parse_datetimes(values, FORMATS, "America/New_York")
    result, bad = parse_datetimes(pa.array(values), FORMATS, "America/New_York")
    assert bad == expected_bad == [5]
    pd.testing.assert_series_equal(result, expected, check_index_type=False)


def _builder(cells: list[str]) -> RowsBuilder:
    # A second, filled column: a record of blank cells would not be a record.
    text = "c,k\n" + "".join(f'"{c.replace(chr(34), chr(34) * 2)}",k\n' for c in cells)
    table = read_csv_table(Sniffed(kind="csv", text=text, separator=",", header_row=0), None)
    assert len(table.records) == len(cells)
    return RowsBuilder(table)


def _reference_builder(cells: list[str]) -> RowsBuilder:
    rows = _builder(cells)
    rows.table.arrow_cells = lambda index: None  # type: ignore[method-assign]
    return rows


NUMBERISH = st.text(alphabet="0123456789 ,.-+eE\u00a0\u202f%x–", max_size=14)
IDISH = st.text(alphabet="0123456789 .,eE+-\tab\u00a0\u2028", max_size=14)
TEXTISH = st.text(alphabet="ab é\t\u00a0\u2028\x1c", max_size=6)


@FUZZ
@given(
    cells=st.lists(NUMBERISH, min_size=1, max_size=30), decimal=st.sampled_from([None, ".", ","])
)
def test_numbers_read_as_before(cells: list[str], decimal: str | None) -> None:
    fast, slow = _builder(cells), _reference_builder(cells)
    out = fast.add_float("latitude", 0, decimal=decimal)
    expected = slow.add_float("latitude", 0, decimal=decimal)
    assert [repr(v) for v in out] == [repr(v) for v in expected]
    assert fast.problems == slow.problems
    frame_fast, _ = fast.frame_and_rejections("request")
    frame_slow, _ = slow.frame_and_rejections("request")
    pd.testing.assert_frame_equal(frame_fast, frame_slow)


def test_plain_decimals_round_like_float() -> None:
    rng = np.random.default_rng(7)
    cells = [repr(float(x)) for x in rng.normal(0, 100, 2000)]
    cells += [
        "".join(rng.choice(list("0123456789"), 25)) + "." + "123456789" * 3 for _ in range(200)
    ]
    cells += ["-0", "-0.0", "007", "0.1", "1" * 300]
    out = _builder(cells).add_float("latitude", 0)
    assert [repr(v) for v in out] == [repr(parse_number(c)) for c in cells]


@FUZZ
@given(cells=st.lists(IDISH, min_size=1, max_size=30), required=st.booleans())
def test_ids_read_as_before(cells: list[str], required: bool) -> None:
    fast, slow = _builder(cells), _reference_builder(cells)
    out = fast.add_id("native_id", 0, required=required)
    expected = slow.add_id("native_id", 0, required=required)
    assert out == expected == [clean_id(c) for c in cells]
    assert fast.problems == slow.problems
    assert fast.warnings == slow.warnings
    mangled = [(n + 2, clean_id(c)) for n, c in enumerate(cells) if is_excel_mangled_id(c)]
    assert fast.warnings == ([excel_id_warning("c", mangled)] if mangled else [])
    frame_fast, _ = fast.frame_and_rejections("request")
    frame_slow, _ = slow.frame_and_rejections("request")
    pd.testing.assert_frame_equal(frame_fast, frame_slow)


@FUZZ
@given(cells=st.lists(TEXTISH, min_size=1, max_size=30))
def test_texts_read_as_before(cells: list[str]) -> None:
    fast, slow = _builder(cells), _reference_builder(cells)
    out = fast.add_text("category", 0, str.strip)
    assert out == [c.strip() if c.strip() else None for c in cells]
    assert out == slow.add_text("category", 0, str.strip)
    frame_fast, _ = fast.frame_and_rejections("request")
    frame_slow, _ = slow.frame_and_rejections("request")
    pd.testing.assert_frame_equal(frame_fast, frame_slow)


def test_a_list_changed_by_the_importer_is_the_one_stored() -> None:
    rows = _builder(["a", "b", "c"])
    texts = rows.add_text("category", 0)
    texts[1] = "changed"
    frame, _ = rows.frame_and_rejections("request")
    assert frame["category"].tolist() == ["a", "changed", "c"]


@pytest.mark.parametrize("timezone", ZONES)
def test_required_dates_reject_blank_cells(timezone: str) -> None:
    cells = ["01/02/2024 10:00:00 AM", " \u2028", "x", "01/02/2024 10:00:00 AM "]
    fast, slow = _builder(cells), _reference_builder(cells)
    for rows in (fast, slow):
        rows.add_datetime("created_at", 0, FORMATS, timezone, expected="MM/JJ/AAAA", required=True)
    assert fast.problems == slow.problems
    assert set(fast.problems) == {1, 2}
    pd.testing.assert_series_equal(fast.columns["created_at"], slow.columns["created_at"])


def test_fixed_layouts_are_only_unambiguous_formats() -> None:
    assert parsing._fixed_layout("%m/%d/%Y %I:%M:%S %p") is not None
    assert parsing._fixed_layout("%Y-%m-%dT%H:%M:%S.%f") is not None
    for fmt in ("%Y%m%d", "%d %B %Y", "%Y-%m-%dT%H:%M:%S%z", "%I:%M", "%H:%M %p", "%j/%Y"):
        assert parsing._fixed_layout(fmt) is None, fmt


@FUZZ
@given(st.lists(st.text(alphabet=["a", "é", "’", "\u3000", "\u2028", "\x85", "\xa0", " ", "\t", "\x1c", "✓", "\u1680", "\u205f"], max_size=4), max_size=30))  # fmt: skip
def test_whitespace_at_the_edges_is_str_isspace(texts: list[str]) -> None:
    for cells in (pa.array(texts, pa.string()), pa.array([t.encode() for t in texts], pa.binary())):
        first = [bool(t) and t[0].isspace() for t in texts]
        last = [bool(t) and t[-1].isspace() for t in texts]
        assert parsing._first_is_space(cells).tolist() == first
        assert parsing._last_is_space(cells).tolist() == last
    if texts:
        sliced = pa.array(["x", *texts], pa.string()).slice(1)
        assert parsing._first_is_space(sliced).tolist() == [
            bool(t) and t[0].isspace() for t in texts
        ]


def test_every_whitespace_character_is_known() -> None:
    assert [chr(c) for c in range(0x110000) if chr(c).isspace()] == parsing._SPACES
