"""The offline till: blocks of provisional receipt numbers per tablet, sales recorded offline and their
"sold while offline" shortfalls.

Revision ID: 0016_offline
Revises: 0015_rating_checks
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_offline'
down_revision = '0015_rating_checks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offline_blocks",
        sa.Column("block_no", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=24), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("cashier_id", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_offline_blocks_size_positive")),
        sa.ForeignKeyConstraint(["cashier_id"], ["users.id"], name=op.f("fk_offline_blocks_cashier_id_users")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_offline_blocks_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_blocks")),
        sa.UniqueConstraint("store_id", "block_no", name="uq_offline_blocks_store_no"),
    )
    with op.batch_alter_table("offline_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offline_blocks_store_id"), ["store_id"], unique=False)

    op.create_table(
        "offline_sales",
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("block_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("provisional_number", sa.String(length=40), nullable=False),
        sa.Column("landed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("problems", sa.String(length=100), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Uuid(), nullable=True),
        sa.Column("resolution", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["block_id"], ["offline_blocks.id"], name=op.f("fk_offline_sales_block_id_offline_blocks")),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], name=op.f("fk_offline_sales_resolved_by_id_users")),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_offline_sales_sale_id_sales")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_offline_sales_store_id_stores")),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_offline_sales")),
        sa.UniqueConstraint("block_id", "seq", name="uq_offline_sales_block_seq"),
    )
    with op.batch_alter_table("offline_sales", schema=None) as batch_op:
        batch_op.create_index("ix_offline_sales_store_open", ["store_id", "needs_review", "resolved_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_offline_sales_store_id"), ["store_id"], unique=False)

    op.create_table(
        "offline_shortfalls",
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_offline_shortfalls_qty_positive")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_offline_shortfalls_item_id_items")),
        sa.ForeignKeyConstraint(["sale_id"], ["offline_sales.sale_id"],
                                name=op.f("fk_offline_shortfalls_sale_id_offline_sales")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_offline_shortfalls_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_shortfalls")),
    )
    with op.batch_alter_table("offline_shortfalls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offline_shortfalls_sale_id"), ["sale_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offline_shortfalls_store_id"), ["store_id"], unique=False)


def downgrade():
    op.drop_table("offline_shortfalls")
    op.drop_table("offline_sales")
    op.drop_table("offline_blocks")
