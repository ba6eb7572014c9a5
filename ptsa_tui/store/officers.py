"""Officer accounts: passwords set here are stored only as argon2 hashes.

A password is set by a supervisor of the officer's unit (`by`, judged by
`rights.officer_admin_refusal`, as for activating an account) or by the operator, the holder
of the owner role's credentials (`operator_url`, proved by connecting with them). The event
says which, and whether it lifted a lock-out.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store import audit
from ptsa_tui.store.actors import load_actor, unit_facts
from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.limits import MAX_PASSWORD, MIN_PASSWORD
from ptsa_tui.store.models import Officer, Unit
from ptsa_tui.store.operator import prove_operator
from ptsa_tui.store.passwords import hash_password
from ptsa_tui.store.rights import officer_admin_refusal, raise_if
from ptsa_tui.store.timeutil import as_utc, utc_now

__all__ = ["MIN_PASSWORD", "PasswordSet", "check_password", "set_password"]


@dataclass(frozen=True)
class PasswordSet:
    username: str
    cleared_lockout: bool


def check_password(password: str, field: str = "password") -> str:
    """The one rule for a new password, wherever it is set (passwd, the org file)."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"{field}: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"{field}: at most {MAX_PASSWORD} characters")
    if "\x00" in password:
        raise InvalidInput(f"{field}: contains a NUL character")
    return password


def set_password(
    engine: Engine,
    *,
    username: str,
    password: str,
    by: str | int | None = None,
    operator_url: str | None = None,
    now: datetime | None = None,
) -> PasswordSet:
    """Set `username`'s password, as the supervisor `by` or as the operator (exactly one)."""
    if (by is None) == (operator_url is None):
        raise InvalidInput("name exactly one of: the supervisor setting it, or the operator")
    check_password(password)
    now = as_utc(now) if now else utc_now()
    operator = prove_operator(operator_url) if operator_url is not None else None
    with Session(engine) as session, session.begin():
        actor = load_actor(session, by) if by is not None else None
        row = session.execute(
            select(Officer, Unit)
            .join(Unit, col(Unit.id) == col(Officer.unit_id))
            .where(col(Officer.username) == username)
            .with_for_update(of=Officer)  # type: ignore[arg-type]
        ).first()
        if row is None:
            raise NotFound(f"no officer {username!r}")
        officer, unit = row
        if actor is not None:
            raise_if(officer_admin_refusal(actor, unit_facts(unit)))
        cleared = officer.locked_until is not None and officer.locked_until > now
        officer.password_hash = hash_password(password)
        officer.failed_logins, officer.locked_until = 0, None
        who: dict[str, object] = (
            {"by": actor.username} if actor else {"operator": True, "role": operator}
        )
        audit.record(
            session,
            kind="password_set",
            at=now,
            officer_id=actor.officer_id if actor else None,
            details={"officer": username, **who, "cleared_lockout": cleared},
        )
        return PasswordSet(username, cleared)
