"""affiliate: offers, offer events, affiliates, postback tokens, clicks, conversions, totals

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _money(name: str) -> list[sa.Column[Any]]:
    return [
        sa.Column(f"{name}_type", sa.String(length=10), nullable=False),
        sa.Column(f"{name}_micros", sa.BigInteger(), nullable=False),
    ]


def _times() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_at_ms", sa.BigInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("app", sa.String(length=200), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_money("revenue"),
        *_money("payout"),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "offer_events",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        *_money("revenue"),
        *_money("payout"),
        sa.Column("allow_multiple", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"]),
        sa.PrimaryKeyConstraint("offer_id", "id"),
        sa.UniqueConstraint("offer_id", "name", name="uq_offer_events_name"),
    )
    op.create_table(
        "affiliates",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "affiliate_tokens",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("provisioned", sa.Boolean(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token", name="uq_affiliate_tokens_token"),
    )
    _create_clicks()
    _create_conversions()
    _create_totals()


def _create_clicks() -> None:
    op.create_table(
        "affiliate_clicks",
        sa.Column("transaction_id", sa.String(length=100), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("aff_id", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Text(), nullable=True)
            for name in ("aff_sub", "aff_sub2", "aff_sub3", "aff_sub4", "aff_sub5", "source")
        ),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("referrer", sa.Text(), nullable=True),
        sa.Column("destination", sa.Text(), nullable=True),
        sa.Column("clicked_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("event_id", Id, nullable=False),
        sa.Column("outcome_id", Id, nullable=False),
        sa.PrimaryKeyConstraint("transaction_id"),
    )
    with op.batch_alter_table("affiliate_clicks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_affiliate_clicks_offer", ["offer_id", "clicked_at_ms"], unique=False
        )


def _create_conversions() -> None:
    text_columns = (
        "adv_sub_id",
        "adv_sub_id_2",
        "adv_sub_id_3",
        "adv_sub_id_4",
        "adv_sub_id_5",
        "adv_sub_id_6",
        "external_transaction_id",
        "user_email",
        "device_id",
    )
    op.create_table(
        "affiliate_conversions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("transaction_id", sa.String(length=100), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("aff_id", sa.Integer(), nullable=False),
        sa.Column("offer_event_id", sa.Integer(), nullable=True),
        sa.Column("event_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purchase_value_micros", sa.BigInteger(), nullable=True),
        sa.Column("revenue_micros", sa.BigInteger(), nullable=False),
        sa.Column("payout_micros", sa.BigInteger(), nullable=False),
        sa.Column("profit_micros", sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=True) for name in text_columns),
        sa.Column("received_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("event_id", Id, nullable=True),
        sa.Column("outcome_id", Id, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("affiliate_conversions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_affiliate_conversions_transaction", ["transaction_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_affiliate_conversions_offer", ["offer_id", "received_at_ms"], unique=False
        )


def _total_keys() -> list[sa.Column[Any]]:
    return [
        sa.Column(name, sa.Integer(), nullable=False)
        for name in ("day", "offer_id", "aff_id", "offer_event_id")
    ]


def _create_totals() -> None:
    op.create_table(
        "affiliate_daily_totals",
        *_total_keys(),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in ("clicks", "conversions", "events", "revenue_micros", "payout_micros")
        ),
        sa.PrimaryKeyConstraint("day", "offer_id", "aff_id", "offer_event_id"),
    )
    op.create_table(
        "affiliate_daily_refusals",
        *_total_keys(),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "offer_id", "aff_id", "offer_event_id", "reason"),
    )


def downgrade() -> None:
    with op.batch_alter_table("affiliate_conversions", schema=None) as batch_op:
        batch_op.drop_index("ix_affiliate_conversions_offer")
        batch_op.drop_index("ix_affiliate_conversions_transaction")
    with op.batch_alter_table("affiliate_clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_affiliate_clicks_offer")
    for table in (
        "affiliate_daily_refusals",
        "affiliate_daily_totals",
        "affiliate_conversions",
        "affiliate_clicks",
        "affiliate_tokens",
        "affiliates",
        "offer_events",
        "offers",
    ):
        op.drop_table(table)
