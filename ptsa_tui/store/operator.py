"""The operator: whoever holds the owner role's credentials, proved by connecting with them.

`--operator` on the command line is not a claim the store takes on trust: the command must
reach the database with a role that owns the schema (or is a member of its owner).
"""

from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from ptsa_tui.error_text import database_line
from ptsa_tui.store.errors import NotAllowed

# The role connected, and whether it may act as the owner of the `event` table.
_OWNS_SCHEMA = text("""
SELECT current_user, pg_has_role(current_user, c.relowner, 'USAGE')
FROM pg_class c WHERE c.oid = to_regclass('event')
""")


def prove_operator(owner_url: str) -> str:
    """The owner role's name, once a connection with `owner_url` shows it owns the schema;
    NotAllowed otherwise."""
    from ptsa_tui.store.database import sqlalchemy_url

    engine = create_engine(
        sqlalchemy_url(owner_url), poolclass=NullPool, connect_args={"connect_timeout": 5}
    )
    try:
        with engine.connect() as connection:
            row = connection.execute(_OWNS_SCHEMA).first()
    except DBAPIError as error:
        raise NotAllowed(
            f"operator: cannot connect with the owner role's credentials: {database_line(error)}"
        ) from None
    finally:
        engine.dispose()
    if row is None or not row[1]:
        role = row[0] if row else "?"
        raise NotAllowed(f"operator: role {role!r} does not own the ptsa schema")
    return str(row[0])
