"""Which channel a database session acts for, and who runs it: set once per connection.

The event trigger reads these settings, so every event records its channel, the OS user and the
host without any caller passing them along.
"""

import getpass
import re
import socket
from typing import Literal

Channel = Literal["cli", "desk", "daemon", "kiosk"]

# libpq's `options` splits on spaces and takes backslash escapes: keep a safe alphabet only.
_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")


def _plain(text: str) -> str:
    return _UNSAFE.sub("_", text)[:63]


def os_origin() -> str:
    """user@host of this process, as the OS knows it."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's bare uid)
        user = "?"
    return f"{_plain(user)}@{_plain(socket.gethostname())}"


def session_options(channel: Channel) -> str:
    """The libpq `options` value that sets ptsa.channel and ptsa.origin for a session."""
    return f"-c ptsa.channel={channel} -c ptsa.origin={os_origin()}"
