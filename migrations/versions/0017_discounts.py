"""Till discounts: what each sale line was discounted, by whom and who approved; per-store, per-role limits.

Revision ID: 0017_discounts
Revises: 0016_offline
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_discounts'
down_revision = '0016_offline'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_fen", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("basket_discount_fen", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("discount_by_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("discount_approver_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_sale_lines_discount_by_id_users"), "users",
                                    ["discount_by_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_sale_lines_discount_approver_id_users"), "users",
                                    ["discount_approver_id"], ["id"])
        batch_op.create_check_constraint(
            batch_op.f("ck_sale_lines_basket_share_within_discount"),
            "basket_discount_fen >= 0 AND basket_discount_fen <= discount_fen")
    op.create_table(
        "till_discount_limits",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("max_percent", sa.Integer(), nullable=False),
        sa.Column("max_fen", sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('cashier', 'store_manager')", name=op.f("ck_till_discount_limits_role_known")),
        sa.CheckConstraint("max_percent >= 0 AND max_percent <= 100",
                           name=op.f("ck_till_discount_limits_percent_range")),
        sa.CheckConstraint("max_fen >= 0", name=op.f("ck_till_discount_limits_fen_not_negative")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_till_discount_limits_store_id_stores")),
        sa.PrimaryKeyConstraint("store_id", "role", name=op.f("pk_till_discount_limits")),
    )


def downgrade():
    op.drop_table("till_discount_limits")
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_sale_lines_basket_share_within_discount"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_sale_lines_discount_approver_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_sale_lines_discount_by_id_users"), type_="foreignkey")
        batch_op.drop_column("discount_approver_id")
        batch_op.drop_column("discount_by_id")
        batch_op.drop_column("basket_discount_fen")
        batch_op.drop_column("discount_fen")
