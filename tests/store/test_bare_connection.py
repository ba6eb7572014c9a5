"""The bare connection of the hot paths: after the server drops its connections, one failed
statement is all it takes for the next one to succeed, however many the pool held."""

from contextlib import ExitStack

import psycopg
import pytest
from sqlalchemy import Engine

from ptsa_tui.store.database import bare_connection


def backend_pids(engine: Engine, held: int) -> set[int]:
    """Fill the pool with `held` connections (all checked out at once, then returned)."""
    with ExitStack() as stack:
        conns = [stack.enter_context(bare_connection(engine)) for _ in range(held)]
        pids = {conn.info.backend_pid for conn in conns}
    assert len(pids) == held
    return pids


def test_a_dropped_pool_is_replaced_after_one_failure(engine: Engine, db_url: str) -> None:
    pids = backend_pids(engine, held=3)
    with psycopg.connect(db_url, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    with pytest.raises(psycopg.OperationalError), bare_connection(engine) as conn:
        conn.execute("SELECT 1")
    with bare_connection(engine) as conn:  # not another of the dead ones
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.info.backend_pid not in pids


def test_a_failed_statement_keeps_the_connection(engine: Engine) -> None:
    [pid] = backend_pids(engine, held=1)
    with pytest.raises(psycopg.errors.DivisionByZero), bare_connection(engine) as conn:
        conn.execute("SELECT 1 / 0")
    with bare_connection(engine) as conn:
        assert conn.info.backend_pid == pid
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
