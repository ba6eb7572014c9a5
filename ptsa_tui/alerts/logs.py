"""Logging for the daemon: stderr, one line per event, journald-friendly, never a secret."""

import logging
import os
import sys
from datetime import datetime, tzinfo

LOGGER = "ptsa.alerts"

# syslog priorities, which journald reads from a "<N>" prefix on each line
_PRIORITY = {
    logging.DEBUG: 7,
    logging.INFO: 6,
    logging.WARNING: 4,
    logging.ERROR: 3,
    logging.CRITICAL: 2,
}


class OneLine(logging.Formatter):
    """Folds any newline away so one event is one line; prefixes the priority under journald."""

    def __init__(self, journald: bool, zone: tzinfo | None = None) -> None:
        fmt = "%(levelname)s %(message)s" if journald else "%(asctime)s %(levelname)s %(message)s"
        super().__init__(fmt)
        self.journald = journald
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """In the office's time zone, with its offset, whatever zone the machine runs in."""
        if self.zone is None:
            return super().formatTime(record, datefmt)
        at = datetime.fromtimestamp(record.created, self.zone)
        return at.isoformat(sep=" ", timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None  # no tracebacks: the message says what failed
        record.exc_text = None
        line = super().format(record).replace("\r", " ").replace("\n", " | ")
        if self.journald:
            return f"<{_PRIORITY.get(record.levelno, 6)}>{line}"
        return line


def setup(level: int = logging.INFO, zone: tzinfo | None = None) -> logging.Logger:
    """Log to stderr; with `zone` (the office's), each line's time is given in it."""
    logger = logging.getLogger(LOGGER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine(journald="JOURNAL_STREAM" in os.environ, zone=zone))
    logger.handlers = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return logger


def get() -> logging.Logger:
    return logging.getLogger(LOGGER)
