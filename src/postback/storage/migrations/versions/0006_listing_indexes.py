"""listing indexes: events by app in a time window, outcomes by reason, links by either id

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 16:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_app_time", ["app", "event_time_ms"], unique=False)
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_outcomes_reason_id", ["reason", "id"], unique=False)
    with op.batch_alter_table("identity_links", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_links_left")
        batch_op.drop_index("ix_identity_links_right")
        batch_op.create_index("ix_identity_links_left_value", ["left_value", "app", "right_value"])
        batch_op.create_index("ix_identity_links_right_value", ["right_value", "app", "left_value"])


def downgrade() -> None:
    with op.batch_alter_table("identity_links", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_links_right_value")
        batch_op.drop_index("ix_identity_links_left_value")
        batch_op.create_index("ix_identity_links_right", ["app", "right_value"], unique=False)
        batch_op.create_index("ix_identity_links_left", ["app", "left_value"], unique=False)
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_reason_id")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_app_time")
