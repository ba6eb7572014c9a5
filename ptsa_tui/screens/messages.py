"""App-wide messages: what the live link and the workers report to the screens."""

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """A desk committed a change to a request in some unit's queue."""

    unit_id: int | None
    request_id: int | None


@dataclass
class LinkChanged(Message):
    """The live link to the database went down or came back."""

    connected: bool


@dataclass
class InboxUpdated(Message):
    """The app's inbox rows changed: those of these requests, or all (None)."""

    requests: frozenset[int] | None
