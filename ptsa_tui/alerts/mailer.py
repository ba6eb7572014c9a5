"""Email through yagmail to any SMTP server: none, STARTTLS or SSL; login only with a user.

yagmail is told everything explicitly: the host, port and security (its defaults are Gmail's),
a password string whenever it logs in (a None password would send it to the keyring and then to a
prompt), a timeout for the socket; what the server refuses is checked.
"""

import contextlib
import ssl
import threading
from typing import Any

from ptsa_tui.alerts.failure import SendFailed
from ptsa_tui.config import SmtpSettings
from ptsa_tui.error_text import error_line


def client_options(smtp: SmtpSettings) -> dict[str, Any]:
    """yagmail.SMTP's arguments for these settings."""
    login = bool(smtp.user)
    options: dict[str, Any] = {
        # the login name is also the envelope sender; a relay without login uses `sender`
        "user": {smtp.user if login else smtp.sender: "PTSA"},
        "password": smtp.password.get_secret_value() if login else "",
        "host": smtp.host,
        "port": smtp.port,
        "smtp_ssl": smtp.security == "ssl",
        "smtp_starttls": False,
        "smtp_skip_login": not login,
        "soft_email_validation": False,
        "timeout": smtp.timeout.total_seconds(),  # passed on to smtplib.SMTP / SMTP_SSL
    }
    if smtp.security == "starttls":
        options["smtp_starttls"] = {"context": ssl.create_default_context()}
    elif smtp.security == "ssl":
        options["context"] = ssl.create_default_context()
    return options


class Mailer:
    """Sends through one SMTP connection per thread, kept open between messages (a burst costs
    one TLS handshake and login per sending thread, not per message); a failed send closes it,
    and the next one connects afresh. yagmail builds each message; its own `send` would open a
    new connection every time."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp
        self._local = threading.local()
        self._open: list[Any] = []  # every thread's client, for close()
        self._lock = threading.Lock()

    def _client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            import yagmail

            client = yagmail.SMTP(**client_options(self.smtp))
            client.set_logging(None)  # its errors reach our log as SendFailed, in our format
            client.login()
            self._local.client = client
            with self._lock:
                self._open.append(client)
        return client

    def _drop(self) -> None:
        client = getattr(self._local, "client", None)
        self._local.client = None
        if client is not None:
            with self._lock:
                if client in self._open:
                    self._open.remove(client)
            with contextlib.suppress(Exception):  # a failed QUIT changes nothing about a send
                client.close()

    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        try:
            client = self._client()
            recipients, message = client.prepare_send(
                to=to, subject=subject, contents=body, prettify_html=False, message_id=message_id
            )
            refused = client.smtp.sendmail(client.user, recipients, message)
        except Exception as error:
            self._drop()
            raise SendFailed(error_line(error)) from None
        if refused:
            raise SendFailed(f"recipient refused: {sorted(refused)}")

    def close(self) -> None:
        """Close every thread's connection (at the end of a burst)."""
        with self._lock:
            clients, self._open = self._open, []
        for client in clients:
            with contextlib.suppress(Exception):
                client.close()
        self._local = threading.local()
