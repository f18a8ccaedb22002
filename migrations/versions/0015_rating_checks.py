"""The rating's scheduled on-site checks and their per-rule results, the round's closed state, a late
decision's reason and a rejected proposal's reason.

Revision ID: 0015_rating_checks
Revises: 0014_printers
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_rating_checks'
down_revision = '0014_printers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rating_onsite_visits",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("inspectors", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("scheduled_by", sa.String(length=64), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["rating_assessments.id"],
                                name=op.f("fk_rating_onsite_visits_assessment_id_rating_assessments")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_rating_onsite_visits_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_onsite_visits")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_rating_onsite_visits_assessment_id")),
    )
    with op.batch_alter_table("rating_onsite_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_onsite_visits_store_id"), ["store_id"], unique=False)
    with op.batch_alter_table("rating_onsite_checks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("results", sa.JSON(), nullable=True))
    with op.batch_alter_table("rating_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), server_default="open", nullable=False))
        batch_op.add_column(sa.Column("closed_by", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("rating_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_reason", sa.String(length=300), server_default="", nullable=False))
    with op.batch_alter_table("rating_proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rejection_reason", sa.String(length=300), server_default="",
                                      nullable=False))


def downgrade():
    with op.batch_alter_table("rating_proposals", schema=None) as batch_op:
        batch_op.drop_column("rejection_reason")
    with op.batch_alter_table("rating_decisions", schema=None) as batch_op:
        batch_op.drop_column("late_reason")
    with op.batch_alter_table("rating_rounds", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("closed_by")
        batch_op.drop_column("status")
    with op.batch_alter_table("rating_onsite_checks", schema=None) as batch_op:
        batch_op.drop_column("results")
    with op.batch_alter_table("rating_onsite_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_onsite_visits_store_id"))
    op.drop_table("rating_onsite_visits")
