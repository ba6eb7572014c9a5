"""Email through yagmail to any SMTP server: none, STARTTLS or SSL; login only with a user.

yagmail is told everything explicitly: the host, port and security (its defaults are Gmail's),
a password string whenever it logs in (a None password would send it to the keyring and then to a
prompt), a timeout for the socket; and `send` is checked, since it can return False.
"""

import contextlib
import ssl
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
    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp

    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        import yagmail

        client = yagmail.SMTP(**client_options(self.smtp))
        client.set_logging(None)  # its errors reach our log as SendFailed, in our format
        try:
            result = client.send(
                to=to, subject=subject, contents=body, message_id=message_id, prettify_html=False
            )
        except Exception as error:
            raise SendFailed(error_line(error)) from None
        finally:
            with contextlib.suppress(Exception):  # a failed QUIT changes nothing about the send
                client.close()
        if result is False:
            raise SendFailed("SMTP server disconnected; yagmail gave up (send returned False)")
        if isinstance(result, dict) and result:
            raise SendFailed(f"recipient refused: {sorted(result)}")
