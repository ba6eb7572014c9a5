"""Real servers on loopback for the alert tests: an SMTP server (aiosmtpd) and an SMS gateway."""

import asyncio
import email
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Mail:
    to: list[str]
    message: Message
    peer: tuple[str, int] = ("", 0)  # the client's address: one per connection

    @property
    def alert_id(self) -> int:
        """From the Message-ID the daemon sets: <ptsa-alert-ID@…>."""
        return self._id("alert")

    @property
    def notice_id(self) -> int:
        """From the Message-ID of a customer notice: <ptsa-notice-ID@…>."""
        return self._id("notice")

    def _id(self, box: str) -> int:
        return int(str(self.message["Message-ID"]).split(f"ptsa-{box}-")[1].split("@")[0])

    @property
    def body(self) -> str:
        for part in self.message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        return ""


class Inbox:
    """The SMTP server's handler: keeps every accepted message; can be slowed down."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.mails.append(Mail(list(envelope.rcpt_tos), message, tuple(session.peer)))
        return "250 Message accepted"

    def snapshot(self) -> list[Mail]:
        with self.lock:
            return list(self.mails)


class SmtpServer:
    """aiosmtpd on 127.0.0.1; stop() makes the port refuse connections, start() reopens it."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    method: str


class SmsGateway:
    """A local HTTP SMS gateway: records GET query or POST form fields `to` and `text`."""

    def __init__(self) -> None:
        self.received: list[Sms] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self, query: str, method: str) -> None:
                fields = dict(urllib.parse.parse_qsl(query))
                if gateway.status == 200:
                    gateway.received.append(Sms(fields["to"], fields["text"], method))
                self.send_response(gateway.status)
                self.end_headers()
                self.wfile.write(b"OK")

            def do_GET(self) -> None:
                self._record(urllib.parse.urlsplit(self.path).query, "GET")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                self._record(self.rfile.read(length).decode(), "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send?to={{phone}}&text={{text}}"


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def sms_gateway() -> Iterator[SmsGateway]:
    gateway = SmsGateway()
    gateway.thread.start()
    try:
        yield gateway
    finally:
        gateway.server.shutdown()
        gateway.server.server_close()
        gateway.thread.join()
