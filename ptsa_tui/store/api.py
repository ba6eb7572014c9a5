"""The store as the desk app sees it: the one door its screens use.

Every method blocks (call it from a worker) and fails with a `PtsaError`: a database that
cannot be reached is `DatabaseUnavailable`, never a driver's own exception. What lies behind
(the ORM, SQL, connections, the engine) stays the store's business. Importing this module
is cheap: the heavy parts load on first use, so the login screen shows at once.
"""

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from ptsa_tui.store.domain import Channel, Position, Purpose, Status
from ptsa_tui.store.errors import (
    Conflict,
    DatabaseUnavailable,
    InvalidInput,
    NotAllowed,
    NotFound,
    PtsaError,
)
from ptsa_tui.store.limits import MAX_DETAILS, MAX_NAME, MAX_SUBJECT, TOUCH_EVERY
from ptsa_tui.store.survey import ELEMENTS as SURVEY_ELEMENTS
from ptsa_tui.store.timeutil import utc_now

if TYPE_CHECKING:
    # The shapes the screens receive, for their annotations (re-exported).
    from sqlalchemy import Engine

    from ptsa_tui.config import Settings
    from ptsa_tui.store.claims import Claim as Claim
    from ptsa_tui.store.daemon_health import DaemonHealth as DaemonHealth
    from ptsa_tui.store.desk_lookups import OfficerChoice as OfficerChoice
    from ptsa_tui.store.desk_lookups import ServiceChoice as ServiceChoice
    from ptsa_tui.store.desk_lookups import UnitChoice as UnitChoice
    from ptsa_tui.store.embedded_keeper import EmbeddedKeeper
    from ptsa_tui.store.escalation_duty import OnDuty as OnDuty
    from ptsa_tui.store.escalation_notice import NudgeNotice as NudgeNotice
    from ptsa_tui.store.escalations import AlertLine as AlertLine
    from ptsa_tui.store.escalations import Escalation as Escalation
    from ptsa_tui.store.escalations import Escalations as Escalations
    from ptsa_tui.store.ikm import IkmReport as IkmReport
    from ptsa_tui.store.ikm import Satisfaction as Satisfaction
    from ptsa_tui.store.inbox import Countdown as Countdown
    from ptsa_tui.store.kpi import KpiReport as KpiReport
    from ptsa_tui.store.kpi import UnitKpi as UnitKpi
    from ptsa_tui.store.kpi import WeekKpi as WeekKpi
    from ptsa_tui.store.listener import Change as Change
    from ptsa_tui.store.models import Customer as Customer
    from ptsa_tui.store.models import Message
    from ptsa_tui.store.models import RequestPause as RequestPause
    from ptsa_tui.store.notices import NoticeRow as NoticeRow
    from ptsa_tui.store.phrases import Phrase
    from ptsa_tui.store.queries import RequestStory as RequestStory
    from ptsa_tui.store.rights import Actor as Actor
    from ptsa_tui.store.rules import Rules as Rules
    from ptsa_tui.store.shared_rules import SharedRules
    from ptsa_tui.store.task_rows import TaskRow as TaskRow
    from ptsa_tui.store.workflow import Moved as Moved
    from ptsa_tui.store.workflow import Registered as Registered
    from ptsa_tui.store.workflow import Workflow

__all__ = [
    "MAX_DETAILS",
    "MAX_NAME",
    "MAX_SUBJECT",
    "SURVEY_ELEMENTS",
    "TOUCH_EVERY",
    "Channel",
    "Conflict",
    "DatabaseUnavailable",
    "DeskStore",
    "InvalidInput",
    "NotAllowed",
    "NotFound",
    "Position",
    "PtsaError",
    "Purpose",
    "Status",
    "utc_now",
]

T = TypeVar("T")


@contextmanager
def database_errors() -> Iterator[None]:
    """A driver's error leaves the store as DatabaseUnavailable, with its first line."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    from ptsa_tui.error_text import database_line

    try:
        yield
    except (DBAPIError, psycopg.Error) as error:
        raise DatabaseUnavailable(database_line(error)) from error


class DeskStore:
    """One desk app's store: its engine, its rules, its workflow."""

    def __init__(
        self,
        *,
        engine: "Engine",
        settings: "Settings",
        url: str,
        keeper: "EmbeddedKeeper | None" = None,
    ) -> None:
        self._engine = engine
        self.settings = settings
        self._url = url
        self._keeper = keeper  # on the embedded server: let go of it when it stops, revive it
        if keeper is not None:
            keeper.on_stop(self.dispose)

    @cached_property
    def _shared_rules(self) -> "SharedRules":
        from ptsa_tui.store.shared_rules import SharedRules

        return SharedRules(self._engine, self.settings)

    @cached_property
    def _workflow(self) -> "Workflow":
        from ptsa_tui.store.workflow import Workflow

        return Workflow(self._engine, self.settings, rules=self._shared_rules)

    def _call(self, work: Callable[[], T]) -> T:
        with database_errors():
            return work()

    def dispose(self) -> None:
        """Give the pooled connections back to the server."""
        self._engine.dispose()

    # -- session ---------------------------------------------------------------------

    def authenticate(self, *, username: str, password: str, host: str, now: datetime) -> "Actor":
        from ptsa_tui.store.login import authenticate

        return self._call(
            lambda: authenticate(
                self._engine, username=username, password=password, host=host, now=now
            )
        )

    def rules(self) -> "Rules":
        """The calendar and SLAs every deadline on the desk is counted with: loaded at login,
        reloaded by the live link (off the event loop) when someone changes them."""
        with database_errors():
            return self._shared_rules.get()

    @cached_property
    def timezone(self) -> tzinfo:
        """The office's time zone: every time a screen shows is in it (read for each row)."""
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.settings.office.timezone)

    def countdown(self, claim_due_at: datetime, now: datetime) -> "Countdown":
        """How long until a claim deadline, on the clock it was set on (no database)."""
        from ptsa_tui.store.inbox import countdown

        rules = self._shared_rules.latest() or self.rules()
        return countdown(claim_due_at, now, rules=rules, warn_before=self.settings.sla.warn_before)

    def claim_sla_of(self, unit_code: str, position: str) -> tuple[timedelta, bool]:
        """The claim SLA a deadline in `unit_code` was set with, and whether it is the unit's
        own (`[units] claim_sla` in the org file) rather than the office's for `position`."""
        rules = self._shared_rules.latest() or self.rules()
        return rules.claim_sla_of(unit_code, position)

    def listen(
        self,
        *,
        on_change: "Callable[[Change], None]",
        on_connected: Callable[[bool], None],
        stop: threading.Event,
        retry_every: float = 1.0,
    ) -> None:
        """Block, handing every committed change to `on_change`, until `stop` is set."""
        from ptsa_tui.store.listener import listen
        from ptsa_tui.store.shared_rules import RULES_CHANGED

        shared = self._shared_rules

        def changed(change: "Change") -> None:
            if change.kind == RULES_CHANGED:
                shared.heard(change)
                self._reload_rules()
            on_change(change)

        def connected(up: bool) -> None:
            if up:  # what was missed while down may include new rules
                shared.reconnected()
                self._reload_rules()
            on_connected(up)

        listen(
            self._url,
            on_change=changed,
            on_connected=connected,
            stop=stop,
            retry_every=retry_every,
            keeper=self._keeper,
        )

    def _reload_rules(self) -> None:
        # In the listener's thread, so the screens' next look finds them loaded.
        with suppress(PtsaError):
            self.rules()

    def touch_presence(
        self,
        *,
        officer_id: int,
        host: str,
        pid: int,
        now: datetime,
        active_at: datetime | None = None,
    ) -> None:
        from ptsa_tui.store.presence import touch

        self._call(
            lambda: touch(
                self._engine,
                officer_id=officer_id,
                host=host,
                pid=pid,
                now=now,
                active_at=active_at,
            )
        )

    def leave(self, *, officer_id: int, host: str, pid: int) -> None:
        from ptsa_tui.store.presence import leave

        self._call(lambda: leave(self._engine, officer_id=officer_id, host=host, pid=pid))

    # -- reading ---------------------------------------------------------------------

    def inbox(
        self, *, user: "Actor", now: datetime, request_ids: Collection[int] | None = None
    ) -> "list[TaskRow]":
        """The user's inbox (or only these requests' rows). A read that meets a connection
        the server dropped is tried once more, on another: the failed one left the pool."""
        import psycopg

        from ptsa_tui.store.inbox import load_inbox

        def read() -> "list[TaskRow]":
            return load_inbox(
                self._engine, user=user, now=now, timezone=self.timezone, request_ids=request_ids
            )

        with database_errors():
            try:
                return read()
            except psycopg.OperationalError:
                return read()

    def story(self, task_id: int, viewer: "Actor | None" = None) -> "RequestStory":
        """The request as `viewer` may see it: the customer's NIK masked unless they are the
        front office."""
        from dataclasses import replace

        from ptsa_tui.store.personal_data import as_seen_by
        from ptsa_tui.store.queries import request_story

        story = self._call(lambda: request_story(self._engine, str(task_id)))
        return replace(story, customer=as_seen_by(story.customer, viewer))

    def allowed_actions(self, user: "Actor", row: "TaskRow") -> frozenset[str]:
        """What `user` may do with a row of their inbox now (no database)."""
        from ptsa_tui.store.desk_lookups import allowed_actions

        return allowed_actions(user, row)

    def services(self) -> "list[ServiceChoice]":
        from ptsa_tui.store.desk_lookups import list_services

        return self._call(lambda: list_services(self._engine))

    def find_customers(self, *, phone: str | None, nik: str | None) -> "list[Customer]":
        from ptsa_tui.store.desk_lookups import find_customers

        return self._call(lambda: find_customers(self._engine, phone=phone, nik=nik))

    def request_problems(self, fields: dict[str, Any]) -> "list[tuple[tuple[str, ...], Phrase]]":
        """Each problem of a new request's fields, as (where, why); none when it is good."""
        from pydantic import ValidationError

        from ptsa_tui.store.inputs import NewRequest, problem_phrase

        try:
            NewRequest(**fields)
        except ValidationError as error:
            return [
                (tuple(str(part) for part in detail["loc"]), problem_phrase(detail))
                for detail in error.errors()
            ]
        return []

    def dispatch_targets(self, user: "Actor", row: "TaskRow") -> "list[UnitChoice]":
        from ptsa_tui.store.desk_lookups import dispatch_targets

        return self._call(
            lambda: dispatch_targets(
                self._engine, unit_id=user.unit_id, service_code=row.service_code
            )
        )

    def transfer_targets(self, user: "Actor") -> "list[UnitChoice]":
        from ptsa_tui.store.desk_lookups import transfer_targets

        return self._call(lambda: transfer_targets(self._engine, unit_id=user.unit_id))

    def assign_targets(self, user: "Actor", now: datetime) -> "list[OfficerChoice]":
        from ptsa_tui.store.desk_lookups import assign_targets

        return self._call(lambda: assign_targets(self._engine, unit_id=user.unit_id, now=now))

    # -- the workflow ----------------------------------------------------------------

    def register(self, *, by: int, now: datetime, **fields: Any) -> "Registered":
        return self._call(lambda: self._workflow.register(by=by, now=now, **fields))

    def claim(self, *, task_id: int, by: int, now: datetime) -> "Claim":
        return self._call(lambda: self._workflow.claim(task_id=task_id, by=by, now=now))

    def close(self, *, task_id: int, by: int, now: datetime) -> "Moved":
        return self._call(lambda: self._workflow.close(task_id=task_id, by=by, now=now))

    def release(self, *, task_id: int, by: int, reason: str, now: datetime) -> "Moved":
        return self._call(
            lambda: self._workflow.release(task_id=task_id, by=by, reason=reason, now=now)
        )

    def return_task(self, *, task_id: int, by: int, reason: str, now: datetime) -> "Moved":
        return self._call(
            lambda: self._workflow.return_task(task_id=task_id, by=by, reason=reason, now=now)
        )

    def resolve(self, *, task_id: int, by: int, answer: str, now: datetime) -> "Moved":
        return self._call(
            lambda: self._workflow.resolve(task_id=task_id, by=by, answer=answer, now=now)
        )

    def pause(self, *, task_id: int, by: int, reason: str, now: datetime) -> "RequestPause":
        return self._call(
            lambda: self._workflow.pause(task_id=task_id, by=by, reason=reason, now=now)
        )

    def resume(self, *, task_id: int, by: int, now: datetime) -> "RequestPause":
        return self._call(lambda: self._workflow.resume(task_id=task_id, by=by, now=now))

    def assign(self, *, task_id: int, to: str, by: int, now: datetime) -> object:
        return self._call(lambda: self._workflow.assign(task_id=task_id, to=to, by=by, now=now))

    def dispatch(
        self, *, task_id: int, to: str, by: int, note: str | None, now: datetime
    ) -> "Moved":
        return self._call(
            lambda: self._workflow.dispatch(task_id=task_id, to=to, by=by, note=note, now=now)
        )

    def transfer(self, *, task_id: int, to: str, by: int, reason: str, now: datetime) -> "Moved":
        return self._call(
            lambda: self._workflow.transfer(task_id=task_id, to=to, by=by, reason=reason, now=now)
        )

    def message(self, *, request_id: int, by: int, body: str, now: datetime) -> "Message":
        return self._call(
            lambda: self._workflow.message(request_ref=request_id, by=by, body=body, now=now)
        )

    # -- supervision -----------------------------------------------------------------
    # The escalation screen. Every read and action judges the officer as stored now: the
    # rules refuse anyone who is not an active supervisor, and anything outside their scope.

    def may_supervise(self, user: "Actor") -> bool:
        """Whether to offer `user` the escalation screen (no database: the login's flags)."""
        from ptsa_tui.store.rights import supervision_refusal

        return supervision_refusal(user) is None

    def escalations(
        self, user: "Actor", now: datetime, request_ids: Collection[int] | None = None
    ) -> "Escalations":
        """Every breached and at-risk task in `user`'s scope (or only these requests')."""
        from ptsa_tui.store.escalations import load_escalations

        return self._call(
            lambda: load_escalations(
                self._engine, user=user, now=now, rules=self.rules(), request_ids=request_ids
            )
        )

    def escalation_actions(self, user: "Actor", escalation: "Escalation") -> frozenset[str]:
        """What `user` may do with an escalation now: assign, acknowledge, nudge (no database)."""
        from ptsa_tui.store.escalations import actions

        return frozenset(str(action) for action in actions(user, escalation))

    def on_duty(self, user: "Actor", now: datetime) -> "list[OnDuty]":
        """The officers of `user`'s units with a desk app open now."""
        from ptsa_tui.store.escalation_duty import on_duty

        return self._call(lambda: on_duty(self._engine, user=user, now=now))

    def daemon_health(self, now: datetime) -> "DaemonHealth":
        """The alert daemon's heartbeat, judged by the one staleness rule, and the outbox."""
        from ptsa_tui.store.daemon_health import read_health

        return self._call(lambda: read_health(self._engine, now))

    def acknowledge(self, user: "Actor", task_id: int, now: datetime) -> object:
        return self._call(
            lambda: self._workflow.acknowledge(task_id=task_id, by=user.officer_id, now=now)
        )

    def nudge(self, user: "Actor", task_id: int, note: str | None, now: datetime) -> object:
        return self._call(
            lambda: self._workflow.nudge(task_id=task_id, by=user.officer_id, note=note, now=now)
        )

    def nudge_notice(self, user: "Actor", *, request_id: int, task_id: int) -> "NudgeNotice | None":
        """The latest nudge of a task in `user`'s unit, for the desk's notification."""
        from ptsa_tui.store.escalation_notice import nudge_notice

        return self._call(
            lambda: nudge_notice(self._engine, user=user, request_id=request_id, task_id=task_id)
        )

    def scope_assign_targets(
        self, user: "Actor", unit_code: str, now: datetime
    ) -> "list[OfficerChoice]":
        """The officers a supervisor may hand a task of `unit_code` to, in any unit of their
        scope (`assign_targets` is the supervisor's own unit)."""
        from ptsa_tui.store.desk_lookups import assign_targets
        from ptsa_tui.store.escalation_scope import load_scope

        def read() -> "list[OfficerChoice]":
            scope = load_scope(self._engine, user)
            unit = next((u for u in scope.units if u.code == unit_code), None)
            if unit is None:
                raise NotAllowed(
                    "{officer} does not supervise {unit}", officer=user.label, unit=unit_code
                )
            return assign_targets(self._engine, unit_id=unit.id, now=now)

        return self._call(read)

    # -- KPIs --------------------------------------------------------------------------

    def kpis(
        self,
        user: "Actor",
        *,
        start: date,
        end: date,
        now: datetime,
        units: Sequence[str] | None = None,
    ) -> "KpiReport":
        """The figures of `units` (all of `user`'s scope when None) over local dates
        [start, end], as of `now`; a unit outside the scope is refused."""
        from ptsa_tui.store.kpi import unit_kpis
        from ptsa_tui.store.kpi_units import kpi_units, scoped_codes

        def read() -> "KpiReport":
            scope = kpi_units(self._engine, user)
            codes = [u.code for u in scope] if units is None else scoped_codes(scope, user, units)
            return unit_kpis(self._engine, self.rules(), start=start, end=end, units=codes, now=now)

        return self._call(read)

    def may_enter_survey(self, user: "Actor") -> bool:
        """Whether `user` may type in a customer's paper survey form (no database)."""
        from ptsa_tui.store.rights import survey_entry_refusal

        return survey_entry_refusal(user) is None

    def rate_on_paper(
        self,
        user: "Actor",
        *,
        tracking_no: str,
        scores: list[int],
        comment: str | None,
        now: datetime,
    ) -> None:
        """A customer's paper SKM form, typed in by `user`; once per closed request."""
        self._call(
            lambda: self._workflow.rate(
                tracking_no=tracking_no,
                scores=scores,
                comment=comment,
                by=user.officer_id,
                now=now,
            )
        )

    def ikm(self, user: "Actor", *, start: date, end: date, units: Sequence[str]) -> "IkmReport":
        """The SKM figures of `units` (their echelon-2 ones) and of the office, over local
        dates [start, end]; a unit outside `user`'s scope is refused."""
        from ptsa_tui.store.ikm import satisfaction
        from ptsa_tui.store.kpi_units import kpi_units, scoped_codes

        def read() -> "IkmReport":
            codes = scoped_codes(kpi_units(self._engine, user), user, units)
            return satisfaction(
                self._engine, self.rules().calendar, start=start, end=end, units=codes
            )

        return self._call(read)

    def kpi_trend(
        self, user: "Actor", *, start: date, end: date, units: Sequence[str], now: datetime
    ) -> "dict[str, list[WeekKpi]]":
        """Week by week over [start, end], per unit code; a unit outside the scope is refused."""
        from ptsa_tui.store.kpi import weekly_trend
        from ptsa_tui.store.kpi_units import kpi_units, scoped_codes

        def read() -> "dict[str, list[WeekKpi]]":
            codes = scoped_codes(kpi_units(self._engine, user), user, units)
            return weekly_trend(
                self._engine, self.rules(), start=start, end=end, units=codes, now=now
            )

        return self._call(read)
