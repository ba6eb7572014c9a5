"""The reply to a customer who texts "STATUS PTSA-2026-000123": its status and due date when
the SMS came from the phone on the request; otherwise the same words for a wrong phone and an
unknown number, so a reply never tells which."""

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from ptsa_tui.alerts.notice_text import NONE, format_due
from ptsa_tui.alerts.sms_fit import fit_sms
from ptsa_tui.notify_settings import PLACEHOLDERS, NotifySettings
from ptsa_tui.store.status_lookup import RequestStatus

ASKED = re.compile(r"^\s*STATUS\s+(PTSA-\d{4}-\d{6,})\s*$", re.IGNORECASE)
# An alphanumeric sender ("TELKOMSEL", a bank) cannot be answered: its texts get no reply.
PHONE_SENDER = re.compile(r"^\+?\d{6,15}$")

STATES = {
    "open": "sedang diproses",
    "paused": "menunggu kelengkapan dari Anda",
    "resolved": "sudah selesai, jawabannya dapat diambil di loket front office",
    "closed": "sudah selesai dan ditutup",
}

LookUp = Callable[[str, str], RequestStatus | None]  # (tracking no, sender) -> status


def status_reply(
    sender: str, text: str, look_up: LookUp, notify: NotifySettings, zone: ZoneInfo
) -> str | None:
    """The SMS to send back, or None when nothing should be."""
    if not PHONE_SENDER.match(sender.strip()):
        return None
    asked = ASKED.match(text or "")
    if asked is None:
        return fit_sms(notify.sms_status_usage, keep="")
    tracking = asked.group(1).upper()
    found = look_up(tracking, sender)
    if found is None:
        return fit_sms(notify.sms_status_unknown.format(**_fields(tracking)), keep=tracking)
    words = _fields(
        tracking,
        service=found.service,
        status=STATES.get(found.state, found.state),
        due=format_due(found.sop_due_at, zone) if found.sop_due_at else NONE,
    )
    return fit_sms(notify.sms_status.format(**words), keep=tracking)


def _fields(tracking: str, **given: str) -> dict[str, str]:
    """Every placeholder a template may hold, so an office's own wording never fails."""
    return {**dict.fromkeys(PLACEHOLDERS, NONE), "tracking_no": tracking, **given}
