"""Errors as one line of text, for a log line or a one-line command-line message.

Imports nothing at run time: the alert daemon, the store and the CLI all use it.
"""

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails


def first_line(text: str) -> str:
    """The first line of text with the blank edges trimmed; "" when there is none."""
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


def error_line(error: BaseException) -> str:
    """The error's type and the first line of its message: "TimeoutError: timed out"."""
    line = first_line(str(error))
    return f"{type(error).__name__}: {line}" if line else type(error).__name__


def database_line(error: BaseException) -> str:
    """First line of the driver's own message when SQLAlchemy wraps one (DBAPIError.orig):
    SQLAlchemy's text adds the statement and a link. Duck-typed, so no SQLAlchemy import."""
    orig = getattr(error, "orig", None)
    return first_line(str(orig if isinstance(orig, BaseException) else error))


class Problem(NamedTuple):
    """One pydantic error: where it is, why (without pydantic's "Value error, "), what was given."""

    loc: tuple[str, ...]
    reason: str
    value: object

    @property
    def where(self) -> str:
        return ".".join(self.loc)


def problem(detail: "ErrorDetails") -> Problem:
    return Problem(
        loc=tuple(str(part) for part in detail["loc"]),
        reason=detail["msg"].removeprefix("Value error, "),
        value=detail["input"],
    )


def first_problem(error: "ValidationError") -> Problem:
    """The first problem only: one line for the user, who fixes it and tries again."""
    return problem(error.errors()[0])
