"""store.aggregates and the columns kept in memory equal the pandas definitions on the same
rows, on SQLite and PostgreSQL: hand-made edge cases (bounds, anomalies, missing dates,
selections), random sets, and the Synthèse figures and weakest groups built on them."""

from collections import Counter
from datetime import date
from itertools import count

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from ingest.canonical import conform
from metrics import requests as figures
from metrics.period import Period
from metrics.requests import UNKNOWN_GROUP, requests_breakdown, weakest_group
from metrics.synthesis import synthesis_figures
from services.column_cache import load_columns
from services.sections import section_options
from services.settings import save_minimum_group_size
from services.synthesis import (
    BREAKDOWN_COLUMNS,
    MESSAGE_COLUMNS,
    PUBLICATION_COLUMNS,
    period_figures,
    weakest_groups,
)
from store import aggregates, repository
from store.models import ServiceRequest
from store.repository import ALL, Selection

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31), "Europe/Paris")
START, END = OCTOBER.start_utc, OCTOBER.end_utc
US = pd.Timedelta(microseconds=1)
DAY = pd.Timedelta(days=1)
_ids = count()

# Instants where a wrong comparison (< for <=, a NULL taken as a date) changes a count.
EDGES = [
    START - 400 * DAY,
    START - 20 * DAY,
    START - US,
    START,
    START + US,
    START + 3 * DAY + 7 * US,
    START + 17 * DAY,
    END - US,
    END,
    END + US,
    END + 9 * DAY,
    END + 300 * DAY,
]
DISTRICTS = [None, "Nord", "Sud", UNKNOWN_GROUP]
CATEGORIES = [None, "Voirie", "Bruit"]
CHANNELS = [None, "web", "téléphone"]
SERVICES = [None, "Propreté", "Voirie"]
SELECTIONS = [
    ALL,
    Selection(districts=("Nord",)),
    Selection(districts=("Nord", UNKNOWN_GROUP), categories=("Voirie",)),
    Selection(channels=("web",), services=("Propreté", "Voirie")),
    Selection(platforms=("facebook",)),  # not a request filter: every request stays
]


def stored(engine, rows: list[dict]) -> pd.DataFrame:
    """Replace the stored requests by ``rows`` (through the import path) and return them as
    the canonical frame the pandas definitions read."""
    with engine.begin() as connection:
        connection.execute(delete(ServiceRequest))
    frame = conform(
        pd.DataFrame(
            [{"source": "grc", "native_id": str(next(_ids)), **row} for row in rows],
            columns=["source", "native_id", *(rows[0] if rows else {})],
        ),
        "request",
    )
    if rows:
        outcome = repository.apply_import(
            engine,
            kind="request",
            format_id="nyc311",
            frame=frame,
            rows_read=len(frame),
            rejections=[],
            file_name="demandes.csv",
            sha256=f"{next(_ids):064d}",
            user="test",
            timezone="Europe/Paris",
        )
        assert outcome.inserted == len(rows)
    return frame


def within(frame: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The rows of ``selection``, filtered in pandas (a missing value matches no filter)."""
    keep = pd.Series(True, index=frame.index)
    for column, values in (
        ("district", selection.districts),
        ("category", selection.categories),
        ("channel", selection.channels),
        ("service", selection.services),
    ):
        if values:
            keep &= frame[column].isin(values).fillna(False).astype(bool)
    return frame.loc[keep]


def expected_counts(frame: pd.DataFrame, period: Period = OCTOBER) -> dict[str, int]:
    return {
        "requests_received": figures.requests_received(frame, period),
        "requests_closed": figures.requests_closed(frame, period),
        "open_backlog": figures.open_backlog(frame, period.end_utc),
    }


def expected_open(frame: pd.DataFrame, at: pd.Timestamp, by: str) -> dict:
    created, closed = frame["created_at"], frame["closed_at"]
    still_open = (created < at) & (closed.isna() | (closed >= at))
    keys = frame.loc[still_open.fillna(False).astype(bool), by]
    return dict(Counter(None if pd.isna(key) else key for key in keys))


def reference_weakest(engine, period: Period, selection: Selection) -> dict:
    """weakest_groups as it was before store.aggregates: every row the period needs, loaded."""
    options = section_options(engine, period.timezone)
    requests = repository.load_requests(
        engine, period.start_utc, period.end_utc, selection, BREAKDOWN_COLUMNS
    )
    weakest: dict = {"minimum_size": options.minimum_group_size}
    for by in ("category", "district"):
        breakdown = requests_breakdown(
            requests,
            period,
            by=by,
            minimum_size=options.minimum_group_size,
            calendar=options.calendar,
            targets=options.targets,
        )
        weakest[by] = weakest_group(breakdown)
    return weakest


def reference_figures(engine, period: Period, selection: Selection) -> dict:
    """period_figures as it was before store.aggregates: the requests loaded with the backlog."""
    start, end = period.start_utc, period.end_utc
    return synthesis_figures(
        repository.load_publications(engine, start, end, selection, PUBLICATION_COLUMNS),
        repository.load_messages(engine, start, end, selection, MESSAGE_COLUMNS),
        repository.load_requests(engine, start, end, selection, ("created_at", "closed_at")),
        period,
    )


def check_everything(engine, frame: pd.DataFrame, selection: Selection) -> None:
    mine = within(frame, selection)
    assert aggregates.request_counts(engine, START, END, selection) == expected_counts(mine)

    closed = aggregates.closed_requests(engine, START, END, selection)
    assert len(closed) == figures.requests_closed(mine, OCTOBER)
    assert figures.median_resolution_hours(closed, OCTOBER) == figures.median_resolution_hours(
        mine, OCTOBER
    )

    read = aggregates.received_or_closed_requests(engine, START, END, selection)
    flows = OCTOBER.contains(mine["created_at"]) | OCTOBER.contains(mine["closed_at"])
    assert len(read) == int(flows.sum())

    still_open = aggregates.open_requests(engine, END, selection, ("category", "district"))
    for by in ("category", "district"):
        assert still_open.counts[by] == expected_open(mine, END, by)

    assert period_figures(engine, OCTOBER, selection) == reference_figures(
        engine, OCTOBER, selection
    )
    assert weakest_groups(engine, OCTOBER, selection) == reference_weakest(
        engine, OCTOBER, selection
    )
    # The same figures from the copy of the columns in memory (services.column_cache).
    columns = load_columns(engine)
    assert period_figures(engine, OCTOBER, selection, columns) == reference_figures(
        engine, OCTOBER, selection
    )
    assert weakest_groups(engine, OCTOBER, selection, columns) == reference_weakest(
        engine, OCTOBER, selection
    )


def request(created, closed, district=None, category=None, channel=None, service=None, due=None):
    return {
        "created_at": created,
        "closed_at": closed,
        "due_at": due,
        "district": district,
        "category": category,
        "channel": channel,
        "service": service,
    }


# (created_at, closed_at, what the pandas definitions make of it)
EDGE_CASES = [
    (START, None, "created at the first instant: received, still open"),
    (END, None, "created at the end instant: neither received nor open"),
    (END - US, None, "created at the last microsecond: received, open"),
    (START - US, START, "closed at the first instant: closed, not received"),
    (START - 20 * DAY, END, "closed at the end instant: still open at the end"),
    (START - 20 * DAY, END - US, "closed at the last microsecond: closed"),
    (START - 20 * DAY, START - US, "closed just before: nothing"),
    (START + 3 * DAY, START - 2 * DAY, "closed before created, before the period: received"),
    (START + 5 * DAY, START + 2 * DAY, "closed before created, both inside: no negative delay"),
    (END + 2 * DAY, START + 2 * DAY, "created after the period, closed inside: closed only"),
    (None, START + 2 * DAY, "no creation date, closed inside: closed only"),
    (None, None, "no date at all: nothing"),
    (START - 400 * DAY, None, "old and never closed: open"),
    (START - 400 * DAY, END + 30 * DAY, "closed after the period: open at its end"),
    (START + DAY, START + DAY + 36 * pd.Timedelta(hours=1), "received and closed: 36 h"),
]


def test_edge_cases_count_as_the_pandas_definitions(engine):
    rows = [request(created, closed) for created, closed, _ in EDGE_CASES]
    frame = stored(engine, rows)
    counts = aggregates.request_counts(engine, START, END)
    assert counts == expected_counts(frame)
    # Written out, so that the check above cannot agree with a wrong pandas definition.
    assert counts == {"requests_received": 5, "requests_closed": 6, "open_backlog": 5}
    assert figures.median_resolution_hours(
        aggregates.closed_requests(engine, START, END), OCTOBER
    ) == figures.median_resolution_hours(frame, OCTOBER)
    check_everything(engine, frame, ALL)


@pytest.mark.parametrize("selection", SELECTIONS)
def test_selection_filters_as_load_requests_does(engine, selection):
    rows = []
    for i, (created, closed, _) in enumerate(EDGE_CASES * 3):
        rows.append(
            request(
                created,
                closed,
                district=DISTRICTS[i % 4],
                category=CATEGORIES[i % 3],
                channel=CHANNELS[(i // 2) % 3],
                service=SERVICES[(i // 3) % 3],
                due=None if i % 5 else START + 4 * DAY,
            )
        )
    save_minimum_group_size(engine, 1)
    frame = stored(engine, rows)
    check_everything(engine, frame, selection)


def test_an_empty_database_counts_zero(engine):
    assert aggregates.request_counts(engine, START, END) == dict.fromkeys(
        aggregates.REQUEST_COUNT_KEYS, 0
    )
    assert aggregates.closed_requests(engine, START, END).empty
    assert aggregates.received_or_closed_requests(engine, START, END).empty
    assert aggregates.open_requests(engine, END) == aggregates.OpenRequests(
        {"category": {}, "district": {}}, None
    )
    assert weakest_groups(engine, OCTOBER) == reference_weakest(engine, OCTOBER, ALL)


def test_frames_have_the_canonical_dtypes(engine):
    frame = stored(engine, [request(START, END - US, "Nord", "Voirie", due=START + DAY)])
    read = aggregates.received_or_closed_requests(engine, START, END, ALL, BREAKDOWN_COLUMNS)
    loaded = repository.load_requests(engine, START, END, ALL, BREAKDOWN_COLUMNS)
    assert read.dtypes.to_dict() == loaded[list(BREAKDOWN_COLUMNS)].dtypes.to_dict()
    pd.testing.assert_frame_equal(read, loaded[list(BREAKDOWN_COLUMNS)])
    assert read["closed_at"].iat[0] == frame["closed_at"].iat[0]  # microseconds kept


def test_open_requests_latest_date_includes_closings_after_the_period(engine):
    stored(
        engine,
        [
            request(START - 30 * DAY, END + 200 * DAY, "Nord"),
            request(START + DAY, None, "Sud"),
            request(END + 300 * DAY, None, "Sud"),  # created after: not open at END
        ],
    )
    still_open = aggregates.open_requests(engine, END, ALL, ("district",))
    assert still_open.counts == {"district": {"Nord": 1, "Sud": 1}}
    assert still_open.latest == END + 200 * DAY


instant = st.one_of(
    st.none(),
    st.sampled_from(EDGES),
    st.integers(-60 * 24 * 3600, 90 * 24 * 3600).map(lambda s: START + pd.Timedelta(seconds=s)),
)
random_request = st.builds(
    request,
    instant,
    instant,
    st.sampled_from(DISTRICTS),
    st.sampled_from(CATEGORIES),
    st.sampled_from(CHANNELS),
    st.sampled_from(SERVICES),
    instant,
)


@settings(
    max_examples=40,
    deadline=None,
    # One migrated database per test; each example replaces every stored request.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(random_request, max_size=40), selection=st.sampled_from(SELECTIONS))
def test_random_requests_count_as_the_pandas_definitions(engine, rows, selection):
    save_minimum_group_size(engine, 2)
    frame = stored(engine, rows)
    check_everything(engine, frame, selection)


def test_filter_values_equal_one_distinct_per_column(engine):
    stored(
        engine,
        [
            request(START, None, "Nord", "Voirie", "web", "Voirie"),
            request(START, None, "Sud", "Voirie", None, "Propreté"),
            request(START, None, "Nord", "Éclairage", "courrier", None),
            request(START, None, "  ", None, "web", "Voirie"),
        ],
    )
    columns = ("district", "category", "channel", "service")
    values = aggregates.filter_values(engine, "request", columns)
    assert {column: set(found) for column, found in values.items()} == {
        column: set(repository.distinct_values(engine, "request", column)) for column in columns
    }
    assert values["category"] == ["Éclairage", "Voirie"]  # French order, whatever the collation
    assert values["district"] == ["Nord", "Sud"]  # blank and missing values are no choice
    assert aggregates.filter_values(engine, "publication", ("platform",)) == {"platform": []}


def test_latest_instant_equals_the_one_of_the_full_load(engine):
    from metrics.targets import latest_instant

    stored(engine, [request(created, closed) for created, closed, _ in EDGE_CASES])
    columns = ("created_at", "closed_at")
    for selection in (ALL, Selection(districts=("Nord",))):
        full = repository.load_requests(engine, START, END, selection, columns)
        assert aggregates.latest_request_instant(
            engine, START, END, selection, columns
        ) == latest_instant(full, columns)
