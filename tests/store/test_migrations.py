"""Migrations create the schema the models describe, on SQLite and PostgreSQL, idempotently."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from ingest.canonical import SCHEMAS
from store.db import migrate
from store.models import MODEL_BY_KIND, Base, schema_comparison_filter


def test_migrated_schema_matches_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_object": schema_comparison_filter(connection.dialect.name)},
        )
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_twice_is_harmless(engine):
    migrate(engine)
    assert inspect(engine).has_table("imports")


def test_models_hold_every_canonical_column():
    for kind, model in MODEL_BY_KIND.items():
        columns = set(model.__table__.columns.keys())
        assert set(SCHEMAS[kind]) <= columns, kind
        assert {"id", "import_id", "created_import_id"} <= columns


def test_postgresql_hands_out_row_ids_a_thousand_at_a_time(engine):
    """A COPY takes each row's id from its table's sequence: cached, not one update per row."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        caches = dict(
            connection.execute(text("SELECT sequencename, cache_size FROM pg_sequences")).all()
        )
    for table in ("publications", "messages", "requests", "audience"):
        assert caches[f"{table}_id_seq"] == 1000, table
    assert caches["imports_id_seq"] == 1  # imports keep their order of arrival
