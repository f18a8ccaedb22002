"""Weighed goods: items sold by weight (price per kg, stock in grams) and the grams of a weighed sale line.

Revision ID: 0020_weighed
Revises: 0019_till_donations
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_weighed'
down_revision = '0019_till_donations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sold_by_weight', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_items_weighed_not_redeemable'),
                                         'NOT sold_by_weight OR points_price IS NULL')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight_g', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_sale_lines_weighed_line_shape'),
                                         'weight_g IS NULL OR (weight_g <> 0 AND qty IN (1, -1))')


def downgrade():
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_sale_lines_weighed_line_shape'), type_='check')
        batch_op.drop_column('weight_g')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_items_weighed_not_redeemable'), type_='check')
        batch_op.drop_column('sold_by_weight')
