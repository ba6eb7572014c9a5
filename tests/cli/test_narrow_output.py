"""What `ptsa` prints into a pipe and at 80 columns, from a real process."""

import subprocess
import sys

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
