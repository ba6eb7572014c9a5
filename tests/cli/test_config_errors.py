"""A configuration mistake stops every command at once: exit 2, one line, nothing written."""

from pathlib import Path

import pytest

from tests.cli.conftest import Cli, CountRows, assert_one_line_error


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"PTSA_OFFICE__SLA_KLOCK": "wall"}, "did you mean office.sla_clock?"),
        ({"PTSA_SLA__CLAIM": '{"P1": -60}'}, "must be at least 1s"),
        ({"PTSA_SLA__CLAIM": '{"P1": "999999999d"}'}, "must be at most 366d"),
        ({"PTSA_OFFICE__HOURS": "{}"}, "no office hours"),
        ({"PTSA_ALERTS__RETRY_MAX": "0s"}, "retry_max"),
        ({"PTSA_DATABASE_URL": "mysql://root@db/ptsa"}, "not a PostgreSQL URL"),
        ({"PTSA_OFFICE__SLA_CLOCK": "w" * 1_000_000}, "w…"),
    ],
)
def test_a_bad_setting_is_exit_2_in_one_line(
    cli: Cli, org: None, count_rows: CountRows, env: dict[str, str], fragment: str
) -> None:
    before = count_rows()
    result = cli(
        "request", "new", "--service", "SVC-A", "--customer", "Budi", "--subject", "Izin",
        "--by", "p0", env=env,
    )  # fmt: skip
    line = assert_one_line_error(result, 2, fragment)
    assert len(line) < 300
    assert count_rows() == before


def test_an_unknown_key_in_the_file_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[office]\nsla_klock = "wall"\n', encoding="utf-8")
    result = cli("task", "list", env={"PTSA_CONFIG": str(config)})
    assert_one_line_error(
        result, 2, "office.sla_klock: unknown key; did you mean office.sla_clock?"
    )


def test_a_file_with_a_byte_order_mark_works(cli: Cli, org: None, tmp_path: Path) -> None:
    config = tmp_path / "bom.toml"
    config.write_bytes(b'\xef\xbb\xbf[office]\nsla_clock = "wall"\n')
    result = cli("task", "list", env={"PTSA_CONFIG": str(config)})
    assert result.exit_code == 0, result.stderr
