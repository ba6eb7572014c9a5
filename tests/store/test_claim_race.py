"""Many officers press "claim" on the same task at the same instant: exactly one wins."""

import threading
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.errors import Conflict
from ptsa_tui.store.org import import_org, parse_org
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import wib

CLAIMERS = 16
TASKS = 200
NOW = wib(23, 10)

RACE_ORG: dict[str, Any] = {
    "units": [
        {"code": "FO", "name": "Front Office", "tier": 0},
        {"code": "R1", "name": "Race unit", "tier": 1},
        {"code": "R2", "name": "Race directorate", "tier": 2, "parent": "R1"},
    ],
    "officers": [
        {"username": "desk", "name": "Desk", "unit": "FO"},
        *({"username": f"r{i:02d}", "name": f"Racer {i}", "unit": "R1"} for i in range(CLAIMERS)),
    ],
    "services": [{"code": "SVC-R", "name": "Raced service", "unit": "R2", "sop_days": 1}],
}


@pytest.mark.slow
def test_exactly_one_of_many_concurrent_claimers_wins(
    engine: Engine, db_url: str, settings: Settings
) -> None:
    import_org(engine, parse_org(RACE_ORG))
    desk = Workflow(engine, settings)
    task_ids = []
    for n in range(TASKS):
        reg = desk.register(
            by="desk", now=NOW, customer={"name": f"C{n}"}, service_code="SVC-R", subject="s"
        )
        assert reg.task.id is not None
        task_ids.append(reg.task.id)

    barriers = [threading.Barrier(CLAIMERS, timeout=30) for _ in task_ids]
    won: dict[int, list[str]] = {t: [] for t in task_ids}
    lost: dict[int, list[tuple[str, str]]] = {t: [] for t in task_ids}
    failures: list[BaseException] = []
    lock = threading.Lock()

    def claimer(index: int) -> None:
        name = f"r{index:02d}"
        own_engine = make_engine(db_url, pool_size=1)  # one connection of its own
        workflow = Workflow(own_engine, settings)
        try:
            for barrier, task_id in zip(barriers, task_ids, strict=True):
                barrier.wait()
                try:
                    workflow.claim(task_id=task_id, by=name, now=NOW)
                except Conflict as error:
                    with lock:
                        lost[task_id].append((name, str(error)))
                else:
                    with lock:
                        won[task_id].append(name)
        except BaseException as error:  # surfaced in the main thread below
            failures.append(error)
            for barrier in barriers:
                barrier.abort()
        finally:
            own_engine.dispose()

    started = time.monotonic()
    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []

    for task_id in task_ids:
        assert len(won[task_id]) == 1, (task_id, won[task_id])
        winner = won[task_id][0]
        assert len(lost[task_id]) == CLAIMERS - 1
        for loser, message in lost[task_id]:
            assert loser != winner
            assert f"{winner} (Racer {int(winner[1:])})" in message, message
    # The wins are spread: the race is real, not one thread always first.
    assert len(Counter(names[0] for names in won.values())) > 1

    with engine.connect() as conn:
        claimed_events: dict[int, int] = dict(
            conn.execute(
                text("SELECT task_id, count(*) FROM event WHERE kind = 'claimed' GROUP BY task_id")
            ).all()
        )
        holders: dict[int, str] = dict(
            conn.execute(
                text(
                    "SELECT t.id, o.username FROM task t JOIN officer o ON o.id = t.claimed_by"
                    " WHERE t.id = ANY(:ids)"
                ),
                {"ids": task_ids},
            ).all()
        )
        event_officers: dict[int, str] = dict(
            conn.execute(
                text(
                    "SELECT e.task_id, o.username FROM event e JOIN officer o ON o.id = e.officer_id"
                    " WHERE e.kind = 'claimed'"
                )
            ).all()
        )
    assert claimed_events == dict.fromkeys(task_ids, 1)
    assert holders == {t: names[0] for t, names in won.items()}
    assert event_officers == holders
    assert elapsed < 60, f"{CLAIMERS * TASKS} claims took {elapsed:.1f}s"
