"""Intake of weighed goods: a donation line of an item sold by weight carries its grams, valued per kg.

Revision ID: 0021_intake_weight
Revises: 0020_weighed
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_intake_weight'
down_revision = '0020_weighed'
branch_labels = None
depends_on = None

COUNTED_RULE = 'line_value_fen = qty * unit_value_fen'
LINE_VALUE_RULE = ("(weight_g IS NULL AND line_value_fen = qty * unit_value_fen) OR (weight_g IS NOT NULL AND "
                   "line_value_fen = (CAST(unit_value_fen AS BIGINT) * weight_g + 500) / 1000)")


def upgrade():
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight_g', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_donation_lines_line_value_adds_up'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_donation_lines_line_value_adds_up'), LINE_VALUE_RULE)
        batch_op.create_check_constraint(batch_op.f('ck_donation_lines_weighed_line_shape'),
                                         'weight_g IS NULL OR (weight_g > 0 AND qty = 1)')


def downgrade():
    # Weighed lines cannot be told apart once their grams are gone: the downgrade refuses while any exists.
    bind = op.get_bind()
    if bind.execute(sa.text('SELECT COUNT(*) FROM donation_lines WHERE weight_g IS NOT NULL')).scalar():
        raise RuntimeError('donation_lines has weighed lines: cannot downgrade below 0021_intake_weight')
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_donation_lines_weighed_line_shape'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_donation_lines_line_value_adds_up'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_donation_lines_line_value_adds_up'), COUNTED_RULE)
        batch_op.drop_column('weight_g')
