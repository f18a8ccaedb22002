"""Sunshine charity: versioned monthly disclosures, donation trace tokens and the donor's consent to be named.

Revision ID: 0006_disclosure
Revises: 0005_flags
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_disclosure'
down_revision = '0005_flags'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disclosures',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('figures_sha256', sa.String(length=64), nullable=False),
    sa.Column('chain_head_hash', sa.String(length=64), nullable=False),
    sa.Column('chain_event_count', sa.Integer(), nullable=False),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('closed_by_name', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.Uuid(), nullable=True),
    sa.Column('review_status', sa.String(length=16), nullable=False),
    sa.Column('review_note', sa.String(length=500), nullable=False),
    sa.Column('reviewed_by_name', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_disclosures_store_id_stores')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['disclosures.id'], name=op.f('fk_disclosures_supersedes_id_disclosures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures')),
    sa.UniqueConstraint('store_id', 'month', 'version', name='uq_disclosures_store_month_version')
    )
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.create_index('ix_disclosures_month_status', ['month', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosures_store_id'), ['store_id'], unique=False)

    op.create_table('donation_trace_tokens',
    sa.Column('donation_id', sa.Uuid(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_trace_tokens_donation_id_donations')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donation_trace_tokens_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_trace_tokens')),
    sa.UniqueConstraint('token', name=op.f('uq_donation_trace_tokens_token'))
    )
    with op.batch_alter_table('donation_trace_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_trace_tokens_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_trace_tokens_store_id'), ['store_id'], unique=False)

    with op.batch_alter_table('donors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_name', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('donors', schema=None) as batch_op:
        batch_op.drop_column('publish_name')
    op.drop_table('donation_trace_tokens')
    op.drop_table('disclosures')
