"""The one error a channel raises when a message was not accepted."""


class SendFailed(Exception):
    """The message was not accepted; the text is one line, safe to log (no secret in it)."""
