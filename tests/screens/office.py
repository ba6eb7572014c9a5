"""A morning's work in the small org, at fixed times before MONDAY_10, for screen tests."""

from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10


def morning(flow: Workflow) -> dict[str, int]:
    """Requests in every state a desk shows; returns their task ids by name."""

    def register(name: str, service: str, hour: int, minute: int) -> int:
        registered = flow.register(
            by="p0",
            service_code=service,
            customer={"name": name, "phone": "0812" + str(sum(map(ord, name)) * 7919).zfill(8)},
            subject=f"Permohonan {service}",
            details="Berkas lengkap.",
            now=MONDAY_10.replace(hour=hour, minute=minute),
        )
        assert registered.task.id is not None
        return registered.task.id

    ids: dict[str, int] = {}
    answered = register("Yayasan Harapan", "SVC-A", 8, 0)
    flow.claim(task_id=answered, by="p1a", now=MONDAY_10.replace(hour=8, minute=5))
    moved = flow.dispatch(
        task_id=answered, to="A2X", by="p1a", now=MONDAY_10.replace(hour=8, minute=10)
    )
    assert moved.offered is not None and moved.offered.id is not None
    flow.claim(task_id=moved.offered.id, by="p2ax", now=MONDAY_10.replace(hour=8, minute=20))
    back = flow.resolve(
        task_id=moved.offered.id,
        by="p2ax",
        answer="Izin telah terbit.",
        now=MONDAY_10.replace(hour=9, minute=0),
    )
    assert back.offered is not None and back.offered.id is not None
    ids["deliver"] = back.offered.id

    late = register("PT Sinar Abadi", "SVC-A", 9, 0)
    flow.claim(task_id=late, by="p1a", now=MONDAY_10.replace(hour=9, minute=10))
    sent = flow.dispatch(task_id=late, to="A2X", by="p1a", now=MONDAY_10.replace(hour=9, minute=15))
    assert sent.offered is not None and sent.offered.id is not None
    ids["p2_late"] = sent.offered.id
    flow.message(
        request_ref=sent.offered.request_id,
        by="p1a",
        body="Mohon dipercepat, pemohon menunggu.",
        now=MONDAY_10.replace(hour=9, minute=16),
    )

    team = register("PT Nusantara Tenaga", "SVC-A", 9, 20)
    flow.claim(task_id=team, by="p1a2", now=MONDAY_10.replace(hour=9, minute=30))
    ids["team"] = team
    ids["at_risk"] = register("CV Karya Mandiri", "SVC-A", 9, 33)
    ids["fresh"] = register("Budi Santoso", "SVC-AY", 9, 50)
    ids["other_unit"] = register("PT Lain Unit", "SVC-B", 9, 40)
    return ids
