"""A customer's personal data: the NIK masked on every desk but the front office's, and erased
by `customer forget` with the requests and their KPI figures unchanged."""

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.config import Settings
from ptsa_tui.store.actors import load_actor
from ptsa_tui.store.api import DeskStore
from ptsa_tui.store.errors import NotAllowed, NotFound
from ptsa_tui.store.kpi import unit_kpis
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.workflow import Workflow
from tests.alerts.notice_helpers import SITI, served_to_the_end
from tests.store.helpers import register, snapshot, wib

NIK = "3174012345678901"
CUSTOMER = {**SITI, "nik": NIK, "organisation": "PT Siti Jaya"}


def viewer(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        return load_actor(session, username)


def test_the_nik_is_shown_in_full_to_the_front_office_and_masked_to_every_other_desk(
    workflow: Workflow, org: None, engine: Engine, settings: Settings, db_url: str
) -> None:
    task = register(workflow, customer=CUSTOMER).task
    assert task.id is not None
    store = DeskStore(engine=engine, settings=settings, url=db_url)
    assert store.story(task.id, viewer=viewer(engine, "p0")).customer.nik == NIK
    for other in ("p1a", "p2ax", "spv1a"):  # spv0 is of the front office: in full
        shown = store.story(task.id, viewer=viewer(engine, other)).customer.nik
        assert shown == "••••••••••••8901", other
    assert store.story(task.id).customer.nik == "••••••••••••8901"  # nobody logged in


def kpi_figures(engine: Engine, workflow: Workflow) -> object:
    return unit_kpis(
        engine, workflow.rules, start=date(2026, 11, 1), end=date(2026, 11, 30), now=wib(30, 12)
    )


def test_forgetting_a_customer_erases_every_personal_field_and_keeps_the_figures(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    closed = served_to_the_end(workflow, customer=CUSTOMER)
    register(workflow, customer=CUSTOMER, now=wib(25, 10))  # a second visit, still open
    workflow.rate(tracking_no=closed.request.tracking_no, scores=[4] * 9, now=wib(25, 11))
    before = kpi_figures(engine, workflow)
    customer_id = closed.request.customer_id

    done = workflow.forget_customer(customer_id=customer_id, by="spv0", now=wib(26, 9))

    assert (done.customer_id, done.requests) == (customer_id, 2)
    assert done.notices > 0
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT name, nik, organisation, phone, email, notify FROM customer")
        ).one()
        addresses = conn.execute(text("SELECT DISTINCT address, status FROM notice")).all()
        everything = conn.execute(
            text("SELECT string_agg(concat_ws('|', r.subject, r.details), '|') FROM request r")
        ).scalar_one()
        events = (
            conn.execute(text("SELECT details FROM event WHERE kind = 'customer_forgotten'"))
            .scalars()
            .all()
        )
    assert row == ("—", None, None, None, None, False)
    assert {address for address, _ in addresses} == {""}
    assert "pending" not in {status for _, status in addresses}
    for personal in ("Siti", NIK, "0812", "3456-7890", "siti@example.id", "PT Siti Jaya"):
        assert personal not in str(row) and personal not in everything
    assert events == [{"customer": customer_id, "requests": 2}]
    assert kpi_figures(engine, workflow) == before  # every figure as it was


def test_only_a_supervisor_may_forget_and_a_refusal_changes_nothing(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    customer_id = register(workflow, customer=CUSTOMER).request.customer_id
    before = snapshot(engine)
    with pytest.raises(NotAllowed, match="only supervisors"):
        workflow.forget_customer(customer_id=customer_id, by="p0")
    with pytest.raises(NotFound, match="no customer 999"):
        workflow.forget_customer(customer_id=999, by="spv0")
    assert snapshot(engine) == before
