"""customer notices and the kiosk - the outbox of messages to customers, raised by the events
themselves, and the kiosk's wrong look-ups

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A trigger on `event` inserts one notice per (event, channel) for the four events a customer
hears of: registered, paused, resolved (ready to collect, or closed when answered on the spot)
and closed. So every channel that writes those events raises its notices in the same
transaction, and a customer who opted out (`customer.notify`) gets none. The NOTIFY of kind
"notice" wakes the daemon; it renders the text at send time from `[notify]`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTICE_RAISING = """
CREATE FUNCTION event_notice() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    purpose text := CASE
        WHEN NEW.kind = 'resolved' AND coalesce((NEW.details->>'on_the_spot')::boolean, false)
            THEN 'closed'
        WHEN NEW.kind = 'resolved' THEN 'ready'
        ELSE NEW.kind END;
BEGIN
    INSERT INTO notice (request_id, event_id, purpose, channel, address, status, attempts,
                        next_attempt_at, created_at)
    SELECT r.id, NEW.id, purpose, c.channel, c.address, 'pending', 0, NEW.at, NEW.at
    FROM request r
    JOIN customer cu ON cu.id = r.customer_id
    CROSS JOIN LATERAL (VALUES ('sms', cu.phone), ('email', cu.email)) AS c(channel, address)
    WHERE r.id = NEW.request_id AND cu.notify AND coalesce(c.address, '') <> ''
    ON CONFLICT ON CONSTRAINT notice_once DO NOTHING;
    IF FOUND THEN
        PERFORM ptsa_notify('notice', NEW.request_id, NULL, NULL);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER event_notice AFTER INSERT ON event FOR EACH ROW
    WHEN (NEW.kind IN ('registered', 'paused', 'resolved', 'closed')
          AND NEW.request_id IS NOT NULL)
    EXECUTE FUNCTION event_notice();
"""


def upgrade() -> None:
    op.add_column(
        "customer",
        sa.Column("notify", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.create_table(
        "notice",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("request.id"), nullable=False),
        # no foreign key: `event` is append-only, and its guard against TRUNCATE must stay the
        # append-only trigger's, not a dependant table's
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_id", "channel", name="notice_once"),
        sa.CheckConstraint("channel IN ('email', 'sms')", name="notice_channel"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="notice_status"),
        sa.CheckConstraint(
            "purpose IN ('registered', 'paused', 'ready', 'closed')", name="notice_purpose"
        ),
    )
    op.create_index(
        "notice_due",
        "notice",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("notice_request", "notice", ["request_id"])
    op.create_table(
        "notice_attempt",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("notice_id", sa.BigInteger(), sa.ForeignKey("notice.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("daemon", sa.Text(), nullable=False),
    )
    op.create_index("notice_attempt_notice", "notice_attempt", ["notice_id", "id"])
    op.execute(NOTICE_RAISING)
    # the kiosk's wrong look-ups, per kiosk and per tracking number: repeated ones wait longer
    op.create_table(
        "lookup_miss",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("lookup_miss_key", "lookup_miss", ["key", "at"])


def downgrade() -> None:
    op.drop_table("lookup_miss")
    op.execute("DROP TRIGGER event_notice ON event")
    op.execute("DROP FUNCTION event_notice()")
    op.drop_table("notice_attempt")
    op.drop_table("notice")
    op.drop_column("customer", "notify")
