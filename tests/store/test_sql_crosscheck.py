"""The main figures recomputed with plain SQL on the same database equal the pandas definitions.

Runs on SQLite and on PostgreSQL, over the demo commune and a period of the real NYC file.
"""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from data.demo.generate import generate_demo
from ingest.base import ImportContext
from ingest.pipeline import import_bytes
from metrics.period import Period
from services.synthesis import period_figures

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31), "Europe/Paris")


@pytest.fixture
def demo(engine, tmp_path):
    for demo_file in generate_demo(tmp_path, end=date(2026, 10, 31)):
        import_bytes(
            engine,
            demo_file.path.read_bytes(),
            demo_file.path.name,
            ImportContext(timezone=demo_file.timezone),
            user="t",
        )
    return engine


def bounds(period: Period) -> dict:
    # Stored timestamps are naive UTC: the period's UTC instants, naive.
    return {
        "start": period.start_utc.tz_localize(None).to_pydatetime(),
        "end": period.end_utc.tz_localize(None).to_pydatetime(),
    }


def scalar(engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def sql_median(engine, durations_sql: str, **params) -> float | None:
    with engine.connect() as connection:
        values = sorted(
            v.total_seconds() / 3600 if isinstance(v, timedelta) else float(v)
            for (v,) in connection.execute(text(durations_sql), params)
        )
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def hours_between(engine, later: str, earlier: str) -> str:
    # The one dialect difference: how to subtract two timestamps into hours.
    if engine.dialect.name == "sqlite":
        return f"(julianday({later}) - julianday({earlier})) * 24.0"
    return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0"


def test_synthesis_figures_equal_plain_sql(demo):
    engine, p = demo, bounds(OCTOBER)
    figures = period_figures(engine, OCTOBER)
    in_period = "{c} >= :start AND {c} < :end"

    assert figures["publications"] == scalar(
        engine, f"SELECT COUNT(*) FROM publications WHERE {in_period.format(c='published_at')}", **p
    )
    assert figures["interactions"] == scalar(
        engine,
        "SELECT SUM(COALESCE(reactions,0) + COALESCE(comments,0) + COALESCE(shares,0)) "
        f"FROM publications WHERE {in_period.format(c='published_at')}",
        **p,
    )
    reach = scalar(
        engine,
        "SELECT 1.0 * SUM(COALESCE(reactions,0) + COALESCE(comments,0) + COALESCE(shares,0)) "
        "/ SUM(reach) FROM publications WHERE reach IS NOT NULL AND "
        "(reactions IS NOT NULL OR comments IS NOT NULL OR shares IS NOT NULL) AND "
        f"{in_period.format(c='published_at')}",
        **p,
    )
    assert figures["engagement_rate_reach"] == pytest.approx(float(reach))

    resident = f"is_staff = false AND {in_period.format(c='sent_at')}"
    assert figures["messages_received"] == scalar(
        engine, f"SELECT COUNT(*) FROM messages WHERE {resident}", **p
    )
    assert figures["messages_answered"] == scalar(
        engine, f"SELECT COUNT(*) FROM messages WHERE {resident} AND replied_at IS NOT NULL", **p
    )
    assert figures["median_first_response_hours"] == pytest.approx(
        sql_median(
            engine,
            f"SELECT {hours_between(engine, 'replied_at', 'sent_at')} FROM messages "
            f"WHERE {resident} AND replied_at >= sent_at",
            **p,
        )
    )

    assert figures["requests_received"] == scalar(
        engine, f"SELECT COUNT(*) FROM requests WHERE {in_period.format(c='created_at')}", **p
    )
    assert figures["requests_closed"] == scalar(
        engine, f"SELECT COUNT(*) FROM requests WHERE {in_period.format(c='closed_at')}", **p
    )
    assert figures["open_backlog"] == scalar(
        engine,
        "SELECT COUNT(*) FROM requests WHERE created_at < :end "
        "AND (closed_at IS NULL OR closed_at >= :end)",
        **p,
    )
    assert figures["median_resolution_hours"] == pytest.approx(
        sql_median(
            engine,
            f"SELECT {hours_between(engine, 'closed_at', 'created_at')} FROM requests "
            f"WHERE {in_period.format(c='closed_at')} AND closed_at >= created_at",
            **p,
        )
    )
    assert figures["requests_received"] > 0 and figures["messages_received"] > 0


def test_the_check_is_not_vacuous(demo):
    # The same SQL on another period gives other numbers: the comparison above can fail.
    other = period_figures(demo, Period(date(2026, 9, 1), date(2026, 9, 30), "Europe/Paris"))
    assert other != period_figures(demo, OCTOBER)
    assert datetime(2026, 10, 1) < OCTOBER.end_utc.tz_localize(None).to_pydatetime()
