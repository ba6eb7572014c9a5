"""SMS backends: an HTTP gateway (GET, or form POST), a Gammu SMSD outbox table, a command."""

from typing import TYPE_CHECKING, Protocol

from ptsa_tui.alerts.failure import SendFailed
from ptsa_tui.config import SmsSettings
from ptsa_tui.error_text import first_line

if TYPE_CHECKING:
    import urllib.request

# urllib and subprocess load only with the backend that needs them: the idle daemon stays small


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class HttpGateway:
    """`url` holds {phone} and {text}; with method post its query string becomes the form."""

    def __init__(self, sms: SmsSettings) -> None:
        self.url = sms.url
        self.method = sms.method
        self.timeout = sms.timeout.total_seconds()

    def request(self, phone: str, text: str) -> "urllib.request.Request":
        import urllib.parse
        import urllib.request

        quote = urllib.parse.quote
        if self.method == "get":
            return urllib.request.Request(self.url.format(phone=quote(phone), text=quote(text)))
        base, _, query = self.url.partition("?")
        form = [
            (key, value.format(phone=phone, text=text))
            for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True)
        ]
        data = urllib.parse.urlencode(form).encode()
        return urllib.request.Request(base, data=data, method="POST")

    def send(self, phone: str, text: str) -> None:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.request(phone, text), timeout=self.timeout) as reply:
                reply.read()
        except Exception as error:  # never the URL in the message: it may hold an API key
            if isinstance(error, urllib.error.HTTPError):
                error.close()  # it holds the reply's socket open until closed
            raise SendFailed(f"SMS gateway: {type(error).__name__}: {_short(error)}") from None


def _short(error: BaseException) -> str:
    import urllib.error

    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return first_line(str(error))


class GammuOutbox:
    """A row in a Gammu SMSD `outbox` table; smsd sends it from there."""

    def __init__(self, sms: SmsSettings) -> None:
        self.url = sms.database_url
        self.table = sms.gammu_table
        self.timeout = int(sms.timeout.total_seconds())

    def send(self, phone: str, text: str) -> None:
        import psycopg
        from psycopg import sql

        statement = sql.SQL(
            'INSERT INTO {} ("DestinationNumber", "TextDecoded", "CreatorID", "Coding")'
            " VALUES (%s, %s, %s, 'Default_No_Compression')"
        ).format(sql.Identifier(self.table))
        try:
            with psycopg.connect(self.url, connect_timeout=self.timeout) as conn:
                conn.execute(statement, (phone, text, "ptsa"))
        except psycopg.Error as error:
            raise SendFailed(f"Gammu outbox: {_short(error)}") from None


class Command:
    """Runs `command phone text`: a list of arguments, never a shell."""

    def __init__(self, sms: SmsSettings) -> None:
        self.command = list(sms.command)
        self.timeout = sms.timeout.total_seconds()

    def send(self, phone: str, text: str) -> None:
        import subprocess

        try:
            done = subprocess.run(
                [*self.command, phone, text],
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SendFailed(f"SMS command: {type(error).__name__}: {_short(error)}") from None
        if done.returncode != 0:
            said = first_line(done.stderr or done.stdout)
            raise SendFailed(
                f"SMS command exited {done.returncode}" + (f": {said}" if said else "")
            )


def backend(sms: SmsSettings) -> SmsBackend | None:
    """The configured backend; None for `none`."""
    if sms.backend == "http":
        return HttpGateway(sms)
    if sms.backend == "gammu":
        return GammuOutbox(sms)
    if sms.backend == "command":
        return Command(sms)
    return None
