"""audit chain - a SHA-256 hash chain per request over the events, and each event's channel and origin

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

Each request's events form one chain (chain key = request id; events about no request, such as
log-ins, form chain 0). The BEFORE INSERT trigger takes the chain's head row lock, numbers the
event within its chain, hashes it over the previous hash and its content, and moves the head.
A chain per request keeps the claim path free of any global lock.

`chain_head` is owner-only: the runtime role never reads or writes it; the trigger does, as its
owner (SECURITY DEFINER).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One home for what an event's hash covers: the trigger, the backfill and `audit verify` call it.
EVENT_HASH = r"""
CREATE FUNCTION event_hash(
    prev bytea, id bigint, chain_seq integer, kind text, at timestamptz, officer_id integer,
    request_id integer, task_id integer, details jsonb, channel text, origin text
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(concat_ws(chr(31),
        id, chain_seq, kind, extract(epoch FROM at), coalesce(officer_id::text, '-'),
        coalesce(request_id::text, '-'), coalesce(task_id::text, '-'), details::text,
        channel, coalesce(origin, '-')), 'UTF8'))
$$;
"""

# The id is drawn after the head's lock is held, so within a chain ids grow with chain_seq,
# and `audit anchor` (which waits for every writer of chain_head) sees no event in flight below
# the largest id it reads.
EVENT_CHAIN = r"""
CREATE FUNCTION event_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    key integer := coalesce(NEW.request_id, 0);
    head record;
BEGIN
    INSERT INTO chain_head (chain, seq, event_id, hash) VALUES (key, 0, 0, NULL)
        ON CONFLICT (chain) DO NOTHING;
    SELECT seq, hash INTO head FROM chain_head WHERE chain = key FOR UPDATE;
    NEW.id := nextval('event_id_seq');
    NEW.channel := coalesce(nullif(current_setting('ptsa.channel', true), ''), 'unknown');
    NEW.origin := nullif(current_setting('ptsa.origin', true), '');
    NEW.chain_seq := head.seq + 1;
    NEW.prev_hash := head.hash;
    NEW.hash := event_hash(NEW.prev_hash, NEW.id, NEW.chain_seq, NEW.kind, NEW.at,
                           NEW.officer_id, NEW.request_id, NEW.task_id, NEW.details,
                           NEW.channel, NEW.origin);
    UPDATE chain_head SET seq = NEW.chain_seq, event_id = NEW.id, hash = NEW.hash
        WHERE chain = key;
    RETURN NEW;
END $$;
CREATE TRIGGER event_chain BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_chain();
"""

# SHARE on chain_head waits for every transaction writing an event, and holds new ones off
# until the caller's transaction ends: no event below the id returned is still in flight.
ANCHOR_UPTO = r"""
CREATE FUNCTION audit_anchor_upto() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    LOCK TABLE chain_head IN SHARE MODE;
    RETURN (SELECT coalesce(max(id), 0) FROM event);
END $$;
"""

# Existing events, chained in id order; the append-only trigger is set aside for it.
BACKFILL = r"""
ALTER TABLE event DISABLE TRIGGER event_append_only;
DO $$
DECLARE
    e record;
    previous bytea;
    last_chain integer := NULL;
    seq integer := 0;
BEGIN
    FOR e IN SELECT * FROM event ORDER BY coalesce(request_id, 0), id LOOP
        IF last_chain IS DISTINCT FROM coalesce(e.request_id, 0) THEN
            last_chain := coalesce(e.request_id, 0);
            previous := NULL;
            seq := 0;
        END IF;
        seq := seq + 1;
        UPDATE event SET chain_seq = seq, prev_hash = previous,
            hash = event_hash(previous, e.id, seq, e.kind, e.at, e.officer_id, e.request_id,
                              e.task_id, e.details, e.channel, e.origin)
            WHERE id = e.id RETURNING hash INTO previous;
        INSERT INTO chain_head (chain, seq, event_id, hash) VALUES (last_chain, seq, e.id, previous)
            ON CONFLICT (chain) DO UPDATE
            SET seq = EXCLUDED.seq, event_id = EXCLUDED.event_id, hash = EXCLUDED.hash;
    END LOOP;
END $$;
ALTER TABLE event ENABLE TRIGGER event_append_only;
"""


def upgrade() -> None:
    op.add_column("event", sa.Column("channel", sa.Text(), server_default="unknown"))
    op.add_column("event", sa.Column("origin", sa.Text(), nullable=True))
    op.add_column("event", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("event", sa.Column("prev_hash", sa.LargeBinary(), nullable=True))
    op.add_column("event", sa.Column("hash", sa.LargeBinary(), nullable=True))
    op.create_table(
        "chain_head",
        sa.Column("chain", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=True),
    )
    op.execute(EVENT_HASH)
    op.execute(BACKFILL)
    op.alter_column("event", "channel", nullable=False, server_default=None)
    op.alter_column("event", "chain_seq", nullable=False)
    op.alter_column("event", "hash", nullable=False)
    op.execute("ALTER TABLE event ALTER COLUMN id DROP DEFAULT")  # the trigger draws it
    op.execute(EVENT_CHAIN)
    op.execute(ANCHOR_UPTO)


def downgrade() -> None:
    op.execute("DROP TRIGGER event_chain ON event")
    op.execute("DROP FUNCTION event_chain()")
    op.execute("ALTER TABLE event ALTER COLUMN id SET DEFAULT nextval('event_id_seq')")
    op.execute("DROP FUNCTION audit_anchor_upto()")
    op.execute("DROP FUNCTION event_hash")
    op.drop_table("chain_head")
    for column in ("hash", "prev_hash", "chain_seq", "origin", "channel"):
        op.drop_column("event", column)
