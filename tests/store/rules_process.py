"""Another process for the shared-rules tests: a workflow whose rules watch the database.

`python -m tests.store.rules_process URL` prints "ready" once its watcher is connected; then
for each line "UNIT_ID POSITION INSTANT" (ISO-8601) on stdin it prints the claim deadline its
workflow's rules give a task offered then. It ends when stdin closes.
"""

import sys
import threading
from datetime import datetime

from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.shared_rules import SharedRules
from ptsa_tui.store.workflow import Workflow


def main(url: str) -> None:
    engine = make_engine(url)
    settings = Settings(database_url=url)
    shared = SharedRules(engine, settings)
    workflow = Workflow(engine, settings, rules=shared)
    stop, up = threading.Event(), threading.Event()

    def connected(is_up: bool) -> None:
        if is_up:
            up.set()

    watcher = shared.watch(url, stop, on_connected=connected)
    try:
        if not up.wait(10):
            raise SystemExit("the watcher never connected")
        print("ready", flush=True)
        for line in sys.stdin:
            unit_id, position, offered_at = line.split()
            rules = workflow.rules
            due = rules.claim_due(int(unit_id), position, datetime.fromisoformat(offered_at))
            print(due.isoformat(), flush=True)
    finally:
        stop.set()
        watcher.join()
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
