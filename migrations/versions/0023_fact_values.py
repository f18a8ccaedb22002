"""The dashboards' monthly trends of goods donated and aid handed out (by value) in the central check's daily facts.

Revision ID: 0023_fact_values
Revises: 0022_overridden_lines
"""
import sqlalchemy as sa
from alembic import op


revision = '0023_fact_values'
down_revision = '0022_overridden_lines'
branch_labels = None
depends_on = None

COLUMNS = ("goods_value_fen", "aid_value_fen")


def upgrade():
    with op.batch_alter_table("standards_daily_facts", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0"))
    # The facts are a cache of the ledgers (as in 0009_oversight): drop them, so the next refresh aggregates every
    # day again with the new figures; until then the dashboards read those days from the ledgers.
    op.execute("DELETE FROM standards_daily_facts")
    op.execute("DELETE FROM standards_refresh_state WHERE name = 'facts'")


def downgrade():
    with op.batch_alter_table("standards_daily_facts", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
