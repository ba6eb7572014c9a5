"""The demo's SMS gateway: `python -m ptsa_tui.alerts.demo_sms FILE PHONE TEXT` appends the
message to FILE, so `ptsa demo` shows its customers' SMS as sent without a real gateway."""

import sys
from datetime import UTC, datetime
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m ptsa_tui.alerts.demo_sms FILE PHONE TEXT", file=sys.stderr)
        return 2
    file, phone, text = argv
    with Path(file).open("a", encoding="utf-8") as sink:
        sink.write(f"{datetime.now(UTC).isoformat(timespec='seconds')}\t{phone}\t{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
