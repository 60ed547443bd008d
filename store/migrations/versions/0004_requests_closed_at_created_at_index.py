"""requests: index on (closed_at, created_at) instead of closed_at alone

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 14:10:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The Synthèse counts received, closed and still open requests from the index alone
    # (store/aggregates.py): with created_at beside closed_at, no row has to be read. It
    # serves every query ix_requests_closed_at served, which it replaces.
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_closed_at_created_at', ['closed_at', 'created_at'], unique=False)
        batch_op.drop_index('ix_requests_closed_at')


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_closed_at', ['closed_at'], unique=False)
        batch_op.drop_index('ix_requests_closed_at_created_at')
