"""The events' hash chains: intact after real work, and every kind of tampering found."""

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text

from ptsa_tui.store import audit_chain
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import register

pytestmark = pytest.mark.usefixtures("org")


@pytest.fixture
def owner(owner_url: str) -> Iterator[psycopg.Connection[Any]]:
    """The owner role, who can set the triggers aside: the tamperer these tests play."""
    with psycopg.connect(owner_url, autocommit=True) as conn:
        yield conn


def tamper(owner: psycopg.Connection[Any], statement: str, *params: object) -> None:
    owner.execute("ALTER TABLE event DISABLE TRIGGER USER")
    try:
        owner.execute(statement, params)
    finally:
        owner.execute("ALTER TABLE event ENABLE TRIGGER USER")


def rehash_everything(owner: psycopg.Connection[Any]) -> None:
    """What a careful tamperer does after an edit: recompute every link and head."""
    tamper(
        owner,
        """
        DO $$
        DECLARE e record; previous bytea; last_chain integer; position integer;
        BEGIN
            FOR e IN SELECT * FROM event ORDER BY coalesce(request_id, 0), chain_seq LOOP
                IF last_chain IS DISTINCT FROM coalesce(e.request_id, 0) THEN
                    last_chain := coalesce(e.request_id, 0); previous := NULL; position := 0;
                END IF;
                position := position + 1;
                UPDATE event SET chain_seq = position, prev_hash = previous,
                    hash = event_hash(previous, e.id, position, e.kind, e.at, e.officer_id,
                        e.request_id, e.task_id, e.details, e.channel, e.origin)
                    WHERE id = e.id RETURNING hash INTO previous;
                UPDATE chain_head SET seq = position, event_id = e.id, hash = previous
                    WHERE chain = last_chain;
            END LOOP;
        END $$""",
    )


def walk_a_request(workflow: Workflow) -> int:
    registered = register(workflow)
    assert registered.task.id is not None and registered.request.id is not None
    workflow.claim(task_id=registered.task.id, by="p1a")
    workflow.release(task_id=registered.task.id, by="p1a", reason="salah antre")
    return registered.request.id


def event_ids(engine: Engine, request_id: int) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id FROM event WHERE request_id = :r ORDER BY chain_seq"), {"r": request_id}
        )
        return [int(row[0]) for row in rows]


def test_real_work_leaves_intact_chains(workflow: Workflow, engine: Engine) -> None:
    first, second = walk_a_request(workflow), walk_a_request(workflow)
    assert audit_chain.verify(engine) == []
    with engine.connect() as conn:
        links = conn.execute(
            text(
                "SELECT request_id, chain_seq, prev_hash IS NULL, length(hash) FROM event"
                " WHERE request_id IS NOT NULL ORDER BY request_id, chain_seq"
            )
        ).all()
    assert {row[0] for row in links} == {first, second}
    assert all(row[3] == 32 for row in links)  # SHA-256
    assert [row[2] for row in links if row[1] == 1] == [True, True]  # each chain starts afresh


def test_a_changed_detail_is_named(workflow: Workflow, engine: Engine, owner: Any) -> None:
    request_id = walk_a_request(workflow)
    victim = event_ids(engine, request_id)[0]
    tamper(owner, "UPDATE event SET details = '{\"forged\": true}' WHERE id = %s", victim)
    breaks = audit_chain.verify(engine)
    assert [(b.chain, b.event_id) for b in breaks] == [(request_id, victim)]
    assert breaks[0].problem == "content does not match its hash"
    assert breaks[0].line().startswith("PTSA-")


def test_a_removed_middle_event_is_named(workflow: Workflow, engine: Engine, owner: Any) -> None:
    request_id = walk_a_request(workflow)
    ids = event_ids(engine, request_id)
    assert len(ids) >= 3
    tamper(owner, "DELETE FROM event WHERE id = %s", ids[1])
    breaks = audit_chain.verify(engine)
    assert {b.event_id for b in breaks} == {ids[2]}
    assert any("missing before it" in b.problem for b in breaks)


def test_a_removed_newest_event_is_found_at_the_head(
    workflow: Workflow, engine: Engine, owner: Any
) -> None:
    request_id = walk_a_request(workflow)
    ids = event_ids(engine, request_id)
    tamper(owner, "DELETE FROM event WHERE id = %s", ids[-1])
    breaks = audit_chain.verify(engine)
    assert [(b.chain, b.problem.split(" (")[0]) for b in breaks] == [
        (request_id, "newest events missing")
    ]


def test_a_whole_chain_removed_is_found(workflow: Workflow, engine: Engine, owner: Any) -> None:
    request_id = walk_a_request(workflow)
    tamper(owner, "DELETE FROM event WHERE request_id = %s", request_id)
    breaks = audit_chain.verify(engine)
    assert [(b.chain, b.problem) for b in breaks] == [
        (request_id, "every event of the chain is missing")
    ]


def test_the_anchor_catches_a_tamperer_who_rehashed(
    workflow: Workflow, engine: Engine, owner: Any
) -> None:
    request_id = walk_a_request(workflow)
    pinned = audit_chain.anchor(engine)
    later = walk_a_request(workflow)  # events after the anchor do not disturb it
    assert audit_chain.matches_anchor(engine, pinned)
    victim = event_ids(engine, request_id)[0]
    tamper(owner, "UPDATE event SET details = '{\"forged\": true}' WHERE id = %s", victim)
    rehash_everything(owner)
    assert audit_chain.verify(engine) == []  # the chains alone are fooled …
    assert not audit_chain.matches_anchor(engine, pinned)  # … the anchor is not
    assert later != request_id


def test_the_anchor_catches_a_removed_chain(workflow: Workflow, engine: Engine, owner: Any) -> None:
    request_id = walk_a_request(workflow)
    walk_a_request(workflow)
    pinned = audit_chain.anchor(engine)
    tamper(owner, "DELETE FROM event WHERE request_id = %s", request_id)
    tamper(owner, "DELETE FROM chain_head WHERE chain = %s", request_id)
    assert audit_chain.verify(engine) == []
    assert not audit_chain.matches_anchor(engine, pinned)


def test_an_anchor_has_one_form(engine: Engine) -> None:
    pinned = audit_chain.anchor(engine)
    assert audit_chain.ANCHOR_FORMAT.match(pinned)
    with pytest.raises(audit_chain.AnchorFormatError):
        audit_chain.matches_anchor(engine, "ptsa1-x-" + "0" * 64)


def test_concurrent_events_on_one_request_keep_one_chain(
    workflow: Workflow, engine: Engine
) -> None:
    request_id = walk_a_request(workflow)
    barrier = threading.Barrier(4)

    def write(n: int) -> None:
        with engine.begin() as conn:
            barrier.wait()
            for i in range(20):
                conn.execute(
                    text(
                        "INSERT INTO event (kind, at, request_id, details)"
                        " VALUES ('probe', now(), :r, CAST(:d AS jsonb))"
                    ),
                    {"r": request_id, "d": f'{{"writer": {n}, "i": {i}}}'},
                )

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    positions = [int(p) for (p,) in _positions(engine, request_id)]
    assert positions == list(range(1, len(positions) + 1))
    assert len(positions) >= 80
    assert audit_chain.verify(engine) == []


def _positions(engine: Engine, request_id: int) -> list[tuple[int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT chain_seq FROM event WHERE request_id = :r ORDER BY id"),
            {"r": request_id},
        )
        return [(int(row[0]),) for row in rows]


def test_a_changed_chain_head_is_found(workflow: Workflow, engine: Engine, owner: Any) -> None:
    request_id = walk_a_request(workflow)
    newest = event_ids(engine, request_id)[-1]
    owner.execute("UPDATE chain_head SET hash = sha256('forged') WHERE chain = %s", (request_id,))
    breaks = audit_chain.verify(engine)
    assert [(b.chain, b.event_id, b.problem) for b in breaks] == [
        (request_id, newest, "chain head does not match the newest event's hash")
    ]


def test_a_bare_session_cannot_choose_its_channel_or_hash(
    workflow: Workflow, engine: Engine, db_url: str
) -> None:
    """No ptsa.* settings on the session: channel 'unknown'; the columns it sends are ignored."""
    request_id = walk_a_request(workflow)
    with psycopg.connect(db_url, autocommit=True) as bare:
        bare.execute(
            "INSERT INTO event (id, kind, at, request_id, details, channel, origin, chain_seq,"
            " prev_hash, hash) VALUES (1, 'probe', now(), %s, '{}', 'desk', 'mallory@nowhere',"
            " 1, NULL, sha256('chosen'))",
            (request_id,),
        )
    with engine.connect() as conn:
        probe = conn.execute(
            text(
                "SELECT id, channel, origin, chain_seq, hash = sha256('chosen') FROM event"
                " WHERE kind = 'probe'"
            )
        ).one()
    position = len(event_ids(engine, request_id))  # the trigger numbered it, not the caller
    assert probe[0] != 1 and probe[1:] == ("unknown", None, position, False)
    assert audit_chain.verify(engine) == []
