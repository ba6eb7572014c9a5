"""`ptsa db`: the schema, where the database is, and the roles it is used with."""

import secrets

import typer

from ptsa_tui.cli.runtime import Runtime

app = typer.Typer(
    no_args_is_help=True,
    help="The database: migrate it, show which one is in use, or set up its roles.",
)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Apply the schema migrations as the owner role (safe to run again and again), then give
    the runtime role its rights."""
    from ptsa_tui.store.database import make_engine, role_of
    from ptsa_tui.store.migrate import HEAD, upgrade

    runtime: Runtime = ctx.obj
    urls = runtime.urls
    owner = make_engine(urls.owner, pool_size=1) if urls.owner else runtime.raw_engine
    try:
        upgrade(owner, runtime_role=role_of(urls.runtime))
    finally:
        if urls.owner:
            owner.dispose()
    typer.echo(f"database at revision {HEAD}")


@app.command("url")
def url(
    ctx: typer.Context,
    show_password: bool = typer.Option(
        False, "--show-password", help="Show the password instead of ***."
    ),
) -> None:
    """Print the runtime role's database URL (the embedded server's unless PTSA_DATABASE_URL
    is set), with its password masked."""
    from ptsa_tui.store.urls import masked

    runtime: Runtime = ctx.obj
    typer.echo(runtime.url if show_password else masked(runtime.url))


@app.command("roles")
def roles(
    owner: str = typer.Option("ptsa_owner", help="The owner role's name."),
    runtime_role: str = typer.Option("ptsa_app", "--runtime", help="The runtime role's name."),
    database: str = typer.Option("ptsa", help="The database's name."),
    apply: bool = typer.Option(
        False, "--apply", help="Run the SQL on the server of --admin-url instead of printing it."
    ),
    admin_url: str | None = typer.Option(
        None, "--admin-url", help="A superuser's (or CREATEROLE role's) URL, for --apply."
    ),
) -> None:
    """Print (or apply) the SQL that creates the owner and runtime roles and the database on a
    real server, with fresh passwords. Then run `ptsa db upgrade` with PTSA_DATABASE_OWNER_URL
    set: it migrates as the owner and grants the runtime role exactly its rights."""
    from ptsa_tui.store.errors import InvalidInput
    from ptsa_tui.store.grants import role_sql

    passwords = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    try:
        statements = role_sql(
            owner=owner,
            owner_password=passwords[0],
            runtime=runtime_role,
            runtime_password=passwords[1],
            database=database,
        )
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if not apply:
        typer.echo("\n".join(f"{statement};" for statement in statements))
        _echo_grants(runtime_role)
        return
    if not admin_url:
        raise InvalidInput("--apply needs --admin-url")
    _apply(admin_url, statements)
    typer.echo(f"owner role {owner} password: {passwords[0]}")
    typer.echo(f"runtime role {runtime_role} password: {passwords[1]}")


def _echo_grants(runtime_role: str) -> None:
    from ptsa_tui.store.grants import runtime_grants

    typer.echo(
        "-- Then run `ptsa db upgrade` with PTSA_DATABASE_URL (the runtime role's URL) and"
        " PTSA_DATABASE_OWNER_URL set.\n-- It migrates as the owner and, after every upgrade,"
        " gives the runtime role exactly these rights:"
    )
    for statement in runtime_grants(runtime_role):
        typer.echo(f"--   {statement};")


def _apply(admin_url: str, statements: list[str]) -> None:
    import psycopg

    from ptsa_tui.store.errors import Conflict, DatabaseUnavailable

    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            for statement in statements:
                conn.execute(statement.encode())
    except psycopg.errors.DuplicateObject as error:
        raise Conflict(f"already there: {error.diag.message_primary}") from None
    except psycopg.errors.DuplicateDatabase as error:
        raise Conflict(f"already there: {error.diag.message_primary}") from None
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable(f"admin connection failed: {str(error).strip()[:200]}") from None
