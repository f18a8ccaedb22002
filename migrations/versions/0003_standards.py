"""The central check: standard versions, N/A decisions, daily facts, refresh state and score snapshots.

Revision ID: 0003_standards
Revises: 0002_projects
"""
from alembic import op
import sqlalchemy as sa

revision = '0003_standards'
down_revision = '0002_projects'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'standards_versions',
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=True),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_by', sa.String(length=64), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('version'),
    )
    with op.batch_alter_table('standards_versions', schema=None) as batch_op:
        batch_op.create_index('uq_standards_versions_one_draft', ['status'], unique=True,
                              sqlite_where=sa.text("status = 'draft'"), postgresql_where=sa.text("status = 'draft'"))
    op.create_table(
        'standards_not_applicable',
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('rule_id', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('decided_by', sa.String(length=64), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id']),
        sa.PrimaryKeyConstraint('store_id', 'rule_id'),
    )
    op.create_table(
        'standards_daily_facts',
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('open_days', sa.BigInteger(), nullable=False),
        sa.Column('shift_minutes', sa.BigInteger(), nullable=False),
        sa.Column('staffed_days', sa.BigInteger(), nullable=False),
        sa.Column('shifts_closed', sa.BigInteger(), nullable=False),
        sa.Column('shifts_reconciled', sa.BigInteger(), nullable=False),
        sa.Column('sales', sa.BigInteger(), nullable=False),
        sa.Column('voids', sa.BigInteger(), nullable=False),
        sa.Column('reversals', sa.BigInteger(), nullable=False),
        sa.Column('reversals_approved', sa.BigInteger(), nullable=False),
        sa.Column('sale_lines', sa.BigInteger(), nullable=False),
        sa.Column('sale_lines_fund', sa.BigInteger(), nullable=False),
        sa.Column('overrides', sa.BigInteger(), nullable=False),
        sa.Column('overrides_approved', sa.BigInteger(), nullable=False),
        sa.Column('expired_out', sa.BigInteger(), nullable=False),
        sa.Column('donations', sa.BigInteger(), nullable=False),
        sa.Column('donations_two_person', sa.BigInteger(), nullable=False),
        sa.Column('intake_lines', sa.BigInteger(), nullable=False),
        sa.Column('intake_lines_complete', sa.BigInteger(), nullable=False),
        sa.Column('food_lines', sa.BigInteger(), nullable=False),
        sa.Column('food_lines_expiry', sa.BigInteger(), nullable=False),
        sa.Column('prohibited_lines', sa.BigInteger(), nullable=False),
        sa.Column('dists', sa.BigInteger(), nullable=False),
        sa.Column('dists_signed', sa.BigInteger(), nullable=False),
        sa.Column('credits', sa.BigInteger(), nullable=False),
        sa.Column('credits_shift', sa.BigInteger(), nullable=False),
        sa.Column('credits_shift_ok', sa.BigInteger(), nullable=False),
        sa.Column('credits_rule', sa.BigInteger(), nullable=False),
        sa.Column('credits_landed', sa.BigInteger(), nullable=False),
        sa.Column('credits_landed_published', sa.BigInteger(), nullable=False),
        sa.Column('credits_approved', sa.BigInteger(), nullable=False),
        sa.Column('credits_breach', sa.BigInteger(), nullable=False),
        sa.Column('redemptions', sa.BigInteger(), nullable=False),
        sa.Column('audit_events', sa.BigInteger(), nullable=False),
        sa.Column('audit_gaps', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id']),
        sa.PrimaryKeyConstraint('store_id', 'day'),
    )
    with op.batch_alter_table('standards_daily_facts', schema=None) as batch_op:
        batch_op.create_index('ix_standards_daily_facts_day', ['day'], unique=False)
    op.create_table(
        'standards_refresh_state',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    op.create_table(
        'standards_scores',
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('total', sa.Float(), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=False),
        sa.Column('categories', sa.JSON(), nullable=False),
        sa.Column('red_lines', sa.JSON(), nullable=False),
        sa.Column('functions', sa.JSON(), nullable=False),
        sa.Column('next_star', sa.JSON(), nullable=True),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('store_id', 'version', 'as_of', name='uq_standards_scores_store_version_day'),
    )
    with op.batch_alter_table('standards_scores', schema=None) as batch_op:
        batch_op.create_index('ix_standards_scores_as_of', ['as_of', 'version'], unique=False)


def downgrade():
    op.drop_table('standards_scores')
    op.drop_table('standards_refresh_state')
    op.drop_table('standards_daily_facts')
    op.drop_table('standards_not_applicable')
    op.drop_table('standards_versions')
