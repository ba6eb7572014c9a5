"""The inbox in urgency order, kept sorted as changes arrive so screens only take its head."""

from bisect import insort
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ptsa_tui.store.api import TaskRow


def urgency(row: "TaskRow") -> tuple[float, int]:
    """Most urgent first: a waiting task by its claim deadline, a held one by its SOP due
    date, a finished one latest first."""
    if row.closed_at is not None:
        return (-row.closed_at.timestamp(), row.task_id)
    if row.claimed_by is None:
        return (row.claim_due_at.timestamp(), row.task_id)
    due = row.sop_due_at or row.claim_due_at
    return (due.timestamp(), row.task_id)


def by_urgency(rows: "list[TaskRow]") -> "list[TaskRow]":
    return sorted(rows, key=urgency)


def merged(ordered: "list[TaskRow]", changed: set[int], fresh: "list[TaskRow]") -> "list[TaskRow]":
    """`ordered` with the rows of the `changed` requests replaced by `fresh`, still in order."""
    kept = [row for row in ordered if row.request_id not in changed]
    for row in fresh:
        insort(kept, row, key=urgency)
    return kept


def tab_counts(rows: "list[TaskRow]") -> dict[str, int]:
    return dict(Counter(row.tab for row in rows if row.tab is not None))
