"""The dashboards' other flows in the central check's daily facts (goods donations and units, items handed out,
money by method, write-offs, points, shifts with a cash difference, new donors), by cashier
(standards_cashier_facts) and by goods category (standards_goods_category_facts); the time indexes their daily
refresh reads, the lots' expiry index (the dashboards' food expiring soon), and the standing snapshot
(oversight_standing) the periodic job takes.

Revision ID: 0024_dashboard_facts
Revises: 0023_fact_values
"""
import sqlalchemy as sa
from alembic import op


revision = '0024_dashboard_facts'
down_revision = '0023_fact_values'
branch_labels = None
depends_on = None

COLUMNS = ("goods_donations", "goods_units", "aid_items", "money_cash_fen", "money_wechat_fen", "money_alipay_fen",
           "money_bank_transfer_fen", "money_other_fen", "writeoffs", "writeoffs_fen", "points_issued",
           "points_redeemed", "points_expired", "cash_diff_shifts", "cash_diff_abs_fen", "donors_first")


STANDING = ("pledges_open", "pledges_open_fen", "pledges_overdue", "pledges_overdue_fen", "review_due",
            "points_liability", "points_stock", "stock_fen", "age30_fen", "age90_fen", "age180_fen", "age_over_fen",
            "expiring7", "expiring7_fen", "expiring30", "expiring30_fen")


CASHIER = ("sales", "voids", "returns", "overrides", "cash_diff_shifts", "cash_diff_abs_fen")


def upgrade():
    op.create_table(
        "standards_cashier_facts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cashier_id", sa.Uuid(), nullable=True),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in CASHIER),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_standards_cashier_facts_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards_cashier_facts")),
    )
    op.create_index("ix_standards_cashier_facts_day", "standards_cashier_facts", ["day"])
    op.create_table(
        "standards_goods_category_facts",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"],
                                name=op.f("fk_standards_goods_category_facts_category_id_categories")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"],
                                name=op.f("fk_standards_goods_category_facts_store_id_stores")),
        sa.PrimaryKeyConstraint("store_id", "day", "category_id", name=op.f("pk_standards_goods_category_facts")),
    )
    op.create_index("ix_standards_goods_category_facts_day", "standards_goods_category_facts", ["day"])
    op.create_index("ix_standards_cashier_facts_store_day", "standards_cashier_facts", ["store_id", "day"])
    op.create_table(
        "oversight_standing",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in STANDING),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_oversight_standing_store_id_stores")),
        sa.PrimaryKeyConstraint("store_id", name=op.f("pk_oversight_standing")),
    )
    with op.batch_alter_table("standards_daily_facts", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0"))
    op.create_index("ix_write_offs_occurred_at", "write_offs", ["occurred_at"])
    op.create_index("ix_donation_fund_entries_occurred_at", "donation_fund_entries", ["occurred_at"])
    op.create_index("ix_lots_expiry_date", "lots", ["expiry_date"])
    # The overridden lines' partial index carries what the cashier facts filter on (an index-only scan).
    op.drop_index("ix_sale_lines_overridden", table_name="sale_lines", postgresql_where=sa.text("override_reason <> ''"),
                  sqlite_where=sa.text("override_reason <> ''"))
    op.create_index("ix_sale_lines_overridden", "sale_lines", ["sale_id"], unique=False,
                    postgresql_where=sa.text("override_reason <> ''"), sqlite_where=sa.text("override_reason <> ''"),
                    postgresql_include=["unit_price_fen", "list_price_fen", "pay_with_points"])
    # The facts are a cache of the ledgers (as in 0009_oversight, 0023_fact_values): drop them, so the next refresh
    # aggregates every day again with the new figures; until then the dashboards read those days from the ledgers.
    op.execute("DELETE FROM standards_daily_facts")
    op.execute("DELETE FROM standards_refresh_state WHERE name = 'facts'")


def downgrade():
    op.drop_index("ix_standards_goods_category_facts_day", table_name="standards_goods_category_facts")
    op.drop_table("standards_goods_category_facts")
    op.drop_index("ix_standards_cashier_facts_store_day", table_name="standards_cashier_facts")
    op.drop_index("ix_standards_cashier_facts_day", table_name="standards_cashier_facts")
    op.drop_table("standards_cashier_facts")
    op.drop_table("oversight_standing")
    op.drop_index("ix_sale_lines_overridden", table_name="sale_lines")
    op.create_index("ix_sale_lines_overridden", "sale_lines", ["sale_id"], unique=False,
                    postgresql_where=sa.text("override_reason <> ''"), sqlite_where=sa.text("override_reason <> ''"))
    op.drop_index("ix_lots_expiry_date", table_name="lots")
    op.drop_index("ix_donation_fund_entries_occurred_at", table_name="donation_fund_entries")
    op.drop_index("ix_write_offs_occurred_at", table_name="write_offs")
    with op.batch_alter_table("standards_daily_facts", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
