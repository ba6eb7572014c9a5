"""How inbox values read on screen: ages, the claim countdown in colour and words, dates."""

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text

from ptsa_tui.screens.i18n import N_, _
from ptsa_tui.text_safety import visible_controls

if TYPE_CHECKING:
    from ptsa_tui.store.api import Countdown, TaskRow

LEVEL_STYLE = {"ok": "green", "at_risk": "bold yellow", "late": "bold red"}
NUDGED = "⚑"  # the mark of a task a supervisor nudged


def literal(text: str | None, style: str = "") -> Text:
    """User-typed text exactly as typed: a Text is never parsed as markup, and controls
    (ESC, CR, …) become visible escapes so they cannot drive the terminal."""
    return Text(visible_controls(text or ""), style=style)


def span(delta: timedelta) -> str:
    """A short duration: 45s, 12m, 2h05m, 3d04h."""
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{seconds}s"


def countdown_text(count: "Countdown") -> Text:
    """Out of office hours the office clock stands still: the words say so."""
    left = span(count.remaining)
    if count.level == "late":
        words = _("late by {span}, paused") if count.paused else _("late by {span}")
    elif count.level == "at_risk":
        words = _("at risk, {span} left, paused") if count.paused else _("at risk, {span} left")
    else:
        words = _("{span} left, paused") if count.paused else _("{span} left")
    return Text(words.format(span=left), style=LEVEL_STYLE[count.level])


def when(instant: datetime | None, zone: tzinfo) -> str:
    if instant is None:
        return "—"
    return instant.astimezone(zone).strftime("%d/%m %H:%M")


# Stored outcome words, marked here so the catalogs carry their translations.
OUTCOMES = (
    N_("dispatched"),
    N_("returned"),
    N_("transferred"),
    N_("released"),
    N_("resolved"),
    N_("closed"),
)


def outcome(word: str | None) -> str:
    return _(word) if word else ""


def state_cell(row: "TaskRow", count: "Countdown | None") -> Text:
    """The countdown for a task still waiting for a claim; otherwise who holds it or how it ended."""
    if row.closed_at is not None:
        return Text(outcome(row.outcome), style="dim")
    if row.claimed_by is not None:
        return literal(_("held by {who}").format(who=row.claimed_by), style="cyan")
    assert count is not None
    if row.nudged_at is not None:  # a supervisor asked the desks to claim it
        return Text.assemble((NUDGED + " ", "bold magenta"), countdown_text(count))
    return countdown_text(count)


def moment(row: "TaskRow", now: datetime) -> tuple[int, int]:
    """The row's cells change only when this does: its age and the time to its claim
    deadline, each in seconds while under a minute (they read in seconds then), else in
    whole minutes. Office closures are whole minutes, so the countdown turns with these."""
    waiting = row.closed_at is None and row.claimed_by is None
    return steps(now - row.offered_at), steps(row.claim_due_at - now) if waiting else 0


def steps(delta: timedelta) -> int:
    seconds = int(delta.total_seconds())
    return seconds if abs(seconds) < 60 else int(seconds / 60) * 60  # toward zero, as shown
