"""Issue 10's "exit 1 where 2 or 4 is due" and "limits not enforced", as the CLI shows them:
one line on stderr, the documented code, nothing written."""

import subprocess
import sys

import pytest

from ptsa_tui.store.limits import MAX_DETAILS, MAX_MESSAGE, MAX_REF
from tests.cli.conftest import Cli, CountRows, assert_one_line_error, json_of, succeeded
from tests.cli.test_bad_input import new_request

UNDECODABLE = "Bu\udcffdi"  # what Python makes of the argv bytes b"Bu\xffdi" on Linux


@pytest.fixture
def tracking(cli: Cli, org: None) -> str:
    """A request waiting in A1's queue (its task is task 1 of this database)."""
    return str(json_of(cli(*new_request(), "--json"))["tracking_no"])


@pytest.mark.parametrize(
    ("args", "named"),
    [
        pytest.param(("task", "claim", "TRACKING", "--by", UNDECODABLE), "--by", id="by"),
        pytest.param(new_request(service=UNDECODABLE), "--service", id="service"),
        pytest.param(("task", "show", UNDECODABLE), "argument 3", id="ref"),
        pytest.param(("task", "list", f"--unit={UNDECODABLE}"), "--unit", id="unit"),
        pytest.param(new_request(subject=UNDECODABLE), "--subject", id="subject"),
    ],
)
def test_invalid_utf8_in_any_argument_exits_2(
    cli: Cli, tracking: str, count_rows: CountRows, args: tuple[str, ...], named: str
) -> None:
    before = count_rows()
    real = [tracking if arg == "TRACKING" else arg for arg in args]
    assert_one_line_error(cli(*real), 2, named, "not valid UTF-8", "\\udcff")
    assert count_rows() == before


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("task", "claim", "TRACKING", "--by", "p1\x00a"), id="by"),
        pytest.param(("task", "show", "TRACK\x00ING"), id="ref"),
        pytest.param(new_request(email="budi\x00@example.go.id"), id="email"),
        pytest.param(("task", "release", "TRACKING", "--by", "p1a", "--reason", "a\x00"), id="why"),
    ],
)
def test_a_nul_in_any_argument_exits_2(
    cli: Cli, tracking: str, count_rows: CountRows, args: tuple[str, ...]
) -> None:
    before = count_rows()
    real = [arg.replace("TRACKING", tracking) for arg in args]
    assert_one_line_error(cli(*real), 2, "NUL")
    assert count_rows() == before


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        pytest.param(("show", "99999999999999999999"), 4, "no task 9999", id="show-huge-id"),
        pytest.param(("claim", "2147483648", "--by", "p1a"), 4, "no task", id="claim-int4+1"),
        pytest.param(("show", "²"), 4, "'²'", id="superscript-two"),
        pytest.param(("show", "١"), 4, "'١'", id="arabic-indic-one-is-not-task-1"),
        pytest.param(("claim", "١", "--by", "p1a"), 4, "'١'", id="claim-arabic-indic-one"),
        pytest.param(("show", "9" * (MAX_REF + 1)), 2, f"{MAX_REF} characters", id="long-ref"),
        pytest.param(("show", "  "), 2, "empty", id="blank-ref"),
    ],
)
def test_refs_that_cannot_name_a_task(
    cli: Cli,
    tracking: str,
    count_rows: CountRows,
    args: tuple[str, ...],
    code: int,
    fragment: str,
) -> None:
    assert json_of(cli("task", "show", "1", "--json"))["tracking_no"] == tracking  # task 1 exists
    before = count_rows()
    assert_one_line_error(cli("task", *args), code, fragment)
    assert count_rows() == before


def test_a_dispatch_note_is_capped(cli: Cli, tracking: str, count_rows: CountRows) -> None:
    succeeded(cli("task", "claim", tracking, "--by", "p1a"))
    before = count_rows()
    args = ("task", "dispatch", tracking, "--to", "A2X", "--by", "p1a", "--note")
    line = assert_one_line_error(cli(*args, "n" * 100_000), 2, "note", f"at most {MAX_DETAILS}")
    assert len(line) < 200
    assert count_rows() == before
    succeeded(cli(*args, "n" * MAX_DETAILS))  # the cap itself is allowed


def test_a_message_is_capped_at_max_message_and_says_so(
    cli: Cli, tracking: str, count_rows: CountRows
) -> None:
    before = count_rows("message")
    args = ("task", "message", tracking, "--by", "p1a", "--text")
    assert_one_line_error(cli(*args, "m" * (MAX_MESSAGE + 1)), 2, f"at most {MAX_MESSAGE}")
    assert count_rows("message") == before
    succeeded(cli(*args, "m" * MAX_MESSAGE))
    assert count_rows("message")["message"] == before["message"] + 1


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param({"nik": "٣" * 16}, "NIK", id="arabic-indic-nik"),
        pytest.param({"nik": "１" * 16}, "NIK", id="fullwidth-nik"),
        pytest.param({"phone": "٠٨١٢٣٤٥٦٧٨٩٠"}, "phone", id="arabic-indic-phone"),
        pytest.param({"phone": "0812 3456 7890" + " " * 40}, "at most 32", id="long-phone"),
        pytest.param({"email": "budi\x1b[2J@example.go.id"}, "email", id="escape-in-email"),
        pytest.param({"email": "b" * 300 + "@example.go.id"}, "at most 254", id="long-email"),
    ],
)
def test_digits_and_contacts_are_ascii_and_bounded(
    cli: Cli, org: None, count_rows: CountRows, changes: dict[str, str], fragment: str
) -> None:
    before = count_rows()
    line = assert_one_line_error(cli(*new_request(**changes)), 2, fragment)
    assert "\x1b" not in line and len(line) < 200
    assert count_rows() == before


@pytest.mark.parametrize("args", [("alerts", "status"), ("task", "list")])
def test_a_closed_stdout_ends_quietly(
    cli_env: dict[str, str], tracking: str, args: tuple[str, ...]
) -> None:
    """`ptsa alerts status | head -0`: the reader is gone before the first line is written."""
    command = [sys.executable, "-c", "from ptsa_tui.cli.main import run; run()"]
    process = subprocess.Popen(
        [*command, *args],
        env={**cli_env, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the interpreter has started
    with process.stderr:
        stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert code in (0, 141), (code, stderr)
    assert stderr == ""
