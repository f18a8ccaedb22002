"""The dashboards' money in the central check's daily facts: sales income by fund and by tender.

Revision ID: 0009_oversight
Revises: 0008_city_scale
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_oversight'
down_revision = '0008_city_scale'
branch_labels = None
depends_on = None

COLUMNS = ("income_donated_fen", "income_purchased_fen", "income_other_fen", "tender_cash_fen",
           "tender_wechat_fen", "tender_alipay_fen", "tender_other_fen")


def upgrade():
    with op.batch_alter_table("standards_daily_facts", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0"))
    # The facts are a cache of the ledgers: drop them, so the next refresh (the check, or the facts job)
    # aggregates every day again with the new figures, rather than leaving 0 in the old days. Until then the
    # dashboards read those days from the ledgers.
    op.execute("DELETE FROM standards_daily_facts")
    op.execute("DELETE FROM standards_refresh_state WHERE name = 'facts'")


def downgrade():
    with op.batch_alter_table("standards_daily_facts", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
