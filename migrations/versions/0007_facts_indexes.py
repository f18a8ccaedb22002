"""Indexes for the central check's daily facts: one day of every store, by the time column each source is
aggregated on (without them a one-day refresh scanned the whole of sales, sale lines, shifts and donations).

Revision ID: 0007_facts_indexes
Revises: 0006_disclosure
"""
from alembic import op


revision = '0007_facts_indexes'
down_revision = '0006_disclosure'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_sales_business_date', 'sales', ['business_date'], unique=False)
    op.create_index('ix_shifts_opened_at', 'shifts', ['opened_at'], unique=False)
    op.create_index('ix_shifts_closed_at', 'shifts', ['closed_at'], unique=False)
    op.create_index('ix_donations_received_at', 'donations', ['received_at'], unique=False)
    op.create_index('ix_points_credits_occurred_at', 'points_credits', ['occurred_at'], unique=False)


def downgrade():
    op.drop_index('ix_points_credits_occurred_at', table_name='points_credits')
    op.drop_index('ix_donations_received_at', table_name='donations')
    op.drop_index('ix_shifts_closed_at', table_name='shifts')
    op.drop_index('ix_shifts_opened_at', table_name='shifts')
    op.drop_index('ix_sales_business_date', table_name='sales')
