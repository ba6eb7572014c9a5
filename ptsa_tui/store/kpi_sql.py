"""The KPI queries: every figure is a count, a share or a percentile computed by PostgreSQL.

Parameters: `start` (the period's first local midnight, UTC), `cut` (the period's end, or
`now` if that comes first: nothing after `now` is seen), `now`, and `units` (unit ids) when a
query is limited to some units. Each query groups by unit and by `bucket`: 1 for the whole
period, or a week's number (`width_bucket` over the weeks' first instants, parameter `weeks`).

As of `now`, a task offered in the period is:
- claimed on time when it was claimed (or assigned) by its claim deadline;
- late when it was claimed after it, or is still unclaimed past it, or was closed unclaimed
  after it (a hop that ended unclaimed before its deadline owed no claim and is left out);
- left out while it is unclaimed and within its deadline.
"""

from typing import Literal

from ptsa_tui.store.office_seconds import office_clock_sql

Clock = Literal["office", "wall"]

CLAIMED = "t.claimed_at <= %(now)s"  # a claim (or assignment) made by now
UNCLAIMED = "(t.claimed_at IS NULL OR t.claimed_at > %(now)s)"


def bucket_sql(instant: str, *, weekly: bool) -> str:
    if not weekly:
        return "1"
    return f"width_bucket({instant}, %(weeks)s::timestamptz[])"


def units_sql(column: str, *, limited: bool) -> str:
    return f"AND {column} = ANY(%(units)s::int[])" if limited else ""


def claim_time_sql(clock: Clock) -> str:
    """The interval from offer to claim on the configured clock (exact, in microseconds)."""
    if clock == "wall":
        return "t.claimed_at - t.offered_at"
    return f"{office_clock_sql('t.claimed_at')} - {office_clock_sql('t.offered_at')}"


def offered_sql(clock: Clock, *, weekly: bool, limited: bool) -> str:
    """Per unit and bucket of offer: received, claim p50 and p90 in seconds (to the
    millisecond: percentile_cont interpolates in float8), and the share claimed within the
    claim SLA.

    One hash aggregation (which PostgreSQL may split over parallel workers) collects each
    unit's claim times with array_agg in a single pass, without sorting the tasks by unit;
    percentile_cont then sorts only each unit's own claim times."""
    return f"""
SELECT unit_id, bucket, received,
       round(percentiles[1]::numeric, 3)::float8 AS claim_p50_s,
       round(percentiles[2]::numeric, 3)::float8 AS claim_p90_s,
       on_time::float8 / nullif(on_time + late, 0) AS claimed_within_sla
FROM (
    SELECT unit_id, bucket, received, on_time, late,
           (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY seconds)
            FROM (SELECT unnest(claim_seconds) AS seconds) AS claims) AS percentiles
    FROM (
        SELECT t.unit_id, {bucket_sql("t.offered_at", weekly=weekly)} AS bucket,
               count(*) AS received,
               array_agg(date_part('epoch', {claim_time_sql(clock)})) FILTER (WHERE {CLAIMED})
                   AS claim_seconds,
               count(*) FILTER (WHERE {CLAIMED} AND t.claimed_at <= t.claim_due_at) AS on_time,
               count(*) FILTER (
                   WHERE ({CLAIMED} AND t.claimed_at > t.claim_due_at)
                      OR ({UNCLAIMED} AND t.claim_due_at < least(t.closed_at, %(now)s))
               ) AS late
        FROM task t
        WHERE t.offered_at >= %(start)s AND t.offered_at < %(cut)s
              {units_sql("t.unit_id", limited=limited)}
        GROUP BY 1, 2
    ) AS per_unit
    OFFSET 0  -- a fence: the outer query reads the percentiles twice, computed once
) AS with_percentiles
"""


def resolved_sql(*, weekly: bool, limited: bool) -> str:
    """Per unit and bucket of closing: the P2 tasks it resolved (a front office's answer on
    the spot closes the echelon-1 task it was queued as, but that unit did not resolve it)."""
    return f"""
SELECT t.unit_id, {bucket_sql("t.closed_at", weekly=weekly)} AS bucket, count(*) AS resolved
FROM task t
WHERE t.outcome = 'resolved' AND t.position = 'P2' AND t.closed_at >= %(start)s AND t.closed_at < %(cut)s
      {units_sql("t.unit_id", limited=limited)}
GROUP BY 1, 2
"""


def sop_sql(*, weekly: bool, limited: bool) -> str:
    """Per owning unit and bucket of resolution: the share of requests resolved by their SOP
    due date (which a resume has already moved by the paused office time)."""
    return f"""
SELECT s.unit_id, {bucket_sql("r.resolved_at", weekly=weekly)} AS bucket,
       (count(*) FILTER (WHERE r.resolved_at <= r.sop_due_at))::float8 / count(*)
           AS resolved_within_sop
FROM request r JOIN service s ON s.id = r.service_id
WHERE r.resolved_at >= %(start)s AND r.resolved_at < %(cut)s AND r.sop_due_at IS NOT NULL
      {units_sql("s.unit_id", limited=limited)}
GROUP BY 1, 2
"""


def backlog_sql(*, limited: bool) -> str:
    """Per unit: tasks open at `cut` (offered before it, not closed by then), and the oldest.
    Two arms, so each can use its partial index (open tasks; tasks by closing time)."""
    units = units_sql("t.unit_id", limited=limited)
    return f"""
SELECT unit_id, count(*) AS backlog, min(offered_at) AS oldest
FROM (
    SELECT t.unit_id, t.offered_at FROM task t
    WHERE t.closed_at IS NULL AND t.offered_at < %(cut)s {units}
    UNION ALL
    SELECT t.unit_id, t.offered_at FROM task t
    WHERE t.closed_at >= %(cut)s AND t.offered_at < %(cut)s {units}
) AS open_then
GROUP BY unit_id
"""
