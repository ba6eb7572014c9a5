"""Sends one due alert on its channel: email to the address, SMS to the normalised phone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from ptsa_tui.alerts.failure import SendFailed
from ptsa_tui.alerts.mailer import Mailer
from ptsa_tui.alerts.messages import Text, compose
from ptsa_tui.alerts.sms import SmsBackend, backend
from ptsa_tui.config import Settings
from ptsa_tui.phone import BadPhone, normalise_phone
from ptsa_tui.store.clock import lateness
from ptsa_tui.store.outbox import Due
from ptsa_tui.store.rules import Rules


class Channels:
    def __init__(self, settings: Settings) -> None:
        self.mailer = Mailer(settings.smtp)
        self.sms: SmsBackend | None = backend(settings.sms)
        self.zone = ZoneInfo(settings.office.timezone)

    @property
    def names(self) -> tuple[str, ...]:
        return ("email", "sms") if self.sms is not None else ("email",)

    def text(self, due: Due, rules: Rules, now: datetime) -> Text:
        late = lateness(due.claim_due_at, now, calendar=rules.calendar, clock=rules.clock)
        return compose(due, late, self.zone)

    def send(self, due: Due, text: Text) -> None:
        """Raises SendFailed when the message was not accepted."""
        if due.channel == "email":
            self.mailer.send(
                to=due.address,
                subject=text.subject,
                body=text.body,
                message_id=f"<ptsa-alert-{due.alert_id}@{due.tracking_no}.ptsa>",
            )
            return
        if self.sms is None:
            raise SendFailed("SMS alert pending but sms.backend is none")
        try:
            phone = normalise_phone(due.address)
        except BadPhone as error:
            raise SendFailed(str(error)) from None
        self.sms.send(phone, text.sms)
