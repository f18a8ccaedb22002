"""Held (parked) carts of a shift, returns without the original receipt and each store's limit for them.

Revision ID: 0018_held_sales
Revises: 0017_discounts
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_held_sales'
down_revision = '0017_discounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('open_return_limits',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('limit_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('limit_fen >= 0', name=op.f('ck_open_return_limits_limit_not_negative')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_open_return_limits_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', name=op.f('pk_open_return_limits'))
    )
    op.create_table('held_sales',
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('cashier_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('lines', sa.Text(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('approver_id', sa.Uuid(), nullable=True),
    sa.Column('parked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(status = 'parked') = (ended_at IS NULL)", name=op.f('ck_held_sales_ended_unless_parked')),
    sa.CheckConstraint("status IN ('parked', 'recalled', 'discarded')", name=op.f('ck_held_sales_status_known')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_held_sales_approver_id_users')),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], name=op.f('fk_held_sales_cashier_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_held_sales_ended_by_id_users')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_held_sales_shift_id_shifts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_held_sales_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_sales'))
    )
    with op.batch_alter_table('held_sales', schema=None) as batch_op:
        batch_op.create_index('ix_held_sales_shift_status', ['shift_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_sales_store_id'), ['store_id'], unique=False)

    op.create_table('open_returns',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('cashier_id', sa.Uuid(), nullable=False),
    sa.Column('approver_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('list_price_fen', sa.Integer(), nullable=False),
    sa.Column('unit_price_fen', sa.Integer(), nullable=False),
    sa.Column('refund_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_open_returns_qty_positive')),
    sa.CheckConstraint('refund_fen = unit_price_fen * qty', name=op.f('ck_open_returns_refund_matches')),
    sa.CheckConstraint('unit_price_fen >= 0 AND unit_price_fen <= list_price_fen', name=op.f('ck_open_returns_price_within_list')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_open_returns_approver_id_users')),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], name=op.f('fk_open_returns_cashier_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_open_returns_item_id_items')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_open_returns_shift_id_shifts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_open_returns_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_returns')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_open_returns_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_open_returns_number'))
    )
    with op.batch_alter_table('open_returns', schema=None) as batch_op:
        batch_op.create_index('ix_open_returns_returned_at', ['returned_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_open_returns_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_open_returns_store_id'), ['store_id'], unique=False)



def downgrade():
    with op.batch_alter_table('open_returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_returns_store_id'))
        batch_op.drop_index(batch_op.f('ix_open_returns_shift_id'))
        batch_op.drop_index('ix_open_returns_returned_at')

    op.drop_table('open_returns')
    with op.batch_alter_table('held_sales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_sales_store_id'))
        batch_op.drop_index('ix_held_sales_shift_status')

    op.drop_table('held_sales')
    op.drop_table('open_return_limits')
