"""Logging for the daemon: stderr, one line per event, journald-friendly, never a secret."""

import logging
import os
import sys

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

    def __init__(self, journald: bool) -> None:
        fmt = "%(levelname)s %(message)s" if journald else "%(asctime)s %(levelname)s %(message)s"
        super().__init__(fmt)
        self.journald = journald

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None  # no tracebacks: the message says what failed
        record.exc_text = None
        line = super().format(record).replace("\r", " ").replace("\n", " | ")
        if self.journald:
            return f"<{_PRIORITY.get(record.levelno, 6)}>{line}"
        return line


def setup(level: int = logging.INFO) -> logging.Logger:
    logger = logging.getLogger(LOGGER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine(journald="JOURNAL_STREAM" in os.environ))
    logger.handlers = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return logger


def get() -> logging.Logger:
    return logging.getLogger(LOGGER)
