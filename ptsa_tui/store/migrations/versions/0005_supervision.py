"""supervision - SOP pauses, acknowledged escalations, nudges, and indexes for the KPIs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, *, nullable: bool = True) -> "sa.Column[Any]":
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _officer(name: str, *, nullable: bool = True) -> "sa.Column[Any]":
    return sa.Column(name, sa.Integer(), sa.ForeignKey("officer.id"), nullable=nullable)


def upgrade() -> None:
    # A pause belongs to the request, not to a hop: it survives a transfer or a return.
    op.create_table(
        "request_pause",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("request.id"), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False),
        _at("paused_at", nullable=False),
        _officer("paused_by", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _at("resumed_at"),
        _officer("resumed_by"),
        sa.Column("moved_by", sa.Interval(), nullable=True),  # office time the SOP due moved
        sa.CheckConstraint(
            "(resumed_at IS NULL) = (resumed_by IS NULL)", name="request_pause_resume_pair"
        ),
        sa.CheckConstraint("resumed_at >= paused_at", name="request_pause_forward"),
    )
    op.create_index("request_pause_request", "request_pause", ["request_id", "id"])
    op.create_index(
        "request_pause_one_open",
        "request_pause",
        ["request_id"],
        unique=True,
        postgresql_where=sa.text("resumed_at IS NULL"),
    )
    # The last acknowledgement and the last nudge of a hop; the events keep every one.
    op.add_column("task", sa.Column("acked_level", sa.SmallInteger(), nullable=True))
    op.add_column("task", _at("acked_at"))
    op.add_column("task", _officer("acked_by"))
    op.add_column("task", _at("nudged_at"))
    op.add_column("task", _officer("nudged_by"))
    op.create_check_constraint(
        "task_ack_triple",
        "task",
        "(acked_level IS NULL) = (acked_at IS NULL) AND (acked_at IS NULL) = (acked_by IS NULL)",
    )
    op.create_check_constraint(
        "task_nudge_pair", "task", "(nudged_at IS NULL) = (nudged_by IS NULL)"
    )
    # When the officer last pressed a key or clicked, for the supervisors' "idle for".
    op.add_column("presence", _at("active_at"))
    # The KPIs: tasks offered to a unit in a period, requests resolved in a period.
    op.create_index("task_unit_offered", "task", ["unit_id", "offered_at"])
    op.create_index(
        "request_resolved",
        "request",
        ["resolved_at"],
        postgresql_where=sa.text("resolved_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("request_resolved", table_name="request")
    op.drop_index("task_unit_offered", table_name="task")
    op.drop_column("presence", "active_at")
    op.drop_constraint("task_nudge_pair", "task")
    op.drop_constraint("task_ack_triple", "task")
    for column in ("nudged_by", "nudged_at", "acked_by", "acked_at", "acked_level"):
        op.drop_column("task", column)
    op.drop_index("request_pause_one_open", table_name="request_pause")
    op.drop_index("request_pause_request", table_name="request_pause")
    op.drop_table("request_pause")
