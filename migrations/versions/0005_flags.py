"""The anomaly board: flags, the people they are about, and the thresholds the federation edits.

Revision ID: 0005_flags
Revises: 0004_outreach
Create Date: 2026-12-05 03:29:24.752357

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_flags'
down_revision = '0004_outreach'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flag_thresholds',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_flag_thresholds'))
    )
    op.create_table('flags',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('people', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('previous_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=False),
    sa.Column('resolution_note', sa.String(length=500), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'explained', 'confirmed', 'closed')", name=op.f('ck_flags_status_known')),
    sa.CheckConstraint('severity BETWEEN 1 AND 3', name=op.f('ck_flags_severity_range')),
    sa.ForeignKeyConstraint(['previous_id'], ['flags.id'], name=op.f('fk_flags_previous_id_flags')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_flags_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_flags_fingerprint'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_kind_subject', ['kind', 'subject'], unique=False)
        batch_op.create_index('ix_flags_status_store', ['status', 'store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_store_id'), ['store_id'], unique=False)

    op.create_table('flag_people',
    sa.Column('flag_id', sa.Uuid(), nullable=False),
    sa.Column('person_type', sa.String(length=12), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_flag_people_flag_id_flags')),
    sa.PrimaryKeyConstraint('flag_id', 'person_type', 'person_id', name=op.f('pk_flag_people'))
    )
    with op.batch_alter_table('flag_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_people_person_id'), ['person_id'], unique=False)

    # The aid flags moved onto the board: their reviews were notes on flags computed each time, keyed by a
    # string the board no longer uses, so they are dropped (the audit chain keeps every aid.flag_reviewed event).
    op.drop_table('aid_flag_reviews')



def downgrade():
    op.create_table('aid_flag_reviews',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('reviewed_by', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_aid_flag_reviews'))
    )
    with op.batch_alter_table('flag_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_people_person_id'))

    op.drop_table('flag_people')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_store_id'))
        batch_op.drop_index('ix_flags_status_store')
        batch_op.drop_index('ix_flags_kind_subject')

    op.drop_table('flags')
    op.drop_table('flag_thresholds')
