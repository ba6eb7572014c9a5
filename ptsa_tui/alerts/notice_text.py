"""The words of a customer notice, from the `[notify]` templates, at send time.

The due date reads as the customer says it ("Kamis, 10 Desember 2026"), in the office's zone.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ptsa_tui.alerts.sms_fit import fit_sms
from ptsa_tui.notify_settings import NotifySettings
from ptsa_tui.store.notices import NoticeDue

NONE = "-"


@dataclass(frozen=True)
class NoticeText:
    subject: str
    body: str  # the email's, or the SMS itself


def format_due(at: datetime, zone: ZoneInfo) -> str:
    """E.g. "Kamis, 10 Desember 2026": the office's date, as the customer says it."""
    from babel.dates import format_date

    return format_date(at.astimezone(zone).date(), "EEEE, d MMMM y", locale="id")


def due_date(due: NoticeDue, zone: ZoneInfo) -> str:
    return NONE if due.sop_due_at is None else format_due(due.sop_due_at, zone)


def compose_notice(due: NoticeDue, notify: NotifySettings, zone: ZoneInfo) -> NoticeText:
    fields = {
        "tracking_no": due.tracking_no,
        "service": due.service or due.subject,
        "due": due_date(due, zone),
        "reason": due.reason or NONE,
        "answer": due.answer or NONE,
    }
    body = notify.template(due.channel, due.purpose).format(**fields)
    if due.channel == "sms":
        return NoticeText(subject="", body=fit_sms(body, keep=due.tracking_no))
    return NoticeText(subject=notify.email_subject.format(**fields), body=body)
