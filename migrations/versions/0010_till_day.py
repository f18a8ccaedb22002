"""The till for a whole day: the store's phone, printed on its receipts; the store's shift-close variance limit.

Revision ID: 0010_till_day
Revises: 0009_oversight
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_till_day'
down_revision = '0009_oversight'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), server_default='', nullable=False))
    with op.batch_alter_table('till_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variance_limit_fen', sa.Integer(), server_default='1000', nullable=False))


def downgrade():
    with op.batch_alter_table('till_settings', schema=None) as batch_op:
        batch_op.drop_column('variance_limit_fen')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('phone')
