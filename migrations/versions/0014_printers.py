"""The stores' ESC/POS network printers (receipt and label printers, host and port each).

Revision ID: 0014_printers
Revises: 0013_inventory_checkpoints
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_printers'
down_revision = '0013_inventory_checkpoints'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "till_printers",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("host", sa.String(length=45), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("paper_mm", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("paper_mm IN (58, 80)", name=op.f("ck_till_printers_paper_known")),
        sa.CheckConstraint("kind IN ('receipt', 'label')", name=op.f("ck_till_printers_kind_known")),
        sa.CheckConstraint("port BETWEEN 1 AND 65535", name=op.f("ck_till_printers_port_range")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_till_printers_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_printers")),
        sa.UniqueConstraint("store_id", "name", name=op.f("uq_till_printers_store_id_name")),
    )
    with op.batch_alter_table("till_printers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_till_printers_store_id"), ["store_id"], unique=False)


def downgrade():
    with op.batch_alter_table("till_printers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_till_printers_store_id"))
    op.drop_table("till_printers")
