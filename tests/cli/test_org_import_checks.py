"""`ptsa org import`: a file that is wrong anywhere is refused whole (exit 2), a tier change
that would strand what depends on the unit is a conflict (exit 3), and either way nothing is
written. An officer imported as inactive gives their claims back, with fresh claim clocks."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.store.workflow import Workflow
from tests.cli.conftest import Cli, CountRows, assert_one_line_error, succeeded
from tests.conftest import MONDAY_10
from tests.org_fixture import SMALL_ORG
from tests.store.helpers import register

pytestmark = pytest.mark.usefixtures("org")

TABLES = ("unit", "officer", "service", "task", "event")


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)  # a JSON string with \u escapes is a TOML basic string


def org_file(tmp_path: Path, org: dict[str, Any]) -> Path:
    """The organisation as a TOML file, every section an array of tables."""
    lines = []
    for section, items in org.items():
        for item in items:
            lines.append(f"[[{section}]]")
            lines += [f"{k} = {toml_value(v)}" for k, v in item.items() if v is not None]
    path = tmp_path / "org.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_org() -> dict[str, Any]:
    return copy.deepcopy(SMALL_ORG)


def officer(org: dict[str, Any], username: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in org["officers"] if o["username"] == username)
    return found


def unit(org: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(u for u in org["units"] if u["code"] == code)
    return found


def refused(cli: Cli, count_rows: CountRows, path: Path, code: int, *fragments: str) -> str:
    before = count_rows(*TABLES)
    line = assert_one_line_error(cli("org", "import", str(path)), code, *fragments)
    assert count_rows(*TABLES) == before
    return line


def test_the_small_org_imports_again(cli: Cli, tmp_path: Path) -> None:
    out = succeeded(cli("org", "import", str(org_file(tmp_path, small_org()))))
    assert "imported 6 units, 15 officers, 3 services" in out


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [("units", "code", "A1"), ("officers", "username", "p0"), ("services", "code", "SVC-A")],
)
def test_a_duplicate_in_one_file_is_refused(
    cli: Cli, count_rows: CountRows, tmp_path: Path, section: str, key: str, value: str
) -> None:
    org = small_org()
    twin = copy.deepcopy(next(item for item in org[section] if item[key] == value))
    twin["name"] = "The second one, which used to win silently"
    org[section].append(twin)
    refused(cli, count_rows, org_file(tmp_path, org), 2, section, repr(value), "more than once")


def test_an_initial_password_needs_eight_characters(
    cli: Cli, count_rows: CountRows, tmp_path: Path
) -> None:
    org = small_org()
    officer(org, "p0b")["password"] = "abcd"  # 4 characters used to do
    line = refused(cli, count_rows, org_file(tmp_path, org), 2, "password", "8 characters")
    assert "abcd" not in line


@pytest.mark.parametrize(
    ("username", "field", "value"),
    [
        ("p0", "email", "p0\x00@test.go.id"),
        ("p0", "name", "Mallory \x1b[31mRED\x1b]52;c;SGFja2Vk\x07"),
        ("p0", "name", "Evil \u202egnp.exe"),
        ("p0", "phone", "+62812\x0012345"),
    ],
    ids=["nul-email", "escape-name", "bidi-name", "nul-phone"],
)
def test_a_control_character_in_any_field_is_refused(
    cli: Cli, count_rows: CountRows, tmp_path: Path, username: str, field: str, value: str
) -> None:
    org = small_org()
    officer(org, username)[field] = value
    line = refused(cli, count_rows, org_file(tmp_path, org), 2, f".{field}", "control character")
    assert "\x1b" not in line and "\x00" not in line and "\u202e" not in line


def test_a_control_character_in_a_unit_name_is_refused(
    cli: Cli, count_rows: CountRows, tmp_path: Path
) -> None:
    org = small_org()
    unit(org, "A2X")["name"] = "Directorate\tX"
    refused(cli, count_rows, org_file(tmp_path, org), 2, "units.3.name", "U+0009")


@pytest.mark.parametrize(
    ("section", "index", "field", "length"),
    [("units", 0, "name", 201), ("units", 0, "code", 41), ("officers", 0, "username", 41)],
)
def test_an_over_long_field_is_refused(
    cli: Cli,
    count_rows: CountRows,
    tmp_path: Path,
    section: str,
    index: int,
    field: str,
    length: int,
) -> None:
    org = small_org()
    org[section][index][field] = ("A" if field == "code" else "a") * length
    refused(cli, count_rows, org_file(tmp_path, org), 2, f"{section}.{index}.{field}", "at most")


def test_invalid_utf8_is_refused_naming_the_line(
    cli: Cli, count_rows: CountRows, tmp_path: Path
) -> None:
    path = org_file(tmp_path, small_org())
    data = path.read_bytes().replace(b"Front Office", b"Front \xff\xfe Office", 1)
    path.write_bytes(data)
    refused(cli, count_rows, path, 2, "not valid UTF-8", "0xff", "line ")


def test_a_bom_is_accepted(cli: Cli, tmp_path: Path) -> None:
    path = org_file(tmp_path, small_org())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    succeeded(cli("org", "import", str(path)))


def test_a_tier_change_under_services_is_refused(
    cli: Cli, count_rows: CountRows, tmp_path: Path
) -> None:
    org = small_org()
    unit(org, "B2X").update(tier=1, parent=None)  # it owns SVC-B and has officers
    line = refused(cli, count_rows, org_file(tmp_path, org), 3, "unit B2X", "tier 2 -> 1")
    assert "services SVC-B" in line and "officers p2bx, spv2bx" in line


def test_a_tier_change_under_child_units_is_refused(
    cli: Cli, count_rows: CountRows, tmp_path: Path
) -> None:
    org = small_org()
    unit(org, "A1")["tier"] = 0  # A2X and A2Y would hang under a front office
    line = refused(cli, count_rows, org_file(tmp_path, org), 3, "unit A1", "tier 1 -> 0")
    assert "child units A2X, A2Y" in line


def test_a_tier_change_is_refused_while_a_task_is_open_there(
    cli: Cli, count_rows: CountRows, tmp_path: Path, workflow: Workflow
) -> None:
    registered = register(workflow)  # a task open at A1
    org: dict[str, Any] = {
        "units": [{"code": "A1", "name": "Echelon-1 A", "tier": 0}],
        "officers": [
            {"username": u, "name": f"Officer {u}", "unit": "FO"}
            for u in ("p1a", "p1a2", "spv1a", "gone")
        ],
        "services": [],
    }
    for child in ("A2X", "A2Y"):
        org["units"].append({"code": child, "name": child, "tier": 2, "parent": "B1"})
    line = refused(cli, count_rows, org_file(tmp_path, org), 3, "unit A1", "open tasks")
    assert str(registered.task.id) in line and "officers" not in line


def test_a_tier_change_with_nothing_left_depending_goes_through(
    cli: Cli, tmp_path: Path, engine: Engine
) -> None:
    org: dict[str, Any] = {
        "units": [{"code": "B2X", "name": "Now an echelon-1 unit", "tier": 1}],
        "officers": [
            {"username": u, "name": f"Officer {u}", "unit": "A2X"} for u in ("p2bx", "spv2bx")
        ],
        "services": [{"code": "SVC-B", "name": "Service of B-X", "unit": "A2X", "sop_days": 5}],
    }
    succeeded(cli("org", "import", str(org_file(tmp_path, org))))
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT tier FROM unit WHERE code = 'B2X'")) == 1


def test_an_officer_imported_inactive_gives_the_claims_back(
    cli: Cli, tmp_path: Path, engine: Engine, workflow: Workflow
) -> None:
    registered = register(workflow)
    task_id = registered.task.id or 0
    workflow.claim(task_id=task_id, by="p1a", now=MONDAY_10)
    org = small_org()
    officer(org, "p1a")["active"] = False
    succeeded(cli("org", "import", str(org_file(tmp_path, org))))
    with engine.connect() as conn:
        old = conn.execute(
            text("SELECT outcome, closed_at FROM task WHERE id = :id"), {"id": task_id}
        ).one()
        fresh = conn.execute(
            text(
                "SELECT id, claimed_by, offered_at, claim_due_at FROM task"
                " WHERE request_id = :r AND closed_at IS NULL"
            ),
            {"r": registered.request.id},
        ).one()
        event = conn.execute(
            text("SELECT officer_id, details FROM event WHERE kind = 'officer_deactivated'")
        ).one()
    assert old.outcome == "released" and old.closed_at is not None
    assert fresh.claimed_by is None and fresh.id != task_id
    assert fresh.offered_at > MONDAY_10  # a fresh clock, from the import, not the old offer
    assert fresh.claim_due_at > fresh.offered_at
    assert event.officer_id is None
    assert event.details == {"officer": "p1a", "via": "org import", "released": [task_id]}
