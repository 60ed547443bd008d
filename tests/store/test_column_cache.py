"""The columns kept in memory (services.column_cache, store.columns): the Synthèse and its key
sentences equal the database's on the demo commune, whole-table reads by chunks, instants read
exactly, and the cache follows the data version and loads in the background."""

import time
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from metrics.period import Period
from services import column_cache, imports, views
from services.brief import sentence_facts
from services.imports import load_demo
from services.synthesis import synthesis
from store import columns as store_columns
from store import repository
from store.db import new_engine
from store.models import ServiceRequest
from store.repository import ALL, Selection
from tests.conftest import imported_rows, sqlite_url
from tests.store.test_aggregates import request, stored

DEMO_END = date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _fresh_cache():
    column_cache.forget()
    column_cache.enable_background_loading(False)
    yield
    column_cache.enable_background_loading(False)
    column_cache.forget()


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    from store.db import migrate

    engine = new_engine(sqlite_url(tmp_path_factory.mktemp("demo-columns")))
    migrate(engine)
    load_demo(engine, end=DEMO_END)
    yield engine
    engine.dispose()


def _periods() -> list[Period]:
    return [
        Period(date(2026, 10, 1), date(2026, 10, 31), "Europe/Paris"),
        Period(date(2026, 9, 1), date(2026, 9, 30), "Europe/Paris"),
        Period(date(2026, 7, 14), date(2026, 8, 20), "Europe/Paris"),
        Period(date(2026, 10, 5), date(2026, 10, 11), "Europe/Paris"),
    ]


def _selections(columns: column_cache.Columns) -> list[Selection]:
    districts = list(columns.requests["district"].cat.categories[:2])
    categories = list(columns.requests["category"].cat.categories[:1])
    channels = list(columns.requests["channel"].cat.categories[:1])
    platforms = list(columns.publications["platform"].cat.categories[:1])
    return [
        ALL,
        Selection(districts=tuple(districts)),
        Selection(categories=tuple(categories), channels=tuple(channels)),
        Selection(platforms=tuple(platforms)),
        Selection(districts=("Aucun quartier de ce nom",)),
    ]


def test_synthesis_from_memory_equals_the_database_on_the_demo(demo_engine):
    columns = column_cache.warm(demo_engine)
    assert len(columns.requests) > 1000 and len(columns.messages) > 1000
    assert len(columns.publications) > 100
    for period in _periods():
        for selection in _selections(columns):
            column_cache.forget()
            from_database = synthesis(demo_engine, period, selection)
            facts_database = sentence_facts(demo_engine, period, selection, from_database)
            column_cache.warm(demo_engine)
            from_memory = synthesis(demo_engine, period, selection)
            assert from_memory == from_database, (period, selection)
            facts_memory = sentence_facts(demo_engine, period, selection, from_memory)
            assert facts_memory.acknowledged_share == facts_database.acknowledged_share
    # Not a vacuous comparison: the demo month has figures on every side.
    october = synthesis(demo_engine, _periods()[0])
    assert october.current["requests_received"] > 0
    assert october.current["messages_received"] > 0
    assert october.current["publications"] > 0
    assert october.weakest["category"] is not None


def test_demandes_page_from_memory_equals_the_database_on_the_demo(demo_engine):
    assert set(views.REQUEST_PAGE_COLUMNS) <= set(column_cache.REQUEST_COLUMNS)
    columns = column_cache.warm(demo_engine)
    for period in _periods()[:3]:
        for selection in _selections(columns)[:3]:
            column_cache.forget()
            from_database = views.requests_view(demo_engine, period, selection)
            column_cache.warm(demo_engine)
            from_memory = views.requests_view(demo_engine, period, selection)
            assert from_memory.figures == from_database.figures, (period, selection)
            for name in ("flows", "backlog", "aging", "within_target", "requests"):
                pd.testing.assert_frame_equal(
                    getattr(from_memory, name), getattr(from_database, name)
                )
            for by, breakdown in from_database.breakdowns.items():
                pd.testing.assert_frame_equal(from_memory.breakdowns[by].groups, breakdown.groups)
            assert from_memory.sources == from_database.sources
    assert len(from_memory.requests) > 0


def test_whole_table_reads_by_chunks_equal_one_read(demo_engine, monkeypatch):
    names = column_cache.REQUEST_COLUMNS
    whole = store_columns.table_columns(demo_engine, "request", names)
    monkeypatch.setattr(store_columns, "CHUNK_IDS", 97)
    chunked = store_columns.table_columns(demo_engine, "request", names)
    pd.testing.assert_frame_equal(chunked, whole)
    assert isinstance(whole["category"].dtype, pd.CategoricalDtype)
    loaded = repository.load_requests(
        demo_engine, pd.Timestamp("1970-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC")
    )
    assert len(whole) == len(loaded)


def test_an_empty_store_gives_empty_columns(engine):
    columns = column_cache.load_columns(engine)
    assert columns.requests.empty and columns.messages.empty and columns.publications.empty
    period = _periods()[0]
    from_database = synthesis(engine, period)
    column_cache.warm(engine)
    from_memory = synthesis(engine, period)
    assert from_memory == from_database
    assert from_memory.current["requests_received"] == 0
    assert from_memory.current["median_resolution_hours"] is None


instants = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2199, 12, 31)).map(
        lambda value: pd.Timestamp(value, tz="UTC")
    ),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.lists(st.tuples(instants, instants), min_size=1, max_size=12))
def test_instants_are_read_to_the_microsecond(engine, values):
    stored(engine, [request(created, closed) for created, closed in values])
    with engine.connect() as connection:
        expected = connection.execute(
            select(ServiceRequest.created_at, ServiceRequest.closed_at).order_by(ServiceRequest.id)
        ).all()
    read = store_columns.table_columns(engine, "request", ("created_at", "closed_at"))
    for (created, closed), row in zip(expected, read.itertuples(index=False), strict=True):
        for stored_value, read_value in ((created, row.created_at), (closed, row.closed_at)):
            if stored_value is None:
                assert pd.isna(read_value)
            else:
                assert read_value == pd.Timestamp(stored_value, tz="UTC")


def test_the_cache_follows_the_data_version_and_loads_in_the_background(engine, monkeypatch):
    period = Period(date(2026, 10, 1), date(2026, 10, 31), "Europe/Paris")
    start = period.start_utc
    stored(engine, [request(start + pd.Timedelta(days=1), start + pd.Timedelta(days=3))])
    # A one-shot process never loads: the database answers.
    assert column_cache.ready_columns(engine) is None
    assert not column_cache.loading(engine)

    column_cache.enable_background_loading()
    # A small database is not copied, and no load is started for it.
    assert column_cache.ready_columns(engine) is None
    assert not column_cache.loading(engine)

    monkeypatch.setenv(column_cache.MIN_ROWS_ENV, "0")
    monkeypatch.setattr(column_cache, "BACKGROUND_DELAY_SECONDS", 0.2)
    column_cache.forget(engine)
    assert column_cache.ready_columns(engine) is None
    assert column_cache.loading(engine)  # scheduled, the page is served by the database
    columns = _wait_for_columns(engine)
    assert columns.version == repository.data_version(engine)
    assert len(columns.requests) == 1

    # An import moves the data version: the copy is stale, and refreshed with its rows.
    rows = [{"source": "grc", "native_id": f"new{i}", "created_at": start} for i in range(2)]
    _applied(engine, "request", rows, "e")
    assert column_cache.ready_columns(engine) is None
    columns = _wait_for_columns(engine)
    assert len(columns.requests) == 3
    assert synthesis(engine, period).current["requests_received"] == 3


def _wait_for_columns(engine) -> column_cache.Columns:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        columns = column_cache.ready_columns(engine)
        if columns is not None:
            return columns
        time.sleep(0.05)
    raise AssertionError("les colonnes n'ont pas été chargées en 60 s")


def _applied(engine, kind: str, rows: list[dict], sha: str) -> int:
    return imported_rows(engine, kind, rows, sha).import_id


def _plain(columns: column_cache.Columns) -> list[pd.DataFrame]:
    """The copy's frames with texts as text, in id order: what must not depend on the path."""
    frames = []
    for frame in (columns.requests, columns.messages, columns.publications):
        texts = {n: "str" for n in frame.columns if isinstance(frame[n].dtype, pd.CategoricalDtype)}
        frames.append(frame.astype(texts).sort_index())
    return frames


def test_a_refresh_after_imports_reads_their_rows_only_and_equals_a_full_load(engine, monkeypatch):
    day = pd.Timestamp("2026-10-05 08:00", tz="UTC")
    requests = [
        {"source": "grc", "native_id": str(i), "created_at": day, "category": "Voirie"}
        for i in range(3)
    ]
    messages = [
        {"channel": "facebook", "native_id": f"m{i}", "sent_at": day, "is_staff": False}
        for i in range(2)
    ]
    _applied(engine, "request", requests, "a")
    _applied(engine, "message", messages, "b")
    before = column_cache.load_columns(engine)

    read: list = []
    original = column_cache.table_columns

    def recorded(engine, kind, names, imports=None):
        read.append((kind, imports))
        return original(engine, kind, names, imports)

    monkeypatch.setattr(column_cache, "table_columns", recorded)
    changed = [{**requests[1], "category": "Propreté"}, {**requests[0], "native_id": "9"}]
    second = _applied(engine, "request", [requests[0], *changed, requests[2]], "c")
    third = _applied(engine, "message", [{**messages[0], "native_id": "m7"}], "d")
    refreshed = column_cache.load_columns(engine, before)
    assert read == [
        ("request", {second, third}),
        ("message", {second, third}),
        ("publication", {second, third}),
    ]
    monkeypatch.setattr(column_cache, "table_columns", original)
    full = column_cache.load_columns(engine)
    assert refreshed.version == full.version == repository.data_version(engine)
    assert refreshed.imports == full.imports
    for mine, theirs in zip(_plain(refreshed), _plain(full), strict=True):
        pd.testing.assert_frame_equal(mine, theirs)
    categories = refreshed.requests["category"].astype("str").tolist()
    assert sorted(categories) == ["Propreté", "Voirie", "Voirie", "Voirie"]

    # An undo removes rows: only a whole load can tell, and it is the one made.
    imports.undo(engine, second, "test")
    read.clear()
    monkeypatch.setattr(column_cache, "table_columns", recorded)
    after_undo = column_cache.load_columns(engine, refreshed)
    assert {imports_ for _, imports_ in read} == {None}
    monkeypatch.setattr(column_cache, "table_columns", original)
    for mine, theirs in zip(
        _plain(after_undo), _plain(column_cache.load_columns(engine)), strict=True
    ):
        pd.testing.assert_frame_equal(mine, theirs)
    assert len(after_undo.requests) == 3
