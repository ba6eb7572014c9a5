"""`[notify]`: the texts customers are sent, one template per event and channel, in Indonesian.

A template may use only the placeholders below; a misspelt one is a config error at start-up,
not a customer's garbled message at send time. The customer's NIK is never one of them.
"""

import string
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

PLACEHOLDERS = ("tracking_no", "service", "due", "reason", "answer", "status")
_FROM = "PTSA Kemnaker"


class NotifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sms_registered: str = (
        _FROM + ": permohonan {tracking_no} ({service}) diterima, selesai paling lambat {due}."
    )
    sms_paused: str = _FROM + ": permohonan {tracking_no} menunggu kelengkapan dari Anda: {reason}"
    sms_ready: str = (
        _FROM + ": permohonan {tracking_no} sudah selesai. Silakan ambil jawabannya di loket"
        " front office PTSA."
    )
    sms_closed: str = (
        _FROM + ": permohonan {tracking_no} telah ditutup. Terima kasih. Mohon isi survei"
        " kepuasan di kiosk PTSA."
    )
    # replies to "STATUS <tracking no>" by SMS (the Gammu backend's inbox)
    sms_status: str = (
        _FROM + ": permohonan {tracking_no} ({service}) {status}. Selesai paling lambat {due}."
    )
    sms_status_unknown: str = (
        _FROM + ": tidak ada permohonan {tracking_no} untuk nomor ini. Silakan hubungi loket"
        " front office PTSA."
    )
    sms_status_usage: str = (
        _FROM + ": untuk menanyakan status permohonan, kirim STATUS <nomor permohonan>,"
        " contoh: STATUS PTSA-2026-000123"
    )
    email_subject: str = _FROM + ": permohonan {tracking_no}"
    email_registered: str = (
        "Permohonan Anda {tracking_no} ({service}) telah kami terima.\n"
        "Permohonan ini selesai paling lambat {due}.\n\n"
        "Simpan nomor permohonan ini untuk menanyakan statusnya.\n\n"
        "Salam,\nPTSA Kementerian Ketenagakerjaan"
    )
    email_paused: str = (
        "Permohonan Anda {tracking_no} ({service}) menunggu kelengkapan dari Anda:\n\n"
        "{reason}\n\n"
        "Waktu penyelesaian berhenti sampai kelengkapan diterima.\n\n"
        "Salam,\nPTSA Kementerian Ketenagakerjaan"
    )
    email_ready: str = (
        "Permohonan Anda {tracking_no} ({service}) sudah selesai. Jawabannya:\n\n"
        "{answer}\n\n"
        "Dokumen asli dapat diambil di loket front office PTSA.\n\n"
        "Salam,\nPTSA Kementerian Ketenagakerjaan"
    )
    email_closed: str = (
        "Permohonan Anda {tracking_no} ({service}) telah ditutup. Terima kasih.\n\n"
        "Mohon luangkan waktu satu menit untuk mengisi survei kepuasan masyarakat di kiosk"
        " PTSA.\n\n"
        "Salam,\nPTSA Kementerian Ketenagakerjaan"
    )

    @field_validator("*")
    @classmethod
    def _known_placeholders(cls, template: str) -> str:
        for name in _placeholders(template):
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                raise ValueError(f"unknown placeholder {{{name}}}; use {known}")
        return template

    def template(self, channel: str, purpose: str) -> str:
        value: Any = getattr(self, f"{channel}_{purpose}")
        return str(value)


def _placeholders(template: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:  # a lone brace
        raise ValueError(f"malformed template {template[:60]!r}: {error}") from None
    return [name for _, name, _, _ in parsed if name is not None]
