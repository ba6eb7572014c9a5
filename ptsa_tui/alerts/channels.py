"""Sends one due alert or customer notice on its channel: email to the address, SMS to the
normalised phone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from ptsa_tui.alerts.failure import NoSmsBackend, Unsendable
from ptsa_tui.alerts.mailer import Mailer
from ptsa_tui.alerts.messages import Text, compose
from ptsa_tui.alerts.notice_text import NoticeText, compose_notice
from ptsa_tui.alerts.sms import SmsBackend, backend
from ptsa_tui.config import Settings
from ptsa_tui.phone import BadPhone, normalise_phone
from ptsa_tui.store.clock import lateness
from ptsa_tui.store.notices import NoticeDue
from ptsa_tui.store.outbox import Due
from ptsa_tui.store.rules import Rules


class Channels:
    def __init__(self, settings: Settings) -> None:
        self.mailer = Mailer(settings.smtp)
        self.sms: SmsBackend | None = backend(settings.sms)
        self.zone = ZoneInfo(settings.office.timezone)
        self.notify = settings.notify

    @property
    def names(self) -> tuple[str, ...]:
        return ("email", "sms") if self.sms is not None else ("email",)

    def text(self, due: Due, rules: Rules, now: datetime) -> Text:
        late = lateness(due.claim_due_at, now, calendar=rules.calendar, clock=rules.clock)
        return compose(due, late, self.zone)

    def send(self, due: Due, text: Text) -> None:
        """Raises SendFailed when the message was not accepted."""
        if due.channel == "email":
            self._mail(due.address, text.subject, text.body, f"alert-{due.alert_id}", due)
        else:
            self._sms(due.address, text.sms)

    def close(self) -> None:
        """The end of a burst: let go of the SMTP connections it opened."""
        self.mailer.close()

    def notice_text(self, due: NoticeDue) -> NoticeText:
        return compose_notice(due, self.notify, self.zone)

    def send_notice(self, due: NoticeDue, text: NoticeText) -> None:
        """Raises SendFailed when the message was not accepted."""
        if due.channel == "email":
            self._mail(due.address, text.subject, text.body, f"notice-{due.notice_id}", due)
        else:
            self._sms(due.address, text.body)

    def _mail(self, address: str, subject: str, body: str, key: str, due: Due | NoticeDue) -> None:
        # the outbox row in the Message-ID: a repeated send after a crash is the same message
        message_id = f"<ptsa-{key}@{due.tracking_no}.ptsa>"
        self.mailer.send(to=address, subject=subject, body=body, message_id=message_id)

    def _sms(self, address: str, text: str) -> None:
        if self.sms is None:
            raise NoSmsBackend("an SMS is due but sms.backend is none")
        try:
            phone = normalise_phone(address)
        except BadPhone as error:
            raise Unsendable(str(error)) from None
        self.sms.send(phone, text)
