"""Desk log-in: password check, lock-out after repeated failures, every attempt audited.

A known officer's attempt is recorded under their id; an unknown username only as its
HMAC-SHA256 (migration 0008), since it may be a password typed into the wrong field.
"""

from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store import audit
from ptsa_tui.store.actors import actor_of
from ptsa_tui.store.errors import NotAllowed
from ptsa_tui.store.models import Officer, Unit
from ptsa_tui.store.passwords import hash_password, verify_password
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.timeutil import as_utc, utc_now

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
WRONG = "wrong username or password"
# Verified against when the username is unknown, so both cases take as long.
_DECOY_HASH = hash_password("not a password of anyone")


def authenticate(
    engine: Engine, *, username: str, password: str, host: str, now: datetime | None = None
) -> Actor:
    """The officer behind these credentials, or NotAllowed with a one-line reason.

    Five failures in a row lock the account for 15 minutes; a lock-out is not lifted by the
    right password, and attempts against it are recorded too.
    """
    now = as_utc(now) if now else utc_now()
    username = username.strip()
    # The attempt is recorded and committed before a refusal is raised, so it is never undone.
    with Session(engine, expire_on_commit=False) as session, session.begin():
        outcome = _check(session, username, password, host, now)
    if isinstance(outcome, NotAllowed):
        raise outcome
    return outcome


def _check(
    session: Session, username: str, password: str, host: str, now: datetime
) -> Actor | NotAllowed:
    row = session.execute(
        select(Officer, Unit)
        .join(Unit, col(Unit.id) == col(Officer.unit_id))
        .where(col(Officer.username) == username)
        .with_for_update(of=Officer)  # type: ignore[arg-type]
    ).first()
    if row is None:
        verify_password(_DECOY_HASH, password)
        # It may be a password typed in the wrong field: only its keyed hash is kept.
        probe = session.scalar(text("SELECT login_name_hmac(:name)"), {"name": username})
        _attempt(session, "login_failed", now, None, host, username_hmac=probe)
        return NotAllowed(WRONG)
    officer, unit = row
    if officer.locked_until is not None and officer.locked_until > now:
        _attempt(session, "login_refused", now, officer, host, reason="locked")
        return NotAllowed(
            "account locked after {failures} failed log-ins, until {until}",
            failures=MAX_FAILURES,
            until=officer.locked_until,
        )
    if officer.locked_until is not None:  # an expired lock starts a fresh count
        officer.failed_logins, officer.locked_until = 0, None
    if not verify_password(officer.password_hash, password):
        officer.failed_logins += 1
        if officer.failed_logins >= MAX_FAILURES:
            officer.locked_until = now + LOCK_FOR
        _attempt(session, "login_failed", now, officer, host, failures=officer.failed_logins)
        return NotAllowed(WRONG)
    if not officer.active:
        _attempt(session, "login_refused", now, officer, host, reason="inactive")
        return NotAllowed("account {officer!r} is inactive", officer=officer.username)
    officer.failed_logins = 0
    _attempt(session, "login", now, officer, host)
    return actor_of(officer, unit, now=now)


def _attempt(
    session: Session,
    kind: str,
    now: datetime,
    officer: Officer | None,
    host: str,
    **details: object,
) -> None:
    """The attempt's event; its trigger tells the officer's unit (migration 0004)."""
    officer_id = officer.id if officer else None
    audit.record(
        session, kind=kind, at=now, officer_id=officer_id, details={"host": host, **details}
    )
