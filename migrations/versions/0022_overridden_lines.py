"""A partial index of the sale lines sold at an overridden price (the anomaly board's sales.override_share).

Revision ID: 0022_overridden_lines
Revises: 0021_intake_weight
"""
from alembic import op
import sqlalchemy as sa


revision = '0022_overridden_lines'
down_revision = '0021_intake_weight'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.create_index('ix_sale_lines_overridden', ['sale_id'], unique=False,
                              postgresql_where=sa.text("override_reason <> ''"),
                              sqlite_where=sa.text("override_reason <> ''"))


def downgrade():
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_lines_overridden', postgresql_where=sa.text("override_reason <> ''"),
                            sqlite_where=sa.text("override_reason <> ''"))
