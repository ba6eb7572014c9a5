"""desk app - presence, and an index for the unclaimed queue

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officer.id"), primary_key=True),
        sa.Column("host", sa.Text(), primary_key=True),
        sa.Column("pid", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("presence_seen", "presence", ["last_seen_at"])
    # A desk's Queue tab, and every claimer's look at the head of the queue: without it a scan
    # walks past every claimed-but-open task of the unit first.
    op.create_index(
        "task_unit_unclaimed",
        "task",
        ["unit_id", "claim_due_at"],
        postgresql_where=sa.text("closed_at IS NULL AND claimed_by IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("task_unit_unclaimed", table_name="task")
    op.drop_index("presence_seen", table_name="presence")
    op.drop_table("presence")
