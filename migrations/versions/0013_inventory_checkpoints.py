"""Checkpoints of `flask inventory verify` (the daily run starts at the last one) and the index it reads by.

Revision ID: 0013_inventory_checkpoints
Revises: 0012_till_cash
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_inventory_checkpoints'
down_revision = '0012_till_cash'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inventory_checkpoints',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('watermark', sa.DateTime(timezone=True), nullable=False),
        sa.Column('movements', sa.BigInteger(), nullable=False),
        sa.Column('qty_sum', sa.BigInteger(), nullable=False),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('full', sa.Boolean(), nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_checkpoints'))
    )
    op.create_index('ix_stock_movements_created_qty', 'stock_movements', ['created_at', 'qty'], unique=False)


def downgrade():
    op.drop_index('ix_stock_movements_created_qty', table_name='stock_movements')
    op.drop_table('inventory_checkpoints')
