"""A REF argument: a numeric task id, or a tracking number meaning that request's open task."""

import re

from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.limits import MAX_REF

_TASK_ID = re.compile(r"[0-9]+")  # ASCII: "²" and "٣" are digits to str.isdigit and to \d
MAX_ID = 2**31 - 1  # ids are PostgreSQL integers


def parse_ref(ref: str) -> int | str:
    """The task id a REF names, or the tracking number it names; refused when it cannot be
    either (exit 2), not found when it is an id no row can have (exit 4)."""
    ref = ref.strip()
    if not ref:
        raise InvalidInput("empty task reference")
    if len(ref) > MAX_REF:
        raise InvalidInput("a task reference has at most {limit} characters", limit=MAX_REF)
    if "\x00" in ref:
        raise InvalidInput("a task reference cannot hold a NUL character")
    if not _TASK_ID.fullmatch(ref):
        return ref
    task_id = int(ref)
    if task_id > MAX_ID:
        raise NotFound("no task {task}", task=ref)
    return task_id
