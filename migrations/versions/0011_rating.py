"""Star rating: rounds, assessments, answers with evidence, reviews, on-site checks, objections, decisions, findings.

Revision ID: 0011_rating
Revises: 0010_till_day

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_rating'
down_revision = '0010_till_day'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating_rounds',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('district_id', sa.Uuid(), nullable=True),
    sa.Column('standard_version', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('opened_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_rating_rounds_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_rounds'))
    )
    with op.batch_alter_table('rating_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_rounds_district_id'), ['district_id'], unique=False)

    op.create_table('rating_assessments',
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stars_applied', sa.Integer(), nullable=True),
    sa.Column('standard_version', sa.Integer(), nullable=False),
    sa.Column('frozen', sa.JSON(), nullable=True),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('stars_allowed', sa.Integer(), nullable=True),
    sa.Column('returned_items', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('accepted_by', sa.String(length=64), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publicity_ends', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rating_rounds.id'], name=op.f('fk_rating_assessments_round_id_rating_rounds')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_rating_assessments_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_assessments')),
    sa.UniqueConstraint('round_id', 'store_id', name='uq_rating_assessments_round_store')
    )
    with op.batch_alter_table('rating_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_rating_assessments_status', ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_assessments_store_id'), ['store_id'], unique=False)

    op.create_table('rating_answers',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('rule_id', sa.String(length=16), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('grade', sa.String(length=4), nullable=False),
    sa.Column('answered_by', sa.String(length=64), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_answers_assessment_id_rating_assessments')),
    sa.PrimaryKeyConstraint('assessment_id', 'rule_id', name=op.f('pk_rating_answers'))
    )
    op.create_table('rating_decisions',
    sa.Column('assessment_id', sa.Uuid(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=300), nullable=False),
    sa.Column('status_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reapply_after', sa.Date(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_decisions_assessment_id_rating_assessments')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_rating_decisions_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_decisions')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_rating_decisions_assessment_id')),
    sa.UniqueConstraint('number', name=op.f('uq_rating_decisions_number')),
    sa.UniqueConstraint('token', name=op.f('uq_rating_decisions_token'))
    )
    with op.batch_alter_table('rating_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_decisions_store_id'), ['store_id'], unique=False)

    op.create_table('rating_findings',
    sa.Column('assessment_id', sa.Uuid(), nullable=True),
    sa.Column('rule_id', sa.String(length=16), nullable=False),
    sa.Column('red_line', sa.String(length=8), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('response', sa.String(length=500), nullable=False),
    sa.Column('responded_by', sa.String(length=64), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=64), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_findings_assessment_id_rating_assessments')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_rating_findings_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_findings'))
    )
    with op.batch_alter_table('rating_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_findings_store_id'), ['store_id'], unique=False)

    op.create_table('rating_objections',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('answer', sa.String(length=1000), nullable=False),
    sa.Column('answered_by', sa.String(length=64), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_objections_assessment_id_rating_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_objections')),
    sa.UniqueConstraint('reference', name=op.f('uq_rating_objections_reference'))
    )
    with op.batch_alter_table('rating_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_objections_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('rating_onsite_checks',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('auditor_1', sa.String(length=64), nullable=False),
    sa.Column('auditor_2', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_onsite_checks_assessment_id_rating_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_onsite_checks')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_rating_onsite_checks_assessment_id'))
    )
    op.create_table('rating_reviews',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('rule_id', sa.String(length=16), nullable=False),
    sa.Column('store_grade', sa.String(length=4), nullable=True),
    sa.Column('grade', sa.String(length=4), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('reviewed_by', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_reviews_assessment_id_rating_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_reviews'))
    )
    with op.batch_alter_table('rating_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_rating_reviews_assessment', ['assessment_id'], unique=False)

    op.create_table('rating_evidence',
    sa.Column('assessment_id', sa.Uuid(), nullable=True),
    sa.Column('finding_id', sa.Uuid(), nullable=True),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('rule_id', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=True),
    sa.Column('height_px', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['rating_assessments.id'], name=op.f('fk_rating_evidence_assessment_id_rating_assessments')),
    sa.ForeignKeyConstraint(['finding_id'], ['rating_findings.id'], name=op.f('fk_rating_evidence_finding_id_rating_findings')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_rating_evidence_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_evidence'))
    )
    with op.batch_alter_table('rating_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_evidence_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index('ix_rating_evidence_owner', ['assessment_id', 'rule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_evidence_store_id'), ['store_id'], unique=False)

    op.create_table('rating_proposals',
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('confirmed_by', sa.String(length=64), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['rating_decisions.id'], name=op.f('fk_rating_proposals_decision_id_rating_decisions')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_rating_proposals_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_proposals')),
    sa.UniqueConstraint('key', name=op.f('uq_rating_proposals_key'))
    )
    with op.batch_alter_table('rating_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_proposals_store_id'), ['store_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rating_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_proposals_store_id'))

    op.drop_table('rating_proposals')
    with op.batch_alter_table('rating_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_evidence_store_id'))
        batch_op.drop_index('ix_rating_evidence_owner')
        batch_op.drop_index(batch_op.f('ix_rating_evidence_finding_id'))

    op.drop_table('rating_evidence')
    with op.batch_alter_table('rating_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_rating_reviews_assessment')

    op.drop_table('rating_reviews')
    op.drop_table('rating_onsite_checks')
    with op.batch_alter_table('rating_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_objections_assessment_id'))

    op.drop_table('rating_objections')
    with op.batch_alter_table('rating_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_findings_store_id'))

    op.drop_table('rating_findings')
    with op.batch_alter_table('rating_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_decisions_store_id'))

    op.drop_table('rating_decisions')
    op.drop_table('rating_answers')
    with op.batch_alter_table('rating_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_assessments_store_id'))
        batch_op.drop_index('ix_rating_assessments_status')

    op.drop_table('rating_assessments')
    with op.batch_alter_table('rating_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_rounds_district_id'))

    op.drop_table('rating_rounds')
