"""Names from an org file reach the terminal inert: no escape sequence (OSC 52 included), bell
or bidi override from an officer's or a unit's name is written raw by the CLI."""

import pytest
from sqlalchemy import Engine, text

from tests.cli.conftest import Cli, assert_one_line_error, json_of, succeeded
from tests.cli.test_bad_input import new_request

MALLORY = "Mallory \u001b[31mRED\u001b]52;c;SGFja2Vk\u0007 \u202etxt.exe"
RAW = ("\x1b", "\x07", "\u202e")


def assert_inert(*outputs: str) -> None:
    for output in outputs:
        for raw in RAW:
            assert raw not in output, (raw, output)


@pytest.fixture
def mallory(engine: Engine, org: None) -> None:
    """p1a2 of unit A1 under a hostile name, and A2X too. The org import now refuses such names,
    so they are written as an older import could have left them."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE officer SET full_name = :n WHERE username = 'p1a2'"), {"n": MALLORY}
        )
        conn.execute(text("UPDATE unit SET name = :n WHERE code = 'A2X'"), {"n": MALLORY})


@pytest.mark.usefixtures("mallory")
def test_a_conflict_names_the_holder_inertly(cli: Cli) -> None:
    tracking = str(json_of(cli(*new_request(customer=MALLORY), "--json"))["tracking_no"])
    claimed = cli("task", "claim", tracking, "--by", "p1a2")
    assert_inert(succeeded(claimed))
    line = assert_one_line_error(cli("task", "claim", tracking, "--by", "p1a"), 3, "Mallory")
    assert "\\x1b]52;c;SGFja2Vk\\x07" in line and "\\u202e" in line
    assert_inert(line)
    shown = succeeded(cli("task", "show", tracking))
    listed = succeeded(cli("task", "list", "--state", "claimed"))
    as_json = succeeded(cli("task", "show", tracking, "--json"))
    assert_inert(shown, listed, as_json)
    assert json_of(cli("task", "show", tracking, "--json"))["customer"]["name"] == MALLORY
