"""Sizes and intervals other layers need to know, in a module that imports nothing heavy.

The length caps are the one table every check reads: the input models, the org file, the
workflow's free-text arguments and the desk's input widgets. Lengths count characters (code
points), the same way everywhere.
"""

from datetime import timedelta

MAX_NAME = 200  # customers, officers, units, services, organisations
MAX_SUBJECT = 200
MAX_DETAILS = 10_000  # a request's details; also answers, reasons and notes
MAX_MESSAGE = 4_000  # one message of a request's thread
MAX_EMAIL = 254  # RFC 5321's path limit
MAX_PHONE = 32  # as typed, with spaces and dashes, before normalising
MAX_CODE = 40  # unit and service codes
MAX_USERNAME = 40
MAX_REF = 64  # a REF argument: a tracking number or a task id
MIN_PASSWORD = 8  # every password set: `officer passwd` and the org file's initial ones
MAX_PASSWORD = 1_000  # argon2 takes any length; this only keeps a pasted file out

# The caps of the workflow's free-text arguments, by the name the error line gives them.
TEXT_LIMITS: dict[str, int] = {
    "reason": MAX_DETAILS,
    "answer": MAX_DETAILS,
    "note": MAX_DETAILS,
    "message": MAX_MESSAGE,
    "comment": MAX_MESSAGE,  # a survey comment
}

PRESENCE_TTL = timedelta(seconds=60)  # a desk app not seen for this long is gone
TOUCH_EVERY = timedelta(seconds=20)  # how often an open desk app refreshes its presence
