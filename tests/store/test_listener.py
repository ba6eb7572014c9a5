"""The desk's LISTEN loop: changes arrive after commit, and a lost connection comes back."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest

from ptsa_tui.store.listener import Change, listen, parse_change
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import register


class Recorder:
    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.links: list[bool] = []
        self.cond = threading.Condition()

    def change(self, change: Change) -> None:
        with self.cond:
            self.changes.append(change)
            self.cond.notify_all()

    def link(self, up: bool) -> None:
        with self.cond:
            self.links.append(up)
            self.cond.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        with self.cond:
            assert self.cond.wait_for(predicate, timeout), (self.links, self.changes)


@contextmanager
def running(db_url: str) -> Iterator[Recorder]:
    recorder, stop = Recorder(), threading.Event()
    thread = threading.Thread(
        target=listen,
        args=(db_url,),
        kwargs={
            "on_change": recorder.change,
            "on_connected": recorder.link,
            "stop": stop,
            "retry_every": 0.1,
            "poll_every": 0.1,
        },
        daemon=True,
    )
    thread.start()
    try:
        recorder.wait_for(lambda: recorder.links == [True])
        yield recorder
    finally:
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


@pytest.mark.usefixtures("org")
def test_a_registration_arrives_as_a_change(db_url: str, workflow: Workflow) -> None:
    with running(db_url) as recorder:
        reg = register(workflow)
        recorder.wait_for(lambda: any(c.kind == "offered" for c in recorder.changes))
    offered = [c for c in recorder.changes if c.kind == "offered"]
    assert [(c.request_id, c.task_id) for c in offered] == [(reg.request.id, reg.task.id)]


@pytest.mark.usefixtures("org")
def test_a_killed_connection_is_reported_and_restored(db_url: str, workflow: Workflow) -> None:
    with running(db_url) as recorder:
        with psycopg.connect(db_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'ptsa-listen' AND datname = current_database()"
            )
        recorder.wait_for(lambda: recorder.links == [True, False, True])
        started = time.monotonic()
        register(workflow)
        recorder.wait_for(lambda: any(c.kind == "offered" for c in recorder.changes))
        assert time.monotonic() - started < 5


def test_malformed_payloads_are_ignored() -> None:
    assert parse_change("not json") is None
    assert parse_change('{"task": 1}') is None
    assert parse_change('{"kind": "claimed", "task": 3}') == Change("claimed", None, 3, None)
