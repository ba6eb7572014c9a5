"""Unit KPIs over a period of local office dates, and their weekly trend (DESIGN.md §5).

Every figure comes out of PostgreSQL (`kpi_sql`); Python only builds the parameters (the
period's instants, the office's openings from the calendar) and files the rows per unit.
"Now" is a parameter: the figures are as of `now`, and nothing after it counts.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from psycopg import sql
from sqlalchemy import Engine

from ptsa_tui.store import kpi_sql
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.office_seconds import OfficeTable, local_midnight
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.timeutil import as_utc

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[tuple[Any, ...]]

DEFAULT_DAYS = 30
STEPS = 4  # the queries of unit_kpis: offers and claims, resolutions, SOP, backlog
_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
# A year of claim times stays in memory (hash tables, sorts); only this transaction gets it.
WORK_MEM = "256MB"


@dataclass(frozen=True)
class UnitKpi:
    unit: str  # code
    name: str
    tier: int
    parent: str | None  # parent unit code
    received: int
    resolved: int
    claim_p50_s: float | None
    claim_p90_s: float | None
    claimed_within_sla: float | None  # 0..1
    resolved_within_sop: float | None  # 0..1
    backlog: int
    oldest_open_since: datetime | None  # UTC aware


@dataclass(frozen=True)
class KpiReport:
    start: date  # local office dates, inclusive
    end: date
    clock: str  # "office" | "wall"
    units: list[UnitKpi]


@dataclass(frozen=True)
class WeekKpi:
    week_start: date  # the Monday, local
    received: int
    resolved: int
    claim_p50_s: float | None
    claimed_within_sla: float | None
    resolved_within_sop: float | None


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    tier: int
    parent: str | None


def default_period(today: date) -> tuple[date, date]:
    """The last 30 days up to today, both inclusive."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def unit_scope(engine: Engine, code: str) -> list[str]:
    """A unit's code, and for an echelon-1 unit its echelon-2 units' codes too."""
    units = unit_rows(engine, None)
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise NotFound(f"no unit {code!r}")
    children = [u.code for u in units if u.parent == code] if unit.tier == 1 else []
    return [unit.code, *children]


def unit_kpis(
    engine: Engine,
    rules: Rules,
    *,
    start: date,
    end: date,
    units: Sequence[str] | None = None,
    now: datetime,
    on_step: Callable[[], None] | None = None,
) -> KpiReport:
    """One row per unit (every unit when `units` is None), ordered by tier, parent, code.

    `on_step` is called after each of its `STEPS` queries, for a progress bar."""
    chosen = unit_rows(engine, units)
    params = query_params(rules, start, end, now, chosen if units is not None else None)
    limited = units is not None
    step = on_step or (lambda: None)
    offers_sql = kpi_sql.offered_sql(rules.clock, weekly=False, limited=limited)
    with same_snapshot(engine) as (conn, beside), ThreadPoolExecutor(1) as pool:
        # The claims' percentiles end on one core; the other queries run beside them.
        offers = pool.submit(_by_unit, beside, offers_sql, params)
        resolved = _by_unit(conn, kpi_sql.resolved_sql(weekly=False, limited=limited), params)
        step()
        sop = _by_unit(conn, kpi_sql.sop_sql(weekly=False, limited=limited), params)
        step()
        backlog = {
            row["unit_id"]: row for row in _rows(conn, kpi_sql.backlog_sql(limited=limited), params)
        }
        step()
        offered = offers.result()
        step()
    rows = []
    for unit in chosen:
        seen, done = offered.get((unit.id, 1), {}), resolved.get((unit.id, 1), {})
        still = backlog.get(unit.id, {})
        rows.append(
            UnitKpi(
                unit=unit.code,
                name=unit.name,
                tier=unit.tier,
                parent=unit.parent,
                received=seen.get("received", 0),
                resolved=done.get("resolved", 0),
                claim_p50_s=seen.get("claim_p50_s"),
                claim_p90_s=seen.get("claim_p90_s"),
                claimed_within_sla=seen.get("claimed_within_sla"),
                resolved_within_sop=sop.get((unit.id, 1), {}).get("resolved_within_sop"),
                backlog=still.get("backlog", 0),
                oldest_open_since=_utc(still.get("oldest")),
            )
        )
    return KpiReport(start=start, end=end, clock=rules.clock, units=rows)


@contextmanager
def same_snapshot(engine: Engine) -> "Iterator[tuple[Connection, Connection]]":
    """Two connections in read-only transactions that see the same snapshot of the database,
    so queries split between them add up as if they were one."""
    with (
        bare_connection(engine) as first,
        bare_connection(engine) as second,
        first.transaction(),
        second.transaction(),
    ):
        for conn in (first, second):
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        snapshot = first.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot is not None
        second.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot[0])))
        yield first, second


def weekly_trend(
    engine: Engine,
    rules: Rules,
    *,
    start: date,
    end: date,
    units: Sequence[str],
    now: datetime,
) -> dict[str, list[WeekKpi]]:
    """Per unit code, one entry per ISO week overlapping [start, end], empty weeks included;
    each week counts what happened in it within the period."""
    chosen = unit_rows(engine, units)
    mondays = _mondays(start, end)
    params = query_params(rules, start, end, now, chosen)
    params["weeks"] = [local_midnight(monday, rules.calendar) for monday in mondays]
    offers_sql = kpi_sql.offered_sql(rules.clock, weekly=True, limited=True)
    with same_snapshot(engine) as (conn, beside), ThreadPoolExecutor(1) as pool:
        offers = pool.submit(_by_unit, beside, offers_sql, params)
        resolved = _by_unit(conn, kpi_sql.resolved_sql(weekly=True, limited=True), params)
        sop = _by_unit(conn, kpi_sql.sop_sql(weekly=True, limited=True), params)
        offered = offers.result()
    trend: dict[str, list[WeekKpi]] = {}
    for unit in chosen:
        weeks = []
        for bucket, monday in enumerate(mondays, start=1):
            seen = offered.get((unit.id, bucket), {})
            weeks.append(
                WeekKpi(
                    week_start=monday,
                    received=seen.get("received", 0),
                    resolved=resolved.get((unit.id, bucket), {}).get("resolved", 0),
                    claim_p50_s=seen.get("claim_p50_s"),
                    claimed_within_sla=seen.get("claimed_within_sla"),
                    resolved_within_sop=sop.get((unit.id, bucket), {}).get("resolved_within_sop"),
                )
            )
        trend[unit.code] = weeks
    return trend


# -- parameters -----------------------------------------------------------------------


def query_params(
    rules: Rules, start: date, end: date, now: datetime, limit_to: Sequence[UnitRow] | None
) -> dict[str, Any]:
    """The parameters of the `kpi_sql` queries (public for the benchmark's EXPLAIN)."""
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")
    now = as_utc(now)
    calendar = rules.calendar
    begins, ends = local_midnight(start, calendar), local_midnight(end + _DAY, calendar)
    # Offers fall in [start, cut) and claims by now: the office table spans both.
    last = max(now.astimezone(calendar.timezone).date(), start)
    params: dict[str, Any] = {"start": begins, "cut": min(ends, now), "now": now}
    if rules.clock == "office":
        params.update(OfficeTable.build(calendar, start, last).params())
    if limit_to is not None:
        params["units"] = [unit.id for unit in limit_to]
    return params


def _mondays(start: date, end: date) -> list[date]:
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += _WEEK
    return weeks


_UNITS = """
SELECT u.id, u.code, u.name, u.tier, p.code AS parent
FROM unit u LEFT JOIN unit p ON p.id = u.parent_id
ORDER BY u.tier, p.code NULLS FIRST, u.code
"""


def unit_rows(engine: Engine, codes: Sequence[str] | None) -> list[UnitRow]:
    """The units of `codes` (every unit when None), by tier, parent, code; NotFound for an
    unknown code."""
    with bare_connection(engine) as conn:
        every = [UnitRow(*row) for row in conn.execute(_UNITS)]
    if codes is None:
        return every
    wanted = set(codes)
    missing = sorted(wanted - {unit.code for unit in every})
    if missing:
        raise NotFound(f"no unit {missing[0]!r}")
    return [unit for unit in every if unit.code in wanted]


# -- rows -----------------------------------------------------------------------------


def _rows(conn: "Connection", sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(sql, params).fetchall()


def _by_unit(
    conn: "Connection", sql: str, params: Mapping[str, Any]
) -> dict[tuple[int, int], dict[str, Any]]:
    return {(row["unit_id"], row["bucket"]): row for row in _rows(conn, sql, params)}


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None
