"""`ptsa report kpi`: the §5 contract in CSV and JSON, the table, the unit scope, the errors.

The history is tests/store/test_kpi.py's (its figures are worked out by hand there); the
command runs at that module's NOW, by time_machine, over its period.
"""

import csv
import io
import re
from typing import Any

import pytest
import time_machine

from ptsa_tui.cli.report_commands import percent, short_time
from ptsa_tui.store.workflow import Workflow
from tests.cli.conftest import Cli, assert_one_line_error, json_of, succeeded
from tests.store.test_kpi import NOW, _history

PERIOD = ("--from", "2026-12-16", "--to", "2026-12-31")
HEADER = [
    "unit",
    "tier",
    "parent",
    "received",
    "resolved",
    "claim_p50_s",
    "claim_p90_s",
    "claimed_within_sla",
    "resolved_within_sop",
    "backlog",
    "oldest_open_since",
]


@pytest.fixture
def history(org: None, workflow: Workflow) -> None:
    _history(workflow)


def run(cli: Cli, *args: str, env: dict[str, str | None] | None = None) -> Any:
    with time_machine.travel(NOW, tick=False):
        return cli("report", "kpi", *args, env=env)


def test_json_follows_the_contract(cli: Cli, history: None) -> None:
    payload = json_of(run(cli, *PERIOD, "--format", "json"))
    assert list(payload) == ["from", "to", "clock", "units"]
    assert (payload["from"], payload["to"], payload["clock"]) == (
        "2026-12-16",
        "2026-12-31",
        "office",
    )
    units = {row["unit"]: row for row in payload["units"]}
    assert list(units) == ["FO", "A1", "B1", "A2X", "A2Y", "B2X"]
    assert all(list(row) == HEADER for row in payload["units"])
    assert units["A1"] == {
        "unit": "A1",
        "tier": 1,
        "parent": None,
        "received": 4,
        "resolved": 0,
        "claim_p50_s": 1950.0,
        "claim_p90_s": 5934.0,
        "claimed_within_sla": 0.5,
        "resolved_within_sop": None,
        "backlog": 2,
        "oldest_open_since": "2026-12-15T10:00:00+07:00",
    }
    assert units["A2X"]["parent"] == "A1"
    assert units["A2X"]["resolved_within_sop"] == pytest.approx(2 / 3)
    assert units["B2X"]["claim_p50_s"] is None


def test_csv_header_and_rows_match_the_json(cli: Cli, history: None) -> None:
    text = succeeded(run(cli, *PERIOD, "--format", "csv"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    payload = json_of(run(cli, *PERIOD, "--format", "json"))
    assert len(rows) == 1 + len(payload["units"])
    for row, unit in zip(rows[1:], payload["units"], strict=True):
        for cell, key in zip(row, HEADER, strict=True):
            value = unit[key]
            if value is None:
                assert cell == "", (key, cell)
            elif isinstance(value, float):
                assert float(cell) == pytest.approx(value), key
            else:
                assert cell == str(value), key


def _table_rows(text: str) -> dict[str, list[str]]:
    """The table's data rows by unit code (cells split on runs of spaces)."""
    codes = {"FO", "A1", "B1", "A2X", "A2Y", "B2X"}
    rows = {}
    for line in text.splitlines():
        cells = re.split(r"\s{1,}", line.strip())
        if cells and cells[0] in codes:
            rows[cells[0]] = cells
    return rows


def test_table_matches_the_json_at_80_columns(cli: Cli, history: None) -> None:
    text = succeeded(run(cli, *PERIOD, env={"COLUMNS": "80"}))
    assert max(len(line) for line in text.splitlines()) <= 80
    rows = _table_rows(text)
    payload = json_of(run(cli, *PERIOD, "--format", "json"))
    assert set(rows) == {unit["unit"] for unit in payload["units"]}
    for unit in payload["units"]:
        oldest = unit["oldest_open_since"]
        shown = oldest[:10] + " " + oldest[11:16] if oldest else "-"
        expected = [
            unit["unit"],
            f"{unit['received']:,}",
            f"{unit['resolved']:,}",
            short_time(unit["claim_p50_s"]),
            short_time(unit["claim_p90_s"]),
            percent(unit["claimed_within_sla"]),
            percent(unit["resolved_within_sop"]),
            f"{unit['backlog']:,}",
            *shown.split(" "),
        ]
        assert rows[unit["unit"]] == expected
    # by hand: A1 p50 1950 s, p90 5934 s, half in SLA, 2 open since 15 Dec 10:00 WIB
    a1 = ["A1", "4", "0", "32m30s", "1h38m", "50%", "-", "2", "2026-12-15", "10:00"]
    assert rows["A1"] == a1


def test_a_long_unit_code_is_not_cut_at_80_columns(
    cli: Cli, history: None, workflow: Workflow
) -> None:
    with workflow.engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("UPDATE unit SET code = 'DIT-PRODUKTIVITAS-X' WHERE code = 'A2Y'"))
    text_out = succeeded(run(cli, *PERIOD, env={"COLUMNS": "80"}))
    assert max(len(line) for line in text_out.splitlines()) <= 80
    assert any(line.startswith("DIT-PRODUKTIVITAS-X ") for line in text_out.splitlines())


def test_a_large_range_off_a_terminal_shows_no_progress(cli: Cli, history: None) -> None:
    result = run(cli, "--from", "2026-01-01", "--to", "2026-12-31", env={"COLUMNS": "80"})
    assert result.stderr == ""  # the bar is for terminals only
    assert "A2X" in succeeded(result)


def test_an_echelon_1_unit_brings_its_echelon_2_units(cli: Cli, history: None) -> None:
    payload = json_of(run(cli, *PERIOD, "--unit", "A1", "--format", "json"))
    assert [row["unit"] for row in payload["units"]] == ["A1", "A2X", "A2Y"]
    alone = json_of(run(cli, *PERIOD, "--unit", "A2X", "--format", "json"))
    assert [row["unit"] for row in alone["units"]] == ["A2X"]
    assert alone["units"][0]["received"] == 3


def test_default_period_is_the_last_30_days(cli: Cli, history: None) -> None:
    payload = json_of(run(cli, "--format", "json"))
    # NOW is 4 Jan 2027 (WIB): 6 Dec 2026 .. 4 Jan 2027
    assert (payload["from"], payload["to"]) == ("2026-12-06", "2027-01-04")
    to_only = json_of(run(cli, "--to", "2026-12-31", "--format", "json"))
    assert (to_only["from"], to_only["to"]) == ("2026-12-02", "2026-12-31")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("--unit", "NOPE"), 4, "NOPE"),
        (("--from", "2026-13-01"), 2, "--from"),
        (("--to", "yesterday"), 2, "--to"),
        (("--from", "2026-12-31", "--to", "2026-12-01"), 2, "after"),
        (("--format", "xml"), 2, "xml"),
    ],
)
def test_errors(cli: Cli, org: None, args: tuple[str, ...], code: int, fragment: str) -> None:
    assert_one_line_error(run(cli, *args), code, fragment)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(None, "-"), (0.4, "0s"), (45, "45s"), (252, "4m12s"), (3900, "1h05m"), (183600, "2d03h")],
)
def test_short_time(seconds: float | None, shown: str) -> None:
    assert short_time(seconds) == shown
