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
from ptsa_tui.store.errors import Conflict, NotAllowed, PtsaError, Term
from ptsa_tui.text_safety import visible_controls

# The states a refusal may name ({outcome}, {status}), marked for the catalogs.
STATE_WORDS = (
    Term("open"),
    Term("resolved"),
    Term("closed"),
    Term("dispatched"),
    Term("returned"),
    Term("transferred"),
    Term("released"),
)


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
        return NotAllowed("officer {officer!r} is inactive", officer=actor.username)
    if actor.locked_until is not None:
        return NotAllowed(
            "officer {officer!r} is locked out after failed log-ins until {until}",
            officer=actor.username,
            until=actor.locked_until,
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
    return NotAllowed(
        "{officer} is not a supervisor; only supervisors see escalations", officer=actor.label
    )


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
    return NotAllowed(
        "{officer} does not manage the officers of {unit}", officer=actor.label, unit=unit.code
    )


def forget_refusal(actor: Actor) -> PtsaError | None:
    """Who may erase a customer's personal data at their request: a supervisor."""
    if error := inactive(actor):
        return error
    if actor.supervisor:
        return None
    return NotAllowed(
        "{officer} is not a supervisor; only supervisors erase a customer's data",
        officer=actor.label,
    )


def register_refusal(actor: Actor) -> PtsaError | None:
    return inactive(actor) or _position(actor, (Position.P0,), Term("register requests"))


def survey_entry_refusal(actor: Actor) -> PtsaError | None:
    """Who may type in a customer's paper survey form: the front office."""
    return inactive(actor) or _position(actor, (Position.P0,), Term("enter survey forms"))


def message_refusal(actor: Actor, request: RequestFacts) -> PtsaError | None:
    if actor.unit_id in request.unit_ids | {request.origin_unit_id}:
        return inactive(actor)
    return NotAllowed(
        "{officer} has no part in {tracking}", officer=actor.label, tracking=request.tracking_no
    )


# -- targets -------------------------------------------------------------------------------


def target_refusal(action: Action, source: UnitFacts, target: UnitFacts) -> NotAllowed | None:
    """Whether a task in `source` may be dispatched or transferred to `target`."""
    if action is Action.DISPATCH:
        if refused := _dispatches_from(source):
            return refused
        if source.tier == ECHELON_1 and not (
            target.tier == ECHELON_2 and target.parent_id == source.id
        ):
            return NotAllowed(
                "{target} is not an echelon-2 unit under {source}",
                target=target.code,
                source=source.code,
            )
        if source.tier == FRONT_OFFICE and target.tier != ECHELON_1:
            return NotAllowed("{target} is not an echelon-1 unit", target=target.code)
        return None
    if action is Action.TRANSFER:
        if refused := _transfers_from(source):
            return refused
        if target.tier != source.tier or target.id == source.id:
            return NotAllowed(
                "{source} cannot transfer to {target}", source=source.code, target=target.code
            )
        if source.tier == ECHELON_2 and target.parent_id != source.parent_id:
            return NotAllowed("{target} is not under the same echelon-1 unit", target=target.code)
        return None
    raise ValueError(f"{action} takes no unit as its target")


def assignee_refusal(unit: UnitFacts, assignee: Actor) -> NotAllowed | None:
    """Whether a supervisor may hand a task in `unit` to `assignee`."""
    if assignee.unit_id != unit.id:
        return NotAllowed("{officer} is not in {unit}", officer=assignee.label, unit=unit.code)
    return inactive(assignee)


def return_target_id(task: TaskFacts) -> int:
    """A return goes one step down: echelon 2 to its echelon-1 unit, echelon 1 to the front
    office that registered the request."""
    if task.unit.tier == ECHELON_2:
        assert task.unit.parent_id is not None
        return task.unit.parent_id
    return task.request.origin_unit_id


# -- the rules, one per action --------------------------------------------------------------


def _in_unit(actor: Actor, task: TaskFacts, verb: Term) -> NotAllowed | None:
    if actor.unit_id == task.unit.id:
        return None
    return NotAllowed(
        "{officer} may not {verb} task {task}: it is in {unit}'s queue",
        officer=actor.label,
        verb=verb,
        task=task.task_id,
        unit=task.unit.code,
    )


def _open(task: TaskFacts) -> Conflict | None:
    if task.outcome is None:
        return None
    return Conflict(
        "task {task} is already closed ({outcome})", task=task.task_id, outcome=Term(task.outcome)
    )


def _not_held_by_another(actor: Actor, task: TaskFacts) -> Conflict | None:
    if task.holder_id in (None, actor.officer_id):
        return None
    return Conflict(
        "task {task} is claimed by {holder}", task=task.task_id, holder=task.holder_label
    )


def _holder(actor: Actor, task: TaskFacts, verb: Term) -> PtsaError | None:
    """Only the officer who claimed the task may move it on."""
    if error := _in_unit(actor, task, verb) or _open(task):
        return error
    if task.holder_id is None:
        return Conflict(
            "task {task} is not claimed; claim it before you {verb} it",
            task=task.task_id,
            verb=verb,
        )
    return _not_held_by_another(actor, task)


def _position(actor: Actor, allowed: tuple[Position, ...], verb: Term) -> NotAllowed | None:
    if actor.position in allowed:
        return None
    return NotAllowed(
        "{officer} is {position}; only {allowed} may {verb}",
        officer=actor.label,
        position=actor.position,
        allowed="/".join(allowed),
        verb=verb,
    )


def _claim(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _in_unit(actor, task, Term("claim")) or _open(task):
        return error
    if task.holder_id is not None:
        return Conflict(
            "task {task} is already claimed by {holder}",
            task=task.task_id,
            holder=task.holder_label,
        )
    return None


def _supervising(actor: Actor, task: TaskFacts, verb: Term) -> NotAllowed | None:
    """A supervisor acting on a task in a unit they supervise."""
    if actor.supervisor:
        if supervises(actor, task.unit):
            return None
        return NotAllowed(
            "{officer} may not {verb} task {task}: it is in {unit}'s queue, which they do not"
            " supervise",
            officer=actor.label,
            verb=verb,
            task=task.task_id,
            unit=task.unit.code,
        )
    return _in_unit(actor, task, verb) or NotAllowed(
        "{officer} is not a supervisor; only supervisors {verb}", officer=actor.label, verb=verb
    )


def _queued(actor: Actor, task: TaskFacts, verb: Term) -> PtsaError | None:
    """An open task nobody has claimed yet, in the supervisor's scope."""
    if error := _supervising(actor, task, verb) or _open(task):
        return error
    if task.holder_id is not None:
        return Conflict(
            "task {task} is claimed by {holder}", task=task.task_id, holder=task.holder_label
        )
    return None


def _assign(actor: Actor, task: TaskFacts) -> PtsaError | None:
    return _queued(actor, task, Term("assign"))


def _acknowledge(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _queued(actor, task, Term("acknowledge")):
        return error
    if task.level_reached == 0:
        return Conflict("task {task} has no escalation to acknowledge", task=task.task_id)
    if task.acked_level is not None and task.acked_level >= task.level_reached:
        return Conflict(
            "task {task}: level {level} is already acknowledged",
            task=task.task_id,
            level=task.level_reached,
        )
    return None


def _nudge(actor: Actor, task: TaskFacts) -> PtsaError | None:
    return _queued(actor, task, Term("nudge"))


def _pause(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _position(actor, (Position.P2,), Term("pause the SOP clock")) or _holder(
        actor, task, Term("pause")
    ):
        return error
    if task.request.paused:
        return Conflict(
            "{tracking} is already waiting on the customer", tracking=task.request.tracking_no
        )
    if task.request.status != Status.OPEN:
        return Conflict(
            "{tracking} is already {status}",
            tracking=task.request.tracking_no,
            status=Term(task.request.status),
        )
    return None


def _resume(actor: Actor, task: TaskFacts) -> PtsaError | None:
    # A pause goes with the request: whoever holds it now, after a transfer or a return,
    # may end it.
    if error := _holder(actor, task, Term("resume")):
        return error
    if not task.request.paused:
        return Conflict(
            "{tracking} is not waiting on the customer", tracking=task.request.tracking_no
        )
    return None


def _release(actor: Actor, task: TaskFacts) -> PtsaError | None:
    # A supervisor may give back a colleague's claim in their own unit.
    if not (actor.supervisor and actor.unit_id == task.unit.id) and (
        error := _holder(actor, task, Term("release"))
    ):
        return error
    if error := _open(task):
        return error
    if task.holder_id is None:
        return Conflict("task {task} is not claimed", task=task.task_id)
    return None


def _dispatches_from(unit: UnitFacts) -> NotAllowed | None:
    if unit.tier == ECHELON_2:
        return NotAllowed("P2 serves and resolves; it does not dispatch")
    return None


def _transfers_from(unit: UnitFacts) -> NotAllowed | None:
    if unit.tier == FRONT_OFFICE:
        return NotAllowed("the front office has no unit to transfer to; dispatch or close it")
    return None


def _dispatch(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _holder(actor, task, Term("dispatch")) or _dispatches_from(task.unit):
        return error
    if task.unit.tier == FRONT_OFFICE and task.purpose != Purpose.RETURNED:
        return NotAllowed("only a returned request is sent out again; close this one")
    return None


def _transfer(actor: Actor, task: TaskFacts) -> PtsaError | None:
    return _holder(actor, task, Term("transfer")) or _transfers_from(task.unit)


def _return(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _holder(actor, task, Term("return")):
        return error
    if task.unit.tier == FRONT_OFFICE:
        return NotAllowed("the front office has nobody to return a task to; close it")
    return None


def _resolve(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if actor.position is Position.P0:
        return _resolve_on_the_spot(actor, task)
    return _position(actor, (Position.P2,), Term("resolve")) or _holder(
        actor, task, Term("resolve")
    )


def _resolve_on_the_spot(actor: Actor, task: TaskFacts) -> PtsaError | None:
    """The front office answers a request it registered, one that has no answer yet."""
    request = task.request
    if error := _open(task):
        return error
    if request.origin_unit_id != actor.unit_id:
        return NotAllowed(
            "{officer} did not register {tracking}",
            officer=actor.label,
            tracking=request.tracking_no,
        )
    if request.status != Status.OPEN:  # the answering unit's answer must not be overwritten
        return Conflict(
            "{tracking} is already {status}; close it instead",
            tracking=request.tracking_no,
            status=Term(request.status),
        )
    # A request still upstream is another unit's to answer, claimed or not.
    return _not_held_by_another(actor, task) or _in_unit(actor, task, Term("resolve"))


def _close(actor: Actor, task: TaskFacts) -> PtsaError | None:
    if error := _position(actor, (Position.P0,), Term("close requests")) or _open(task):
        return error
    # Before the unit check: a request still upstream is "no answer yet", not "not yours".
    if task.request.status != Status.RESOLVED and task.purpose != Purpose.RETURNED:
        return Conflict(
            "{tracking} has no answer yet; resolve it first", tracking=task.request.tracking_no
        )
    return _in_unit(actor, task, Term("close")) or _not_held_by_another(actor, task)


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


def sees_full_nik(viewer: Actor | None) -> bool:
    """A customer's NIK is personal data (UU 27/2022): in full only to the front office, who
    registers and looks customers up by it; every other desk sees it masked."""
    return viewer is not None and viewer.active and viewer.position is Position.P0
