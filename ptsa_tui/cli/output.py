"""How commands print: one JSON object for scripts, or short lines and tables for people."""

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer

from ptsa_tui.store.task_rows import TaskRow
from ptsa_tui.text_safety import inert_json, safe_markup

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


class Clockface:
    """Renders instants in the office's time zone, with their offset."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    def iso(self, moment: datetime | None) -> str | None:
        return moment.astimezone(self.zone).isoformat() if moment else None

    def short(self, moment: datetime | None) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if moment else "-"

    def jsonable(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return self.iso(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, timedelta):
            return value.total_seconds()
        if isinstance(value, TaskRow):
            return self.jsonable(value.public())
        if is_dataclass(value) and not isinstance(value, type):
            return self.jsonable(asdict(value))
        if isinstance(value, dict):
            return {key: self.jsonable(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.jsonable(item) for item in value]
        return value


def print_json(payload: dict[str, Any], clock: Clockface) -> None:
    typer.echo(inert_json(json.dumps(clock.jsonable(payload), ensure_ascii=False)))


def console() -> "Console":
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """Rich would exit 1 here; the command's error handling ends it quietly instead."""
            self.quiet = True
            raise BrokenPipeError

    out = _Console(highlight=False)
    # A pipe or a file has no width: a line broken at 80 columns is a sentence cut in two for
    # grep and for scripts. Tables go through print_table, which fits them to the width.
    out.soft_wrap = not out.is_terminal
    return out


def print_table(table: "Table", out: "Console | None" = None) -> None:
    """A table fitted to the width, its title and caption wrapped too, on a terminal or not."""
    (out or console()).print(table, soft_wrap=False)


def say(message: str) -> None:
    """One line for a person; the message is markup, so user text in it must go through safe()."""
    console().print(message)


def safe(text: str | None) -> str:
    return safe_markup(text or "")
