"""City scale: indexes for the time windows the oversight pages and home figures read, a store's month of
hand-outs, the public list's PDFs rendered once per published version, and the audit chains' checkpoints.

Revision ID: 0008_city_scale
Revises: 0007_facts_indexes
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_city_scale'
down_revision = '0007_facts_indexes'
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
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('event_hash', sa.String(length=64), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints'))
    )
    op.create_index('ix_audit_checkpoints_chain_seq', 'audit_checkpoints', ['chain', 'seq'], unique=False)


def downgrade():
    op.drop_index('ix_audit_checkpoints_chain_seq', table_name='audit_checkpoints')
    op.drop_table('audit_checkpoints')
    op.drop_table('aid_public_pdfs')
    op.drop_index('ix_distributions_store_day', table_name='distributions')
    op.drop_index('ix_points_credits_created_at', table_name='points_credits')
    op.drop_index('ix_points_entries_created_at', table_name='points_entries')
