"""Change given to a charity project at the till (消费捐赠): one append-only row per sale.

Revision ID: 0019_till_donations
Revises: 0018_held_sales
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_till_donations'
down_revision = '0018_held_sales'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('till_donations',
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('cashier_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('project_title', sa.String(length=100), nullable=False),
    sa.Column('donated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_till_donations_amount_positive')),
    sa.CheckConstraint("kind IN ('change', 'round_up')", name=op.f('ck_till_donations_kind_known')),
    sa.CheckConstraint("method = 'cash'", name=op.f('ck_till_donations_cash_only')),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], name=op.f('fk_till_donations_cashier_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_till_donations_project_id_projects')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_till_donations_sale_id_sales')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_till_donations_shift_id_shifts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_till_donations_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_till_donations')),
    sa.UniqueConstraint('sale_id', name=op.f('uq_till_donations_sale_id'))
    )
    with op.batch_alter_table('till_donations', schema=None) as batch_op:
        batch_op.create_index('ix_till_donations_donated_at', ['donated_at'], unique=False)
        batch_op.create_index('ix_till_donations_project_id', ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_till_donations_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_till_donations_store_id'), ['store_id'], unique=False)


def downgrade():
    op.drop_table('till_donations')
