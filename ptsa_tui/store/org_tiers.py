"""A unit's tier decides how requests route through it and what its officers may do, so a
re-import that changes it is refused while anything still depends on the old tier.

What depends on a unit: the services it owns (routing starts at the owner, a tier-2 unit), its
child units (a tier-2 unit's parent must be tier 1), its officers (their position is the
tier's) and its open tasks (offered for the old position). The file may move them away in the
same import; what stays is named in the refusal, a conflict (exit 3): the file is valid, the
database's state is what stands in the way.
"""

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from ptsa_tui.store.errors import Conflict

if TYPE_CHECKING:
    from ptsa_tui.store.org import OrgFile

SHOWN = 5  # names listed per kind of dependant; the rest are counted

_DEPENDANTS = {
    "services": "SELECT code FROM service WHERE unit_id = :unit AND active ORDER BY code",
    "child units": "SELECT code FROM unit WHERE parent_id = :unit ORDER BY code",
    "officers": "SELECT username FROM officer WHERE unit_id = :unit ORDER BY username",
}
_OPEN_TASKS = "SELECT id FROM task WHERE unit_id = :unit AND closed_at IS NULL ORDER BY id"


def refuse_stranding_tier_changes(session: Session, org: "OrgFile") -> None:
    """Conflict for the first unit whose tier the file changes while something depends on it."""
    tiers = {
        code: (unit_id, tier)
        for unit_id, code, tier in session.execute(text("SELECT id, code, tier FROM unit"))
    }
    # Where the file puts each dependant (a unit that stops being tier 2 has no parent).
    filed: dict[str, dict[str, str | None]] = {
        "services": {s.code: s.unit for s in org.services},
        "child units": {u.code: u.parent if u.tier == 2 else None for u in org.units},
        "officers": {o.username: o.unit for o in org.officers},
    }
    for spec in org.units:
        if spec.code not in tiers or tiers[spec.code][1] == spec.tier:
            continue
        unit_id, old_tier = tiers[spec.code]
        stranded: list[str] = []
        for kind, query in _DEPENDANTS.items():
            names = [
                str(name)
                for name in session.scalars(text(query), {"unit": unit_id})
                if filed[kind].get(name, spec.code) == spec.code  # the file leaves it here
            ]
            if names:
                stranded.append(_listed(kind, names))
        open_tasks = [str(t) for t in session.scalars(text(_OPEN_TASKS), {"unit": unit_id})]
        if open_tasks:
            stranded.append(_listed("open tasks", open_tasks))
        if stranded:
            raise Conflict(
                f"unit {spec.code}: tier {old_tier} -> {spec.tier} refused, these depend on "
                f"its tier: {'; '.join(stranded)}"
            )


def _listed(kind: str, names: list[str]) -> str:
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return f"{kind} {', '.join(names[:SHOWN])}{more}"
