"""The workflow's words: positions, request statuses, task purposes and outcomes, channels.

Plain `StrEnum`s, so a value read from the database as text compares equal to its member;
this module imports nothing, so any layer may use it.
"""

from enum import StrEnum


class Position(StrEnum):
    P0 = "P0"  # front office
    P1 = "P1"  # echelon 1
    P2 = "P2"  # echelon 2


class Status(StrEnum):
    """A request's status."""

    OPEN = "open"
    RESOLVED = "resolved"  # answered; the front office still has to hand it over
    CLOSED = "closed"


class Purpose(StrEnum):
    """Why a task sits in a unit's queue."""

    ROUTE = "route"  # an echelon-1 unit routes it on
    SERVE = "serve"  # an echelon-2 unit serves it
    DELIVER = "deliver"  # the front office hands the answer over
    RETURNED = "returned"  # back at the front office, not answered


class Outcome(StrEnum):
    """How a task ended."""

    DISPATCHED = "dispatched"
    RETURNED = "returned"
    TRANSFERRED = "transferred"
    RELEASED = "released"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Channel(StrEnum):
    """How a request reached the office."""

    WALK_IN = "walk-in"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    WEB = "web"


FRONT_OFFICE, ECHELON_1, ECHELON_2 = 0, 1, 2  # unit tiers
_POSITION_OF_TIER = {FRONT_OFFICE: Position.P0, ECHELON_1: Position.P1, ECHELON_2: Position.P2}


def position_of(tier: int) -> Position:
    """An officer's position, and a task's, follow from the unit's tier."""
    return _POSITION_OF_TIER[tier]


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The members' values, for CHECK constraints and choices."""
    return tuple(member.value for member in enum)
