"""Settings: TOML at $PTSA_CONFIG (or ./ptsa.toml), overridden by PTSA_<SECTION>__<KEY> variables."""

import os
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from ptsa_tui.durations import parse_duration
from ptsa_tui.error_text import first_line, first_problem
from ptsa_tui.notify_settings import NotifySettings


def _duration(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, timedelta)):
        raise ValueError("a duration is a string such as 30m, 1h30m, 45s or PT30M")
    return parse_duration(value) if isinstance(value, str) else value


LONGEST = timedelta(days=366)  # no setting of ptsa means more than a year


def _bounded(value: timedelta) -> timedelta:
    if value < timedelta(seconds=1):
        raise ValueError("must be at least 1s")
    if value > LONGEST:
        raise ValueError("must be at most 366d")
    return value


def _not_negative_bounded(value: timedelta) -> timedelta:
    if value < timedelta(0):
        raise ValueError("must not be negative (0s: none)")
    if value > LONGEST:
        raise ValueError("must be at most 366d")
    return value


def _upper_keys(value: Any) -> Any:
    # Environment variable names arrive lower-cased: PTSA_SLA__CLAIM__P1 gives key "p1".
    return (
        {str(key).upper(): item for key, item in value.items()}
        if isinstance(value, dict)
        else value
    )


Duration = Annotated[timedelta, BeforeValidator(_duration), AfterValidator(_bounded)]
DurationOrNone = Annotated[
    timedelta, BeforeValidator(_duration), AfterValidator(_not_negative_bounded)
]
Strict = ConfigDict(extra="forbid")
Position = Literal["P0", "P1", "P2"]

_WORKWEEK = "07:30-16:00"


class ConfigError(Exception):
    """A setting that cannot be used; the message is one line naming the key and the value."""


class OfficeSettings(BaseModel):
    model_config = Strict

    timezone: str = "Asia/Jakarta"
    hours: dict[str, str] = Field(
        default_factory=lambda: {
            "mon": _WORKWEEK,
            "tue": _WORKWEEK,
            "wed": _WORKWEEK,
            "thu": _WORKWEEK,
            "fri": "07:30-16:30",
        }
    )
    holidays: str = "ID"
    sla_clock: Literal["office", "wall"] = "office"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("holidays")
    @classmethod
    def _known_country(cls, value: str) -> str:
        import holidays

        if value not in holidays.list_supported_countries():
            raise ValueError(f"unknown holidays country code {value!r}")
        return value

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, str]) -> dict[str, str]:
        from ptsa_tui.store.calendar import parse_office_hours

        if not value:
            raise ValueError("no office hours: at least one day must be open")
        parse_office_hours(value)
        return value


class SlaSettings(BaseModel):
    model_config = Strict

    claim: Annotated[dict[Position, Duration], BeforeValidator(_upper_keys)] = Field(
        default_factory=lambda: {p: timedelta(minutes=30) for p in ("P0", "P1", "P2")}
    )
    escalate_after: Duration = timedelta(minutes=30)
    warn_before: Duration = timedelta(minutes=5)

    def claim_for(self, position: Position) -> timedelta:
        return self.claim.get(position, timedelta(minutes=30))


class AlertSettings(BaseModel):
    model_config = Strict

    interval: Duration = timedelta(seconds=5)
    give_up_after: Duration = timedelta(hours=24)
    retry_after: Duration = timedelta(seconds=30)  # first retry; doubles per failed attempt
    retry_max: Duration = timedelta(minutes=30)  # the longest wait between two attempts
    tier1_escalate_to: str = ""  # unit code for level 2 of echelon-1 tasks; "" = request's origin
    # messages sent at once in a burst, each thread on its own SMTP connection; a crash
    # repeats at most this many sends
    senders: int = Field(default=4, ge=1, le=32)
    # An acknowledged level 1 holds level 2 this long after the acknowledgement, counted on the
    # SLA clock like escalate_after: office time by default, wall time (as PagerDuty's
    # acknowledgement timeout) under sla_clock = "wall". "0s": no hold.
    ack_hold: DurationOrNone = timedelta(minutes=15)

    @field_validator("interval")
    @classmethod
    def _scan_at_least_hourly(cls, value: timedelta) -> timedelta:
        if value > timedelta(hours=1):
            raise ValueError("must be at most 1h (a deadline would wait that long)")
        return value


class SmtpSettings(BaseModel):
    model_config = Strict

    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "starttls"
    user: str = ""
    password: SecretStr = SecretStr("")
    sender: str = "ptsa@kemnaker.go.id"
    timeout: Duration = timedelta(seconds=20)


class SmsSettings(BaseModel):
    model_config = Strict

    backend: Literal["none", "http", "gammu", "command"] = "none"
    url: str = ""
    method: Literal["get", "post"] = "get"
    database_url: str = ""
    gammu_table: str = "outbox"
    gammu_inbox_table: str = "inbox"  # where smsd puts what customers text (STATUS …)
    inbox_every: Duration = timedelta(seconds=1)  # how often the daemon reads it
    command: list[str] = Field(default_factory=list)
    timeout: Duration = timedelta(seconds=20)


def _default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("ptsa"))


class Settings(BaseSettings):
    """Every setting of ptsa; see README "Configuration"."""

    model_config = SettingsConfigDict(
        env_prefix="PTSA_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    database_url: str | None = None
    database_owner_url: str | None = None  # the owner role, for migrations on a real server
    home: Path = Field(default_factory=_default_home)
    lang: Literal["id", "en"] = "id"
    office: OfficeSettings = Field(default_factory=OfficeSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    sms: SmsSettings = Field(default_factory=SmsSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)

    @field_validator("database_url", "database_owner_url")
    @classmethod
    def _postgresql_url(cls, value: str | None) -> str | None:
        if not value:
            return value
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("not a PostgreSQL URL (postgresql://user:password@host/dbname)")
        import psycopg

        try:
            psycopg.conninfo.conninfo_to_dict(value)
        except psycopg.ProgrammingError as error:
            raise ValueError(f"malformed URL: {first_line(str(error))}") from None
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings]
        config_file = config_path()
        if config_file is not None:
            sources.append(InitSettingsSource(settings_cls, init_kwargs=_read_toml(config_file)))
        return tuple(sources)


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's table; a UTF-8 byte-order mark (Windows editors write one) is skipped."""
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"config file {str(path)[:80]!r}: not UTF-8 text (byte {error.start})"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {str(path)[:80]!r}: {first_line(str(error))}") from None


# PTSA_* variables that are not settings but are read elsewhere.
_OTHER_VARIABLES = {"PTSA_CONFIG", "PTSA_TEST_DATABASE_URL", "PTSA_BENCH_DATABASE_URL"}


def _unknown_variables() -> None:
    known = {f"PTSA_{name.upper()}" for name in Settings.model_fields} | _OTHER_VARIABLES
    for variable in sorted(os.environ):
        top = variable.split("__", 1)[0]
        if variable.startswith("PTSA_") and top not in known:
            raise ConfigError(
                f"environment {shown(variable)}: unknown setting{_did_you_mean(top, known)}"
            )


def _did_you_mean(wrong: str, valid: "Iterable[str]") -> str:
    import difflib

    close = difflib.get_close_matches(wrong, sorted(valid), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def shown(value: object, width: int = 80) -> str:
    """A value for an error line: its repr, on one line, cut to `width` characters."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _model_at(loc: tuple[str, ...]) -> type[BaseModel] | None:
    """The settings model that holds the key at `loc` (its last part)."""
    model: type[BaseModel] = Settings
    for part in loc[:-1]:
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def config_path() -> Path | None:
    explicit = os.environ.get("PTSA_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path("ptsa.toml")
    return local if local.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning any bad value into a one-line ConfigError."""
    path = config_path()
    if path is not None and not path.is_file():
        raise ConfigError(f"PTSA_CONFIG: no such file {str(path)!r}")
    _unknown_variables()
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(_problem_line(error)) from None
    except SettingsError as error:  # e.g. PTSA_SMTP set to something that is not JSON
        raise ConfigError(f"config: {first_line(str(error))[:200]}") from None


def _problem_line(error: ValidationError) -> str:
    problem = first_problem(error)
    if error.errors()[0]["type"] == "extra_forbidden":
        model = _model_at(problem.loc)
        prefix = ".".join(problem.loc[:-1])
        valid = [
            f"{prefix}.{key}" if prefix else key for key in (model.model_fields if model else {})
        ]
        return (
            f"config {shown(problem.where)[1:-1]}: unknown key{_did_you_mean(problem.where, valid)}"
        )
    value = "***" if "password" in problem.where else shown(problem.value)
    return f"config {problem.where} = {value}: {first_line(problem.reason)[:200]}"
