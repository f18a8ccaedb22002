"""Outreach: publicity events, convenience services, complaints, training, the store profile, uploads.

Revision ID: 0004_outreach
Revises: 0003_standards
Create Date: 2026-12-05 03:29:24.426455

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_outreach'
down_revision = '0003_standards'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outreach_opening_hours',
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.Time(), nullable=False),
    sa.Column('closes_at', sa.Time(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('opens_at < closes_at', name=op.f('ck_outreach_opening_hours_opens_before_closes')),
    sa.CheckConstraint('weekday >= 0 AND weekday <= 6', name=op.f('ck_outreach_opening_hours_weekday_range')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_opening_hours_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_opening_hours')),
    sa.UniqueConstraint('store_id', 'weekday', name=op.f('uq_outreach_opening_hours_store_id_weekday'))
    )
    with op.batch_alter_table('outreach_opening_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_opening_hours_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_service_types',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_service_types_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_service_types')),
    sa.UniqueConstraint('store_id', 'name', name=op.f('uq_outreach_service_types_store_id_name'))
    )
    with op.batch_alter_table('outreach_service_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_service_types_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_complaints',
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=40), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entered_by_id', sa.Uuid(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_outreach_complaints_answered_by_id_users')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_outreach_complaints_entered_by_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_complaints_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_complaints')),
    sa.UniqueConstraint('reference', name=op.f('uq_outreach_complaints_reference'))
    )
    with op.batch_alter_table('outreach_complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_complaints_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_complaints_source_hash'), ['source_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_complaints_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_publicity_events',
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('people_reached', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('people_reached >= 0', name=op.f('ck_outreach_publicity_events_people_reached_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outreach_publicity_events_created_by_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_publicity_events_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_publicity_events'))
    )
    with op.batch_alter_table('outreach_publicity_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_publicity_events_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_publicity_events_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_trainings',
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('trainer', sa.String(length=64), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_outreach_trainings_minutes_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outreach_trainings_created_by_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_trainings_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_trainings'))
    )
    with op.batch_alter_table('outreach_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_trainings_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_trainings_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_files',
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['outreach_publicity_events.id'], name=op.f('fk_outreach_files_event_id_outreach_publicity_events')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_files_store_id_stores')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_outreach_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_files'))
    )
    with op.batch_alter_table('outreach_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_files_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_files_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_files_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_service_logs',
    sa.Column('type_id', sa.Uuid(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('served_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resident_id', sa.Uuid(), nullable=True),
    sa.Column('entered_by_id', sa.Uuid(), nullable=True),
    sa.Column('idempotency_key', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('count >= 1', name=op.f('ck_outreach_service_logs_count_positive')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_outreach_service_logs_entered_by_id_users')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_outreach_service_logs_resident_id_residents')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_service_logs_store_id_stores')),
    sa.ForeignKeyConstraint(['type_id'], ['outreach_service_types.id'], name=op.f('fk_outreach_service_logs_type_id_outreach_service_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_service_logs')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outreach_service_logs_idempotency_key'))
    )
    with op.batch_alter_table('outreach_service_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_service_logs_served_at'), ['served_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_service_logs_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_service_logs_type_id'), ['type_id'], unique=False)

    op.create_table('outreach_training_attendees',
    sa.Column('training_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('resident_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (resident_id IS NULL)', name=op.f('ck_outreach_training_attendees_one_person')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_outreach_training_attendees_resident_id_residents')),
    sa.ForeignKeyConstraint(['training_id'], ['outreach_trainings.id'], name=op.f('fk_outreach_training_attendees_training_id_outreach_trainings')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outreach_training_attendees_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_training_attendees')),
    sa.UniqueConstraint('training_id', 'resident_id', name=op.f('uq_outreach_training_attendees_training_id_resident_id')),
    sa.UniqueConstraint('training_id', 'user_id', name=op.f('uq_outreach_training_attendees_training_id_user_id'))
    )
    with op.batch_alter_table('outreach_training_attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_training_attendees_training_id'), ['training_id'], unique=False)

    op.create_table('outreach_profile_items',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('file_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['outreach_files.id'], name=op.f('fk_outreach_profile_items_file_id_outreach_files')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_profile_items_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_profile_items')),
    sa.UniqueConstraint('store_id', 'kind', 'code', name=op.f('uq_outreach_profile_items_store_id_kind_code'))
    )
    with op.batch_alter_table('outreach_profile_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_profile_items_store_id'), ['store_id'], unique=False)

    op.create_table('outreach_store_profiles',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('floor_area_m2', sa.Integer(), nullable=True),
    sa.Column('legal_form', sa.String(length=16), nullable=False),
    sa.Column('operator_name', sa.String(length=100), nullable=False),
    sa.Column('agreement_file_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_file_id'], ['outreach_files.id'], name=op.f('fk_outreach_store_profiles_agreement_file_id_outreach_files')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_outreach_store_profiles_store_id_stores')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_outreach_store_profiles_updated_by_id_users')),
    sa.PrimaryKeyConstraint('store_id', name=op.f('pk_outreach_store_profiles'))
    )



def downgrade():
    op.drop_table('outreach_store_profiles')
    with op.batch_alter_table('outreach_profile_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_profile_items_store_id'))

    op.drop_table('outreach_profile_items')
    with op.batch_alter_table('outreach_training_attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_training_attendees_training_id'))

    op.drop_table('outreach_training_attendees')
    with op.batch_alter_table('outreach_service_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_service_logs_type_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_service_logs_store_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_service_logs_served_at'))

    op.drop_table('outreach_service_logs')
    with op.batch_alter_table('outreach_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_files_store_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_files_sha256'))
        batch_op.drop_index(batch_op.f('ix_outreach_files_event_id'))

    op.drop_table('outreach_files')
    with op.batch_alter_table('outreach_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_trainings_store_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_trainings_held_on'))

    op.drop_table('outreach_trainings')
    with op.batch_alter_table('outreach_publicity_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_publicity_events_store_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_publicity_events_held_on'))

    op.drop_table('outreach_publicity_events')
    with op.batch_alter_table('outreach_complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_complaints_store_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_complaints_source_hash'))
        batch_op.drop_index(batch_op.f('ix_outreach_complaints_received_at'))

    op.drop_table('outreach_complaints')
    with op.batch_alter_table('outreach_service_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_service_types_store_id'))

    op.drop_table('outreach_service_types')
    with op.batch_alter_table('outreach_opening_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_opening_hours_store_id'))

    op.drop_table('outreach_opening_hours')

