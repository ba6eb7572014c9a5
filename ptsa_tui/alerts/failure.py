"""The errors a channel raises when a message was not accepted."""


class SendFailed(Exception):
    """The message was not accepted; the text is one line, safe to log (no secret in it)."""


class Unsendable(SendFailed):
    """No retry can deliver it (an address that is not one): given up at once."""


class NoSmsBackend(Unsendable):
    """An SMS is due and `sms.backend` is none."""
