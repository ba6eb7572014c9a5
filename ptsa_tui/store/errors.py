"""Typed domain errors; the CLI maps each to its exit code."""


class PtsaError(Exception):
    """Base of every error ptsa reports to a user as one line."""

    exit_code = 1


class DatabaseUnavailable(PtsaError):
    exit_code = 1


class InvalidInput(PtsaError):
    exit_code = 2


class Conflict(PtsaError):
    """The state moved under the caller, e.g. a task someone else has claimed."""

    exit_code = 3


class NotFound(PtsaError):
    exit_code = 4


class NotAllowed(PtsaError):
    exit_code = 5
