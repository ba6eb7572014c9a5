"""Sizes and intervals other layers need to know, in a module that imports nothing heavy."""

from datetime import timedelta

MAX_NAME = 200
MAX_SUBJECT = 200
MAX_DETAILS = 10_000
MAX_MESSAGE = 4_000

PRESENCE_TTL = timedelta(seconds=60)  # a desk app not seen for this long is gone
TOUCH_EVERY = timedelta(seconds=20)  # how often an open desk app refreshes its presence
