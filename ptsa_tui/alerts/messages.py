"""The words of an alert, in the recipient's language (Indonesian unless they chose English)."""

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from ptsa_tui.store.outbox import Due

SMS_LIMIT = 160
DESKS_SHOWN = 8

_WORDS = {
    "id": {
        "subject1": "[PTSA] Belum diambil: {tracking} di {unit}, terlambat {late}",
        "subject2": "[PTSA] Eskalasi: {tracking} di {unit} belum diambil, terlambat {late}",
        "greeting": "Yth. {name},",
        "lead1": (
            "tugas permohonan {tracking} di antrean {unit} ({unit_name}) belum diambil"
            " sejak batas waktu {due} dan kini terlambat {late}."
        ),
        "lead2": (
            "eskalasi tingkat 2: tugas permohonan {tracking} di antrean {unit} ({unit_name})"
            " masih belum diambil sejak batas waktu {due}, kini terlambat {late}."
        ),
        "service": "Layanan",
        "desks": "Dapat diambil oleh",
        "nobody": "(tidak ada petugas aktif di unit ini)",
        "more": "dan {n} lainnya",
        "close": "Mohon segera ditindaklanjuti melalui ptsa desk.",
        "none": "-",
        "sms": "PTSA L{level}: {tracking} di {unit} ({service}) blm diambil, telat {late}",
        "h": "{n} jam",
        "m": "{n} menit",
        "d": "{n} hari",
        "s": "{n} detik",
    },
    "en": {
        "subject1": "[PTSA] Not claimed: {tracking} at {unit}, {late} late",
        "subject2": "[PTSA] Escalation: {tracking} at {unit} still not claimed, {late} late",
        "greeting": "Dear {name},",
        "lead1": (
            "the task of request {tracking} in the queue of {unit} ({unit_name}) was not"
            " claimed by its deadline {due} and is now {late} late."
        ),
        "lead2": (
            "level-2 escalation: the task of request {tracking} in the queue of {unit}"
            " ({unit_name}) is still not claimed since its deadline {due}; now {late} late."
        ),
        "service": "Service",
        "desks": "Can be claimed by",
        "nobody": "(no active officer in this unit)",
        "more": "and {n} more",
        "close": "Please act on it in ptsa desk.",
        "none": "-",
        "sms": "PTSA L{level}: {tracking} at {unit} ({service}) not claimed, {late} late",
        "h": "{n} h",
        "m": "{n} min",
        "d": "{n} d",
        "s": "{n} s",
    },
}


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    sms: str


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["id"])


def how_late(late: timedelta, language: str) -> str:
    """E.g. "1 jam 5 menit"; under a minute in seconds."""
    words = _words(language)
    total = max(0, int(late.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        words[unit].format(n=n) for unit, n in (("d", days), ("h", hours), ("m", minutes)) if n
    ]
    return " ".join(parts) if parts else words["s"].format(n=seconds)


def _desks(due: Due, words: dict[str, str]) -> str:
    if not due.desks:
        return words["nobody"]
    shown = ", ".join(due.desks[:DESKS_SHOWN])
    hidden = len(due.desks) - DESKS_SHOWN
    return f"{shown} {words['more'].format(n=hidden)}" if hidden > 0 else shown


def gsm_safe(text: str) -> str:
    """Plain ASCII, so one SMS holds 160 characters (a non-GSM letter would cut it to 70)."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(flat.split())


def compose(due: Due, late: timedelta, zone: ZoneInfo) -> Text:
    words = _words(due.language)
    fields = {
        "tracking": due.tracking_no,
        "unit": due.unit_code,
        "unit_name": due.unit_name,
        "service": due.service or words["none"],
        "late": how_late(late, due.language),
        "due": due.claim_due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
        "name": due.recipient,
        "level": due.level,
    }
    lead = words["lead2" if due.level >= 2 else "lead1"].format(**fields)
    body = "\n".join(
        (
            words["greeting"].format(**fields),
            "",
            lead[0].upper() + lead[1:],
            "",
            f"{words['service']}: {fields['service']}",
            f"{words['desks']}: {_desks(due, words)}",
            "",
            words["close"],
        )
    )
    subject = words["subject2" if due.level >= 2 else "subject1"].format(**fields)
    return Text(subject=subject, body=body, sms=gsm_safe(words["sms"].format(**fields))[:SMS_LIMIT])
