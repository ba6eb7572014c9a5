"""When level 2 falls due for a task left unclaimed past its claim deadline.

Normally `sla.escalate_after` after the claim deadline. An acknowledged level 1 holds it until
`alerts.ack_hold` after the acknowledgement, whichever is later. Both are counted on the claim
SLA's clock: in office time by default, so a hold that runs into the evening resumes when the
office opens instead of waking the parent unit for a task nobody can claim before then; under
`sla_clock = "wall"` the hold is wall time, as PagerDuty's acknowledgement timeout is.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from ptsa_tui.store.clock import claim_deadline
from ptsa_tui.store.rules import Rules


def level2_at(
    claim_due_at: datetime, acked_at: datetime | None, *, rules: Rules, ack_hold: timedelta
) -> datetime:
    """When level 2 is due; `acked_at` is the acknowledgement of level 1, None without one."""
    normal = _after(claim_due_at, rules.sla.escalate_after, rules)
    if acked_at is None:
        return normal
    return max(normal, _after(acked_at, ack_hold, rules))


def first_ahead(claim_deadlines: Sequence[datetime], rules: Rules, now: datetime) -> int:
    """Index of the first of these ascending claim deadlines whose (unheld) level 2 is after
    `now`; len() when none. Adding a span of office time never moves an earlier start past a
    later one, so the level-2 times ascend with the deadlines and a bisection finds the cut."""
    low, high = 0, len(claim_deadlines)
    while low < high:
        middle = (low + high) // 2
        if _after(claim_deadlines[middle], rules.sla.escalate_after, rules) > now:
            high = middle
        else:
            low = middle + 1
    return low


def _after(start: datetime, span: timedelta, rules: Rules) -> datetime:
    return claim_deadline(start, span, calendar=rules.calendar, clock=rules.clock)
