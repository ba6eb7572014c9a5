"""A small organisation for tests: a front office, two echelon-1 units and three echelon-2 units."""

from typing import Any


def _officer(
    username: str, unit: str, *, supervisor: bool = False, active: bool = True
) -> dict[str, Any]:
    return {
        "username": username,
        "name": f"Officer {username}",
        "unit": unit,
        "email": f"{username}@test.go.id",
        "phone": "+6281200000" + str(sum(map(ord, username)) % 1000).zfill(3),
        "supervisor": supervisor,
        "active": active,
    }


SMALL_ORG: dict[str, Any] = {
    "units": [
        {"code": "FO", "name": "Front Office", "tier": 0},
        {"code": "A1", "name": "Echelon-1 A", "tier": 1},
        {"code": "B1", "name": "Echelon-1 B", "tier": 1},
        {"code": "A2X", "name": "Directorate A-X", "tier": 2, "parent": "A1"},
        {"code": "A2Y", "name": "Directorate A-Y", "tier": 2, "parent": "A1", "claim_sla": "1h"},
        {"code": "B2X", "name": "Directorate B-X", "tier": 2, "parent": "B1"},
    ],
    "officers": [
        _officer("p0", "FO"),
        _officer("p0b", "FO"),
        _officer("spv0", "FO", supervisor=True),
        _officer("p1a", "A1"),
        _officer("p1a2", "A1"),
        _officer("spv1a", "A1", supervisor=True),
        _officer("gone", "A1", active=False),
        _officer("p1b", "B1"),
        _officer("spv1b", "B1", supervisor=True),
        _officer("p2ax", "A2X"),
        _officer("p2ax2", "A2X"),
        _officer("spv2ax", "A2X", supervisor=True),
        _officer("p2ay", "A2Y"),
        _officer("p2bx", "B2X"),
        _officer("spv2bx", "B2X", supervisor=True),
    ],
    "services": [
        {"code": "SVC-A", "name": "Service of A-X", "unit": "A2X", "sop_days": 3},
        {"code": "SVC-AY", "name": "Service of A-Y", "unit": "A2Y", "sop_days": 2},
        {"code": "SVC-B", "name": "Service of B-X", "unit": "B2X", "sop_days": 5},
    ],
}
