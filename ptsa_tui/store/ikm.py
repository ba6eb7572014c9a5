"""The IKM, the community satisfaction index, from the SKM survey (PermenPANRB 14/2017).

Per element, NRR is the average rating (1-4). IKM = Σ(NRR × 1/9) × 25, on a scale of 25-100,
graded A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99. A response counts for the
echelon-2 unit that resolved the request, and for the office; the period is of local office
dates, both inclusive, on the response's own date.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from ptsa_tui.store.calendar import OfficeCalendar
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.errors import InvalidInput
from ptsa_tui.store.kpi import unit_rows
from ptsa_tui.store.office_seconds import local_midnight
from ptsa_tui.store.survey import ELEMENTS

# The lowest IKM of each grade, best first.
GRADES = (("A", 88.31), ("B", 76.61), ("C", 65.00), ("D", 25.00))


@dataclass(frozen=True)
class Satisfaction:
    """One unit's figures, or the office's (unit None)."""

    unit: str | None
    name: str
    responses: int
    nrr: tuple[float, ...] | None  # one per element; None without responses
    ikm: float | None
    grade: str | None


@dataclass(frozen=True)
class IkmReport:
    start: date
    end: date
    units: list[Satisfaction]
    office: Satisfaction


def ikm_of(nrr: Sequence[float]) -> float:
    """Σ(NRR × 1/9) × 25, to two decimals as the regulation reports it."""
    return round(sum(value / len(ELEMENTS) for value in nrr) * 25, 2)


def grade_of(ikm: float) -> str:
    return next(grade for grade, lowest in GRADES if ikm >= lowest or grade == "D")


def _element_averages() -> str:
    return ", ".join(f"avg(scores[{i}])::float8" for i in range(1, len(ELEMENTS) + 1))


# The unit: the last echelon-2 hop that resolved the request (NULL when P0 answered it).
_IKM = f"""
WITH rated AS (
    SELECT s.scores,
           (SELECT t.unit_id FROM task t
            WHERE t.request_id = s.request_id AND t.position = 'P2' AND t.outcome = 'resolved'
            ORDER BY t.closed_at DESC, t.id DESC LIMIT 1) AS unit_id
    FROM survey s
    WHERE s.created_at >= %(start)s AND s.created_at < %(end)s
)
SELECT grouping(unit_id) = 1 AS office, unit_id, count(*), {_element_averages()}
FROM rated GROUP BY ROLLUP (unit_id)
"""


def _figures(unit: str | None, name: str, row: Sequence[Any] | None) -> Satisfaction:
    if row is None or not row[2]:  # ROLLUP's total of no rows is a count of 0
        return Satisfaction(unit, name, 0, None, None, None)
    nrr = tuple(float(value) for value in row[3:])
    ikm = ikm_of(nrr)
    return Satisfaction(unit, name, int(row[2]), nrr, ikm, grade_of(ikm))


def satisfaction(
    engine: Engine,
    calendar: OfficeCalendar,
    *,
    start: date,
    end: date,
    units: Sequence[str] | None = None,
) -> IkmReport:
    """Every echelon-2 unit (or those of `units`) with its figures, and the whole office's."""
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")
    period = {
        "start": local_midnight(start, calendar),
        "end": local_midnight(end + timedelta(days=1), calendar),
    }
    with bare_connection(engine) as conn:
        rows = conn.execute(_IKM, period).fetchall()
    chosen = [unit for unit in unit_rows(engine, units) if unit.tier == 2]
    by_unit = {row[1]: row for row in rows if not row[0]}
    office = next((row for row in rows if row[0]), None)
    return IkmReport(
        start=start,
        end=end,
        units=[_figures(unit.code, unit.name, by_unit.get(unit.id)) for unit in chosen],
        office=_figures(None, "PTSA", office),
    )
