"""What `ptsa` prints into a pipe and at 80 columns, from a real process."""

import subprocess
import sys
from typing import Any

from tests.cli.conftest import Cli, json_of

PTSA = [sys.executable, "-c", "from ptsa_tui.cli.main import run; run()"]
LONG_NAME = "Koperasi Tenaga Kerja Indonesia Sejahtera Bersama"


def piped(
    cli_env: dict[str, str], *args: str, columns: int = 80
) -> subprocess.CompletedProcess[str]:
    """`ptsa ARGS | cat` at a known width: stdout a pipe, no terminal anywhere."""
    env = {**cli_env, "PATH": "/usr/bin:/bin", "COLUMNS": str(columns)}
    return subprocess.run(
        [*PTSA, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_message_into_a_pipe_stays_on_one_line(cli_env: dict[str, str], org: None) -> None:
    done = piped(
        cli_env,
        "request", "new", "--service", "SVC-A", "--customer", LONG_NAME,
        "--subject", "Informasi pasar kerja", "--by", "p0",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    assert len(lines[0]) > 80 and LONG_NAME in lines[0] and "claim by" in lines[0]


def test_an_error_into_a_pipe_stays_on_one_line(cli_env: dict[str, str], org: None) -> None:
    nobody = "nobody-" + "x" * 70
    failed = piped(cli_env, "task", "claim", "1", "--by", nobody)
    assert failed.returncode == 4, failed.stderr
    assert failed.stdout == ""
    assert failed.stderr == f"ptsa: no officer '{nobody}'\n"


def table(stdout: str) -> list[dict[str, str]]:
    """The rows of the one Rich table in `stdout`, by heading; a wrapped cell's lines joined."""
    lines = stdout.splitlines()
    headings = [cell.strip() for cell in next(x for x in lines if x.startswith("┃")).split("┃")]
    rows: list[dict[str, str]] = []
    for line in lines:
        if not line.startswith("│"):
            continue
        cells = dict(zip(headings, (cell.strip() for cell in line.split("│")), strict=True))
        del cells[""]
        if cells["tracking no"]:
            rows.append(cells)
        else:  # the next line of a row whose cells wrap
            for heading, cell in cells.items():
                rows[-1][heading] = f"{rows[-1][heading]} {cell}".strip()
    return rows


def short(moment: str | None) -> str:
    """An ISO instant from --json as the table shows it."""
    return f"{moment[:10]} {moment[11:16]}" if moment else "-"


def register(cli: Cli, customer: str) -> dict[str, Any]:
    return json_of(
        cli(
            "request", "new", "--service", "SVC-A", "--customer", customer,
            "--subject", "Informasi pasar kerja", "--by", "p0", "--json",
        )
    )  # fmt: skip


def test_task_list_at_80_columns_keeps_tracking_numbers_and_dates_whole(
    cli: Cli, cli_env: dict[str, str], org: None
) -> None:
    for customer in (LONG_NAME, "Budi Santoso", "Siti Rahayu"):
        register(cli, customer)
    json_of(cli("task", "claim", "PTSA-2026-000002", "--by", "p1a", "--json"))
    tasks = {t["tracking_no"]: t for t in json_of(cli("task", "list", "--json"))["tasks"]}

    listed = piped(cli_env, "task", "list", columns=80)
    assert listed.returncode == 0, listed.stderr
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80, listed.stdout
    rows = table(listed.stdout)
    assert {row["tracking no"] for row in rows} == set(tasks) >= {"PTSA-2026-000001"}
    for row in rows:
        task = tasks[row["tracking no"]]
        assert row["customer"] == task["customer"]  # wrapped, never cut
        assert row["claim due"] == short(task["claim_due_at"])
        assert row["claimed by"] == (task["claimed_by"] or "-")
        assert row["unit"] == task["unit"]
    assert "not shown at 80 columns: task, pos, service, SOP due" in listed.stdout

    wide = table(piped(cli_env, "task", "list", columns=200).stdout)
    assert [row["SOP due"] for row in wide] == [
        short(tasks[r["tracking no"]]["sop_due_at"]) for r in wide
    ]
    assert list(wide[0]) == [
        "task", "tracking no", "unit", "pos", "service", "customer", "claim due", "claimed by",
        "SOP due",
    ]  # fmt: skip


def test_done_tasks_show_their_outcome(cli: Cli, cli_env: dict[str, str], org: None) -> None:
    first = register(cli, LONG_NAME)["tracking_no"]
    second = register(cli, "Budi Santoso")["tracking_no"]
    for args in (
        ("claim", first, "--by", "p1a"),
        ("dispatch", first, "--to", "A2X", "--by", "p1a"),
        ("claim", first, "--by", "p2ax"),
        ("resolve", first, "--by", "p2ax", "--answer", "Data terlampir"),
        ("claim", second, "--by", "p1a"),
        ("release", second, "--by", "p1a", "--reason", "cuti"),
    ):
        done = cli("task", *args)
        assert done.exit_code == 0, done.output
    outcomes = [
        (t["tracking_no"], t["outcome"], short(t["closed_at"]))
        for t in json_of(cli("task", "list", "--state", "done", "--json"))["tasks"]
    ]
    assert sorted(outcome for _, outcome, _ in outcomes) == ["dispatched", "released", "resolved"]

    for columns in (80, 200):
        listed = piped(cli_env, "task", "list", "--state", "done", columns=columns)
        assert listed.returncode == 0, listed.stderr
        assert max(len(line) for line in listed.stdout.splitlines()) <= columns
        rows = table(listed.stdout)
        assert [(r["tracking no"], r["outcome"], r["closed"]) for r in rows] == outcomes
