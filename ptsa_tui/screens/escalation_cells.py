"""How the escalation screen reads: a task's row, its alerts, who is on duty, the daemon.

Every name, note and error from the database is shown literally (`literal`); every time in
the office's time zone.
"""

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ptsa_tui.screens.cells import NUDGED, countdown_text, literal, span, when
from ptsa_tui.screens.i18n import N_, _

if TYPE_CHECKING:
    from ptsa_tui.store.api import AlertLine, DaemonHealth, Escalation, OnDuty

CUSTOMER_WIDTH = 16
TRIES_SHOWN = 3  # the latest attempts of an alert; the count says how many in all
STATUS_STYLE = {"sent": "green", "pending": "yellow", "failed": "bold red"}
STATUS_WORD = {"sent": N_("delivered"), "pending": N_("pending"), "failed": N_("failed")}
CHANNEL_WORD = {"email": N_("email"), "sms": N_("SMS")}


def clock_time(instant: datetime | None, zone: tzinfo) -> str:
    return "—" if instant is None else instant.astimezone(zone).strftime("%H:%M:%S")


def level_cell(escalation: "Escalation") -> Text:
    """The level reached, ticked once a supervisor has acknowledged it; flagged once nudged."""
    if escalation.level == 0:
        cell = Text("—", style="dim")
    else:
        style = "bold red" if escalation.level >= 2 else "bold yellow"
        cell = Text(f"L{escalation.level}", style=style)
    if escalation.acknowledged:
        cell.append(" ✓", style="green")
    if escalation.row.nudged_at is not None:
        cell.append(f" {NUDGED}", style="bold magenta")
    return cell


def alerts_cell(escalation: "Escalation") -> Text:
    """How many of its alerts were delivered, are pending, failed: ✓2 …1 ✗1."""
    counts = {status: 0 for status in STATUS_STYLE}
    for alert in escalation.alerts:
        counts[alert.status] = counts.get(alert.status, 0) + 1
    cell = Text()
    for status, mark in (("sent", "✓"), ("pending", "…"), ("failed", "✗")):
        if counts[status]:
            cell.append(f"{mark}{counts[status]} ", style=STATUS_STYLE[status])
    cell.rstrip()
    return cell if cell.plain else Text("—", style="dim")


def row_cells(escalation: "Escalation", zone: tzinfo) -> tuple[Text | str, ...]:
    """The table's cells, in COLUMNS' order."""
    row = escalation.row
    customer = literal(row.customer)
    customer.truncate(CUSTOMER_WIDTH, overflow="ellipsis")
    return (
        row.tracking_no,
        literal(row.unit),
        customer,
        countdown_text(escalation.countdown),
        level_cell(escalation),
        alerts_cell(escalation),
        when(row.claim_due_at, zone),
        literal(row.service_code or "—"),
    )


COLUMNS = (
    ("tracking", N_("Tracking no.")),
    ("unit", N_("Unit")),
    ("customer", N_("Customer")),
    ("late", N_("Claim deadline")),
    ("level", N_("Level")),
    ("alerts", N_("Alerts")),
    ("due", N_("Due at")),
    ("service", N_("Service")),
)


# -- the highlighted task ------------------------------------------------------------------


def detail(escalation: "Escalation", zone: tzinfo) -> Group:
    """The task's clocks, acknowledgement and nudge, then every alert with its attempts."""
    row = escalation.row
    head = Text.assemble(
        (row.tracking_no, "bold"),
        " · ",
        literal(row.unit),
        " · ",
        literal(f"{row.service_code or '—'} {row.service_name or ''}".strip()),
        " · ",
        literal(row.customer),
    )
    clocks = Text.assemble(
        _("Offered {when}").format(when=when(row.offered_at, zone)),
        " · ",
        _("claim due {when}").format(when=when(row.claim_due_at, zone)),
        " · ",
        countdown_text(escalation.countdown),
    )
    parts: list[Text | Table] = [head, clocks]
    if escalation.acked_at is not None:
        parts.append(
            literal(
                _("Level {level} acknowledged by {who} at {when}").format(
                    level=escalation.acked_level,
                    who=escalation.acked_by_name or escalation.acked_by,
                    when=when(escalation.acked_at, zone),
                ),
                style="green",
            )
        )
    if row.nudged_at is not None:
        parts.append(
            literal(
                _("Nudged by {who} at {when}").format(
                    who=escalation.nudged_by_name or escalation.nudged_by,
                    when=when(row.nudged_at, zone),
                ),
                style="magenta",
            )
        )
    if escalation.alerts:
        parts.append(alerts_table(escalation.alerts, zone))
    else:
        parts.append(Text(_("No alert raised yet."), style="dim"))
    return Group(*parts)


def alerts_table(alerts: "tuple[AlertLine, ...]", zone: tzinfo) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for alert in alerts:
        table.add_row(
            f"L{alert.level}",
            _(CHANNEL_WORD.get(alert.channel, alert.channel)),
            literal(alert.recipient_name),
            Text(_(STATUS_WORD.get(alert.status, alert.status)), style=STATUS_STYLE[alert.status]),
            attempts_text(alert, zone),
        )
    return table


def attempts_text(alert: "AlertLine", zone: tzinfo) -> Text:
    """ "tried 2×: 09:46 ✗ gateway down, 09:47 ✓", the latest few."""
    if not alert.attempts:
        return Text(_("not tried yet"), style="dim")
    text = Text(_("tried {n}×").format(n=alert.attempts))
    if not alert.tries:
        return text
    text.append(": ")
    shown = alert.tries[-TRIES_SHOWN:]
    if len(alert.tries) > len(shown):
        text.append("… ")
    for index, attempt in enumerate(shown):
        if index:
            text.append(", ")
        text.append(f"{attempt.at.astimezone(zone):%H:%M} ")
        if attempt.ok:
            text.append("✓", style="green")
        else:
            text.append("✗ ", style="red")
            text.append_text(literal(attempt.error or "", style="red"))
    return text


# -- who is on duty, and the daemon -----------------------------------------------------------


def duty_text(officers: "list[OnDuty]", now: datetime) -> Text:
    if not officers:
        return Text(_("On duty: nobody in these units has the desk app open."), style="yellow")
    text = Text(_("On duty:"), style="bold")
    for officer in officers:
        text.append("  ")
        text.append_text(literal(officer.full_name, style="bold"))
        text.append(f" {officer.unit_code} ")
        idle = officer.idle(now)
        text.append(
            _("idle {idle}, holds {held}, app open {open}").format(
                idle=span(idle) if idle is not None else _("since opening"),
                held=officer.holding,
                open=span(now - officer.since),
            ),
            style="dim",
        )
    return text


def daemon_line(health: "DaemonHealth", now: datetime, zone: tzinfo) -> Text:
    """The healthy daemon's vital signs, one line."""
    age = span(now - health.beat_at) if health.beat_at else "—"
    return Text.assemble(
        (_("Alert daemon:"), "bold"),
        " ",
        literal(
            _("{host} · beat {age} ago · scan {scan} · {pending} pending · {failed} failed").format(
                host=health.host or "—",
                age=age,
                scan=clock_time(health.last_scan_at, zone),
                pending=health.pending,
                failed=health.failed,
            )
        ),
    )


def daemon_banner(health: "DaemonHealth", now: datetime, zone: tzinfo) -> Text:
    """A daemon that is not scanning: what is wrong, and that nobody is being alerted."""
    if health.state == "missing":
        head = _("NO ALERT DAEMON: none has ever written a heartbeat.")
    elif health.state == "no_leader":
        head = _("ALERT DAEMONS RUNNING BUT NONE LEADS (database lock?).")
    else:
        age = span(now - health.beat_at) if health.beat_at else "—"
        head = _("ALERT DAEMON STOPPED: last heartbeat {age} ago from {host}.").format(
            age=age, host=health.host or "—"
        )
    tail = _(
        "Supervisors are not being alerted. Last scan {scan} · {pending} pending · {failed} failed."
    ).format(
        scan=clock_time(health.last_scan_at, zone), pending=health.pending, failed=health.failed
    )
    return literal(f"⚠ {head} {tail}", style="bold")
