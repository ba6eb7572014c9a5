"""The tables. Alembic migrations own the schema; these classes describe it for queries."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Interval,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from ptsa_tui.store.domain import Channel, Outcome, Position, Purpose, Status, values

POSITIONS = values(Position)
CHANNELS = values(Channel)
REQUEST_STATUSES = values(Status)
TASK_PURPOSES = values(Purpose)
TASK_OUTCOMES = values(Outcome)


def _at(*, nullable: bool = True) -> Any:
    """A UTC timestamptz column; a new Column each call, as SQLModel needs."""
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Unit(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("tier IN (0, 1, 2)", name="unit_tier"),
        CheckConstraint("(tier = 2) = (parent_id IS NOT NULL)", name="unit_parent_iff_tier2"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    tier: int = Field(sa_column=Column(SmallInteger, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="unit.id")
    claim_sla: timedelta | None = Field(default=None, sa_column=Column(Interval, nullable=True))


class Officer(SQLModel, table=True):
    __table_args__ = (CheckConstraint("language IN ('id', 'en')", name="officer_language"),)
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    full_name: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: int = Field(foreign_key="unit.id", index=True)
    supervisor: bool = False
    email: str | None = Field(default=None, sa_column=Column(Text))
    phone: str | None = Field(default=None, sa_column=Column(Text))
    password_hash: str | None = Field(default=None, sa_column=Column(Text))
    active: bool = True
    language: str = Field(default="id", sa_column=Column(Text, nullable=False))
    failed_logins: int = 0
    locked_until: datetime | None = _at()


class Service(SQLModel, table=True):
    __table_args__ = (CheckConstraint("sop_days > 0", name="service_sop_days_positive"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: int = Field(foreign_key="unit.id", index=True)
    sop_days: int
    active: bool = True


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    nik: str | None = Field(default=None, sa_column=Column(Text, index=True))
    organisation: str | None = Field(default=None, sa_column=Column(Text))
    phone: str | None = Field(default=None, sa_column=Column(Text, index=True))
    email: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = _at(nullable=False)
    notify: bool = Field(  # False: the customer opted out of every notice
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )


class Request(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("channel", CHANNELS), name="request_channel"),
        CheckConstraint(_in("status", REQUEST_STATUSES), name="request_status"),
        Index("request_resolved", "resolved_at", postgresql_where=text("resolved_at IS NOT NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    tracking_no: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    service_id: int | None = Field(default=None, foreign_key="service.id", index=True)
    origin_unit_id: int = Field(foreign_key="unit.id")
    registered_by: int = Field(foreign_key="officer.id")
    subject: str = Field(sa_column=Column(Text, nullable=False))
    details: str = Field(default="", sa_column=Column(Text, nullable=False))
    channel: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    sop_due_at: datetime | None = _at()
    resolution: str | None = Field(default=None, sa_column=Column(Text))
    resolved_at: datetime | None = _at()
    closed_at: datetime | None = _at()
    created_at: datetime = _at(nullable=False)


class Task(SQLModel, table=True):
    """One hop of a request in one unit's queue."""

    __table_args__ = (
        CheckConstraint(_in("position", POSITIONS), name="task_position"),
        CheckConstraint(_in("purpose", TASK_PURPOSES), name="task_purpose"),
        CheckConstraint(_in("outcome", TASK_OUTCOMES), name="task_outcome"),
        CheckConstraint("(claimed_by IS NULL) = (claimed_at IS NULL)", name="task_claim_pair"),
        CheckConstraint("(closed_at IS NULL) = (outcome IS NULL)", name="task_close_pair"),
        CheckConstraint(
            "(acked_level IS NULL) = (acked_at IS NULL) AND (acked_at IS NULL) = (acked_by IS NULL)",
            name="task_ack_triple",
        ),
        CheckConstraint("(nudged_at IS NULL) = (nudged_by IS NULL)", name="task_nudge_pair"),
        Index(
            "task_one_open_per_request",
            "request_id",
            unique=True,
            postgresql_where=text("closed_at IS NULL"),
        ),
        Index("task_request", "request_id"),
        Index(
            "task_unit_queue", "unit_id", "claim_due_at", postgresql_where=text("closed_at IS NULL")
        ),
        Index(
            "task_unit_unclaimed",
            "unit_id",
            "claim_due_at",
            postgresql_where=text("closed_at IS NULL AND claimed_by IS NULL"),
        ),
        Index(
            "task_breach_scan",
            "claim_due_at",
            postgresql_where=text("closed_at IS NULL AND claimed_by IS NULL"),
        ),
        Index("task_claimed_open", "claimed_by", postgresql_where=text("closed_at IS NULL")),
        Index(
            "task_unit_closed",
            "unit_id",
            "closed_at",
            postgresql_where=text("closed_at IS NOT NULL"),
        ),
        Index("task_unit_offered", "unit_id", "offered_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    unit_id: int = Field(foreign_key="unit.id")
    position: str = Field(sa_column=Column(Text, nullable=False))
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    offered_at: datetime = _at(nullable=False)
    offered_by: int | None = Field(default=None, foreign_key="officer.id")
    note: str | None = Field(default=None, sa_column=Column(Text))
    claim_due_at: datetime = _at(nullable=False)
    claimed_by: int | None = Field(default=None, foreign_key="officer.id")
    claimed_at: datetime | None = _at()
    closed_at: datetime | None = _at()
    outcome: str | None = Field(default=None, sa_column=Column(Text))
    # the last acknowledged escalation and the last nudge (migration 0005)
    acked_level: int | None = Field(default=None, sa_column=Column(SmallInteger))
    acked_at: datetime | None = _at()
    acked_by: int | None = Field(default=None, foreign_key="officer.id")
    nudged_at: datetime | None = _at()
    nudged_by: int | None = Field(default=None, foreign_key="officer.id")


class Event(SQLModel, table=True):
    """Append-only audit trail; a trigger refuses UPDATE and DELETE."""

    __table_args__ = (Index("event_request", "request_id", "id"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    at: datetime = _at(nullable=False)
    kind: str = Field(sa_column=Column(Text, nullable=False))
    request_id: int | None = Field(default=None, foreign_key="request.id")
    task_id: int | None = Field(default=None, foreign_key="task.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    details: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    # Set by the database's event_chain trigger (migration 0006), never by Python.
    channel: str = Field(default="unknown", sa_column=Column(Text, nullable=False))
    origin: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    chain_seq: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    prev_hash: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    hash: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))


class ChainHead(SQLModel, table=True):
    """The newest event of each audit chain (owner-only; written by the event_chain trigger)."""

    __tablename__ = "chain_head"
    chain: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    seq: int = Field(sa_column=Column(Integer, nullable=False))
    event_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    hash: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class LoginKey(SQLModel, table=True):
    """The key of unknown log-in names' HMAC (owner-only; migration 0008's login_name_hmac)."""

    __tablename__ = "login_key"
    __table_args__ = (CheckConstraint("id = 1", name="login_key_single_row"),)
    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    inner_pad: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    outer_pad: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class TrackingCounter(SQLModel, table=True):
    """The last tracking number of each office year (migration 0007: no gaps)."""

    __tablename__ = "tracking_counter"
    __table_args__ = (CheckConstraint("last >= 0", name="tracking_counter_last"),)
    year: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    last: int = Field(sa_column=Column(Integer, nullable=False))


class Message(SQLModel, table=True):
    __table_args__ = (Index("message_request", "request_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    task_id: int | None = Field(default=None, foreign_key="task.id")
    officer_id: int = Field(foreign_key="officer.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _at(nullable=False)


class Alert(SQLModel, table=True):
    """The daemon's outbox: one row per (task, level, channel, recipient)."""

    __table_args__ = (
        UniqueConstraint("task_id", "level", "channel", "recipient_id", name="alert_once"),
        CheckConstraint("channel IN ('email', 'sms')", name="alert_channel"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="alert_status"),
        Index("alert_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    task_id: int = Field(foreign_key="task.id")
    level: int = Field(sa_column=Column(SmallInteger, nullable=False))
    channel: str = Field(sa_column=Column(Text, nullable=False))
    recipient_id: int = Field(foreign_key="officer.id")
    address: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(Text, nullable=False))
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    next_attempt_at: datetime = _at(nullable=False)
    sent_at: datetime | None = _at()
    created_at: datetime = _at(nullable=False)


class CalendarOverride(SQLModel, table=True):
    """An admin's change to the holiday calendar: a day off added, or a holiday worked."""

    __tablename__ = "calendar_override"
    day: date = Field(primary_key=True)
    closed: bool
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


# -- alert daemon tables (migration 0002) --


class AlertAttempt(SQLModel, table=True):
    """Every delivery attempt of an alert, successful or not: the outbox's own log."""

    __tablename__ = "alert_attempt"
    __table_args__ = (Index("alert_attempt_alert", "alert_id", "id"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    alert_id: int = Field(sa_column=Column(BigInteger, ForeignKey("alert.id"), nullable=False))
    at: datetime = _at(nullable=False)
    ok: bool
    error: str | None = Field(default=None, sa_column=Column(Text))
    daemon: str = Field(sa_column=Column(Text, nullable=False))


class AlertHeartbeat(SQLModel, table=True):
    """One row per running alert daemon, rewritten on every pass."""

    __tablename__ = "alert_heartbeat"
    __table_args__ = (CheckConstraint("role IN ('leader', 'standby')", name="heartbeat_role"),)
    daemon: str = Field(sa_column=Column(Text, primary_key=True))
    host: str = Field(sa_column=Column(Text, nullable=False))
    pid: int
    role: str = Field(sa_column=Column(Text, nullable=False))
    interval: timedelta = Field(sa_column=Column(Interval, nullable=False))
    started_at: datetime = _at(nullable=False)
    beat_at: datetime = _at(nullable=False)
    last_scan_at: datetime | None = _at()
    pending: int = 0
    failed: int = 0


# -- desk app tables (migration 0003) --


class Presence(SQLModel, table=True):
    """An open desk app: one row per (officer, host, process), refreshed while it runs."""

    __table_args__ = (Index("presence_seen", "last_seen_at"),)
    officer_id: int = Field(foreign_key="officer.id", primary_key=True)
    host: str = Field(sa_column=Column(Text, primary_key=True))
    pid: int = Field(primary_key=True)
    started_at: datetime = _at(nullable=False)
    last_seen_at: datetime = _at(nullable=False)
    active_at: datetime | None = _at()  # the officer's last key or click (migration 0005)


# -- supervision tables (migration 0005) --


class RequestPause(SQLModel, table=True):
    """A request waiting on the customer: its SOP clock stops; the claim clock does not."""

    __tablename__ = "request_pause"
    __table_args__ = (
        Index("request_pause_request", "request_id", "id"),
        Index(
            "request_pause_one_open",
            "request_id",
            unique=True,
            postgresql_where=text("resumed_at IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    task_id: int = Field(foreign_key="task.id")
    paused_at: datetime = _at(nullable=False)
    paused_by: int = Field(foreign_key="officer.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    resumed_at: datetime | None = _at()
    resumed_by: int | None = Field(default=None, foreign_key="officer.id")
    moved_by: timedelta | None = Field(default=None, sa_column=Column(Interval, nullable=True))


# -- the satisfaction survey (migration 0009) --


class Survey(SQLModel, table=True):
    """One SKM response per closed request: the nine elements' scores (1-4), in order."""

    __table_args__ = (
        UniqueConstraint("request_id", name="survey_once"),
        CheckConstraint(
            "cardinality(scores) = 9 AND 1 <= ALL(scores) AND 4 >= ALL(scores)",
            name="survey_scores",
        ),
        CheckConstraint("source IN ('kiosk', 'paper')", name="survey_source"),
        CheckConstraint(
            "(source = 'paper') = (entered_by IS NOT NULL)", name="survey_paper_by_officer"
        ),
        Index("survey_created", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")
    scores: list[int] = Field(sa_column=Column(ARRAY(SmallInteger), nullable=False))
    comment: str | None = Field(default=None, sa_column=Column(Text))
    source: str = Field(sa_column=Column(Text, nullable=False))
    entered_by: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = _at(nullable=False)


# -- customer notices (migration 0010) --


class Notice(SQLModel, table=True):
    """A message to a customer: one row per (event, channel), raised by the event's trigger."""

    __table_args__ = (
        UniqueConstraint("event_id", "channel", name="notice_once"),
        CheckConstraint("channel IN ('email', 'sms')", name="notice_channel"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="notice_status"),
        CheckConstraint(
            "purpose IN ('registered', 'paused', 'ready', 'closed')", name="notice_purpose"
        ),
        Index("notice_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
        Index("notice_request", "request_id"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    request_id: int = Field(foreign_key="request.id")
    event_id: int = Field(sa_column=Column(BigInteger, nullable=False))  # event: append-only
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    channel: str = Field(sa_column=Column(Text, nullable=False))
    address: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(Text, nullable=False))
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    next_attempt_at: datetime = _at(nullable=False)
    sent_at: datetime | None = _at()
    created_at: datetime = _at(nullable=False)


class NoticeAttempt(SQLModel, table=True):
    """Every delivery attempt of a notice, successful or not."""

    __tablename__ = "notice_attempt"
    __table_args__ = (Index("notice_attempt_notice", "notice_id", "id"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    notice_id: int = Field(sa_column=Column(BigInteger, ForeignKey("notice.id"), nullable=False))
    at: datetime = _at(nullable=False)
    ok: bool
    error: str | None = Field(default=None, sa_column=Column(Text))
    daemon: str = Field(sa_column=Column(Text, nullable=False))


class LookupMiss(SQLModel, table=True):
    """A wrong tracking number and phone pair at the kiosk, keyed by kiosk and by number."""

    __tablename__ = "lookup_miss"
    __table_args__ = (Index("lookup_miss_key", "key", "at"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    key: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = _at(nullable=False)
