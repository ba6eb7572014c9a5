"""Unit KPIs on a hand-built history, every expected figure worked out by hand below.

The office (the default settings): Mon-Thu 07:30-16:00, Fri 07:30-16:30, Asia/Jakarta (WIB,
UTC+7, no DST). Claim SLA 30 min of office time, A2Y's own 1 h. December 2026: the 21st is a
Monday; Thu 24 Dec is cuti bersama (Christmas Joint Holiday, holidays' `government` category),
Fri 25 Dec Christmas, Fri 1 Jan 2027 New Year.

The period is Wed 16 Dec .. Thu 31 Dec 2026; the report is taken at NOW, Mon 4 Jan 2027 07:35,
so the period's end (cut) is 1 Jan 00:00 and the claims of 4 Jan count for their offers.

R1 SVC-A (owner A2X): the claim across Christmas, the pause.
  T1a A1  offered Wed 23 15:50, due Mon 28 07:50 (10 min Wed + 20 min Mon; 24, 25 off)
          claimed Mon 28 07:40: office 10 + 10 min = 1200 s (wall 4 d 15 h 50 m = 402600 s),
          on time; dispatched 08:00
  T1b A2X offered Mon 28 08:00, claimed 08:20 = 1200 s, on time
          paused Mon 28 09:00, resumed Tue 29 09:00: waited 7 h + 1.5 h = 8.5 h of office time
          SOP due: 3 working days after Wed 23 = Mon 28, Tue 29, Wed 30 -> Wed 30 16:00,
          moved by 8.5 h -> Thu 31 16:00; resolved Thu 31 15:00: within SOP (late unpaused)
  T1c FO  offered Thu 31 15:00, due 15:30, never claimed: late, FO's backlog at the cut
R2 SVC-A: the transfer.
  T2a A1  offered Mon 21 10:00, due 10:30, claimed 10:45 = 2700 s, late; dispatched 11:00
  T2b A2X offered 11:00, claimed 11:10 = 600 s, on time; transferred to A2Y at 11:30
  T2c A2Y offered 11:30, due 12:30 (1 h), claimed 12:00 = 1800 s, on time
          resolved Tue 22 10:00; SOP due Mon 28 16:00 (22, 23, 28): within, counted for A2X,
          which owns SVC-A
  T2d FO  offered Tue 22 10:00, claimed 10:20 = 1200 s, on time; closed 10:30
R3 SVC-A: the assignment, a late SOP.
  T3a A1  offered Wed 16 09:00, assigned to p1a2 09:10 = 600 s, on time; dispatched 09:30
  T3b A2X offered 09:30, claimed 09:45 = 900 s, on time; resolved Tue 22 09:00
          SOP due Mon 21 16:00 (17, 18, 21): late
  T3c FO  offered Tue 22 09:00, claimed 09:05 = 300 s, on time; closed 09:10
R4 SVC-A  T4a A1 offered Tue 15 Dec 10:00 (before the period), never claimed: A1's oldest open
R5 SVC-B  T5a B1 offered Thu 31 15:45, due Mon 4 Jan 07:45 (15 + 15 min), unclaimed at NOW:
          still within its deadline, left out of the share
R6 SVC-B  T6a B1 offered Mon 28 10:00, due 10:30, never claimed: late
R8 SVC-B  T8a B1 offered Tue 29 10:00, claimed 10:10 = 600 s, on time, still open
R7 SVC-AY T7a A1 offered Thu 31 14:00, due 14:30, claimed Mon 4 Jan 07:32: office 2 h + 2 min
          = 7320 s (wall 3 d 17 h 32 m = 322320 s), late; dispatched 07:34, after the cut:
          still in A1's backlog at the cut
          T7b A2Y offered Mon 4 Jan 07:34: after the period, in nothing
"""

import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from ptsa_tui.store.calendar import OfficeCalendar, parse_office_hours
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.kpi import (
    STEPS,
    KpiReport,
    UnitKpi,
    WeekKpi,
    default_period,
    same_snapshot,
    unit_kpis,
    unit_scope,
    weekly_trend,
)
from ptsa_tui.store.office_seconds import OfficeTable, office_clock_sql
from ptsa_tui.store.workflow import Moved, Workflow, ident
from tests.store.helpers import register

WIB = ZoneInfo("Asia/Jakarta")
START, END = date(2026, 12, 16), date(2026, 12, 31)
ALL = ("FO", "A1", "B1", "A2X", "A2Y", "B2X")


def at(day: int, hour: int, minute: int = 0, *, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


NOW = at(4, 7, 35, month=1, year=2027)


def _offered(moved: Moved) -> int:
    assert moved.offered is not None
    return ident(moved.offered.id)


def _history(workflow: Workflow) -> None:
    """The requests of the module docstring, through the workflow, time moved by `now`."""
    t1a = ident(register(workflow, now=at(23, 15, 50), service_code="SVC-A").task.id)
    workflow.claim(task_id=t1a, by="p1a", now=at(28, 7, 40))
    t1b = _offered(workflow.dispatch(task_id=t1a, to="A2X", by="p1a", now=at(28, 8)))
    workflow.claim(task_id=t1b, by="p2ax", now=at(28, 8, 20))
    workflow.pause(task_id=t1b, by="p2ax", reason="missing documents", now=at(28, 9))
    workflow.resume(task_id=t1b, by="p2ax", now=at(29, 9))
    workflow.resolve(task_id=t1b, by="p2ax", answer="done", now=at(31, 15))

    t2a = ident(register(workflow, now=at(21, 10), service_code="SVC-A").task.id)
    workflow.claim(task_id=t2a, by="p1a", now=at(21, 10, 45))
    t2b = _offered(workflow.dispatch(task_id=t2a, to="A2X", by="p1a", now=at(21, 11)))
    workflow.claim(task_id=t2b, by="p2ax", now=at(21, 11, 10))
    moved = workflow.transfer(task_id=t2b, to="A2Y", by="p2ax", reason="theirs", now=at(21, 11, 30))
    t2c = _offered(moved)
    workflow.claim(task_id=t2c, by="p2ay", now=at(21, 12))
    t2d = _offered(workflow.resolve(task_id=t2c, by="p2ay", answer="done", now=at(22, 10)))
    workflow.claim(task_id=t2d, by="p0", now=at(22, 10, 20))
    workflow.close(task_id=t2d, by="p0", now=at(22, 10, 30))

    t3a = ident(register(workflow, now=at(16, 9), service_code="SVC-A").task.id)
    workflow.assign(task_id=t3a, to="p1a2", by="spv1a", now=at(16, 9, 10))
    t3b = _offered(workflow.dispatch(task_id=t3a, to="A2X", by="p1a2", now=at(16, 9, 30)))
    workflow.claim(task_id=t3b, by="p2ax2", now=at(16, 9, 45))
    t3c = _offered(workflow.resolve(task_id=t3b, by="p2ax2", answer="done", now=at(22, 9)))
    workflow.claim(task_id=t3c, by="p0", now=at(22, 9, 5))
    workflow.close(task_id=t3c, by="p0", now=at(22, 9, 10))

    register(workflow, now=at(15, 10), service_code="SVC-A")  # R4
    register(workflow, now=at(31, 15, 45), service_code="SVC-B")  # R5
    register(workflow, now=at(28, 10), service_code="SVC-B")  # R6
    t8a = ident(register(workflow, now=at(29, 10), service_code="SVC-B").task.id)
    workflow.claim(task_id=t8a, by="p1b", now=at(29, 10, 10))

    t7a = ident(register(workflow, now=at(31, 14), service_code="SVC-AY").task.id)
    workflow.claim(task_id=t7a, by="p1a", now=at(4, 7, 32, month=1, year=2027))
    workflow.dispatch(task_id=t7a, to="A2Y", by="p1a", now=at(4, 7, 34, month=1, year=2027))


@pytest.fixture
def history(org: None, workflow: Workflow) -> Workflow:
    _history(workflow)
    return workflow


def _report(workflow: Workflow, **kwargs: Any) -> dict[str, UnitKpi]:
    options: dict[str, Any] = {"start": START, "end": END, "now": NOW, **kwargs}
    rules = options.pop("rules", workflow.rules)
    report = unit_kpis(workflow.engine, rules, **options)
    return {row.unit: row for row in report.units}


def test_every_unit_in_tier_parent_code_order(history: Workflow) -> None:
    report = unit_kpis(history.engine, history.rules, start=START, end=END, now=NOW)
    assert isinstance(report, KpiReport)
    assert (report.start, report.end, report.clock) == (START, END, "office")
    assert [row.unit for row in report.units] == ["FO", "A1", "B1", "A2X", "A2Y", "B2X"]
    assert [(row.tier, row.parent) for row in report.units] == [
        (0, None),
        (1, None),
        (1, None),
        (2, "A1"),
        (2, "A1"),
        (2, "B1"),
    ]
    assert report.units[3].name == "Directorate A-X"


def test_echelon_1_claims_across_cuti_bersama(history: Workflow) -> None:
    a1 = _report(history)["A1"]
    # offered in the period: T1a 1200 s, T2a 2700 s, T3a 600 s, T7a 7320 s (T4a is older)
    assert a1.received == 4
    # percentile_cont over 600, 1200, 2700, 7320: p50 rank 1.5 -> 1200 + 0.5 * 1500;
    # p90 rank 2.7 -> 2700 + 0.7 * 4620
    assert a1.claim_p50_s == pytest.approx(1950)
    assert a1.claim_p90_s == pytest.approx(5934)
    assert a1.claimed_within_sla == pytest.approx(2 / 4)  # T1a, T3a on time; T2a, T7a late
    assert a1.resolved == 0
    assert a1.resolved_within_sop is None  # an echelon-1 unit owns no service
    # open at the cut: T4a (never claimed) and T7a (claimed, dispatched only on 4 Jan)
    assert a1.backlog == 2
    assert a1.oldest_open_since == at(15, 10).astimezone(UTC)
    assert a1.oldest_open_since is not None and a1.oldest_open_since.utcoffset() == timedelta(0)


def test_echelon_2_pause_and_transfer(history: Workflow) -> None:
    units = _report(history)
    a2x = units["A2X"]
    assert a2x.received == 3  # T1b, T2b (transferred on), T3b
    assert a2x.claim_p50_s == pytest.approx(900)  # 600, 900, 1200
    assert a2x.claim_p90_s == pytest.approx(1140)  # rank 1.8: 900 + 0.8 * 300
    assert a2x.claimed_within_sla == 1.0
    assert a2x.resolved == 2  # T1b, T3b; T2b was transferred
    # its service's requests resolved: R1 within (paused), R2 within (by A2Y), R3 late
    assert a2x.resolved_within_sop == pytest.approx(2 / 3)
    assert (a2x.backlog, a2x.oldest_open_since) == (0, None)

    a2y = units["A2Y"]
    assert (a2y.received, a2y.resolved) == (1, 1)  # T2c; T7b is after the period
    assert a2y.claim_p50_s == a2y.claim_p90_s == pytest.approx(1800)
    assert a2y.claimed_within_sla == 1.0  # 30 min of its own 1 h
    assert a2y.resolved_within_sop is None  # R7, its service's one request, is not resolved
    assert a2y.backlog == 0


def test_unclaimed_tasks_late_or_left_out(history: Workflow) -> None:
    units = _report(history)
    b1 = units["B1"]
    assert b1.received == 3  # T5a, T6a, T8a
    assert b1.claim_p50_s == b1.claim_p90_s == pytest.approx(600)
    # T8a on time, T6a late; T5a still within its deadline: left out
    assert b1.claimed_within_sla == pytest.approx(1 / 2)
    assert b1.backlog == 3  # a claimed task is still open
    assert b1.oldest_open_since == at(28, 10).astimezone(UTC)

    fo = units["FO"]
    assert fo.received == 3  # T1c, T2d, T3c
    assert fo.claim_p50_s == pytest.approx(750)  # 300, 1200
    assert fo.claim_p90_s == pytest.approx(1110)  # 300 + 0.9 * 900
    assert fo.claimed_within_sla == pytest.approx(2 / 3)  # T1c unclaimed past 15:30
    assert fo.resolved == 0  # the front office closes; it resolved nothing on the spot
    assert (fo.backlog, fo.oldest_open_since) == (1, at(31, 15).astimezone(UTC))


def test_the_deadline_not_yet_passed_then_passed(history: Workflow) -> None:
    # At 07:50 on 4 Jan T5a's deadline (07:45) has passed: late too, 1 of 3.
    later = _report(history, now=at(4, 7, 50, month=1, year=2027))["B1"]
    assert later.claimed_within_sla == pytest.approx(1 / 3)
    # At Mon 28 10:15 only T6a is offered, unclaimed within its deadline (10:30): no share.
    early = _report(history, now=at(28, 10, 15))["B1"]
    assert (early.received, early.claimed_within_sla, early.backlog) == (1, None, 1)
    assert _report(history, now=at(28, 10, 45))["B1"].claimed_within_sla == 0.0


def test_a_unit_without_data_has_nulls(history: Workflow) -> None:
    b2x = _report(history)["B2X"]
    assert b2x == UnitKpi(
        unit="B2X",
        name="Directorate B-X",
        tier=2,
        parent="B1",
        received=0,
        resolved=0,
        claim_p50_s=None,
        claim_p90_s=None,
        claimed_within_sla=None,
        resolved_within_sop=None,
        backlog=0,
        oldest_open_since=None,
    )


def test_wall_clock(history: Workflow) -> None:
    wall = dataclasses.replace(history.rules, clock="wall")
    report = unit_kpis(history.engine, wall, start=START, end=END, now=NOW)
    assert report.clock == "wall"
    a1 = next(row for row in report.units if row.unit == "A1")
    # 600, 2700, 322320 (T7a over New Year), 402600 (T1a over Christmas)
    assert a1.claim_p50_s == pytest.approx(2700 + 0.5 * (322320 - 2700))
    assert a1.claim_p90_s == pytest.approx(322320 + 0.7 * (402600 - 322320))
    assert a1.claimed_within_sla == pytest.approx(0.5)  # the stored deadlines are unchanged


def test_as_of_an_earlier_now(history: Workflow) -> None:
    """Nothing after `now` counts: on Tue 22 Dec 09:50 the period is cut there."""
    units = _report(history, now=at(22, 9, 50))
    a2x = units["A2X"]
    assert a2x.received == 2  # T3b, T2b
    assert a2x.resolved == 1  # T3b at 09:00
    assert a2x.resolved_within_sop == 0.0  # R3 late; R2 is resolved only at 10:00
    a2y = units["A2Y"]
    assert (a2y.resolved, a2y.backlog) == (0, 1)  # T2c open until 10:00
    assert a2y.oldest_open_since == at(21, 11, 30).astimezone(UTC)
    fo = units["FO"]
    # T3c offered 09:00, claimed 09:05 and closed 09:10: not in the backlog at 09:50
    assert (fo.received, fo.backlog) == (1, 0)
    assert fo.claim_p50_s == pytest.approx(300)


def test_some_units_only(history: Workflow) -> None:
    units = _report(history, units=["A2X", "A1"])
    assert list(units) == ["A1", "A2X"]
    assert units["A2X"].resolved_within_sop == pytest.approx(2 / 3)
    assert units["A1"].backlog == 2
    with pytest.raises(NotFound, match="NOPE"):
        _report(history, units=["A1", "NOPE"])


def test_unit_scope(org: None, engine: Engine) -> None:
    assert unit_scope(engine, "A1") == ["A1", "A2X", "A2Y"]
    assert unit_scope(engine, "A2X") == ["A2X"]
    assert unit_scope(engine, "FO") == ["FO"]
    with pytest.raises(NotFound):
        unit_scope(engine, "NOPE")


def test_each_query_is_a_progress_step(org: None, workflow: Workflow) -> None:
    steps: list[None] = []
    unit_kpis(
        workflow.engine,
        workflow.rules,
        start=START,
        end=END,
        now=NOW,
        on_step=lambda: steps.append(None),
    )
    assert len(steps) == STEPS == 4


def test_period_backwards_refused(history: Workflow) -> None:
    with pytest.raises(InvalidInput):
        _report(history, start=END, end=START)


def test_default_period() -> None:
    assert default_period(date(2026, 12, 31)) == (date(2026, 12, 2), date(2026, 12, 31))


def test_weekly_trend(history: Workflow) -> None:
    trend = weekly_trend(
        history.engine, history.rules, start=START, end=END, units=["A1", "A2X", "B2X"], now=NOW
    )
    assert list(trend) == ["A1", "A2X", "B2X"]
    mondays = [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)]
    assert [week.week_start for week in trend["A1"]] == mondays
    # A1: week of 14 Dec holds T3a only (T4a, 15 Dec, is before the period)
    assert trend["A1"] == [
        WeekKpi(mondays[0], 1, 0, 600.0, 1.0, None),
        WeekKpi(mondays[1], 2, 0, 1950.0, 0.5, None),
        WeekKpi(mondays[2], 1, 0, 7320.0, 0.0, None),
    ]
    # A2X: offers T3b | T2b | T1b; resolved T3b (22 Dec) | T1b (31 Dec); SOP by resolution
    # week: R3 late and R2 within on 22 Dec, R1 within on 31 Dec
    assert trend["A2X"] == [
        WeekKpi(mondays[0], 1, 0, 900.0, 1.0, None),
        WeekKpi(mondays[1], 1, 1, 600.0, 1.0, 0.5),
        WeekKpi(mondays[2], 1, 1, 1200.0, 1.0, 1.0),
    ]
    assert trend["B2X"] == [WeekKpi(monday, 0, 0, None, None, None) for monday in mondays]


# -- office seconds in SQL against the calendar -------------------------------------------


def _sql_office_seconds(
    engine: Engine, table: OfficeTable, pairs: list[tuple[datetime, datetime]]
) -> list[float]:
    sql = (
        f"SELECT date_part('epoch', {office_clock_sql('b')} - {office_clock_sql('a')})"
        " FROM unnest(%(a)s::timestamptz[], %(b)s::timestamptz[]) AS p(a, b)"
    )
    params = {**table.params(), "a": [a for a, _ in pairs], "b": [b for _, b in pairs]}
    with bare_connection(engine) as conn:
        return [row[0] for row in conn.execute(sql, params)]


def _random_pairs(
    rng: random.Random, first: date, days: int, zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    begin = datetime.combine(first, time(), zone).astimezone(UTC)
    for _ in range(300):
        a = begin + timedelta(minutes=rng.randrange(days * 24 * 60))
        b = a + timedelta(minutes=rng.choice((5, 90, 600, 3000, 20000, 60000)))
        yield a, min(b, begin + timedelta(days=days))


@pytest.mark.parametrize(
    ("zone", "first"),
    [
        ("Asia/Jakarta", date(2026, 3, 2)),  # Nyepi, Idul Fitri and its cuti bersama
        ("Asia/Jakarta", date(2026, 12, 1)),  # Christmas, cuti bersama, New Year
        ("Europe/Berlin", date(2026, 3, 16)),  # the DST change of 29 March (Easter: DE)
    ],
)
def test_office_seconds_agree_with_the_calendar(engine: Engine, zone: str, first: date) -> None:
    hours = parse_office_hours({"mon": "07:30-16:00", "wed": "01:00-23:30", "fri": "00:00-23:59"})
    country = "DE" if zone == "Europe/Berlin" else "ID"
    calendar = OfficeCalendar(
        timezone=ZoneInfo(zone),
        hours=hours,
        country=country,
        closed_days=frozenset({first + timedelta(days=9)}),
    )
    days = 40
    table = OfficeTable.build(calendar, first, first + timedelta(days=days))
    pairs = list(_random_pairs(random.Random(first.toordinal()), first, days, ZoneInfo(zone)))
    got = _sql_office_seconds(engine, table, pairs)
    expected = [calendar.office_time_between(a, b).total_seconds() for a, b in pairs]
    assert got == pytest.approx(expected, abs=1e-3)


def test_office_seconds_outside_the_table(engine: Engine) -> None:
    calendar = OfficeCalendar(timezone=WIB, hours=parse_office_hours({"mon": "08:00-16:00"}))
    table = OfficeTable.build(calendar, date(2026, 11, 23), date(2026, 11, 30))  # two Mondays
    before, after = at(20, 12, month=11), at(5, 12)
    inside = at(23, 9, month=11)
    got = _sql_office_seconds(engine, table, [(before, inside), (inside, after), (before, after)])
    assert got == [3600.0, 7 * 3600 + 8 * 3600, 16 * 3600]
    empty = OfficeTable.build(calendar, date(2026, 11, 24), date(2026, 11, 29))  # no Monday
    assert _sql_office_seconds(engine, empty, [(before, after)]) == [0.0]


@pytest.mark.usefixtures("org")
def test_the_split_queries_see_one_snapshot(engine: Engine, workflow: Workflow) -> None:
    """The claims run beside the other queries on a second connection: a commit between
    them must not make the two halves disagree."""
    register(workflow, now=datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    with same_snapshot(engine) as (first, beside):
        before = first.execute("SELECT count(*) FROM task").fetchone()
        register(workflow, now=datetime(2026, 11, 23, 3, 5, tzinfo=UTC))  # committed meanwhile
        assert beside.execute("SELECT count(*) FROM task").fetchone() == before == (1,)
    with bare_connection(engine) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (2,)


def test_an_answer_on_the_spot_is_not_the_echelon_1_units_resolution(history: Workflow) -> None:
    before = _report(history)["A1"]
    register(history, now=at(17, 9), service_code="SVC-A", answer="Dijawab di loket")
    after = _report(history)["A1"]
    # Its P1 task was offered to A1 (received) and closed by the front office's answer.
    assert (after.received, after.resolved) == (before.received + 1, before.resolved)
