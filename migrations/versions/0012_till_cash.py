"""Cash paid in and out of the till and no-sale drawer openings; the store's approval limit for them.

Revision ID: 0012_till_cash
Revises: 0011_rating
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_till_cash'
down_revision = '0011_rating'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("till_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cash_approval_limit_fen", sa.Integer(), server_default="20000",
                                      nullable=False))
    op.create_table(
        "till_cash_movements",
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("cashier_id", sa.Uuid(), nullable=False),
        sa.Column("approver_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("kind IN ('paid_in', 'paid_out', 'no_sale')", name=op.f("ck_till_cash_movements_kind_known")),
        sa.CheckConstraint("(kind = 'no_sale' AND amount_fen = 0) OR (kind <> 'no_sale' AND amount_fen > 0)",
                           name=op.f("ck_till_cash_movements_amount_matches_kind")),
        sa.ForeignKeyConstraint(["approver_id"], ["users.id"], name=op.f("fk_till_cash_movements_approver_id_users")),
        sa.ForeignKeyConstraint(["cashier_id"], ["users.id"], name=op.f("fk_till_cash_movements_cashier_id_users")),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.id"], name=op.f("fk_till_cash_movements_shift_id_shifts")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_till_cash_movements_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_cash_movements")),
    )
    with op.batch_alter_table("till_cash_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_till_cash_movements_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_till_cash_movements_store_id"), ["store_id"], unique=False)


def downgrade():
    with op.batch_alter_table("till_cash_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_till_cash_movements_store_id"))
        batch_op.drop_index(batch_op.f("ix_till_cash_movements_shift_id"))
    op.drop_table("till_cash_movements")
    with op.batch_alter_table("till_settings", schema=None) as batch_op:
        batch_op.drop_column("cash_approval_limit_fen")
