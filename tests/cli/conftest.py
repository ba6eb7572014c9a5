"""The `ptsa` command run in-process against the test's own database.

`cli(*args, input=..., env=...)` returns click's Result (stdout and stderr apart);
`count_rows()` counts rows per table through the test's engine, to prove nothing was written.
"""

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner, Result

from ptsa_tui.cli.main import app

DATA_TABLES = ("request", "customer", "task", "event")

Env = Mapping[str, str | None]


class Cli(Protocol):
    def __call__(self, *args: str, input: str | None = None, env: Env | None = None) -> Result: ...


class CountRows(Protocol):
    def __call__(self, *tables: str) -> dict[str, int]: ...


@pytest.fixture
def cli_env(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The environment of every `ptsa` run: this test's database, no config file, wide output."""
    for key in list(os.environ):
        if key.startswith("PTSA_") and key != "PTSA_TEST_DATABASE_URL":
            monkeypatch.delenv(key)
    monkeypatch.delenv("PTSA_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray ./ptsa.toml is picked up
    yield {"PTSA_DATABASE_URL": db_url, "PTSA_HOME": str(tmp_path), "COLUMNS": "240"}


@pytest.fixture
def cli(cli_env: dict[str, str]) -> Cli:
    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: Env | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env={**cli_env, **(env or {})})

    return run


@pytest.fixture
def count_rows(engine: Engine) -> CountRows:
    def count(*tables: str) -> dict[str, int]:
        with engine.connect() as connection:
            return {
                table: int(connection.scalar(text(f'SELECT count(*) FROM "{table}"')) or 0)
                for table in tables or DATA_TABLES
            }

    return count


def assert_one_line_error(
    result: Result, code: int, *fragments: str, prompted: bool = False
) -> str:
    """The run failed with `code`, said so in exactly one `ptsa: ...` line, and nothing else.

    `prompted`: stdout holds the prompts of an interactive command, so it need not be empty.
    """
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("ptsa: "), line
    assert "Traceback" not in result.output
    assert prompted or result.stdout == ""
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def succeeded(result: Result) -> str:
    """The run exited 0 without a word on stderr; its stdout."""
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr == ""
    return result.stdout


def json_of(result: Result) -> dict[str, Any]:
    """The one JSON object a successful `--json` run printed."""
    payload = json.loads(succeeded(result))
    assert isinstance(payload, dict)
    return payload
