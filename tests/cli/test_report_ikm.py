"""`ptsa report ikm`: JSON, CSV and the table over tests/store/test_ikm.py's responses (its
figures are worked out by hand there), the unit scope and the errors."""

import csv
import io
from typing import Any

import pytest
import time_machine

from ptsa_tui.store.workflow import Workflow
from tests.cli.conftest import Cli, assert_one_line_error, json_of, succeeded
from tests.store.helpers import wib
from tests.store.test_ikm import rate_four

PERIOD = ("--from", "2026-11-01", "--to", "2026-11-30")


@pytest.fixture
def rated(org: None, workflow: Workflow) -> dict[str, str]:
    return rate_four(workflow)


def run(cli: Cli, *args: str) -> Any:
    with time_machine.travel(wib(30, 12), tick=False):
        return cli("report", "ikm", *args)


def test_json_per_unit_and_office(cli: Cli, rated: dict[str, str]) -> None:
    payload = json_of(run(cli, *PERIOD, "--format", "json"))
    assert (payload["from"], payload["to"]) == ("2026-11-01", "2026-11-30")
    assert len(payload["elements"]) == 9
    units = {row["unit"]: row for row in payload["units"]}
    assert list(units) == ["A2X", "A2Y", "B2X"]
    assert units["A2X"] == {
        "unit": "A2X",
        "name": "Directorate A-X",
        "responses": 2,
        "nrr": [3.5] * 8 + [3.0],
        "ikm": 86.11,
        "grade": "B",
    }
    assert units["A2Y"]["responses"] == 0 and units["A2Y"]["ikm"] is None
    assert (payload["office"]["responses"], payload["office"]["ikm"]) == (4, 78.47)
    assert payload["office"]["grade"] == "B"


def test_csv_one_row_per_unit_then_the_office(cli: Cli, rated: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(succeeded(run(cli, *PERIOD, "--format", "csv")))))
    assert rows[0] == ["unit", "responses", *(f"nrr_u{i}" for i in range(1, 10)), "ikm", "grade"]
    assert rows[1] == ["A2X", "2", *["3.5000"] * 8, "3.0000", "86.11", "B"]
    assert rows[2] == ["A2Y", "0", *[""] * 9, "", ""]
    assert rows[-1][0] == "office" and rows[-1][-2:] == ["78.47", "B"]


def test_table_shows_the_grades_and_the_formula(cli: Cli, rated: dict[str, str]) -> None:
    text = succeeded(run(cli, *PERIOD))
    assert "86.11" in text and "78.47" in text and "50.00" in text
    assert "sum(NRR x 1/9) x 25" in " ".join(text.split())


def test_an_echelon_1_unit_brings_its_echelon_2_units(cli: Cli, rated: dict[str, str]) -> None:
    payload = json_of(run(cli, *PERIOD, "--unit", "A1", "--format", "json"))
    assert [row["unit"] for row in payload["units"]] == ["A2X", "A2Y"]
    assert payload["office"]["responses"] == 4  # the office stays whole


def test_default_period_is_the_last_30_days(
    cli: Cli, workflow: Workflow, rated: dict[str, str]
) -> None:
    payload = json_of(run(cli, "--format", "json"))
    assert (payload["from"], payload["to"]) == ("2026-11-01", "2026-11-30")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("--unit", "NOPE"), 4, "no unit 'NOPE'"),
        (("--from", "30-11-2026"), 2, "is not a date"),
        (("--from", "2026-11-30", "--to", "2026-11-01"), 2, "is after --to"),
    ],
)
def test_errors(cli: Cli, org: None, args: tuple[str, ...], code: int, fragment: str) -> None:
    assert_one_line_error(run(cli, *args), code, fragment)
