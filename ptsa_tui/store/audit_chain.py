"""Checking the events' hash chains (migration 0006), and the anchor that pins them in time.

`verify` recomputes every event's hash in one set-based statement and checks the links with a
window; `anchor` prints one digest over every chain's newest event, for operators to ship off
the host. An anchor names the largest event id it covered, so `verify --anchor` can rebuild the
same digest from the events and prove that none at or below it was changed or removed, even by
someone who recomputed every hash after.
"""

import re
from dataclasses import dataclass

from sqlalchemy import Engine, text

ANCHOR_FORMAT = re.compile(r"^ptsa1-(\d{1,19})-([0-9a-f]{64})$", re.ASCII)


class AnchorFormatError(ValueError):
    """Not a digest that `audit anchor` prints."""


@dataclass(frozen=True)
class Break:
    chain: int  # the request id; 0 for events about no request
    tracking_no: str | None
    event_id: int | None
    problem: str

    def line(self) -> str:
        where = self.tracking_no or ("office chain" if self.chain == 0 else f"request {self.chain}")
        event = f" event {self.event_id}" if self.event_id is not None else ""
        return f"{where}{event}: {self.problem}"


_EVENT_BREAKS = text("""
WITH chained AS (
    SELECT id, coalesce(request_id, 0) AS chain, chain_seq, hash, prev_hash,
           event_hash(prev_hash, id, chain_seq, kind, at, officer_id, request_id, task_id,
                      details, channel, origin) AS recomputed,
           lag(hash) OVER w AS previous_hash, lag(chain_seq) OVER w AS previous_seq
    FROM event
    WINDOW w AS (PARTITION BY coalesce(request_id, 0) ORDER BY chain_seq, id)
)
SELECT chain, id,
       CASE WHEN hash IS DISTINCT FROM recomputed THEN 'content does not match its hash'
            WHEN chain_seq <> coalesce(previous_seq, 0) + 1
                 THEN 'events missing before it (chain position '
                      || chain_seq || ' after ' || coalesce(previous_seq, 0) || ')'
            ELSE 'link to the previous event broken' END
FROM chained
WHERE hash IS DISTINCT FROM recomputed
   OR chain_seq <> coalesce(previous_seq, 0) + 1
   OR prev_hash IS DISTINCT FROM previous_hash
""")

# A head that no longer matches its chain's newest event: the newest events were removed or
# the head itself was changed.
_HEAD_BREAKS = text("""
WITH newest AS (
    SELECT DISTINCT ON (coalesce(request_id, 0)) coalesce(request_id, 0) AS chain, id, chain_seq,
           hash
    FROM event ORDER BY coalesce(request_id, 0), chain_seq DESC, id DESC
)
SELECT coalesce(h.chain, n.chain), coalesce(n.id, h.event_id),
       CASE WHEN h.chain IS NULL THEN 'chain has no head record'
            WHEN n.chain IS NULL THEN 'every event of the chain is missing'
            WHEN h.seq = n.chain_seq AND h.event_id = n.id
                 THEN 'chain head does not match the newest event''s hash'
            ELSE 'newest events missing (head at position ' || h.seq || ', events end at '
                 || n.chain_seq || ')' END
FROM chain_head h FULL JOIN newest n ON n.chain = h.chain
WHERE h.chain IS NULL OR n.chain IS NULL OR h.seq <> n.chain_seq OR h.event_id <> n.id
   OR h.hash IS DISTINCT FROM n.hash
""")

_TRACKING = text("SELECT id, tracking_no FROM request WHERE id = ANY(:ids)")

# The digest over each chain's newest event at or below `upto`, in chain order.
_DIGEST = text("""
SELECT encode(sha256(convert_to(coalesce(string_agg(
           chain || ':' || chain_seq || ':' || encode(hash, 'hex'), ',' ORDER BY chain), ''),
       'UTF8')), 'hex')
FROM (SELECT DISTINCT ON (coalesce(request_id, 0)) coalesce(request_id, 0) AS chain,
             chain_seq, hash
      FROM event WHERE id <= :upto
      ORDER BY coalesce(request_id, 0), chain_seq DESC) AS heads
""")


def verify(engine: Engine) -> list[Break]:
    """Every break in every chain, oldest chain first; empty when the trail is intact."""
    with engine.connect() as connection:
        rows = [*connection.execute(_EVENT_BREAKS), *connection.execute(_HEAD_BREAKS)]
        chains = sorted({int(row[0]) for row in rows if row[0]})
        tracking = {int(r[0]): str(r[1]) for r in connection.execute(_TRACKING, {"ids": chains})}
    breaks = {
        Break(int(chain), tracking.get(chain), None if event is None else int(event), problem)
        for chain, event, problem in rows
    }
    return sorted(breaks, key=lambda b: (b.chain, b.event_id or 0, b.problem))


def anchor(engine: Engine) -> str:
    """One digest over every chain's newest event: `ptsa1-<largest event id>-<sha256 hex>`.

    audit_anchor_upto() locks out the writers until this transaction ends, so no event below
    the largest id is still in flight while the digest is read.
    """
    with engine.begin() as connection:
        upto = int(connection.scalar(text("SELECT audit_anchor_upto()")) or 0)
        digest = connection.scalar(_DIGEST, {"upto": upto})
    return f"ptsa1-{upto}-{digest}"


def matches_anchor(engine: Engine, anchor_text: str) -> bool:
    """Whether the events at or below the anchor's largest id still give its digest."""
    found = ANCHOR_FORMAT.match(anchor_text.strip())
    if found is None:
        raise AnchorFormatError(f"not an anchor: {anchor_text[:80]!r} (expected ptsa1-ID-HEX)")
    upto, digest = int(found.group(1)), found.group(2)
    with engine.connect() as connection:
        return bool(connection.scalar(_DIGEST, {"upto": upto}) == digest)
