"""One SMS: at most 160 GSM-7 septets, cut at a word, the tracking number always kept.

A letter outside GSM-7 would make the whole message UCS-2, 70 characters, so the text is
flattened to ASCII first; the septets are then counted by the GSM 03.38 codec, where
^ { } [ ] ~ \\ | take two.
"""

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

from ptsa_tui.alerts.messages import gsm_safe

SMS_LIMIT = 160
CUT = ".."


def septets(text: str) -> int:
    return len(text.encode("gsm03.38", errors="replace"))


def _in_gsm7(char: str) -> bool:
    try:
        char.encode("gsm03.38")
    except UnicodeEncodeError:  # e.g. a backtick
        return False
    return True


def _sendable(text: str) -> str:
    return "".join(c if _in_gsm7(c) else "?" for c in gsm_safe(text))


def fit_sms(text: str, keep: str, limit: int = SMS_LIMIT) -> str:
    """`text` as one SMS; when cut, it ends in ".." and still holds `keep`."""
    text, keep = _sendable(text), _sendable(keep)
    if septets(text) <= limit:
        return text
    words = text.split(" ")
    best = ""
    for count in range(1, len(words) + 1):
        head = " ".join(words[:count])
        cut = f"{head} {CUT}" if keep in head else f"{head} {CUT} {keep}"
        if septets(cut) > limit:
            break
        best = cut
    return best or keep[:limit]
