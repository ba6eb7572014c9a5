"""Apply the Alembic migrations; idempotent, and safe when two processes start together."""

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

if TYPE_CHECKING:  # Alembic loads only when a migration runs (it costs ~9 MB resident)
    from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x70747361  # "ptsa": serialises concurrent upgrades on one server


def alembic_config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


HEAD = "0007"  # the newest revision; a test keeps it equal to Alembic's head


def ensure_schema(engine: Engine) -> None:
    """Migrate only when behind, so ordinary commands skip loading Alembic."""
    from sqlalchemy.exc import ProgrammingError

    try:
        with engine.connect() as connection:
            current = connection.scalar(text("SELECT version_num FROM alembic_version"))
    except ProgrammingError:
        current = None
    if current != HEAD:
        upgrade(engine)
