"""The units a supervisor's escalation screen covers, judged on the officer as stored now.

The desk's `Actor` was read at login; a supervisor flag taken away since, or a deactivated
officer, must see nothing from then on, so each read loads the officer afresh.
"""

from dataclasses import dataclass

from sqlalchemy import Engine

from ptsa_tui.store.actors import actor_and_units
from ptsa_tui.store.rights import Actor, UnitFacts, raise_if, supervises, supervision_refusal


@dataclass(frozen=True)
class Scope:
    actor: Actor  # as the database has them now
    units: tuple[UnitFacts, ...]  # every unit `actor` supervises, by code

    @property
    def unit_ids(self) -> list[int]:
        return [unit.id for unit in self.units]

    def unit(self, unit_id: int) -> UnitFacts | None:
        return next((unit for unit in self.units if unit.id == unit_id), None)


def load_scope(engine: Engine, user: Actor) -> Scope:
    """The officer's scope; NotAllowed for anyone who is not an active supervisor."""
    actor, units = actor_and_units(engine, user)
    raise_if(supervision_refusal(actor))
    return Scope(actor, tuple(unit for unit in units if supervises(actor, unit)))
