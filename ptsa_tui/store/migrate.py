"""Apply the Alembic migrations; idempotent, and safe when two processes start together."""

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from ptsa_tui.store.revision import HEAD as HEAD

if TYPE_CHECKING:  # Alembic loads only when a migration runs (it costs ~9 MB resident)
    from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x70747361  # "ptsa": serialises concurrent upgrades on one server


def alembic_config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head", *, runtime_role: str | None = None) -> None:
    """Migrate as the connected role (the owner), then give `runtime_role` its rights."""
    from alembic import command

    from ptsa_tui.store.grants import runtime_grants

    config = alembic_config()
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if runtime_role is not None and runtime_role != engine.url.username:
            for statement in runtime_grants(runtime_role):
                connection.execute(text(statement))


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine, owner_url: str | None = None) -> None:
    """Migrate only when behind, so ordinary commands skip loading Alembic. The owner migrates
    when its URL is known; without it, only a connected role that owns the schema can."""
    from sqlalchemy.exc import ProgrammingError

    try:
        with engine.connect() as connection:
            current = connection.scalar(text("SELECT version_num FROM alembic_version"))
    except ProgrammingError:
        current = None
    if current == HEAD:
        return
    if owner_url is None:
        _upgrade_as_connected(engine, current)
        return
    from ptsa_tui.store.database import make_engine

    owner = make_engine(owner_url, pool_size=1)
    try:
        upgrade(owner, runtime_role=engine.url.username)
    finally:
        owner.dispose()


def _upgrade_as_connected(engine: Engine, current: str | None) -> None:
    from sqlalchemy.exc import ProgrammingError

    from ptsa_tui.store.errors import DatabaseUnavailable

    try:
        upgrade(engine)
    except ProgrammingError as error:
        if getattr(error.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        raise DatabaseUnavailable(
            "the schema is at revision {current} and needs {head}, which only its owner can"
            " apply: run `ptsa db upgrade` with PTSA_DATABASE_OWNER_URL set",
            current=current or "none",
            head=HEAD,
        ) from None
