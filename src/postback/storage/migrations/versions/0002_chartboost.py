"""chartboost: first label per (app, field), label conflicts, players' current levels

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chartboost_labels",
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("event_field", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("first_seen_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("app", "event_field"),
    )
    op.create_table(
        "chartboost_label_conflicts",
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("event_field", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("first_seen_ms", sa.BigInteger(), nullable=False),
        sa.Column("last_seen_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("app", "event_field", "label"),
    )
    op.create_table(
        "chartboost_levels",
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("event_field", sa.Integer(), nullable=False),
        sa.Column("player", sa.String(length=200), nullable=False),
        sa.Column("main_level", sa.BigInteger(), nullable=False),
        sa.Column("sub_level", sa.BigInteger(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("app", "event_field", "player"),
    )
    with op.batch_alter_table("chartboost_levels", schema=None) as batch_op:
        batch_op.create_index(
            "ix_chartboost_levels_rank",
            ["app", "event_field", "main_level", "sub_level"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("chartboost_levels", schema=None) as batch_op:
        batch_op.drop_index("ix_chartboost_levels_rank")

    op.drop_table("chartboost_levels")
    op.drop_table("chartboost_label_conflicts")
    op.drop_table("chartboost_labels")
