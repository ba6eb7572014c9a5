"""Officer accounts: passwords set here are stored only as argon2 hashes."""

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store import audit
from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.models import Officer
from ptsa_tui.store.passwords import hash_password
from ptsa_tui.store.timeutil import utc_now

MIN_PASSWORD = 8


def set_password(engine: Engine, *, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password: at least {MIN_PASSWORD} characters")
    with Session(engine) as session, session.begin():
        officer = session.scalars(select(Officer).where(col(Officer.username) == username)).first()
        if officer is None:
            raise NotFound(f"no officer {username!r}")
        officer.password_hash = hash_password(password)
        officer.failed_logins, officer.locked_until = 0, None
        audit.record(session, kind="password_set", at=utc_now(), officer_id=officer.id)
