"""City scale: indexes for the time windows the oversight pages and home figures read, a store's month of
hand-outs, and the public list's PDFs rendered once per published version.

Revision ID: 0007_city_scale
Revises: 0006_disclosure
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_city_scale'
down_revision = '0006_disclosure'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_points_entries_created_at', 'points_entries', ['created_at'], unique=False)
    op.create_index('ix_points_credits_created_at', 'points_credits', ['created_at'], unique=False)
    op.create_index('ix_distributions_store_day', 'distributions', ['store_id', 'handed_out_on'], unique=False)
    op.create_table('aid_public_pdfs',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_aid_public_pdfs_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'month', name=op.f('pk_aid_public_pdfs'))
    )


def downgrade():
    op.drop_table('aid_public_pdfs')
    op.drop_index('ix_distributions_store_day', table_name='distributions')
    op.drop_index('ix_points_credits_created_at', table_name='points_credits')
    op.drop_index('ix_points_entries_created_at', table_name='points_entries')
