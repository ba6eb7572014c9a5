"""Durations as operators write them: "45s", "30m", "2h", "1h30m", or ISO-8601 "PT30M"."""

import re
from datetime import timedelta

_COMPACT = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", re.ASCII)
_ISO = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.ASCII)


def parse_duration(text: str) -> timedelta:
    """Parse a duration; raises ValueError naming the text when it is not one."""
    value = text.strip()
    pattern = _ISO if value[:1].upper() == "P" else _COMPACT
    match = pattern.fullmatch(value.upper() if pattern is _ISO else value.lower())
    if not value or match is None or not any(match.groups()):
        raise ValueError(f"not a duration: {text!r} (use e.g. 30m, 1h30m, 45s or PT30M)")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    try:
        return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:  # e.g. "99999999999d": out of timedelta's range
        raise ValueError(f"duration too long: {text!r}") from None


def format_duration(delta: timedelta) -> str:
    """The compact form parse_duration reads back, e.g. 1h30m; whole seconds only."""
    total = int(abs(delta).total_seconds())
    if total == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return ("-" if delta < timedelta(0) else "") + "".join(parts)
