"""The request screen shows what was sent to the customer and whether it was delivered; the
intake form asks whether the customer wants updates at all."""

import asyncio
from datetime import timedelta

from sqlalchemy import Engine, text
from textual.widgets import Button, Checkbox, Input, Select

from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.survey_form import SurveyForm
from ptsa_tui.store.delivery import Retry
from ptsa_tui.store.notices import NoticeOutbox
from ptsa_tui.store.workflow import Workflow
from tests.alerts.notice_helpers import served_to_the_end
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in, open_request, until
from tests.screens.screen_text import screen_text
from tests.screens.test_full_path import register_through_the_form
from tests.store.helpers import wib

GATEWAY_SAID = "SMS gateway: HTTPError: HTTP 503 [b]busy[/b]"


def deliver_sms_and_fail_email(engine: Engine) -> None:
    """The daemon's two outcomes, through the outbox it uses: the SMS sent, the email failed."""
    outbox = NoticeOutbox(engine, Retry(), "test-daemon")
    for _ in range(2):
        with outbox.delivering(now=MONDAY_10 + timedelta(minutes=1)) as delivery:
            assert delivery is not None
            if delivery.due.channel == "sms":
                delivery.sent(MONDAY_10 + timedelta(minutes=1))
            else:
                delivery.failed(MONDAY_10 + timedelta(minutes=1), GATEWAY_SAID)


def test_the_request_screen_lists_each_notice_with_its_delivery(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    workflow.register(
        by="p0",
        service_code="SVC-A",
        customer={"name": "Siti", "phone": "081234567890", "email": "siti@example.id"},
        subject="Izin kerja",
        now=MONDAY_10,
    )
    deliver_sms_and_fail_email(engine)
    app = make_app(live=False)

    async def scenario() -> str:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "p1a")
            await open_request(pilot)
            return screen_text(app)

    page = asyncio.run(scenario())
    assert "Dikirim kepada pelanggan" in page
    assert "SMS permohonan diterima · terkirim 23/11 10:01" in page
    assert "email permohonan diterima · dicoba lagi, 1 percobaan" in page
    assert GATEWAY_SAID in page  # the reason, its brackets shown as written


def test_a_customer_without_notices_is_said_so(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    workflow.register(
        by="p0", service_code="SVC-A", customer={"name": "Budi"}, subject="s", now=MONDAY_10
    )
    app = make_app(live=False)

    async def scenario() -> str:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "p1a")
            await open_request(pilot)
            return screen_text(app)

    assert "Tidak ada yang dikirim" in asyncio.run(scenario())


def test_the_intake_form_registers_an_opt_out_and_remembers_it_for_the_next_visit(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    app = make_app()

    async def scenario() -> tuple[bool, bool]:
        async with app.run_test(size=(100, 40)) as pilot:
            await log_in(pilot, "p0")

            async def untick(screen: IntakeScreen) -> None:
                screen.query_one("#notify", Checkbox).value = False

            await register_through_the_form(pilot, before_saving=untick)
            await pilot.press("enter")  # the receipt closes
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
            screen = app.screen
            default = screen.query_one("#notify", Checkbox).value
            await pilot.press(*"081234567890", "tab")  # the same customer, looked up
            await until(pilot, lambda: screen.query_one("#name", Input).value != "")
            return default, screen.query_one("#notify", Checkbox).value

    default, remembered = asyncio.run(scenario())
    assert default is True  # a new form starts by sending updates
    assert remembered is False  # the returning customer's last answer
    with engine.connect() as conn:
        notify = conn.execute(text("SELECT notify FROM customer")).scalars().all()
        notices = conn.execute(text("SELECT count(*) FROM notice")).scalar()
    assert (notify, notices) == ([False], 0)


def test_the_front_office_types_in_a_paper_survey_form_once(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    served_to_the_end(workflow)  # closed by p0 on 24 November
    app = make_app(clock=lambda: wib(24, 11))

    async def scenario() -> list[str]:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "p0")
            await pilot.press("4")  # done today: the closed request
            await until(pilot, lambda: any(r.tab == "done" for r in app.rows))
            await pilot.pause()
            await open_request(pilot)
            said = []
            for _ in range(2):
                shown = len(app._notifications)
                await pilot.press("s")
                await until(pilot, lambda: isinstance(app.screen, SurveyForm))
                form = app.screen
                for number in range(1, 10):
                    form.query_one(f"#u{number}", Select).value = 3
                form.query_one("#ok", Button).press()
                await until(pilot, lambda: not isinstance(app.screen, SurveyForm))
                await until(pilot, lambda: len(app._notifications) > shown)  # noqa: B023
                said.append(list(app._notifications)[-1].message)
            return said

    said = asyncio.run(scenario())
    assert "Formulir survei tersimpan" in said[0]
    assert "sudah dinilai" in said[1]  # a second form for the same request: refused
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT scores, source, entered_by FROM survey")).all()
    assert len(rows) == 1 and rows[0][:2] == ([3] * 9, "paper")
