"""The `ptsa` command. Heavy modules load inside commands so `ptsa --help` stays fast."""

import sys
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from ptsa_tui.cli import (
    alerts_commands,
    audit_commands,
    calendar_commands,
    customer_commands,
    db_commands,
    desk_commands,
    officer_commands,
    org_commands,
    report_commands,
    request_commands,
    task_commands,
)
from ptsa_tui.cli.arguments import (
    EXIT_BROKEN_PIPE,
    argument_problem,
    silence_stdout,
    stdout_is_closed,
)
from ptsa_tui.cli.runtime import Runtime
from ptsa_tui.error_text import database_line
from ptsa_tui.text_safety import one_line


class ReportingGroup(TyperGroup):
    """Turns every error a command raises into one line on stderr and its exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Usage errors as one line too, instead of a boxed panel."""
        # Typer vendors click; its exceptions live in typer._click.
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

        kwargs["standalone_mode"] = False
        given = kwargs.get("args", args[0] if args else None)
        problem = argument_problem(sys.argv[1:] if given is None else list(given))
        if problem:
            typer.echo(f"ptsa: {problem}", err=True)
            sys.exit(2)
        try:
            code = super().main(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        except BrokenPipeError:
            silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            typer.echo(f"ptsa: {one_line(error.format_message())}{hint}", err=True)
            sys.exit(2)
        except ClickException as error:
            typer.echo(f"ptsa: {one_line(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("ptsa: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from ptsa_tui.config import ConfigError
        from ptsa_tui.store.errors import PtsaError

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except PtsaError as error:
            _fail(ctx, str(error), error.exit_code)
        except ConfigError as error:
            _fail(ctx, str(error), 2)
        except BrokenPipeError as error:
            if not stdout_is_closed():
                _fail(ctx, _unexpected(error), 1)
            silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except KeyboardInterrupt:
            _fail(ctx, "interrupted", 130)
        except Exception as error:
            if _is_bad_value(error):  # SQLSTATE class 22, e.g. a number out of range
                _fail(ctx, f"invalid input: {database_line(error)}", 2)
            _fail(ctx, _unexpected(error), 1)
        finally:
            runtime = ctx.obj
            if isinstance(runtime, Runtime):
                runtime.close()


def _is_bad_value(error: Exception) -> bool:
    """A data exception from the driver, bare (store/lean.py) or wrapped by SQLAlchemy; only
    what is already loaded is looked at, so a command that never loaded SQLAlchemy stays so."""
    errors = sys.modules.get("psycopg.errors")
    if errors is not None and isinstance(error, errors.DataError):
        return True
    wrapped = sys.modules.get("sqlalchemy.exc")
    return wrapped is not None and isinstance(error, wrapped.DataError)


def _unexpected(error: Exception) -> str:
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError) and error.orig is not None:
        return f"database error: {database_line(error)} (run with --debug for details)"
    return f"unexpected {type(error).__name__}: {error} (run with --debug for details)"


def _fail(ctx: typer.Context, message: str, code: int) -> None:
    runtime = ctx.obj
    if isinstance(runtime, Runtime) and runtime.debug:
        raise
    typer.echo(f"ptsa: {one_line(message)}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=ReportingGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="ptsa: the PTSA service desk. Requests go P0 → P1 → P2 and back, on claim deadlines.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    ctx: typer.Context,
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks instead of one-line errors."
    ),
) -> None:
    ctx.obj = Runtime(debug=debug)


app.add_typer(db_commands.app, name="db")
app.add_typer(audit_commands.app, name="audit")
app.add_typer(org_commands.org_app, name="org")
app.add_typer(org_commands.seed_app, name="seed")
app.add_typer(officer_commands.officer_app, name="officer")  # passwd, activate, deactivate
app.add_typer(request_commands.app, name="request")
app.add_typer(customer_commands.app, name="customer")
app.add_typer(task_commands.app, name="task")
app.add_typer(alerts_commands.app, name="alerts")
app.add_typer(calendar_commands.app, name="calendar")
app.add_typer(report_commands.app, name="report")
app.command("demo")(org_commands.demo)
app.command("desk")(desk_commands.desk)
app.command("serve")(desk_commands.serve)
app.command("kiosk")(desk_commands.kiosk)


def run() -> None:
    sys.exit(app())
