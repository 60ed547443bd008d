"""Alembic environment: runs Parvis' migrations on the connection the app hands over."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from store.models import Base, schema_comparison_filter

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=schema_comparison_filter(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=schema_comparison_filter(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
