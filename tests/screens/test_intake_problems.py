"""The intake form's problems are in the officer's language, what was typed quoted as typed:
seen before, `not a phone number: '0812'` under the phone field of the Indonesian form."""

import asyncio

from ptsa_tui.screens.intake import IntakeScreen
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.screen_text import screen_text


def test_each_problem_is_shown_in_indonesian_under_its_field(
    desks: None, make_app: AppFactory
) -> None:
    app = make_app(live=False)

    async def scenario() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p0")
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
            await until(pilot, lambda: bool(getattr(app.screen, "services", None)))
            await pilot.press(*"0812", "tab", *"12345", "tab")
            await pilot.press("ctrl+s")
            await pilot.pause()
            return screen_text(app)

    shown = asyncio.run(scenario())
    assert "bukan nomor telepon: '0812'" in shown
    assert "NIK harus 16 angka 0-9, terisi '12345'" in shown
    assert "tidak boleh kosong" in shown  # the customer's name
    assert "not a phone" not in shown and "must be" not in shown
