"""The two database roles and what the runtime role may do: the one home of those rules.

The owner role owns the schema and runs the migrations. Every other connection (desks, the
daemon, the CLI, `serve`) is the runtime role: no superuser, owner of nothing, and on `event`
SELECT and INSERT only, so no statement of the application can change or remove an event.
"""

import re

OWNER_ROLE = "ptsa_owner"
RUNTIME_ROLE = "ptsa_app"

# Tables whose rows the application itself removes (a desk's presence, an old heartbeat, a
# calendar day set back to the rule); every other row is only ever added or updated.
DELETES = ("presence", "alert_heartbeat", "calendar_override")
APPEND_ONLY = ("event",)
READ_ONLY = ("alembic_version", "chain_head")
OWNER_ONLY = ("login_key",)  # read only by SECURITY DEFINER functions (migration 0008)

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def checked_name(name: str) -> str:
    """A role or database name safe to put in SQL unquoted-equivalent: lower-case identifier."""
    if not _NAME.match(name):
        raise ValueError(f"not a plain lower-case identifier: {name[:80]!r}")
    return name


def runtime_grants(runtime: str) -> list[str]:
    """Statements, run as the owner after every upgrade, that give `runtime` exactly its
    rights; idempotent, and covering tables a later migration adds."""
    role = f'"{checked_name(runtime)}"'
    statements = [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",  # granted before PostgreSQL 15
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    for table in DELETES:
        statements.append(f"GRANT DELETE ON {table} TO {role}")
    for table in APPEND_ONLY:
        statements.append(f"REVOKE UPDATE ON {table} FROM {role}")
    for table in READ_ONLY:
        statements.append(f"REVOKE INSERT, UPDATE ON {table} FROM {role}")
    for table in OWNER_ONLY:
        statements.append(
            f"DO $$ BEGIN IF to_regclass('{table}') IS NOT NULL THEN"
            f" REVOKE ALL ON {table} FROM {role}; END IF; END $$"
        )
    return statements


def role_sql(
    *, owner: str, owner_password: str, runtime: str, runtime_password: str, database: str
) -> list[str]:
    """What an administrator runs once on a real server: the roles and the database."""
    for name in (owner, runtime, database):
        checked_name(name)
    for password in (owner_password, runtime_password):
        if "'" in password or "\\" in password:
            raise ValueError("a role password may not hold quotes or backslashes")
    return [
        "SET password_encryption = 'scram-sha-256'",
        f'CREATE ROLE "{owner}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION'
        f" NOBYPASSRLS PASSWORD '{owner_password}'",
        f'CREATE ROLE "{runtime}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION'
        f" NOBYPASSRLS PASSWORD '{runtime_password}'",
        f'CREATE DATABASE "{database}" OWNER "{owner}"',
    ]
