"""projects and livestream sessions

Revision ID: 0002_projects
Revises: 0001_initial
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_projects'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_column_maps',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('order_col', sa.String(length=64), nullable=False),
    sa.Column('amount_col', sa.String(length=64), nullable=False),
    sa.Column('time_col', sa.String(length=64), nullable=False),
    sa.Column('status_col', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_live_column_maps_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'platform', name=op.f('pk_live_column_maps'))
    )
    op.create_table('projects',
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('district_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('purpose', sa.String(length=1000), nullable=False),
    sa.Column('beneficiaries', sa.String(length=300), nullable=False),
    sa.Column('target_fen', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_by_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name=op.f('ck_projects_status_known')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_projects_ends_after_start')),
    sa.CheckConstraint('store_id IS NULL OR district_id IS NOT NULL', name=op.f('ck_projects_store_has_district')),
    sa.CheckConstraint('target_fen > 0', name=op.f('ck_projects_target_positive')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_projects_district_id_districts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_projects_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_store_id'), ['store_id'], unique=False)

    op.create_table('live_sessions',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('host', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('registered_by_name', sa.String(length=64), nullable=False),
    sa.Column('platform_total_fen', sa.Integer(), nullable=True),
    sa.Column('received_fen', sa.Integer(), nullable=True),
    sa.Column('explanation', sa.String(length=500), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_name', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publication', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("platform IN ('douyin', 'kuaishou', 'channels', 'other')", name=op.f('ck_live_sessions_platform_known')),
    sa.CheckConstraint("status IN ('registered', 'closed')", name=op.f('ck_live_sessions_status_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_live_sessions_ends_after_start')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_live_sessions_project_id_projects')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_live_sessions_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_sessions'))
    )
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_sessions_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_sessions_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_live_sessions_store_starts', ['store_id', 'starts_at'], unique=False)

    op.create_table('project_advances',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('entered_by_id', sa.Uuid(), nullable=False),
    sa.Column('entered_by_name', sa.String(length=64), nullable=False),
    sa.Column('approver_id', sa.Uuid(), nullable=False),
    sa.Column('approver_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_project_advances_amount_positive')),
    sa.CheckConstraint('approver_id <> entered_by_id', name=op.f('ck_project_advances_two_people')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_project_advances_approver_id_users')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_project_advances_entered_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_advances_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_advances'))
    )
    with op.batch_alter_table('project_advances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_advances_project_id'), ['project_id'], unique=False)

    op.create_table('project_category_shares',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.Column('share_bp', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('share_bp > 0 AND share_bp <= 10000', name=op.f('ck_project_category_shares_share_in_range')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_project_category_shares_category_id_categories')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_category_shares_project_id_projects')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_project_category_shares_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_category_shares'))
    )
    with op.batch_alter_table('project_category_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_category_shares_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_category_shares_store_id'), ['store_id'], unique=False)

    op.create_table('project_files',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=True),
    sa.Column('height_px', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('voucher', 'update_photo')", name=op.f('ck_project_files_kind_known')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_files_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_files'))
    )
    with op.batch_alter_table('project_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_files_project_id'), ['project_id'], unique=False)

    op.create_table('live_order_imports',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('added_count', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id'], name=op.f('fk_live_order_imports_session_id_live_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_order_imports')),
    sa.UniqueConstraint('session_id', 'sha256', name='uq_live_order_imports_session_sha256')
    )
    op.create_table('live_session_goods',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_live_session_goods_qty_positive')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_live_session_goods_item_id_items')),
    sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id'], name=op.f('fk_live_session_goods_session_id_live_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_session_goods'))
    )
    with op.batch_alter_table('live_session_goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_session_goods_session_id'), ['session_id'], unique=False)

    op.create_table('live_till_modes',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('open_shift_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id'], name=op.f('fk_live_till_modes_session_id_live_sessions')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_live_till_modes_shift_id_shifts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_live_till_modes_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_till_modes')),
    sa.UniqueConstraint('open_shift_id', name=op.f('uq_live_till_modes_open_shift_id'))
    )
    with op.batch_alter_table('live_till_modes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_till_modes_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_live_till_modes_shift', ['shift_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_till_modes_store_id'), ['store_id'], unique=False)

    op.create_table('project_expenditures',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('payee', sa.String(length=100), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('voucher_id', sa.Uuid(), nullable=True),
    sa.Column('entered_by_id', sa.Uuid(), nullable=False),
    sa.Column('entered_by_name', sa.String(length=64), nullable=False),
    sa.Column('approver_id', sa.Uuid(), nullable=False),
    sa.Column('approver_name', sa.String(length=64), nullable=False),
    sa.Column('over_balance', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_project_expenditures_amount_positive')),
    sa.CheckConstraint('approver_id <> entered_by_id', name=op.f('ck_project_expenditures_two_people')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_project_expenditures_approver_id_users')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_project_expenditures_entered_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_expenditures_project_id_projects')),
    sa.ForeignKeyConstraint(['voucher_id'], ['project_files.id'], name=op.f('fk_project_expenditures_voucher_id_project_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_expenditures'))
    )
    with op.batch_alter_table('project_expenditures', schema=None) as batch_op:
        batch_op.create_index('ix_project_expenditures_project_spent', ['project_id', 'spent_on'], unique=False)

    op.create_table('project_updates',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('photo_id', sa.Uuid(), nullable=True),
    sa.Column('author_name', sa.String(length=64), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['project_files.id'], name=op.f('fk_project_updates_photo_id_project_files')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_updates_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_updates')),
    sa.UniqueConstraint('project_id', 'month', name='uq_project_updates_project_month')
    )
    op.create_table('live_orders',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('import_id', sa.Uuid(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('order_no', sa.String(length=64), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_live_orders_amount_not_negative')),
    sa.ForeignKeyConstraint(['import_id'], ['live_order_imports.id'], name=op.f('fk_live_orders_import_id_live_order_imports')),
    sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id'], name=op.f('fk_live_orders_session_id_live_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_orders')),
    sa.UniqueConstraint('platform', 'order_no', name='uq_live_orders_platform_order_no')
    )
    with op.batch_alter_table('live_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_orders_session_id'), ['session_id'], unique=False)

    op.create_table('project_designations',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('money_line_id', sa.Uuid(), nullable=False),
    sa.Column('donation_id', sa.Uuid(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('designated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_project_designations_donation_id_donations')),
    sa.ForeignKeyConstraint(['money_line_id'], ['donation_money_lines.id'], name=op.f('fk_project_designations_money_line_id_donation_money_lines')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_designations_project_id_projects')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_project_designations_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_designations')),
    sa.UniqueConstraint('money_line_id', name=op.f('uq_project_designations_money_line_id'))
    )
    with op.batch_alter_table('project_designations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_designations_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_designations_store_id'), ['store_id'], unique=False)



def downgrade():
    with op.batch_alter_table('project_designations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_designations_store_id'))
        batch_op.drop_index(batch_op.f('ix_project_designations_project_id'))

    op.drop_table('project_designations')
    with op.batch_alter_table('live_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_orders_session_id'))

    op.drop_table('live_orders')
    op.drop_table('project_updates')
    with op.batch_alter_table('project_expenditures', schema=None) as batch_op:
        batch_op.drop_index('ix_project_expenditures_project_spent')

    op.drop_table('project_expenditures')
    with op.batch_alter_table('live_till_modes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_till_modes_store_id'))
        batch_op.drop_index('ix_live_till_modes_shift')
        batch_op.drop_index(batch_op.f('ix_live_till_modes_session_id'))

    op.drop_table('live_till_modes')
    with op.batch_alter_table('live_session_goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_session_goods_session_id'))

    op.drop_table('live_session_goods')
    op.drop_table('live_order_imports')
    with op.batch_alter_table('project_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_files_project_id'))

    op.drop_table('project_files')
    with op.batch_alter_table('project_category_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_category_shares_store_id'))
        batch_op.drop_index(batch_op.f('ix_project_category_shares_project_id'))

    op.drop_table('project_category_shares')
    with op.batch_alter_table('project_advances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_advances_project_id'))

    op.drop_table('project_advances')
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_live_sessions_store_starts')
        batch_op.drop_index(batch_op.f('ix_live_sessions_store_id'))
        batch_op.drop_index(batch_op.f('ix_live_sessions_project_id'))

    op.drop_table('live_sessions')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_store_id'))
        batch_op.drop_index(batch_op.f('ix_projects_district_id'))

    op.drop_table('projects')
    op.drop_table('live_column_maps')
