"""Bad input from the command line: the right exit code, one line on stderr, nothing written."""

import pytest

from tests.cli.conftest import Cli, CountRows, assert_one_line_error, json_of, succeeded

GOOD = {
    "--service": "SVC-A",
    "--customer": "Budi Santoso",
    "--subject": "Informasi pasar kerja",
    "--by": "p0",
}


def new_request(**changes: str) -> list[str]:
    """Arguments of a valid `request new`, with some options changed or added."""
    options = {**GOOD, **{f"--{key.replace('_', '-')}": value for key, value in changes.items()}}
    return ["request", "new", *(part for pair in options.items() for part in pair)]


def test_the_good_request_is_accepted(cli: Cli, org: None, count_rows: CountRows) -> None:
    """The baseline the failures below change one thing of."""
    before = count_rows()
    json_of(cli(*new_request(), "--json"))
    after = count_rows()
    assert after["request"] == before["request"] + 1
    assert after["task"] == before["task"] + 1


@pytest.mark.parametrize(
    ("changes", "code", "fragments"),
    [
        pytest.param({"service": "NOPE"}, 4, ("no service", "NOPE"), id="unknown-service"),
        pytest.param({"phone": "12ab-x"}, 2, ("phone", "12ab-x"), id="bad-phone"),
        pytest.param({"phone": "0812"}, 2, ("phone", "0812"), id="short-phone"),
        pytest.param({"email": "budi(at)example"}, 2, ("email", "budi(at)example"), id="bad-email"),
        pytest.param({"email": "a@b"}, 2, ("email",), id="email-no-domain"),
        pytest.param({"subject": ""}, 2, ("subject", "empty"), id="empty-subject"),
        pytest.param({"subject": "   \t "}, 2, ("subject", "empty"), id="blank-subject"),
        pytest.param({"details": "x" * 100_000}, 2, ("details", "10000"), id="100kb-details"),
        pytest.param({"customer": "Bu\x00di"}, 2, ("--customer", "NUL"), id="nul-in-name"),
        pytest.param({"customer": ""}, 2, ("customer.name", "empty"), id="empty-name"),
        pytest.param({"customer": "n" * 201}, 2, ("customer.name",), id="long-name"),
        pytest.param({"nik": "12345"}, 2, ("NIK", "16 digits"), id="bad-nik"),
        pytest.param({"channel": "pigeon"}, 2, ("channel", "pigeon"), id="bad-channel"),
        pytest.param({"by": "nobody"}, 4, ("no officer", "nobody"), id="unknown-officer"),
        pytest.param({"by": "p1a"}, 5, ("p1a", "P1", "register"), id="p1-registers"),
        pytest.param({"by": "p2ax"}, 5, ("p2ax", "P2"), id="p2-registers"),
        pytest.param({"by": "gone"}, 5, ("gone", "inactive"), id="inactive-officer"),
        pytest.param({"answer": "  "}, 2, ("answer", "empty"), id="blank-answer"),
        pytest.param({"unit": "A2X"}, 2, ("A2X", "echelon-1"), id="unit-not-tier-1"),
        pytest.param({"unit": "ZZ"}, 4, ("no unit", "ZZ"), id="unknown-unit"),
    ],
)
def test_bad_request_is_refused_and_writes_nothing(
    cli: Cli,
    org: None,
    count_rows: CountRows,
    changes: dict[str, str],
    code: int,
    fragments: tuple[str, ...],
) -> None:
    before = count_rows()
    result = cli(*new_request(**changes), "--json")
    line = assert_one_line_error(result, code, *fragments)
    assert len(line) < 400  # 100 KB of details are not echoed back
    assert count_rows() == before


def test_request_without_service_or_unit_is_refused(
    cli: Cli, org: None, count_rows: CountRows
) -> None:
    before = count_rows()
    args = ["request", "new", "--customer", "Budi", "--subject", "x", "--by", "p0"]
    assert_one_line_error(cli(*args), 2, "service")
    assert count_rows() == before


@pytest.fixture
def tracking(cli: Cli, org: None) -> str:
    """A request waiting in A1's queue."""
    return str(json_of(cli(*new_request(), "--json"))["tracking_no"])


@pytest.mark.parametrize(
    ("by", "code", "fragments"),
    [
        pytest.param("p1b", 5, ("p1b (B1)", "A1"), id="other-unit"),
        pytest.param("p2ax", 5, ("p2ax", "A1"), id="p2-below"),
        pytest.param("gone", 5, ("inactive",), id="inactive"),
        pytest.param("ghost", 4, ("no officer", "ghost"), id="unknown-officer"),
    ],
)
def test_claim_by_the_wrong_officer(
    cli: Cli,
    tracking: str,
    count_rows: CountRows,
    by: str,
    code: int,
    fragments: tuple[str, ...],
) -> None:
    before = count_rows()
    assert_one_line_error(cli("task", "claim", tracking, "--by", by), code, *fragments)
    assert count_rows() == before
    assert json_of(cli("task", "show", tracking, "--json"))["open_task"]["claimed_by"] is None


def test_second_claim_conflicts_and_names_the_holder(
    cli: Cli, tracking: str, count_rows: CountRows
) -> None:
    succeeded(cli("task", "claim", tracking, "--by", "p1a"))
    before = count_rows()
    line = assert_one_line_error(cli("task", "claim", tracking, "--by", "p1a2"), 3, "p1a")
    assert "Officer p1a" in line  # the holder's name, from the organisation file
    assert_one_line_error(cli("task", "claim", tracking, "--by", "p1a"), 3, "already claimed")
    assert count_rows() == before
    assert json_of(cli("task", "show", tracking, "--json"))["open_task"]["claimed_by"] == "p1a"


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        pytest.param(("list", "--state", "finished"), 2, ("--state", "finished"), id="bad-state"),
        pytest.param(("show", "PTSA-1999-000001"), 4, ("PTSA-1999-000001",), id="no-request"),
        pytest.param(("show", "987654"), 4, ("987654",), id="no-task-id"),
        pytest.param(("claim", "987654", "--by", "p1a"), 4, ("no task 987654",), id="claim-none"),
        pytest.param(
            ("dispatch", "TRACKING", "--to", "A2X", "--by", "p1a"),
            3,
            ("not claimed",),
            id="dispatch-unclaimed",
        ),
        pytest.param(
            ("close", "TRACKING", "--by", "p0"), 3, ("no answer yet",), id="close-unanswered"
        ),
        pytest.param(
            ("resolve", "TRACKING", "--by", "p1a", "--answer", "x"), 5, ("P1",), id="p1-resolves"
        ),
        pytest.param(
            ("release", "TRACKING", "--by", "p1a", "--reason", " "), 2, ("reason",), id="no-reason"
        ),
        pytest.param(
            ("message", "TRACKING", "--by", "p2bx", "--text", "hi"), 5, ("p2bx",), id="outsider"
        ),
    ],
)
def test_bad_task_commands(
    cli: Cli,
    tracking: str,
    count_rows: CountRows,
    args: tuple[str, ...],
    code: int,
    fragments: tuple[str, ...],
) -> None:
    before = count_rows()
    real = [tracking if arg == "TRACKING" else arg for arg in args]
    assert_one_line_error(cli("task", *real), code, *fragments)
    assert count_rows() == before


MARKUP = "[red]x[/]"
ESCAPE = "\x1b[31mred"
BELL = "ding\x07"


def test_markup_and_control_characters_are_stored_and_shown_literally(cli: Cli, org: None) -> None:
    name = f"{MARKUP} {ESCAPE}"
    subject = "[bold]Penting[/bold] \x1b]0;title\x07"
    created = json_of(
        cli(
            "request", "new", "--service", "SVC-A", "--customer", name, "--subject", subject,
            "--details", BELL, "--organisation", "[link=http://x]PT[/link]", "--by", "p0", "--json",
        )
    )  # fmt: skip
    tracking = created["tracking_no"]

    story = json_of(cli("task", "show", tracking, "--json"))
    assert story["customer"]["name"] == name
    assert story["subject"] == subject
    assert story["details"] == BELL
    assert story["customer"]["organisation"] == "[link=http://x]PT[/link]"

    human = succeeded(cli("task", "show", tracking))
    assert "\x1b" not in human
    assert "\x07" not in human
    assert MARKUP in human
    assert "\\x1b[31mred" in human
    assert "[bold]Penting[/bold] \\x1b]0;title\\x07" in human
    assert "ding\\x07" in human

    listed = succeeded(cli("task", "list", "--unit", "A1"))
    assert "\x1b" not in listed
    assert f"{MARKUP} \\x1b[31mred" in listed

    registered = succeeded(
        cli("request", "new", "--service", "SVC-A", "--customer", name, "--subject", "x",
            "--by", "p0")
    )  # fmt: skip
    assert "\x1b" not in registered
    assert f"for {MARKUP} \\x1b[31mred" in registered

    # Answers and notes in the audit trail are user text too.
    succeeded(cli("task", "claim", tracking, "--by", "p1a"))
    succeeded(cli("task", "dispatch", tracking, "--to", "A2X", "--by", "p1a", "--note", ESCAPE))
    succeeded(cli("task", "claim", tracking, "--by", "p2ax"))
    succeeded(cli("task", "resolve", tracking, "--by", "p2ax", "--answer", "[blink]ok[/]"))
    trail = succeeded(cli("task", "show", tracking))
    assert "\x1b" not in trail
    assert "note: \\x1b[31mred" in trail  # the trail in sentences, not `note=…`
    assert "from A1 to A2X" in trail and "to=" not in trail
    assert "answer: [blink]ok[/]" in trail
    again = json_of(cli("task", "show", tracking, "--json"))
    assert again["resolution"] == "[blink]ok[/]"
    assert again["events"][2]["details"]["note"] == ESCAPE
