"""The units an officer's KPI screen may show, as `rights.kpi_scope` decides.

Judged on the officer as stored now, not as logged in: a supervisor flag taken away since,
or a deactivated officer, narrows the scope (or empties it) at the next read.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from ptsa_tui.store.actors import actor_and_units
from ptsa_tui.store.errors import NotAllowed
from ptsa_tui.store.rights import Actor, kpi_scope


@dataclass(frozen=True)
class KpiUnit:
    code: str
    name: str
    tier: int
    parent: str | None  # an echelon-2 unit's echelon-1 unit, by code


def kpi_units(engine: Engine, user: Actor) -> list[KpiUnit]:
    """The units in `user`'s KPI scope, by tier, then code; NotAllowed when inactive."""
    actor, by_code = actor_and_units(engine, user)
    units = sorted(by_code, key=lambda u: u.tier)  # stable: by tier, then code
    codes = {u.id: u.code for u in units}
    return [
        KpiUnit(u.code, u.name, u.tier, codes[u.parent_id] if u.parent_id is not None else None)
        for u in kpi_scope(actor, units)
    ]


def scoped_codes(scope: Sequence[KpiUnit], actor: Actor, wanted: Sequence[str]) -> list[str]:
    """`wanted`, when every one of them is in the scope; otherwise the refusal."""
    outside = sorted(set(wanted) - {u.code for u in scope})
    if outside:
        raise NotAllowed(f"{actor.label} may not see the KPIs of {', '.join(outside)}")
    return list(wanted)
