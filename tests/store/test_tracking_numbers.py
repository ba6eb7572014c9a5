"""Tracking numbers: taken in the registering transaction, so a failed registration leaves
no gap; consecutive and unique under concurrent registrations; seeded by migration 0007."""

import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ptsa_tui.config import Settings
from ptsa_tui.store import migrate
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.errors import NotAllowed
from ptsa_tui.store.org import import_org, parse_org
from ptsa_tui.store.workflow import Workflow
from tests.conftest import WIB, drop_database, with_database
from tests.org_fixture import SMALL_ORG
from tests.store.helpers import register

pytestmark = pytest.mark.usefixtures("org")

FAILING_SUBJECT = "gagal di basis data"


def number(tracking_no: str) -> tuple[int, int]:
    match = re.fullmatch(r"PTSA-([0-9]{4})-([0-9]{6,})", tracking_no)
    assert match, tracking_no
    return int(match[1]), int(match[2])


@pytest.fixture
def failing_insert(owner_url: str) -> None:
    """The database refuses a request with FAILING_SUBJECT, after its number was taken."""
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION test_refuse_request() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF NEW.subject = '{FAILING_SUBJECT}' THEN"
            "  RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER test_refuse_request BEFORE INSERT ON request"
            " FOR EACH ROW EXECUTE FUNCTION test_refuse_request()"
        )


@pytest.mark.usefixtures("failing_insert")
def test_a_registration_failing_in_the_database_gives_its_number_back(
    workflow: Workflow,
) -> None:
    first = register(workflow).request.tracking_no
    with pytest.raises(DBAPIError, match="refused by the test"):
        register(workflow, subject=FAILING_SUBJECT)
    second = register(workflow).request.tracking_no
    year, n = number(first)
    assert number(second) == (year, n + 1)


def test_a_refused_registration_takes_no_number(workflow: Workflow) -> None:
    first = register(workflow).request.tracking_no
    with pytest.raises(NotAllowed):
        register(workflow, by="p1a")
    year, n = number(first)
    assert number(register(workflow).request.tracking_no) == (year, n + 1)


def test_numbers_count_within_the_office_year(workflow: Workflow) -> None:
    # The office's year: 00:30 on 1 January in Jakarta is still 31 December in UTC.
    late = register(workflow, now=datetime(2026, 12, 31, 23, 30, tzinfo=WIB))
    new_year = register(workflow, now=datetime(2027, 1, 1, 0, 30, tzinfo=WIB))
    again = register(workflow, now=datetime(2027, 1, 2, 9, 0, tzinfo=WIB))
    assert number(late.request.tracking_no)[0] == 2026
    assert number(new_year.request.tracking_no) == (2027, 1)
    assert number(again.request.tracking_no) == (2027, 2)


def test_concurrent_registrations_get_consecutive_unique_numbers(
    db_url: str, settings: Settings
) -> None:
    threads, each = 8, 6
    engine = make_engine(db_url, pool_size=threads)
    try:
        workflow = Workflow(engine, settings)

        def burst(_: int) -> list[str]:
            return [register(workflow).request.tracking_no for _ in range(each)]

        with ThreadPoolExecutor(threads) as pool:
            given = [no for batch in pool.map(burst, range(threads)) for no in batch]
    finally:
        engine.dispose()
    numbers = sorted(number(no)[1] for no in given)
    assert numbers == list(range(1, threads * each + 1))


@pytest.fixture
def engine_at_0006(server_url: str) -> Iterator[Engine]:
    """A new database migrated to 0006, the revision before the counter."""
    name = f"ptsa_tracking_{os.getpid()}"
    drop_database(server_url, name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(with_database(server_url, name))
    migrate.upgrade(engine, "0006")
    yield engine
    engine.dispose()
    drop_database(server_url, name)


def _old_request(engine: Engine, tracking_no: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO request (tracking_no, customer_id, origin_unit_id, registered_by,"
                " subject, details, channel, status, created_at)"
                " SELECT :no, c.id, o.unit_id, o.id, 'lama', '', 'walk-in', 'open', now()"
                " FROM customer c, officer o WHERE o.username = 'p0' LIMIT 1"
            ),
            {"no": tracking_no},
        )


def test_migration_starts_each_year_after_its_highest_number_and_the_sequence(
    engine_at_0006: Engine, settings: Settings
) -> None:
    engine = engine_at_0006
    import_org(engine, parse_org(SMALL_ORG))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO customer (name, created_at) VALUES ('Budi', now())"))
    for tracking_no in ("PTSA-2025-000007", "PTSA-2025-000003", "PTSA-2026-000011"):
        _old_request(engine, tracking_no)
    with engine.begin() as conn:  # 12 was given out by the sequence, then its request failed
        conn.execute(text("SELECT setval('tracking_no_seq', 12)"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT year, last FROM tracking_counter")).all()
    counters = {int(year): int(last) for year, last in rows}
    assert counters == {2025: 7, 2026: 12}
    workflow = Workflow(engine, settings)
    nov_2026 = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
    assert register(workflow, now=nov_2026).request.tracking_no == "PTSA-2026-000013"
