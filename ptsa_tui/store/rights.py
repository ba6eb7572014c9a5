"""Who may do what: every rights and transition rule, for every caller.

Pure: an actor and the facts of a task (or request) in, the typed error of a refusal out, or
None. The workflow raises what `refusal` returns, the claim statement's explanation asks it
why a claim matched nothing, and the desk offers exactly the actions it has no refusal for.
Adding an action is one entry in `_TASK_RULES`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ptsa_tui.store.domain import ECHELON_1, ECHELON_2, FRONT_OFFICE, Position, Purpose, Status
from ptsa_tui.store.domain import position_of as _position_of
from ptsa_tui.store.errors import Conflict, NotAllowed, PtsaError
from ptsa_tui.text_safety import visible_controls


class Action(StrEnum):
    CLAIM = "claim"
    ASSIGN = "assign"
    RELEASE = "release"
    DISPATCH = "dispatch"
    TRANSFER = "transfer"
    RETURN = "return"
    RESOLVE = "resolve"
    CLOSE = "close"
    MESSAGE = "message"
    PAUSE = "pause"  # the request waits on the customer; its SOP clock stops
    RESUME = "resume"
    ACKNOWLEDGE = "acknowledge"  # a supervisor takes an escalation on
    NUDGE = "nudge"  # a supervisor asks the unit's desks to claim


@dataclass(frozen=True, slots=True)
class UnitFacts:
    id: int
    code: str
    name: str
    tier: int
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class Actor:
    """An officer as the rules see them: the one identity of the workflow, CLI and desk."""

    officer_id: int
    username: str
    full_name: str
    unit: UnitFacts
    supervisor: bool
    active: bool = True
    language: str = "id"
    locked_until: datetime | None = None  # set while a log-in lock-out is in force

    @property
    def unit_id(self) -> int:
        return self.unit.id

    @property
    def unit_code(self) -> str:
        return self.unit.code

    @property
    def unit_name(self) -> str:
        return self.unit.name

    @property
    def position(self) -> Position:
        return _position_of(self.unit.tier)

    @property
    def label(self) -> str:
        return f"{self.username} ({self.unit.code})"


@dataclass(frozen=True, slots=True)
class RequestFacts:
    tracking_no: str
    status: str
    origin_unit_id: int
    unit_ids: frozenset[int]  # the units it has been offered to (at least the current one)
    paused: bool = False  # waiting on the customer


@dataclass(frozen=True, slots=True)
class TaskFacts:
    task_id: int
    unit: UnitFacts
    purpose: str
    outcome: str | None  # None while the task is open
    holder_id: int | None
    holder: str | None  # "username (full name)" of the holder
    request: RequestFacts
    level_reached: int = 0  # the highest alert level raised for the task
    acked_level: int | None = None  # the highest level a supervisor acknowledged

    @property
    def holder_label(self) -> str:
        """For a conflict message: the name comes from an org file, so it is made inert."""
        return visible_controls(self.holder) if self.holder else f"officer {self.holder_id}"


def inactive(actor: Actor) -> NotAllowed | None:
    """An inactive or locked-out officer may do nothing, whatever else is true."""
    if not actor.active:
        return NotAllowed(f"officer {actor.username!r} is inactive")
    if actor.locked_until is not None:
        until = f"{actor.locked_until:%H:%M} {actor.locked_until.tzname() or ''}".rstrip()
        return NotAllowed(
            f"officer {actor.username!r} is locked out after failed log-ins until {until}"
        )
    return None


def refusal(action: Action, actor: Actor, task: TaskFacts) -> PtsaError | None:
    """Why `actor` may not take `action` on `task` now, or None when they may.

    For the actions that take a target (dispatch, transfer, assign) this is the task's side;
    `target_refusal` and `assignee_refusal` judge the target.
    """
    if action is Action.MESSAGE:
        return message_refusal(actor, task.request)
    return inactive(actor) or _TASK_RULES[action](actor, task)


def raise_if(error: PtsaError | None) -> None:
    """Raise a refusal, if there is one."""
    if error is not None:
        raise error


def allowed(actor: Actor, task: TaskFacts) -> frozenset[Action]:
    """Every action `refusal` has nothing against: what a desk offers."""
    return frozenset(action for action in Action if refusal(action, actor, task) is None)


def supervises(actor: Actor, unit: UnitFacts) -> bool:
    """The units a supervisor answers for: their own; for an echelon-1 supervisor the
    echelon-2 units below too; for the front office's, the echelon-1 units that escalate to it."""
    if not actor.supervisor:
        return False
    if unit.id == actor.unit_id:
        return True
    if actor.unit.tier == ECHELON_1:
        return unit.parent_id == actor.unit_id
    return actor.unit.tier == FRONT_OFFICE and unit.tier == ECHELON_1


def kpi_scope(actor: Actor, units: list[UnitFacts]) -> list[UnitFacts]:
    """The units whose KPIs `actor` may read, in the order given: their own and those they
    supervise, and the echelon-2 units under any echelon-1 unit of those (the drill-down)."""
    if inactive(actor):
        return []
    seen = {u.id for u in units if u.id == actor.unit_id or supervises(actor, u)}
    return [u for u in units if u.id in seen or (u.tier == ECHELON_2 and u.parent_id in seen)]


def supervision_refusal(actor: Actor) -> PtsaError | None:
    """Whether `actor` may see the escalation screen and what it shows."""
    if error := inactive(actor):
        return error
    if actor.supervisor:
        return None
    return NotAllowed(f"{actor.label} is not a supervisor; only supervisors see escalations")


def officer_admin_refusal(actor: Actor, unit: UnitFacts) -> PtsaError | None:
    """Whether `actor` may activate or deactivate an officer of `unit`: a supervisor of that
    unit, or of the echelon-1 unit above it. The front office sees echelon-1 escalations but
    does not run their staff."""
    if error := supervision_refusal(actor):
        return error
    if unit.id == actor.unit_id or (
        actor.unit.tier == ECHELON_1 and unit.parent_id == actor.unit_id
    ):
        return None
    return NotAllowed(f"{actor.label} does not manage the officers of {unit.code}")


def register_refusal(actor: Actor) -> PtsaError | None:
    return inactive(actor) or _position(actor, (Position.P0,), "register requests")


def message_refusal(actor: Actor, request: RequestFacts) -> PtsaError | None:
    if actor.unit_id in request.unit_ids | {request.origin_unit_id}:
        return inactive(actor)
    return NotAllowed(f"{actor.label} has no part in {request.tracking_no}")


# -- targets -------------------------------------------------------------------------------


def target_refusal(action: Action, source: UnitFacts, target: UnitFacts) -> NotAllowed | None:
    """Whether a task in `source` may be dispatched or transferred to `target`."""
    if action is Action.DISPATCH:
        if refused := _dispatches_from(source):
            return refused
        if source.tier == ECHELON_1 and not (
            target.tier == ECHELON_2 and target.parent_id == source.id
        ):
            return NotAllowed(f"{target.code} is not an echelon-2 unit under {source.code}")
        if source.tier == FRONT_OFFICE and target.tier != ECHELON_1:
            return NotAllowed(f"{target.code} is not an echelon-1 unit")
        return None
    if action is Action.TRANSFER:
        if refused := _transfers_from(source):
            return refused
        if target.tier != source.tier or target.id == source.id:
            return NotAllowed(f"{source.code} cannot transfer to {target.code}")
        if source.tier == ECHELON_2 and target.parent_id != source.parent_id:
            return NotAllowed(f"{target.code} is not under the same echelon-1 unit")
        return None
    raise ValueError(f"{action} takes no unit as its target")


def assignee_refusal(unit: UnitFacts, assignee: Actor) -> NotAllowed | None:
    """Whether a supervisor may hand a task in `unit` to `assignee`."""
    if assignee.unit_id != unit.id:
        return NotAllowed(f"{assignee.label} is not in {unit.code}")
    return inactive(assignee)


def return_target_id(task: TaskFacts) -> int:
    """A return goes one step down: echelon 2 to its echelon-1 unit, echelon 1 to the front
    office that registered the request."""
    if task.unit.tier == ECHELON_2:
        assert task.unit.parent_id is not None
        return task.unit.parent_id
    return task.request.origin_unit_id


# -- the rules, one per action --------------------------------------------------------------


def _in_unit(actor: Actor, task: TaskFacts, verb: str) -> NotAllowed | None:
    if actor.unit_id == task.unit.id:
        return None
    return NotAllowed(
        f"{actor.label} may not {verb} task {task.task_id}: it is in {task.unit.code}'s queue"
    )


def _open(task: TaskFacts) -> Conflict | None:
    if task.outcome is None:
        return None
    return Conflict(f"task {task.task_id} is already closed ({task.outcome})")


def _not_held_by_another(actor: Actor, task: TaskFacts) -> Conflict | None:
    if task.holder_id in (None, actor.officer_id):
        return None
    return Conflict(f"task {task.task_id} is claimed by {task.holder_label}")


def _holder(actor: Actor, task: TaskFacts, verb: str) -> PtsaError | None:
    """Only the officer who claimed the task may move it on."""
    if error := _in_unit(actor, task, verb) or _open(task):
        return error
    if task.holder_id is None:
        return Conflict(f"task {task.task_id} is not claimed; claim it before you {verb} it")
    return _not_held_by_another(actor, task)


def _position(actor: Actor, allowed: tuple[Position, ...], verb: str) -> NotAllowed | None:
    if actor.position in allowed:
        return None
    return NotAllowed(f"{actor.label} is {actor.position}; only {'/'.join(allowed)} may {verb}")


def _claim(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _in_unit(actor, task, "claim") or _open(task):
        return error
    if task.holder_id is not None:
        return Conflict(f"task {task.task_id} is already claimed by {task.holder_label}")
    return None


def _supervising(actor: Actor, task: TaskFacts, verb: str) -> NotAllowed | None:
    """A supervisor acting on a task in a unit they supervise."""
    if actor.supervisor:
        if supervises(actor, task.unit):
            return None
        return NotAllowed(
            f"{actor.label} may not {verb} task {task.task_id}: it is in {task.unit.code}'s"
            " queue, which they do not supervise"
        )
    return _in_unit(actor, task, verb) or NotAllowed(
        f"{actor.label} is not a supervisor; only supervisors {verb}"
    )


def _queued(actor: Actor, task: TaskFacts, verb: str) -> PtsaError | None:
    """An open task nobody has claimed yet, in the supervisor's scope."""
    if error := _supervising(actor, task, verb) or _open(task):
        return error
    if task.holder_id is not None:
        return Conflict(f"task {task.task_id} is claimed by {task.holder_label}")
    return None


def _assign(actor: Actor, task: TaskFacts) -> PtsaError | None:
    return _queued(actor, task, "assign")


def _acknowledge(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _queued(actor, task, "acknowledge"):
        return error
    if task.level_reached == 0:
        return Conflict(f"task {task.task_id} has no escalation to acknowledge")
    if task.acked_level is not None and task.acked_level >= task.level_reached:
        return Conflict(f"task {task.task_id}: level {task.level_reached} is already acknowledged")
    return None


def _nudge(actor: Actor, task: TaskFacts) -> PtsaError | None:
    return _queued(actor, task, "nudge")


def _pause(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _position(actor, (Position.P2,), "pause the SOP clock") or _holder(
        actor, task, "pause"
    ):
        return error
    if task.request.paused:
        return Conflict(f"{task.request.tracking_no} is already waiting on the customer")
    if task.request.status != Status.OPEN:
        return Conflict(f"{task.request.tracking_no} is already {task.request.status}")
    return None


def _resume(actor: Actor, task: TaskFacts) -> PtsaError | None:
    # A pause goes with the request: whoever holds it now, after a transfer or a return,
    # may end it.
    if error := _holder(actor, task, "resume"):
        return error
    if not task.request.paused:
        return Conflict(f"{task.request.tracking_no} is not waiting on the customer")
    return None


def _release(actor: Actor, task: TaskFacts) -> PtsaError | None:
    # A supervisor may give back a colleague's claim in their own unit.
    if not (actor.supervisor and actor.unit_id == task.unit.id) and (
        error := _holder(actor, task, "release")
    ):
        return error
    if error := _open(task):
        return error
    return Conflict(f"task {task.task_id} is not claimed") if task.holder_id is None else None


def _dispatches_from(unit: UnitFacts) -> NotAllowed | None:
    if unit.tier == ECHELON_2:
        return NotAllowed("P2 serves and resolves; it does not dispatch")
    return None


def _transfers_from(unit: UnitFacts) -> NotAllowed | None:
    if unit.tier == FRONT_OFFICE:
        return NotAllowed("the front office has no unit to transfer to; dispatch or close it")
    return None


def _dispatch(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _holder(actor, task, "dispatch") or _dispatches_from(task.unit):
        return error
    if task.unit.tier == FRONT_OFFICE and task.purpose != Purpose.RETURNED:
        return NotAllowed("only a returned request is sent out again; close this one")
    return None


def _transfer(actor: Actor, task: TaskFacts) -> PtsaError | None:
    return _holder(actor, task, "transfer") or _transfers_from(task.unit)


def _return(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _holder(actor, task, "return"):
        return error
    if task.unit.tier == FRONT_OFFICE:
        return NotAllowed("the front office has nobody to return a task to; close it")
    return None


def _resolve(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if actor.position is Position.P0:
        return _resolve_on_the_spot(actor, task)
    return _position(actor, (Position.P2,), "resolve") or _holder(actor, task, "resolve")


def _resolve_on_the_spot(actor: Actor, task: TaskFacts) -> PtsaError | None:
    """The front office answers a request it registered, one that has no answer yet."""
    request = task.request
    if error := _open(task):
        return error
    if request.origin_unit_id != actor.unit_id:
        return NotAllowed(f"{actor.label} did not register {request.tracking_no}")
    if request.status != Status.OPEN:  # the answering unit's answer must not be overwritten
        return Conflict(f"{request.tracking_no} is already {request.status}; close it instead")
    # A request still upstream is another unit's to answer, claimed or not.
    return _not_held_by_another(actor, task) or _in_unit(actor, task, "resolve")


def _close(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _position(actor, (Position.P0,), "close requests") or _open(task):
        return error
    # Before the unit check: a request still upstream is "no answer yet", not "not yours".
    if task.request.status != Status.RESOLVED and task.purpose != Purpose.RETURNED:
        return Conflict(f"{task.request.tracking_no} has no answer yet; resolve it first")
    return _in_unit(actor, task, "close") or _not_held_by_another(actor, task)


_TASK_RULES: dict[Action, Callable[[Actor, TaskFacts], PtsaError | None]] = {
    Action.CLAIM: _claim,
    Action.ASSIGN: _assign,
    Action.RELEASE: _release,
    Action.DISPATCH: _dispatch,
    Action.TRANSFER: _transfer,
    Action.RETURN: _return,
    Action.RESOLVE: _resolve,
    Action.CLOSE: _close,
    Action.PAUSE: _pause,
    Action.RESUME: _resume,
    Action.ACKNOWLEDGE: _acknowledge,
    Action.NUDGE: _nudge,
}
