"""PostgreSQL: the references from stored rows to their imports checked once per statement

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:10:00.000000
"""

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The tables whose rows name the import that created them and the one that last changed them
# (store.models.IMPORT_CHECKED_TABLES, repeated here: a migration must not change with the code).
TABLES = ('publications', 'messages', 'requests', 'audience')
COLUMNS = ('import_id', 'created_import_id')


def upgrade() -> None:
    # PostgreSQL checks a foreign key row by row: at a million requests the two keys to
    # imports took 12 of the COPY's 19 s. One check per statement, on the statement's new rows
    # (a transition table) against imports, keeps the same guarantee for ~0.3 s. Imports are
    # never deleted; a guard on imports keeps it so. SQLite keeps its foreign keys (checked in
    # process, they cost little there).
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        """
        CREATE FUNCTION parvis_rows_name_imports() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (
            SELECT 1 FROM new_rows n
            WHERE NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = n.import_id)
               OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = n.created_import_id)
          ) THEN
            RAISE EXCEPTION USING
              ERRCODE = 'foreign_key_violation',
              MESSAGE = format('%s : une ligne nomme un import absent de la table imports',
                               TG_TABLE_NAME);
          END IF;
          RETURN NULL;
        END $$
        """
    )
    guard = []
    for table in TABLES:
        for column in COLUMNS:
            op.execute(f'ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_fkey')
        for event in ('INSERT', 'UPDATE'):
            op.execute(
                f'CREATE TRIGGER {table}_name_imports_{event.lower()} AFTER {event} ON {table} '
                'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                'EXECUTE FUNCTION parvis_rows_name_imports()'
            )
        guard.append(
            f'EXISTS (SELECT 1 FROM {table} t JOIN gone g '
            f'ON t.import_id = g.id OR t.created_import_id = g.id)'
        )
    op.execute(
        f"""
        CREATE FUNCTION parvis_imports_still_named() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM old_rows o WHERE NOT EXISTS (
                       SELECT 1 FROM imports i WHERE i.id = o.id)) THEN
            IF EXISTS (
              WITH gone AS (SELECT o.id FROM old_rows o
                            WHERE NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = o.id))
              SELECT 1 WHERE {' OR '.join(guard)}
            ) THEN
              RAISE EXCEPTION USING
                ERRCODE = 'foreign_key_violation',
                MESSAGE = 'imports : un import encore nommé par des lignes ne peut disparaître';
            END IF;
          END IF;
          RETURN NULL;
        END $$
        """
    )
    for event in ('DELETE', 'UPDATE'):
        op.execute(
            f'CREATE TRIGGER imports_still_named_{event.lower()} AFTER {event} ON imports '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION parvis_imports_still_named()'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for event in ('delete', 'update'):
        op.execute(f'DROP TRIGGER imports_still_named_{event} ON imports')
    op.execute('DROP FUNCTION parvis_imports_still_named()')
    for table in TABLES:
        for event in ('insert', 'update'):
            op.execute(f'DROP TRIGGER {table}_name_imports_{event} ON {table}')
        for column in COLUMNS:
            op.create_foreign_key(
                f'{table}_{column}_fkey', table, 'imports', [column], ['id']
            )
    op.execute('DROP FUNCTION parvis_rows_name_imports()')
