"""segmentstream: orders' latest state (status, total, revenue counted) and their history

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.Column("total_micros", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("reporting_revenue_micros", sa.BigInteger(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("refunded", sa.Boolean(), nullable=False),
        sa.Column("created_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("app", "order_id"),
    )
    op.create_table(
        "order_history",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.String(length=500), nullable=False),
        sa.Column("outcome_id", Id, nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.Column("total_micros", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("revenue_change_micros", sa.BigInteger(), nullable=False),
        sa.Column("reporting_revenue_micros", sa.BigInteger(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("changed_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("order_history", schema=None) as batch_op:
        batch_op.create_index("ix_order_history_order", ["app", "order_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_history", schema=None) as batch_op:
        batch_op.drop_index("ix_order_history_order")

    op.drop_table("order_history")
    op.drop_table("orders")
