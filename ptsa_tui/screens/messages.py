"""App-wide messages: what the live link and the workers report to the screens."""

from dataclasses import dataclass

from textual.message import Message


@dataclass
class LinkChanged(Message):
    """The live link to the database went down or came back."""

    connected: bool


@dataclass
class InboxUpdated(Message):
    """The app's inbox rows changed: those of these requests, or all (None)."""

    requests: frozenset[int] | None


@dataclass
class RequestChanged(Message, bubble=False):
    """Another unit committed a change to a request that a screen here shows."""

    request_id: int
