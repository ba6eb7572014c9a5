"""Settings: TOML at $PTSA_CONFIG (or ./ptsa.toml), overridden by PTSA_<SECTION>__<KEY>."""

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ptsa_tui.config import ConfigError, load_settings

SECRET = "hunter2-Very-Secret"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No PTSA_* variables from outside, and a working directory without ptsa.toml."""
    for key in list(os.environ):
        if key.startswith("PTSA_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def write_config(path: Path, body: str, monkeypatch: pytest.MonkeyPatch | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    if monkeypatch is not None:
        monkeypatch.setenv("PTSA_CONFIG", str(path))
    return path


OFFICE_TOML = """\
[office]
timezone = "Asia/Makassar"
hours = { mon = "08:00-15:00", tue = "08:00-15:00", sat = "08:00-12:00" }

[sla]
claim = { P0 = "10m", P1 = "1h30m", P2 = "PT2H" }
warn_before = "15m"

[smtp]
host = "relay.kemnaker.go.id"
port = 2525
password = "hunter2-Very-Secret"
"""


def test_defaults_without_file_or_environment() -> None:
    settings = load_settings()
    assert settings.office.timezone == "Asia/Jakarta"
    assert settings.office.hours["fri"] == "07:30-16:30"
    assert "sat" not in settings.office.hours
    assert settings.office.sla_clock == "office"
    assert settings.sla.claim == {p: timedelta(minutes=30) for p in ("P0", "P1", "P2")}
    assert settings.sla.warn_before == timedelta(minutes=5)
    assert settings.alerts.interval == timedelta(seconds=5)
    assert settings.smtp.port == 587
    assert settings.database_url is None


def test_toml_file_named_by_ptsa_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path / "etc" / "ptsa.toml", OFFICE_TOML, monkeypatch)
    settings = load_settings()
    assert settings.office.timezone == "Asia/Makassar"
    assert settings.office.hours == {
        "mon": "08:00-15:00",
        "tue": "08:00-15:00",
        "sat": "08:00-12:00",
    }
    assert settings.sla.claim == {
        "P0": timedelta(minutes=10),
        "P1": timedelta(minutes=90),
        "P2": timedelta(hours=2),
    }
    assert settings.sla.warn_before == timedelta(minutes=15)
    assert settings.sla.escalate_after == timedelta(minutes=30)  # not in the file: default
    assert settings.smtp.host == "relay.kemnaker.go.id"
    assert settings.smtp.port == 2525
    assert settings.smtp.password.get_secret_value() == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.smtp)


def test_ptsa_toml_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path / "ptsa.toml", '[sla]\nwarn_before = "7m"\n')
    assert load_settings().sla.warn_before == timedelta(minutes=7)
    # An explicit PTSA_CONFIG wins over ./ptsa.toml.
    write_config(tmp_path / "other.toml", '[sla]\nwarn_before = "9m"\n', monkeypatch)
    assert load_settings().sla.warn_before == timedelta(minutes=9)


def test_environment_overrides_the_file_key_by_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path / "ptsa.toml", OFFICE_TOML, monkeypatch)
    monkeypatch.setenv("PTSA_SLA__WARN_BEFORE", "1m")
    monkeypatch.setenv("PTSA_SMTP__PORT", "465")
    monkeypatch.setenv("PTSA_SMTP__SECURITY", "ssl")
    monkeypatch.setenv("PTSA_OFFICE__SLA_CLOCK", "wall")
    monkeypatch.setenv("PTSA_SLA__CLAIM__P1", "45m")  # variable names arrive lower-cased
    monkeypatch.setenv("PTSA_DATABASE_URL", "postgresql://ptsa@db/ptsa")
    monkeypatch.setenv("PTSA_LANG", "en")
    settings = load_settings()
    assert settings.sla.warn_before == timedelta(minutes=1)
    assert settings.smtp.port == 465
    assert settings.smtp.security == "ssl"
    assert settings.office.sla_clock == "wall"
    assert settings.sla.claim["P1"] == timedelta(minutes=45)
    assert settings.database_url == "postgresql://ptsa@db/ptsa"
    assert settings.lang == "en"
    # what the environment does not name still comes from the file
    assert settings.office.timezone == "Asia/Makassar"
    assert settings.smtp.host == "relay.kemnaker.go.id"
    assert settings.sla.claim["P0"] == timedelta(minutes=10)
    # and explicit overrides beat both
    assert load_settings(lang="id").lang == "id"


def test_missing_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no" / "such.toml"
    monkeypatch.setenv("PTSA_CONFIG", str(missing))
    with pytest.raises(ConfigError, match="PTSA_CONFIG") as caught:
        load_settings()
    assert str(missing) in str(caught.value)


def test_toml_syntax_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path / "bad.toml", "[sla\nwarn_before = 5m\n", monkeypatch)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert str(path) in message
    assert "line 1" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("PTSA_SLA__WARN_BEFORE", "soon", "sla.warn_before"),
        ("PTSA_SLA__ESCALATE_AFTER", "-5m", "sla.escalate_after"),
        ("PTSA_SLA__CLAIM__P1", "forever", "sla.claim.P1"),
        ("PTSA_ALERTS__INTERVAL", "99999999999d", "alerts.interval"),
        ("PTSA_SMTP__PORT", "99999", "smtp.port"),
        ("PTSA_SMTP__PORT", "smtp", "smtp.port"),
        ("PTSA_SMTP__SECURITY", "tls", "smtp.security"),
        ("PTSA_SMTP__TIMEOUT", "20", "smtp.timeout"),
        ("PTSA_SMS__BACKEND", "carrier-pigeon", "sms.backend"),
        ("PTSA_OFFICE__TIMEZONE", "Mars/Base", "office.timezone"),
        ("PTSA_OFFICE__HOURS__MON", "9-5", "office.hours"),
        ("PTSA_OFFICE__HOURS__MON", "16:00-07:30", "office.hours"),
        ("PTSA_OFFICE__HOURS__FUNDAY", "08:00-12:00", "office.hours"),
        ("PTSA_OFFICE__HOLIDAYS", "XX", "office.holidays"),
        ("PTSA_OFFICE__SLA_CLOCK", "sometimes", "office.sla_clock"),
        ("PTSA_LANG", "fr", "lang"),
    ],
)
def test_bad_value_is_one_line_naming_key_and_value(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"config {key}"), message
    assert value.lower() in message.lower()
    assert "\n" not in message


def test_bad_value_in_the_file_names_key_and_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path / "ptsa.toml", '[sla]\nclaim = { P1 = "half an hour" }\n', monkeypatch)
    with pytest.raises(ConfigError, match=r"^config sla\.claim\.P1 = 'half an hour': "):
        load_settings()


def test_claim_sla_for_an_unknown_position(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTSA_SLA__CLAIM__P9", "30m")
    with pytest.raises(ConfigError, match=r"^config sla\.claim\.P9.* = 'P9': .*'P1'"):
        load_settings()


@pytest.mark.parametrize(
    "toml",
    [
        "[smtp]\npassword = 123456789\n",
        '[smtp]\npassword = ["hunter2-Very-Secret"]\n',
        '[smtp]\npassword = { value = "hunter2-Very-Secret" }\n',
    ],
    ids=["number", "list", "table"],
)
def test_bad_password_is_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str) -> None:
    write_config(tmp_path / "ptsa.toml", toml, monkeypatch)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("config smtp.password = ***")
    assert SECRET not in message
    assert "123456789" not in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PTSA_SMTP__PORT", "not-a-port"),
        ("PTSA_SMTP__SECURITY", "tls"),
        ("PTSA_SMTP", '{"password": "hunter2-Very-Secret", "port": '),  # broken JSON
        ("PTSA_SMTP", '{"password": "hunter2-Very-Secret", "port": "x"}'),
    ],
)
def test_password_never_appears_in_another_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    write_config(tmp_path / "ptsa.toml", OFFICE_TOML, monkeypatch)
    monkeypatch.setenv("PTSA_SMTP__PASSWORD", SECRET)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("config")
    assert "config file" not in message  # the environment is at fault, not the TOML file
    assert "smtp" in message
    assert SECRET not in message
    assert "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_ack_hold_defaults_to_15m_and_is_never_negative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_settings().alerts.ack_hold == timedelta(minutes=15)
    monkeypatch.setenv("PTSA_ALERTS__ACK_HOLD", "0s")  # no hold at all is allowed
    assert load_settings().alerts.ack_hold == timedelta(0)
    monkeypatch.delenv("PTSA_ALERTS__ACK_HOLD")
    write_config(tmp_path / "ptsa.toml", "[alerts]\nack_hold = -900\n", monkeypatch)
    with pytest.raises(ConfigError, match=r"^config alerts\.ack_hold = -900: must not be negat"):
        load_settings()


# -- strictness: every mistake refused at load, in one short line ------------------------------


def test_an_unknown_key_names_the_nearest_valid_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path / "ptsa.toml", '[office]\nsla_klock = "wall"\n', monkeypatch)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == (
        "config office.sla_klock: unknown key; did you mean office.sla_clock?"
    )


def test_an_unknown_section_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path / "ptsa.toml", '[alert]\ninterval = "5s"\n', monkeypatch)
    with pytest.raises(ConfigError, match=r"^config alert: unknown key; did you mean alerts\?$"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PTSA_OFFICE__SLA_KLOCK", "wall", "config office.sla_klock: unknown key; did you mean"),
        ("PTSA_DATABSE_URL", "postgresql://x@/y", "'PTSA_DATABSE_URL': unknown setting; did you"),
        ("PTSA_SLA__CLAIM", '{"P1": -60}', "config sla.claim.P1 = -60: must be at least 1s"),
        ("PTSA_SLA__CLAIM", '{"P1": "999999999d"}', "must be at most 366d"),
        ("PTSA_SLA__ESCALATE_AFTER", "P99999999D", "must be at most 366d"),
        ("PTSA_OFFICE__HOURS", "{}", "no office hours"),
        ("PTSA_ALERTS__RETRY_MAX", "0s", "config alerts.retry_max = '0s': must be at least 1s"),
        ("PTSA_ALERTS__RETRY_AFTER", "0s", "must be at least 1s"),
        ("PTSA_ALERTS__INTERVAL", "2h", "must be at most 1h"),
        ("PTSA_DATABASE_URL", "mysql://root@db/ptsa", "not a PostgreSQL URL"),
        ("PTSA_DATABASE_URL", "postgresql://a@b/c?port=x=y", "malformed URL"),
        ("PTSA_DATABASE_OWNER_URL", "http://example", "not a PostgreSQL URL"),
    ],
)
def test_a_bad_value_is_refused_at_load(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_huge_bad_value_is_quoted_only_in_part(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTSA_OFFICE__SLA_CLOCK", "x" * 10_000_000)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    line = str(caught.value)
    assert line.startswith("config office.sla_clock = 'xxx") and "x…" in line
    assert len(line) < 200


def test_a_byte_order_mark_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ptsa.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'[office]\nsla_clock = "wall"\n')
    monkeypatch.setenv("PTSA_CONFIG", str(path))
    assert load_settings().office.sla_clock == "wall"


def test_a_file_that_is_not_utf8_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ptsa.toml"
    path.write_bytes(b'[office]\nsla_clock = "w\xe4ll"\n')
    monkeypatch.setenv("PTSA_CONFIG", str(path))
    with pytest.raises(ConfigError, match=r"not UTF-8 text \(byte 23\)$"):
        load_settings()


def test_notify_templates_come_from_the_file_and_default_to_indonesian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        tmp_path / "ptsa.toml",
        '[notify]\nsms_paused = "PTSA: {tracking_no} perlu {reason}"\n',
        monkeypatch,
    )
    notify = load_settings().notify
    assert notify.template("sms", "paused") == "PTSA: {tracking_no} perlu {reason}"
    assert "paling lambat {due}" in notify.template("sms", "registered")  # the default


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("NIK {nik}", "unknown placeholder {nik}"),
        ("{}", "unknown placeholder {}"),
        ("tanda { saja", "malformed template"),
    ],
)
def test_a_template_with_an_unknown_placeholder_is_refused_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, said: str
) -> None:
    write_config(tmp_path / "ptsa.toml", f'[notify]\nemail_ready = "{template}"\n', monkeypatch)
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert "notify.email_ready" in str(refused.value)
    assert said in str(refused.value)


def test_an_unknown_notify_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path / "ptsa.toml", '[notify]\nsms_openned = "x"\n', monkeypatch)
    with pytest.raises(ConfigError, match="unknown key"):
        load_settings()
