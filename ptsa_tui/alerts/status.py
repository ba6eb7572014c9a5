"""Is the alert daemon healthy? The rule lives in the store, so the desk's screens share it."""

from ptsa_tui.store.daemon_health import GRACE, Health, judge, stale_after

__all__ = ["GRACE", "Health", "judge", "stale_after"]
