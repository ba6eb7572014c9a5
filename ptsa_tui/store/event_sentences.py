"""An audit event's details as sentences, for a request's timeline and `ptsa task show`.

The details are stored as keys and values (`to=PPTKA from=BINAPENTA`); an officer reads
"from BINAPENTA to PPTKA". Keys known here become phrases; any other is shown as
"key: value", so a new detail is never hidden.
"""

from collections.abc import Iterator, Mapping
from datetime import datetime

from ptsa_tui.store.phrases import Phrase, Term

# Kept in the event for the record; the timeline says them otherwise or not at all.
_UNSAID = frozenset({"alert", "notice", "message", "sop_due_at", "waited_s", "on_the_spot"})

# The alert channels `by {channel}` names, and what a customer notice is about, marked for
# the catalogs.
CHANNEL_WORDS = (Term("email"), Term("sms"))
NOTICE_WORDS = (Term("registered"), Term("paused"), Term("ready"), Term("closed"))


def event_phrases(kind: str, details: Mapping[str, object] | None) -> list[Phrase]:
    """What `details` say, in order: where it went, then why, then what else."""
    given = {key: value for key, value in (details or {}).items() if value not in (None, "")}
    return list(_phrases(kind, given))


def _phrases(kind: str, given: dict[str, object]) -> Iterator[Phrase]:
    yield from _where(kind, given)
    yield from _alerting(given)
    yield from _said(given)
    for key, value in given.items():
        if key not in _UNSAID:
            yield Phrase("{key}: {value}", key=Term(key), value=_plain(value))


def _where(kind: str, given: dict[str, object]) -> Iterator[Phrase]:
    source, target = given.pop("from", None), given.pop("to", None)
    if source is not None and target is not None:
        yield Phrase("from {source} to {target}", source=source, target=target)
    elif target is not None and kind == "assigned":
        yield Phrase("to {officer}", officer=target)
    elif target is not None:
        yield Phrase("to {unit}", unit=target)
    if (unit := given.pop("unit", None)) is not None:
        yield Phrase("to {unit}", unit=unit)
    if (service := given.pop("service", None)) is not None:
        yield Phrase("service {service}", service=service)
    if given.pop("on_the_spot", False):
        yield Phrase("answered at the front office")


def _alerting(given: dict[str, object]) -> Iterator[Phrase]:
    if (purpose := given.pop("purpose", None)) is not None:
        yield Phrase("customer notice: {purpose}", purpose=Term(str(purpose)))
    if (level := given.pop("level", None)) is not None:
        yield Phrase("level {level}", level=level)
    if (channel := given.pop("channel", None)) is not None:
        yield Phrase("by {channel}", channel=Term(str(channel)))
    if (recipient := given.pop("recipient", None)) is not None:
        yield Phrase("to {recipient}", recipient=recipient)
    if (attempts := given.pop("attempts", None)) is not None:
        yield Phrase("attempt {attempts}", attempts=attempts)
    if (alerts := given.pop("alerts", None)) is not None:
        yield Phrase("{alerts} alerts", alerts=alerts)


def _said(given: dict[str, object]) -> Iterator[Phrase]:
    """What an officer wrote (or a gateway answered), each after its own word."""
    if (reason := given.pop("reason", None)) is not None:
        yield Phrase("reason: {text}", text=reason)
    if (note := given.pop("note", None)) is not None:
        yield Phrase("note: {text}", text=note)
    if (answer := given.pop("answer", None)) is not None:
        yield Phrase("answer: {text}", text=answer)
    if (error := given.pop("error", None)) is not None:
        yield Phrase("error: {text}", text=error)


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value
