"""Failures around the workflow: the database, the configuration, passwords, org files."""

import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
import time_machine
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from ptsa_tui.store.errors import DatabaseUnavailable
from tests.cli.conftest import Cli, CountRows, assert_one_line_error, json_of, succeeded
from tests.conftest import MONDAY_10

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/x"
REGISTER = (
    "request", "new", "--service", "SVC-A", "--customer", "Budi", "--subject", "x", "--by", "p0",
    "--json",
)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [("task", "list"), REGISTER, ("db", "upgrade"), ("task", "show", "1")],
    ids=["list", "register", "upgrade", "show"],
)
def test_unreachable_database_is_one_line_exit_1(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args, env={"PTSA_DATABASE_URL": UNREACHABLE})
    assert_one_line_error(result, 1, "database unreachable", "127.0.0.1")


def test_unreachable_database_message_hides_the_password(cli: Cli) -> None:
    url = "postgresql://nobody:hunter2-secret@127.0.0.1:1/x"
    line = assert_one_line_error(cli("task", "list", env={"PTSA_DATABASE_URL": url}), 1)
    assert "hunter2-secret" not in line
    assert "nobody" in line


def test_debug_lets_the_exception_through(cli: Cli) -> None:
    result = cli("--debug", "task", "list", env={"PTSA_DATABASE_URL": UNREACHABLE})
    assert result.exit_code == 1
    assert isinstance(result.exception, DatabaseUnavailable)
    assert result.exc_info is not None
    assert "Traceback" in "".join(traceback.format_exception(*result.exc_info))
    assert "ptsa: " not in result.stderr


def run_ptsa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`ptsa` as a real process, through the console script's entry point."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env |= {"PTSA_DATABASE_URL": UNREACHABLE, "PTSA_HOME": str(cwd)}
    command = [sys.executable, "-c", "from ptsa_tui.cli.main import run; run()", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_a_real_process_prints_one_line_or_with_debug_a_traceback(tmp_path: Path) -> None:
    plain = run_ptsa("task", "list", cwd=tmp_path)
    assert plain.returncode == 1
    assert plain.stderr.startswith("ptsa: database unreachable")
    assert len(plain.stderr.splitlines()) == 1
    debug = run_ptsa("--debug", "task", "list", cwd=tmp_path)
    assert debug.returncode == 1
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert "DatabaseUnavailable: database unreachable" in debug.stderr


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("PTSA_SLA__WARN_BEFORE", "soon", "sla.warn_before"),
        ("PTSA_SLA__CLAIM__P1", "99999999999d", "sla.claim.P1"),
        ("PTSA_SMTP__PORT", "99999", "smtp.port"),
        ("PTSA_SMTP__SECURITY", "tls", "smtp.security"),
        ("PTSA_OFFICE__TIMEZONE", "Mars/Base", "office.timezone"),
        ("PTSA_OFFICE__HOURS__MON", "9-5", "office.hours"),
        ("PTSA_OFFICE__SLA_CLOCK", "sometimes", "office.sla_clock"),
        ("PTSA_OFFICE__HOLIDAYS", "XX", "office.holidays"),
        ("PTSA_LANG", "fr", "lang"),
    ],
)
def test_bad_setting_is_exit_2_naming_key_and_value(
    cli: Cli, org: None, count_rows: CountRows, variable: str, value: str, key: str
) -> None:
    before = count_rows()
    assert_one_line_error(cli(*REGISTER, env={variable: value}), 2, key, value)
    assert count_rows() == before


def test_missing_config_file_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ptsa.toml"
    assert_one_line_error(cli("task", "list", env={"PTSA_CONFIG": str(missing)}), 2, str(missing))


def test_config_file_with_bad_toml_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[sla\nclaim = 1\n", encoding="utf-8")
    assert_one_line_error(cli("task", "list", env={"PTSA_CONFIG": str(path)}), 2, str(path))


@pytest.mark.parametrize("where", ["PTSA_CONFIG", "./ptsa.toml", "environment"])
def test_configured_claim_sla_sets_the_claim_deadline(
    cli: Cli, org: None, tmp_path: Path, where: str
) -> None:
    env: dict[str, str | None] = {}
    toml = '[sla]\nclaim = { P1 = "45m" }\n'
    if where == "PTSA_CONFIG":
        (tmp_path / "etc").mkdir()
        (tmp_path / "etc" / "office.toml").write_text(toml, encoding="utf-8")
        env["PTSA_CONFIG"] = str(tmp_path / "etc" / "office.toml")
    elif where == "environment":
        env["PTSA_SLA__CLAIM__P1"] = "45m"
    with time_machine.travel(MONDAY_10, tick=False):
        default = json_of(cli(*REGISTER))
        if where == "./ptsa.toml":
            (tmp_path / "ptsa.toml").write_text(toml, encoding="utf-8")  # every run's cwd
        configured = json_of(cli(*REGISTER, env=env))
    assert default["claim_due_at"] == "2026-11-23T10:30:00+07:00"
    assert configured["claim_due_at"] == "2026-11-23T10:45:00+07:00"


def password_hash(engine: Engine, username: str) -> str | None:
    with engine.connect() as connection:
        stored = connection.scalar(
            text("SELECT password_hash FROM officer WHERE username = :u"), {"u": username}
        )
    assert stored is None or isinstance(stored, str)
    return stored


def test_officer_passwd_stores_only_an_argon2_hash(cli: Cli, org: None, engine: Engine) -> None:
    assert password_hash(engine, "p0") is None
    result = cli("officer", "passwd", "p0", "--by", "spv0", input="secret123\nsecret123\n")
    assert result.exit_code == 0, result.output
    assert "password set for p0" in result.stdout
    assert "secret123" not in result.output
    stored = password_hash(engine, "p0")
    assert stored is not None
    assert stored.startswith("$argon2")
    assert "secret123" not in stored
    assert PasswordHasher().verify(stored, "secret123")
    with engine.connect() as connection:
        dumped = connection.scalar(text("SELECT string_agg(details::text, ' ') FROM event"))
        officer_row = connection.scalar(text("SELECT string_agg(officer::text, ' ') FROM officer"))
    assert "secret123" not in (dumped or "")
    assert "secret123" not in (officer_row or "")
    assert password_hash(engine, "p0b") is None  # nobody else's


def test_officer_passwd_refuses_a_short_password(cli: Cli, org: None, engine: Engine) -> None:
    result = cli("officer", "passwd", "p0", "--by", "spv0", input="short\nshort\n")
    assert_one_line_error(result, 2, "at least 8", prompted=True)
    assert "short" not in result.stderr
    assert password_hash(engine, "p0") is None


def test_officer_passwd_for_an_unknown_officer(cli: Cli, org: None) -> None:
    result = cli("officer", "passwd", "ghost", "--by", "spv0", input="secret123\nsecret123\n")
    assert_one_line_error(result, 4, "ghost", prompted=True)


ORG_FILE = """\
[[units]]
code = "FO"
name = "Front Office PTSA"
tier = 0

[[units]]
code = "BARENBANG"
name = "Badan Perencanaan dan Pengembangan Ketenagakerjaan"
tier = 1

[[units]]
code = "PUSDATIN"
name = "Pusat Data dan Informasi Ketenagakerjaan"
tier = 2
parent = "{parent}"
claim_sla = "45m"

[[officers]]
username = "rina"
name = "Rina Wulandari"
unit = "FO"
email = "rina@example.go.id"
phone = "081234567890"
password = "first-password"

[[services]]
code = "DATA-INFO"
name = "Layanan data dan informasi ketenagakerjaan"
unit = "PUSDATIN"
sop_days = 3
"""
ORG = ("unit", "officer", "service")


def test_org_import_with_an_unknown_parent_writes_nothing(
    cli: Cli, tmp_path: Path, count_rows: CountRows
) -> None:
    path = tmp_path / "org.toml"
    path.write_text(ORG_FILE.format(parent="NOPE"), encoding="utf-8")
    before = count_rows(*ORG, "event")
    assert_one_line_error(cli("org", "import", str(path)), 2, "PUSDATIN", "NOPE")
    assert count_rows(*ORG, "event") == before


def test_org_import_of_a_missing_file(cli: Cli, tmp_path: Path) -> None:
    assert_one_line_error(cli("org", "import", str(tmp_path / "none.toml")), 2, "none.toml")


def test_org_import_twice_is_idempotent(
    cli: Cli, tmp_path: Path, engine: Engine, count_rows: CountRows
) -> None:
    path = tmp_path / "org.toml"
    path.write_text(ORG_FILE.format(parent="BARENBANG"), encoding="utf-8")
    before = count_rows(*ORG, "event")
    out = succeeded(cli("org", "import", str(path)))
    assert "imported 3 units, 1 officers, 1 services" in out
    once = count_rows(*ORG, "event")
    assert once == {
        "unit": before["unit"] + 3,
        "officer": before["officer"] + 1,
        "service": before["service"] + 1,
        "event": before["event"] + 1,
    }
    first_hash = password_hash(engine, "rina")
    assert first_hash is not None and first_hash.startswith("$argon2")
    assert PasswordHasher().verify(first_hash, "first-password")

    path.write_text(
        ORG_FILE.format(parent="BARENBANG").replace("Rina Wulandari", "Rina W."), encoding="utf-8"
    )
    succeeded(cli("org", "import", str(path)))
    twice = count_rows(*ORG, "event")
    assert {t: twice[t] for t in ORG} == {t: once[t] for t in ORG}
    assert twice["event"] == once["event"] + 1  # each import is audited
    assert password_hash(engine, "rina") == first_hash  # an initial password only
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT full_name, phone FROM officer WHERE username = 'rina'")
        ).one()
        sla = connection.scalar(text("SELECT claim_sla FROM unit WHERE code = 'PUSDATIN'"))
    assert tuple(row) == ("Rina W.", "+6281234567890")
    assert sla is not None and sla.total_seconds() == 45 * 60


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("task", "claim"), "Missing argument 'REF'"),
        (("task", "claim", "1", "--bogus"), "No such option: --bogus"),
        (("nosuch",), "No such command 'nosuch'"),
    ],
    ids=["missing-argument", "unknown-option", "unknown-command"],
)
def test_usage_errors_are_one_line_exit_2(cli: Cli, args: tuple[str, ...], says: str) -> None:
    line = assert_one_line_error(cli(*args), 2, says)
    assert "--help" in line
