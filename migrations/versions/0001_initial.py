"""The initial schema: the seven wave-1 revisions squashed into one (nothing was in production yet).

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-04 23:55:31.730499

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('aid_categories',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('review_months', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_aid_categories'))
    )
    # The categories a new city starts with (the federation edits the list); see aid.entitlements.
    categories = sa.table('aid_categories', sa.column('code', sa.String), sa.column('name', sa.String),
                          sa.column('review_months', sa.Integer), sa.column('active', sa.Boolean),
                          sa.column('position', sa.Integer))
    op.bulk_insert(categories, [
        {'code': code, 'name': name, 'review_months': months, 'active': True, 'position': i}
        for i, (code, name, months) in enumerate([
            ('dibao', '低保', 12), ('tekun', '特困', 12), ('dibao_edge', '低保边缘', 12), ('disabled', '残疾', 12),
            ('elderly_alone', '孤寡老人', 12), ('children', '困境儿童', 12), ('temporary', '临时救助', 3)])])
    op.create_table('aid_flag_reviews',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('reviewed_by', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_aid_flag_reviews'))
    )
    op.create_table('audit_chain_heads',
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_chain_heads'))
    )
    op.create_table('audit_events',
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('chain', 'seq', name=op.f('uq_audit_events_chain_seq'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_store_id'), ['store_id'], unique=False)

    op.create_table('categories',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('prohibited', sa.Boolean(), nullable=False),
    sa.Column('prohibited_reason', sa.String(length=200), nullable=False),
    sa.Column('is_food', sa.Boolean(), nullable=False),
    sa.Column('near_expiry_days', sa.Integer(), nullable=False),
    sa.Column('quick_key', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    op.create_table('districts',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_districts')),
    sa.UniqueConstraint('code', name=op.f('uq_districts_code'))
    )
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('result_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_job_runs_name_started', ['name', 'started_at'], unique=False)
        batch_op.create_index('uq_job_runs_one_running', ['name'], unique=True, sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))

    op.create_table('login_attempts',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_address_at', ['address', 'at'], unique=False)
        batch_op.create_index('ix_login_attempts_username_at', ['username', 'at'], unique=False)

    op.create_table('points_pin_attempts',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_pin_attempts'))
    )
    with op.batch_alter_table('points_pin_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_points_pin_attempts_key_at', ['key', 'at'], unique=False)

    op.create_table('points_tables',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('point_value_fen', sa.Integer(), nullable=False),
    sa.Column('expiry_policy', sa.String(length=32), nullable=False),
    sa.Column('expiry_months', sa.Integer(), nullable=True),
    sa.Column('max_hours_per_day', sa.Integer(), nullable=False),
    sa.Column('max_points_per_month', sa.Integer(), nullable=True),
    sa.Column('backdate_days', sa.Integer(), nullable=False),
    sa.Column('publication_days', sa.Integer(), nullable=False),
    sa.Column('daily_redeem_cap', sa.Integer(), nullable=True),
    sa.Column('adjust_approval_threshold', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_tables')),
    sa.UniqueConstraint('effective_from', name=op.f('uq_points_tables_effective_from')),
    sa.UniqueConstraint('version', name=op.f('uq_points_tables_version'))
    )
    op.create_table('sequences',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sequences'))
    )
    op.create_table('aid_entitlements',
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('value_cap_fen', sa.Integer(), nullable=True),
    sa.Column('item_cap', sa.Integer(), nullable=True),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('effective_to IS NULL OR effective_to > effective_from', name=op.f('ck_aid_entitlements_dates_ordered')),
    sa.CheckConstraint('item_cap IS NULL OR item_cap > 0', name=op.f('ck_aid_entitlements_item_cap_positive')),
    sa.CheckConstraint('value_cap_fen IS NOT NULL OR item_cap IS NOT NULL', name=op.f('ck_aid_entitlements_has_a_cap')),
    sa.CheckConstraint('value_cap_fen IS NULL OR value_cap_fen > 0', name=op.f('ck_aid_entitlements_value_cap_positive')),
    sa.ForeignKeyConstraint(['category_code'], ['aid_categories.code'], name=op.f('fk_aid_entitlements_category_code_aid_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_entitlements'))
    )
    with op.batch_alter_table('aid_entitlements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_entitlements_category_code'), ['category_code'], unique=False)

    op.create_table('points_activities',
    sa.Column('table_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('per_hours', sa.Integer(), nullable=False),
    sa.Column('max_hours_per_shift', sa.Integer(), nullable=True),
    sa.Column('max_points_per_month', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('per_hours > 0', name=op.f('ck_points_activities_per_hours_positive')),
    sa.CheckConstraint('points > 0', name=op.f('ck_points_activities_points_positive')),
    sa.ForeignKeyConstraint(['table_id'], ['points_tables.id'], name=op.f('fk_points_activities_table_id_points_tables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_activities')),
    sa.UniqueConstraint('table_id', 'code', name=op.f('uq_points_activities_table_id_code'))
    )
    with op.batch_alter_table('points_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_activities_table_id'), ['table_id'], unique=False)

    op.create_table('stores',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('district_id', sa.Uuid(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('floor_area_m2', sa.Integer(), nullable=True),
    sa.Column('opening_hours', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('star_level', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_stores_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stores')),
    sa.UniqueConstraint('code', name=op.f('uq_stores_code'))
    )
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stores_district_id'), ['district_id'], unique=False)

    op.create_table('aid_campaigns',
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('counts_toward_entitlement', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_aid_campaigns_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_campaigns')),
    sa.UniqueConstraint('serial', name=op.f('uq_aid_campaigns_serial'))
    )
    with op.batch_alter_table('aid_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_campaigns_store_id'), ['store_id'], unique=False)

    op.create_table('aid_entitlement_goods',
    sa.Column('entitlement_id', sa.Uuid(), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_aid_entitlement_goods_category_id_categories')),
    sa.ForeignKeyConstraint(['entitlement_id'], ['aid_entitlements.id'], name=op.f('fk_aid_entitlement_goods_entitlement_id_aid_entitlements')),
    sa.PrimaryKeyConstraint('entitlement_id', 'category_id', name=op.f('pk_aid_entitlement_goods'))
    )
    op.create_table('households',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('head_name', sa.String(length=32), nullable=False),
    sa.Column('id_hmac', sa.String(length=64), nullable=False),
    sa.Column('id_last4', sa.String(length=4), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('community', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('address_key', sa.String(length=200), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('proof_ref', sa.String(length=100), nullable=False),
    sa.Column('verified_by', sa.String(length=64), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('review_due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'suspended', 'expired')", name=op.f('ck_households_status_known')),
    sa.CheckConstraint('members >= 1 AND members <= 30', name=op.f('ck_households_members_range')),
    sa.ForeignKeyConstraint(['category_code'], ['aid_categories.code'], name=op.f('fk_households_category_code_aid_categories')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_households_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('code', name=op.f('uq_households_code'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_address_key'), ['address_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_head_name'), ['head_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_id_hmac'), ['id_hmac'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_id_last4'), ['id_last4'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_store_id'), ['store_id'], unique=False)
        batch_op.create_index('uq_households_live_id_hmac', ['id_hmac'], unique=True, sqlite_where=sa.text("status <> 'expired'"), postgresql_where=sa.text("status <> 'expired'"))

    op.create_table('items',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('pinyin', sa.String(length=100), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('barcode', sa.String(length=32), nullable=False),
    sa.Column('barcode_kind', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('condition_grade', sa.String(length=1), nullable=True),
    sa.Column('is_food', sa.Boolean(), nullable=False),
    sa.Column('default_price_fen', sa.Integer(), nullable=False),
    sa.Column('points_price', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('origin_store_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('default_price_fen >= 0', name=op.f('ck_items_price_not_negative')),
    sa.CheckConstraint('points_price IS NULL OR points_price > 0', name=op.f('ck_items_points_price_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_items_category_id_categories')),
    sa.ForeignKeyConstraint(['origin_store_id'], ['stores.id'], name=op.f('fk_items_origin_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('barcode', name=op.f('uq_items_barcode'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_pinyin'), ['pinyin'], unique=False)

    op.create_table('period_closes',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('closed_by_name', sa.String(length=64), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_period_closes_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_closes')),
    sa.UniqueConstraint('store_id', 'month', name='uq_period_closes_store_month')
    )
    with op.batch_alter_table('period_closes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_closes_store_id'), ['store_id'], unique=False)

    op.create_table('stocktakes',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('whole_store', sa.Boolean(), nullable=False),
    sa.Column('open_store_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('started_by_id', sa.Uuid(), nullable=True),
    sa.Column('started_by_name', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('closed_by_name', sa.String(length=64), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('counted_lines', sa.Integer(), nullable=True),
    sa.Column('book_value_fen', sa.Integer(), nullable=True),
    sa.Column('variance_qty', sa.Integer(), nullable=True),
    sa.Column('variance_value_fen', sa.Integer(), nullable=True),
    sa.Column('variance_abs_value_fen', sa.Integer(), nullable=True),
    sa.Column('variance_ratio_bp', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stocktakes_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktakes')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_stocktakes_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_stocktakes_number')),
    sa.UniqueConstraint('open_store_id', name=op.f('uq_stocktakes_open_store_id'))
    )
    with op.batch_alter_table('stocktakes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stocktakes_store_id'), ['store_id'], unique=False)

    op.create_table('store_inventory_settings',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('write_off_approval_fen', sa.Integer(), nullable=False),
    sa.Column('low_stock_qty', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('low_stock_qty >= 0', name=op.f('ck_store_inventory_settings_low_stock_not_negative')),
    sa.CheckConstraint('write_off_approval_fen >= 0', name=op.f('ck_store_inventory_settings_threshold_not_negative')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_inventory_settings_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', name=op.f('pk_store_inventory_settings'))
    )
    op.create_table('till_settings',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('accepted_tenders', sa.String(length=200), nullable=False),
    sa.Column('receipt_width_mm', sa.Integer(), nullable=False),
    sa.CheckConstraint('receipt_width_mm IN (58, 80)', name=op.f('ck_till_settings_roll_width')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_till_settings_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', name=op.f('pk_till_settings'))
    )
    op.create_table('transfers',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('to_store_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('shipped_by_id', sa.Uuid(), nullable=True),
    sa.Column('shipped_by_name', sa.String(length=64), nullable=False),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by_id', sa.Uuid(), nullable=True),
    sa.Column('received_by_name', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receive_note', sa.String(length=200), nullable=False),
    sa.Column('discrepancy_qty', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_transfers_store_id_stores')),
    sa.ForeignKeyConstraint(['to_store_id'], ['stores.id'], name=op.f('fk_transfers_to_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_transfers_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_transfers_number'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_to_store_id'), ['to_store_id'], unique=False)

    op.create_table('users',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('pin_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('district_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_users_district_id_districts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_users_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_store_id'), ['store_id'], unique=False)

    op.create_table('aid_campaign_pack',
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_aid_campaign_pack_qty_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['aid_campaigns.id'], name=op.f('fk_aid_campaign_pack_campaign_id_aid_campaigns')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_aid_campaign_pack_item_id_items')),
    sa.PrimaryKeyConstraint('campaign_id', 'item_id', name=op.f('pk_aid_campaign_pack'))
    )
    op.create_table('aid_files',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=True),
    sa.Column('uploaded_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['aid_campaigns.id'], name=op.f('fk_aid_files_campaign_id_aid_campaigns')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_aid_files_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_files'))
    )
    with op.batch_alter_table('aid_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_files_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_files_store_id'), ['store_id'], unique=False)

    op.create_table('aid_household_views',
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_aid_household_views_household_id_households')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_aid_household_views_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_household_views'))
    )
    with op.batch_alter_table('aid_household_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_household_views_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_household_views_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_household_views_store_id'), ['store_id'], unique=False)

    op.create_table('aid_usage',
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('period_key', sa.String(length=16), nullable=False),
    sa.Column('value_fen', sa.Integer(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.CheckConstraint('items >= 0', name=op.f('ck_aid_usage_items_not_negative')),
    sa.CheckConstraint('value_fen >= 0', name=op.f('ck_aid_usage_value_not_negative')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_aid_usage_household_id_households')),
    sa.PrimaryKeyConstraint('household_id', 'period_key', name=op.f('pk_aid_usage'))
    )
    op.create_table('api_tokens',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('donors',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('contact_person', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('id_hmac', sa.String(length=64), nullable=True),
    sa.Column('id_last4', sa.String(length=4), nullable=False),
    sa.Column('match_key', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'organisation')", name=op.f('ck_donors_kind_valid')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_donors_created_by_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donors_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donors'))
    )
    with op.batch_alter_table('donors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donors_match_key'), ['match_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_donors_store_id'), ['store_id'], unique=False)

    op.create_table('lots',
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_type', sa.String(length=32), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('unit_cost_fen', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_lots_item_id_items')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_lots_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots'))
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lots_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_lots_store_item', ['store_id', 'item_id'], unique=False)

    op.create_table('residents',
    sa.Column('member_code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('id_hmac', sa.String(length=64), nullable=True),
    sa.Column('id_last4', sa.String(length=4), nullable=True),
    sa.Column('community', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.String(length=255), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('registered_store_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_residents_balance_not_negative')),
    sa.ForeignKeyConstraint(['registered_store_id'], ['stores.id'], name=op.f('fk_residents_registered_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_residents_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents')),
    sa.UniqueConstraint('id_hmac', name=op.f('uq_residents_id_hmac')),
    sa.UniqueConstraint('member_code', name=op.f('uq_residents_member_code')),
    sa.UniqueConstraint('phone', name=op.f('uq_residents_phone')),
    sa.UniqueConstraint('user_id', name=op.f('uq_residents_user_id'))
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residents_registered_store_id'), ['registered_store_id'], unique=False)

    op.create_table('shifts',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('cashier_id', sa.Uuid(), nullable=False),
    sa.Column('open_cashier_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('float_fen', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('approver_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(status = 'open') = (open_cashier_id IS NOT NULL)", name=op.f('ck_shifts_open_key_matches')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_shifts_status_known')),
    sa.CheckConstraint('float_fen >= 0', name=op.f('ck_shifts_float_not_negative')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_shifts_approver_id_users')),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], name=op.f('fk_shifts_cashier_id_users')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_shifts_closed_by_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_shifts_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts')),
    sa.UniqueConstraint('number', name=op.f('uq_shifts_number')),
    sa.UniqueConstraint('open_cashier_id', name=op.f('uq_shifts_open_cashier_id'))
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shifts_cashier_id'), ['cashier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_store_id'), ['store_id'], unique=False)

    op.create_table('stock_balances',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.CheckConstraint('qty >= 0', name=op.f('ck_stock_balances_qty_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_stock_balances_item_id_items')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_balances_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'item_id', name=op.f('pk_stock_balances'))
    )
    op.create_table('stocktake_categories',
    sa.Column('stocktake_id', sa.Uuid(), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_stocktake_categories_category_id_categories')),
    sa.ForeignKeyConstraint(['stocktake_id'], ['stocktakes.id'], name=op.f('fk_stocktake_categories_stocktake_id_stocktakes')),
    sa.PrimaryKeyConstraint('stocktake_id', 'category_id', name=op.f('pk_stocktake_categories'))
    )
    op.create_table('stocktake_lines',
    sa.Column('stocktake_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('counted_qty', sa.Integer(), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('book_qty', sa.Integer(), nullable=True),
    sa.Column('unit_price_fen', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('counted_qty >= 0', name=op.f('ck_stocktake_lines_counted_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_stocktake_lines_item_id_items')),
    sa.ForeignKeyConstraint(['stocktake_id'], ['stocktakes.id'], name=op.f('fk_stocktake_lines_stocktake_id_stocktakes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktake_lines')),
    sa.UniqueConstraint('stocktake_id', 'item_id', name='uq_stocktake_lines_item')
    )
    with op.batch_alter_table('stocktake_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stocktake_lines_stocktake_id'), ['stocktake_id'], unique=False)

    op.create_table('store_prices',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('price_fen >= 0', name=op.f('ck_store_prices_price_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_store_prices_item_id_items')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_prices_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'item_id', name=op.f('pk_store_prices'))
    )
    op.create_table('distributions',
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('period_key', sa.String(length=16), nullable=False),
    sa.Column('entitlement_id', sa.Uuid(), nullable=True),
    sa.Column('counts_toward_entitlement', sa.Boolean(), nullable=False),
    sa.Column('handed_out_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handed_out_on', sa.Date(), nullable=False),
    sa.Column('value_fen', sa.Integer(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Uuid(), nullable=True),
    sa.Column('operator_name', sa.String(length=64), nullable=False),
    sa.Column('witness_id', sa.Uuid(), nullable=True),
    sa.Column('witness_name', sa.String(length=64), nullable=False),
    sa.Column('signature_id', sa.Uuid(), nullable=True),
    sa.Column('proxy_name', sa.String(length=32), nullable=False),
    sa.Column('proxy_relation', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=True),
    sa.Column('override', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.String(length=200), nullable=False),
    sa.Column('override_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('items > 0', name=op.f('ck_distributions_items_positive')),
    sa.CheckConstraint('value_fen >= 0', name=op.f('ck_distributions_value_not_negative')),
    sa.ForeignKeyConstraint(['campaign_id'], ['aid_campaigns.id'], name=op.f('fk_distributions_campaign_id_aid_campaigns')),
    sa.ForeignKeyConstraint(['entitlement_id'], ['aid_entitlements.id'], name=op.f('fk_distributions_entitlement_id_aid_entitlements')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_distributions_household_id_households')),
    sa.ForeignKeyConstraint(['signature_id'], ['aid_files.id'], name=op.f('fk_distributions_signature_id_aid_files')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_distributions_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distributions')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_distributions_idempotency_key')),
    sa.UniqueConstraint('serial', name=op.f('uq_distributions_serial'))
    )
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distributions_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distributions_handed_out_on'), ['handed_out_on'], unique=False)
        batch_op.create_index('ix_distributions_household_day', ['household_id', 'handed_out_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_distributions_store_id'), ['store_id'], unique=False)

    op.create_table('lot_balances',
    sa.Column('lot_id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.CheckConstraint('qty >= 0', name=op.f('ck_lot_balances_qty_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_lot_balances_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_balances_lot_id_lots')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_lot_balances_store_id_stores')),
    sa.PrimaryKeyConstraint('lot_id', name=op.f('pk_lot_balances'))
    )
    with op.batch_alter_table('lot_balances', schema=None) as batch_op:
        batch_op.create_index('ix_lot_balances_store_item', ['store_id', 'item_id'], unique=False)

    op.create_table('pledges',
    sa.Column('donor_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('pledged_on', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('fulfilled_fen', sa.Integer(), nullable=False),
    sa.Column('cancel_reason', sa.String(length=200), nullable=False),
    sa.Column('created_by_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_pledges_amount_positive')),
    sa.CheckConstraint('fulfilled_fen >= 0', name=op.f('ck_pledges_fulfilled_not_negative')),
    sa.ForeignKeyConstraint(['donor_id'], ['donors.id'], name=op.f('fk_pledges_donor_id_donors')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_pledges_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledges'))
    )
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledges_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledges_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_pledges_store_status_due', ['store_id', 'status', 'due_date'], unique=False)

    op.create_table('points_entries',
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=160), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('ref_type', sa.String(length=32), nullable=False),
    sa.Column('ref_id', sa.String(length=64), nullable=False),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance_after >= 0', name=op.f('ck_points_entries_balance_after_not_negative')),
    sa.CheckConstraint('points <> 0', name=op.f('ck_points_entries_points_not_zero')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_points_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_points_entries_resident_id_residents')),
    sa.ForeignKeyConstraint(['reverses_id'], ['points_entries.id'], name=op.f('fk_points_entries_reverses_id_points_entries')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_points_entries_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_entries')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_points_entries_idempotency_key'))
    )
    with op.batch_alter_table('points_entries', schema=None) as batch_op:
        batch_op.create_index('ix_points_entries_ref', ['ref_type', 'ref_id'], unique=False)
        batch_op.create_index('ix_points_entries_resident_created', ['resident_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_entries_reverses_id'), ['reverses_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_entries_store_id'), ['store_id'], unique=False)

    op.create_table('sales',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('cashier_id', sa.Uuid(), nullable=True),
    sa.Column('sold_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('points_total', sa.Integer(), nullable=False),
    sa.Column('change_fen', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.Uuid(), nullable=True),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('approver_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('print_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(kind = 'sale') = (reverses_id IS NULL)", name=op.f('ck_sales_reversal_points_back')),
    sa.CheckConstraint("kind IN ('sale', 'void', 'return')", name=op.f('ck_sales_kind_known')),
    sa.CheckConstraint('change_fen >= 0', name=op.f('ck_sales_change_not_negative')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_sales_approver_id_users')),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], name=op.f('fk_sales_cashier_id_users')),
    sa.ForeignKeyConstraint(['reverses_id'], ['sales.id'], name=op.f('fk_sales_reverses_id_sales')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_sales_shift_id_shifts')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_sales_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_sales_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_number')),
    sa.UniqueConstraint('store_id', 'business_date', 'seq', name='uq_sales_store_day_seq')
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_reverses_id'), ['reverses_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_sales_store_sold_at', ['store_id', 'sold_at'], unique=False)

    op.create_table('shift_counts',
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('expected_fen', sa.Integer(), nullable=False),
    sa.Column('counted_fen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_shift_counts_shift_id_shifts')),
    sa.PrimaryKeyConstraint('shift_id', 'method', name=op.f('pk_shift_counts'))
    )
    op.create_table('stock_movements',
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('doc_type', sa.String(length=32), nullable=False),
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty <> 0', name=op.f('ck_stock_movements_qty_not_zero')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_stock_movements_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_stock_movements_lot_id_lots')),
    sa.ForeignKeyConstraint(['reverses_id'], ['stock_movements.id'], name=op.f('fk_stock_movements_reverses_id_stock_movements')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_movements_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_doc', ['doc_type', 'doc_id'], unique=False)
        batch_op.create_index('ix_stock_movements_lot_qty', ['lot_id', 'qty'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movements_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movements_reverses_id'), ['reverses_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movements_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_stock_movements_store_item', ['store_id', 'item_id', 'qty'], unique=False)

    op.create_table('stocktake_counts',
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('stocktake_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty <> 0', name=op.f('ck_stocktake_counts_qty_not_zero')),
    sa.ForeignKeyConstraint(['line_id'], ['stocktake_lines.id'], name=op.f('fk_stocktake_counts_line_id_stocktake_lines')),
    sa.ForeignKeyConstraint(['stocktake_id'], ['stocktakes.id'], name=op.f('fk_stocktake_counts_stocktake_id_stocktakes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktake_counts'))
    )
    with op.batch_alter_table('stocktake_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stocktake_counts_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stocktake_counts_stocktake_id'), ['stocktake_id'], unique=False)

    op.create_table('transfer_lines',
    sa.Column('transfer_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('from_lot_id', sa.Uuid(), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('qty_shipped', sa.Integer(), nullable=False),
    sa.Column('qty_received', sa.Integer(), nullable=True),
    sa.Column('to_lot_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty_received IS NULL OR (qty_received >= 0 AND qty_received <= qty_shipped)', name=op.f('ck_transfer_lines_received_within_shipped')),
    sa.CheckConstraint('qty_shipped > 0', name=op.f('ck_transfer_lines_shipped_positive')),
    sa.ForeignKeyConstraint(['from_lot_id'], ['lots.id'], name=op.f('fk_transfer_lines_from_lot_id_lots')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_transfer_lines_item_id_items')),
    sa.ForeignKeyConstraint(['to_lot_id'], ['lots.id'], name=op.f('fk_transfer_lines_to_lot_id_lots')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_lines_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_lines'))
    )
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_lines_transfer_id'), ['transfer_id'], unique=False)

    op.create_table('write_offs',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=True),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('reason_code', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('unit_price_fen', sa.Integer(), nullable=False),
    sa.Column('value_fen', sa.Integer(), nullable=False),
    sa.Column('written_by_id', sa.Uuid(), nullable=True),
    sa.Column('written_by_name', sa.String(length=64), nullable=False),
    sa.Column('approved_by_id', sa.Uuid(), nullable=True),
    sa.Column('approved_by_name', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_write_offs_qty_positive')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_write_offs_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_write_offs_lot_id_lots')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_write_offs_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_offs')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_write_offs_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_write_offs_number'))
    )
    with op.batch_alter_table('write_offs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_write_offs_store_id'), ['store_id'], unique=False)

    op.create_table('aid_campaign_households',
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('distribution_id', sa.Uuid(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['aid_campaigns.id'], name=op.f('fk_aid_campaign_households_campaign_id_aid_campaigns')),
    sa.ForeignKeyConstraint(['distribution_id'], ['distributions.id'], name=op.f('fk_aid_campaign_households_distribution_id_distributions')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_aid_campaign_households_household_id_households')),
    sa.PrimaryKeyConstraint('campaign_id', 'household_id', name=op.f('pk_aid_campaign_households')),
    sa.UniqueConstraint('distribution_id', name=op.f('uq_aid_campaign_households_distribution_id'))
    )
    op.create_table('distribution_lines',
    sa.Column('distribution_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit_value_fen', sa.Integer(), nullable=False),
    sa.Column('value_fen', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_distribution_lines_qty_positive')),
    sa.ForeignKeyConstraint(['distribution_id'], ['distributions.id'], name=op.f('fk_distribution_lines_distribution_id_distributions')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_distribution_lines_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distribution_lines'))
    )
    with op.batch_alter_table('distribution_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distribution_lines_distribution_id'), ['distribution_id'], unique=False)

    op.create_table('donations',
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('serial_year', sa.Integer(), nullable=False),
    sa.Column('serial_no', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.Uuid(), nullable=False),
    sa.Column('donor_id', sa.Uuid(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('pledge_id', sa.Uuid(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('receiver_id', sa.Uuid(), nullable=False),
    sa.Column('receiver_name', sa.String(length=64), nullable=False),
    sa.Column('checker_id', sa.Uuid(), nullable=False),
    sa.Column('checker_name', sa.String(length=64), nullable=False),
    sa.Column('goods_value_fen', sa.Integer(), nullable=False),
    sa.Column('money_fen', sa.Integer(), nullable=False),
    sa.Column('total_value_fen', sa.Integer(), nullable=False),
    sa.Column('unit_count', sa.Integer(), nullable=False),
    sa.Column('has_near_expiry', sa.Boolean(), nullable=False),
    sa.Column('has_unvalued', sa.Boolean(), nullable=False),
    sa.Column('has_photo', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('print_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('receiver_id <> checker_id', name=op.f('ck_donations_two_people')),
    sa.CheckConstraint('total_value_fen = goods_value_fen + money_fen', name=op.f('ck_donations_total_adds_up')),
    sa.ForeignKeyConstraint(['checker_id'], ['users.id'], name=op.f('fk_donations_checker_id_users')),
    sa.ForeignKeyConstraint(['donor_id'], ['donors.id'], name=op.f('fk_donations_donor_id_donors')),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_donations_pledge_id_pledges')),
    sa.ForeignKeyConstraint(['receiver_id'], ['users.id'], name=op.f('fk_donations_receiver_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donations_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donations')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_donations_idempotency_key')),
    sa.UniqueConstraint('serial', name=op.f('uq_donations_serial')),
    sa.UniqueConstraint('store_id', 'serial_year', 'serial_no', name='uq_donations_serial_per_store_year')
    )
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donations_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donations_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donations_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_donations_store_received', ['store_id', 'received_at'], unique=False)

    op.create_table('pledge_follow_ups',
    sa.Column('pledge_id', sa.Uuid(), nullable=False),
    sa.Column('contacted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('next_contact_on', sa.Date(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_pledge_follow_ups_pledge_id_pledges')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_pledge_follow_ups_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_follow_ups'))
    )
    with op.batch_alter_table('pledge_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_follow_ups_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_follow_ups_store_id'), ['store_id'], unique=False)

    op.create_table('points_credits',
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('table_id', sa.Uuid(), nullable=False),
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('occurrences', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('entered_by_id', sa.Uuid(), nullable=True),
    sa.Column('entered_by_name', sa.String(length=64), nullable=False),
    sa.Column('approved_by_id', sa.Uuid(), nullable=True),
    sa.Column('approved_by_name', sa.String(length=64), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publish_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('entry_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_points_credits_points_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['points_activities.id'], name=op.f('fk_points_credits_activity_id_points_activities')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_points_credits_approved_by_id_users')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_points_credits_entered_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['points_entries.id'], name=op.f('fk_points_credits_entry_id_points_entries')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_points_credits_resident_id_residents')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_points_credits_store_id_stores')),
    sa.ForeignKeyConstraint(['table_id'], ['points_tables.id'], name=op.f('fk_points_credits_table_id_points_tables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_credits')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_points_credits_idempotency_key'))
    )
    with op.batch_alter_table('points_credits', schema=None) as batch_op:
        batch_op.create_index('ix_points_credits_resident_occurred', ['resident_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_credits_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_credits_store_id'), ['store_id'], unique=False)

    op.create_table('points_lots',
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('origin_lot_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('remaining <= points', name=op.f('ck_points_lots_remaining_within_points')),
    sa.CheckConstraint('remaining >= 0', name=op.f('ck_points_lots_remaining_not_negative')),
    sa.ForeignKeyConstraint(['entry_id'], ['points_entries.id'], name=op.f('fk_points_lots_entry_id_points_entries')),
    sa.ForeignKeyConstraint(['origin_lot_id'], ['points_lots.id'], name=op.f('fk_points_lots_origin_lot_id_points_lots')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_points_lots_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_lots'))
    )
    with op.batch_alter_table('points_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_lots_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_lots_origin_lot_id'), ['origin_lot_id'], unique=False)
        batch_op.create_index('ix_points_lots_resident_expires', ['resident_id', 'expires_at'], unique=False)

    op.create_table('sale_lines',
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('list_price_fen', sa.Integer(), nullable=False),
    sa.Column('unit_price_fen', sa.Integer(), nullable=False),
    sa.Column('line_total_fen', sa.Integer(), nullable=False),
    sa.Column('fund', sa.String(length=16), nullable=False),
    sa.Column('pay_with_points', sa.Boolean(), nullable=False),
    sa.Column('points_price', sa.Integer(), nullable=True),
    sa.Column('points_total', sa.Integer(), nullable=False),
    sa.Column('override_reason', sa.String(length=200), nullable=False),
    sa.Column('returned_qty', sa.Integer(), nullable=False),
    sa.Column('reverses_line_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("fund IN ('donated', 'purchased')", name=op.f('ck_sale_lines_fund_known')),
    sa.CheckConstraint('qty <> 0', name=op.f('ck_sale_lines_qty_not_zero')),
    sa.CheckConstraint('returned_qty >= 0 AND (returned_qty = 0 OR returned_qty <= qty)', name=op.f('ck_sale_lines_returned_within_sold')),
    sa.CheckConstraint('unit_price_fen >= 0 AND list_price_fen >= 0', name=op.f('ck_sale_lines_prices_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_sale_lines_item_id_items')),
    sa.ForeignKeyConstraint(['reverses_line_id'], ['sale_lines.id'], name=op.f('fk_sale_lines_reverses_line_id_sale_lines')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_lines_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_lines'))
    )
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_lines_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_lines_sale_id'), ['sale_id'], unique=False)

    op.create_table('sale_payments',
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('tendered_fen', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('member_code', sa.String(length=32), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_payments_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_payments'))
    )
    with op.batch_alter_table('sale_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_payments_sale_id'), ['sale_id'], unique=False)

    op.create_table('write_off_photos',
    sa.Column('write_off_id', sa.Uuid(), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['write_off_id'], ['write_offs.id'], name=op.f('fk_write_off_photos_write_off_id_write_offs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off_photos')),
    sa.UniqueConstraint('write_off_id', name=op.f('uq_write_off_photos_write_off_id'))
    )
    op.create_table('donation_lines',
    sa.Column('donation_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('unit_value_fen', sa.Integer(), nullable=False),
    sa.Column('line_value_fen', sa.Integer(), nullable=False),
    sa.Column('valuation_basis', sa.String(length=16), nullable=False),
    sa.Column('value_unknown', sa.Boolean(), nullable=False),
    sa.Column('condition_grade', sa.String(length=1), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('near_expiry', sa.Boolean(), nullable=False),
    sa.Column('item_created', sa.Boolean(), nullable=False),
    sa.Column('movement_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('line_value_fen = qty * unit_value_fen', name=op.f('ck_donation_lines_line_value_adds_up')),
    sa.CheckConstraint('qty > 0', name=op.f('ck_donation_lines_qty_positive')),
    sa.CheckConstraint('unit_value_fen >= 0', name=op.f('ck_donation_lines_value_not_negative')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_donation_lines_category_id_categories')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_lines_donation_id_donations')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_donation_lines_item_id_items')),
    sa.ForeignKeyConstraint(['movement_id'], ['stock_movements.id'], name=op.f('fk_donation_lines_movement_id_stock_movements')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donation_lines_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_lines')),
    sa.UniqueConstraint('donation_id', 'line_no', name='uq_donation_lines_donation_line_no')
    )
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_lines_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_lines_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_lines_store_id'), ['store_id'], unique=False)

    op.create_table('donation_money_lines',
    sa.Column('donation_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("method IN ('cash', 'wechat', 'alipay', 'bank_transfer')", name=op.f('ck_donation_money_lines_method_valid')),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_donation_money_lines_amount_positive')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_money_lines_donation_id_donations')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donation_money_lines_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_money_lines'))
    )
    with op.batch_alter_table('donation_money_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_money_lines_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_money_lines_store_id'), ['store_id'], unique=False)

    op.create_table('donation_photos',
    sa.Column('donation_id', sa.Uuid(), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_photos_donation_id_donations')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donation_photos_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_photos')),
    sa.UniqueConstraint('donation_id', name=op.f('uq_donation_photos_donation_id'))
    )
    with op.batch_alter_table('donation_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_photos_store_id'), ['store_id'], unique=False)

    op.create_table('points_credit_objections',
    sa.Column('credit_id', sa.Uuid(), nullable=False),
    sa.Column('raised_by', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('resolution_note', sa.String(length=200), nullable=False),
    sa.Column('resolved_by_id', sa.Uuid(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['credit_id'], ['points_credits.id'], name=op.f('fk_points_credit_objections_credit_id_points_credits')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_points_credit_objections_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_points_credit_objections_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_credit_objections'))
    )
    with op.batch_alter_table('points_credit_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_credit_objections_credit_id'), ['credit_id'], unique=False)

    op.create_table('points_lot_uses',
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_points_lot_uses_points_positive')),
    sa.ForeignKeyConstraint(['entry_id'], ['points_entries.id'], name=op.f('fk_points_lot_uses_entry_id_points_entries')),
    sa.ForeignKeyConstraint(['lot_id'], ['points_lots.id'], name=op.f('fk_points_lot_uses_lot_id_points_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_lot_uses'))
    )
    with op.batch_alter_table('points_lot_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_lot_uses_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_lot_uses_lot_id'), ['lot_id'], unique=False)

    op.create_table('donation_fund_entries',
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('donation_id', sa.Uuid(), nullable=False),
    sa.Column('money_line_id', sa.Uuid(), nullable=False),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('amount_fen <> 0', name=op.f('ck_donation_fund_entries_amount_not_zero')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_fund_entries_donation_id_donations')),
    sa.ForeignKeyConstraint(['money_line_id'], ['donation_money_lines.id'], name=op.f('fk_donation_fund_entries_money_line_id_donation_money_lines')),
    sa.ForeignKeyConstraint(['reverses_id'], ['donation_fund_entries.id'], name=op.f('fk_donation_fund_entries_reverses_id_donation_fund_entries')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_donation_fund_entries_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_fund_entries'))
    )
    with op.batch_alter_table('donation_fund_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_fund_entries_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index('ix_donation_fund_entries_store_at', ['store_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_fund_entries_store_id'), ['store_id'], unique=False)



def downgrade():
    with op.batch_alter_table('donation_fund_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_fund_entries_store_id'))
        batch_op.drop_index('ix_donation_fund_entries_store_at')
        batch_op.drop_index(batch_op.f('ix_donation_fund_entries_donation_id'))

    op.drop_table('donation_fund_entries')
    with op.batch_alter_table('points_lot_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_lot_uses_lot_id'))
        batch_op.drop_index(batch_op.f('ix_points_lot_uses_entry_id'))

    op.drop_table('points_lot_uses')
    with op.batch_alter_table('points_credit_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_credit_objections_credit_id'))

    op.drop_table('points_credit_objections')
    with op.batch_alter_table('donation_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_photos_store_id'))

    op.drop_table('donation_photos')
    with op.batch_alter_table('donation_money_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_money_lines_store_id'))
        batch_op.drop_index(batch_op.f('ix_donation_money_lines_donation_id'))

    op.drop_table('donation_money_lines')
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_lines_store_id'))
        batch_op.drop_index(batch_op.f('ix_donation_lines_item_id'))
        batch_op.drop_index(batch_op.f('ix_donation_lines_donation_id'))

    op.drop_table('donation_lines')
    op.drop_table('write_off_photos')
    with op.batch_alter_table('sale_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_payments_sale_id'))

    op.drop_table('sale_payments')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_lines_sale_id'))
        batch_op.drop_index(batch_op.f('ix_sale_lines_item_id'))

    op.drop_table('sale_lines')
    with op.batch_alter_table('points_lots', schema=None) as batch_op:
        batch_op.drop_index('ix_points_lots_resident_expires')
        batch_op.drop_index(batch_op.f('ix_points_lots_origin_lot_id'))
        batch_op.drop_index(batch_op.f('ix_points_lots_entry_id'))

    op.drop_table('points_lots')
    with op.batch_alter_table('points_credits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_credits_store_id'))
        batch_op.drop_index(batch_op.f('ix_points_credits_status'))
        batch_op.drop_index('ix_points_credits_resident_occurred')

    op.drop_table('points_credits')
    with op.batch_alter_table('pledge_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_follow_ups_store_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_follow_ups_pledge_id'))

    op.drop_table('pledge_follow_ups')
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_index('ix_donations_store_received')
        batch_op.drop_index(batch_op.f('ix_donations_store_id'))
        batch_op.drop_index(batch_op.f('ix_donations_pledge_id'))
        batch_op.drop_index(batch_op.f('ix_donations_donor_id'))

    op.drop_table('donations')
    with op.batch_alter_table('distribution_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distribution_lines_distribution_id'))

    op.drop_table('distribution_lines')
    op.drop_table('aid_campaign_households')
    with op.batch_alter_table('write_offs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_write_offs_store_id'))

    op.drop_table('write_offs')
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_lines_transfer_id'))

    op.drop_table('transfer_lines')
    with op.batch_alter_table('stocktake_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stocktake_counts_stocktake_id'))
        batch_op.drop_index(batch_op.f('ix_stocktake_counts_line_id'))

    op.drop_table('stocktake_counts')
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movements_store_item')
        batch_op.drop_index(batch_op.f('ix_stock_movements_store_id'))
        batch_op.drop_index(batch_op.f('ix_stock_movements_reverses_id'))
        batch_op.drop_index(batch_op.f('ix_stock_movements_occurred_at'))
        batch_op.drop_index('ix_stock_movements_lot_qty')
        batch_op.drop_index('ix_stock_movements_doc')

    op.drop_table('stock_movements')
    op.drop_table('shift_counts')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_store_sold_at')
        batch_op.drop_index(batch_op.f('ix_sales_store_id'))
        batch_op.drop_index(batch_op.f('ix_sales_shift_id'))
        batch_op.drop_index(batch_op.f('ix_sales_reverses_id'))

    op.drop_table('sales')
    with op.batch_alter_table('points_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_entries_store_id'))
        batch_op.drop_index(batch_op.f('ix_points_entries_reverses_id'))
        batch_op.drop_index('ix_points_entries_resident_created')
        batch_op.drop_index('ix_points_entries_ref')

    op.drop_table('points_entries')
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.drop_index('ix_pledges_store_status_due')
        batch_op.drop_index(batch_op.f('ix_pledges_store_id'))
        batch_op.drop_index(batch_op.f('ix_pledges_donor_id'))

    op.drop_table('pledges')
    with op.batch_alter_table('lot_balances', schema=None) as batch_op:
        batch_op.drop_index('ix_lot_balances_store_item')

    op.drop_table('lot_balances')
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distributions_store_id'))
        batch_op.drop_index('ix_distributions_household_day')
        batch_op.drop_index(batch_op.f('ix_distributions_handed_out_on'))
        batch_op.drop_index(batch_op.f('ix_distributions_campaign_id'))

    op.drop_table('distributions')
    op.drop_table('store_prices')
    with op.batch_alter_table('stocktake_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stocktake_lines_stocktake_id'))

    op.drop_table('stocktake_lines')
    op.drop_table('stocktake_categories')
    op.drop_table('stock_balances')
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shifts_store_id'))
        batch_op.drop_index(batch_op.f('ix_shifts_cashier_id'))

    op.drop_table('shifts')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residents_registered_store_id'))

    op.drop_table('residents')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_store_item')
        batch_op.drop_index(batch_op.f('ix_lots_store_id'))

    op.drop_table('lots')
    with op.batch_alter_table('donors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donors_store_id'))
        batch_op.drop_index(batch_op.f('ix_donors_match_key'))

    op.drop_table('donors')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('aid_usage')
    with op.batch_alter_table('aid_household_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_household_views_store_id'))
        batch_op.drop_index(batch_op.f('ix_aid_household_views_household_id'))
        batch_op.drop_index(batch_op.f('ix_aid_household_views_at'))

    op.drop_table('aid_household_views')
    with op.batch_alter_table('aid_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_files_store_id'))
        batch_op.drop_index(batch_op.f('ix_aid_files_campaign_id'))

    op.drop_table('aid_files')
    op.drop_table('aid_campaign_pack')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_store_id'))
        batch_op.drop_index(batch_op.f('ix_users_district_id'))

    op.drop_table('users')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_to_store_id'))
        batch_op.drop_index(batch_op.f('ix_transfers_store_id'))

    op.drop_table('transfers')
    op.drop_table('till_settings')
    op.drop_table('store_inventory_settings')
    with op.batch_alter_table('stocktakes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stocktakes_store_id'))

    op.drop_table('stocktakes')
    with op.batch_alter_table('period_closes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_closes_store_id'))

    op.drop_table('period_closes')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_pinyin'))
        batch_op.drop_index(batch_op.f('ix_items_category_id'))

    op.drop_table('items')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('uq_households_live_id_hmac', sqlite_where=sa.text("status <> 'expired'"), postgresql_where=sa.text("status <> 'expired'"))
        batch_op.drop_index(batch_op.f('ix_households_store_id'))
        batch_op.drop_index(batch_op.f('ix_households_id_last4'))
        batch_op.drop_index(batch_op.f('ix_households_id_hmac'))
        batch_op.drop_index(batch_op.f('ix_households_head_name'))
        batch_op.drop_index(batch_op.f('ix_households_address_key'))

    op.drop_table('households')
    op.drop_table('aid_entitlement_goods')
    with op.batch_alter_table('aid_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_campaigns_store_id'))

    op.drop_table('aid_campaigns')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stores_district_id'))

    op.drop_table('stores')
    with op.batch_alter_table('points_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_activities_table_id'))

    op.drop_table('points_activities')
    with op.batch_alter_table('aid_entitlements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_entitlements_category_code'))

    op.drop_table('aid_entitlements')
    op.drop_table('sequences')
    op.drop_table('points_tables')
    with op.batch_alter_table('points_pin_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_points_pin_attempts_key_at')

    op.drop_table('points_pin_attempts')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_username_at')
        batch_op.drop_index('ix_login_attempts_address_at')

    op.drop_table('login_attempts')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_job_runs_one_running', sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))
        batch_op.drop_index('ix_job_runs_name_started')

    op.drop_table('job_runs')
    op.drop_table('idempotency_keys')
    op.drop_table('districts')
    op.drop_table('categories')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_store_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    op.drop_table('audit_chain_heads')
    op.drop_table('aid_flag_reviews')
    op.drop_table('aid_categories')
