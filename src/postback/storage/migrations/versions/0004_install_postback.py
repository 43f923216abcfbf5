"""install_postback: installs, the device ids they attribute, attributed events, daily totals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "installs",
        sa.Column("event_id", Id, nullable=False),
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("publisher", sa.String(length=500), nullable=False),
        sa.Column("campaign", sa.String(length=500), nullable=True),
        sa.Column("campaign_id", sa.String(length=500), nullable=True),
        sa.Column("sub_parameters", sa.Text(), nullable=False),
        sa.Column("install_time_ms", sa.BigInteger(), nullable=False),
        sa.Column("cost_micros", sa.BigInteger(), nullable=True),
        sa.Column("reporting_cost_micros", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "install_devices",
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("id_value", sa.String(length=500), nullable=False),
        sa.Column("id_type", sa.String(length=50), nullable=False),
        sa.Column("install_event_id", Id, nullable=False),
        sa.Column("created_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("app", "id_value", "id_type"),
    )
    op.create_table(
        "event_attribution",
        sa.Column("event_id", Id, nullable=False),
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("install_event_id", Id, nullable=False),
        sa.Column("publisher", sa.String(length=500), nullable=False),
        sa.Column("campaign", sa.String(length=500), nullable=True),
        sa.Column("campaign_id", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "daily_attribution_totals",
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("app", sa.String(length=200), nullable=False),
        sa.Column("publisher", sa.String(length=500), nullable=False),
        sa.Column("campaign", sa.String(length=500), nullable=False),
        sa.Column("installs", sa.BigInteger(), nullable=False),
        sa.Column("cost_micros", sa.BigInteger(), nullable=False),
        sa.Column("reporting_cost_micros", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("revenue_micros", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "app", "publisher", "campaign"),
    )


def downgrade() -> None:
    op.drop_table("daily_attribution_totals")
    op.drop_table("event_attribution")
    op.drop_table("install_devices")
    op.drop_table("installs")
