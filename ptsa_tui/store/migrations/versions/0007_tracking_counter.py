"""tracking numbers - allocated in the registering transaction, so a failed one leaves no gap

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

A tracking number is PTSA-YYYY-NNNNNN, NNNNNN counting within the office year. `nextval` is not
rolled back, so the sequence of 0001 left a gap after every failed registration. The counter
row of the year is taken with `INSERT … ON CONFLICT DO UPDATE SET last = last + 1 RETURNING
last` inside the registering transaction: its row lock is held until commit, so registrations
serialise (a few a minute at this office) and a rolled-back one gives its number back.

The counters start at the highest number each year already has; the latest year also at the
sequence's last value, which may lie above it (a number given out and since lost), so no
number is ever given twice. `tracking_no_seq` stays, unused (bulk loaders still set it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NUMBERED = r"tracking_no ~ '^PTSA-[0-9]{4}-[0-9]{1,9}$'"


def upgrade() -> None:
    op.create_table(
        "tracking_counter",
        sa.Column("year", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.CheckConstraint("last >= 0", name="tracking_counter_last"),
        sa.PrimaryKeyConstraint("year"),
    )
    op.execute(
        "INSERT INTO tracking_counter (year, last)"
        " SELECT substr(tracking_no, 6, 4)::smallint, max(substr(tracking_no, 11)::integer)"
        f" FROM request WHERE {_NUMBERED} GROUP BY 1"
    )
    op.execute(
        "UPDATE tracking_counter SET last = greatest(last, ("
        "  SELECT CASE WHEN is_called THEN least(last_value, 2147483647)::integer ELSE 0 END"
        "  FROM tracking_no_seq))"
        " WHERE year = (SELECT max(year) FROM tracking_counter)"
    )


def downgrade() -> None:
    # The old code numbers from the sequence across years: start it above every number given.
    op.execute(
        "SELECT setval('tracking_no_seq', max(last)) FROM tracking_counter HAVING max(last) > 0"
    )
    op.drop_table("tracking_counter")
