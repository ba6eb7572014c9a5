"""alert daemon - outbox attempts, leader and heartbeat

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The leader needs no table: it holds a session advisory lock on a dedicated connection.
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
        "alert_attempt",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("alert_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("daemon", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("alert_attempt_alert", "alert_attempt", ["alert_id", "id"], unique=False)
    op.create_table(
        "alert_heartbeat",
        sa.Column("daemon", sa.Text(), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("interval", sa.Interval(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_scan_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('leader', 'standby')", name="heartbeat_role"),
        sa.PrimaryKeyConstraint("daemon"),
    )


def downgrade() -> None:
    op.drop_table("alert_heartbeat")
    op.drop_index("alert_attempt_alert", table_name="alert_attempt")
    op.drop_table("alert_attempt")
