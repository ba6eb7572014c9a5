"""Settings: TOML at $PTSA_CONFIG (or ./ptsa.toml), overridden by PTSA_<SECTION>__<KEY> variables."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from ptsa_tui.durations import parse_duration
from ptsa_tui.error_text import first_problem


def _duration(value: Any) -> Any:
    return parse_duration(value) if isinstance(value, str) else value


def _upper_keys(value: Any) -> Any:
    # Environment variable names arrive lower-cased: PTSA_SLA__CLAIM__P1 gives key "p1".
    return (
        {str(key).upper(): item for key, item in value.items()}
        if isinstance(value, dict)
        else value
    )


Duration = Annotated[timedelta, BeforeValidator(_duration)]
Position = Literal["P0", "P1", "P2"]

_WORKWEEK = "07:30-16:00"


class ConfigError(Exception):
    """A setting that cannot be used; the message is one line naming the key and the value."""


class OfficeSettings(BaseModel):
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

        parse_office_hours(value)
        return value


class SlaSettings(BaseModel):
    claim: Annotated[dict[Position, Duration], BeforeValidator(_upper_keys)] = Field(
        default_factory=lambda: {p: timedelta(minutes=30) for p in ("P0", "P1", "P2")}
    )
    escalate_after: Duration = timedelta(minutes=30)
    warn_before: Duration = timedelta(minutes=5)

    def claim_for(self, position: Position) -> timedelta:
        return self.claim.get(position, timedelta(minutes=30))


class AlertSettings(BaseModel):
    interval: Duration = timedelta(seconds=5)
    give_up_after: Duration = timedelta(hours=24)
    retry_after: Duration = timedelta(seconds=30)  # first retry; doubles per failed attempt
    retry_max: Duration = timedelta(minutes=30)  # the longest wait between two attempts
    tier1_escalate_to: str = ""  # unit code for level 2 of echelon-1 tasks; "" = request's origin
    # An acknowledged level 1 holds level 2 this long after the acknowledgement, counted on the
    # SLA clock like escalate_after: office time by default, wall time (as PagerDuty's
    # acknowledgement timeout) under sla_clock = "wall". "0s": no hold.
    ack_hold: Duration = timedelta(minutes=15)

    @field_validator("ack_hold")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative (0s: no hold)")
        return value


class SmtpSettings(BaseModel):
    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "starttls"
    user: str = ""
    password: SecretStr = SecretStr("")
    sender: str = "ptsa@kemnaker.go.id"
    timeout: Duration = timedelta(seconds=20)


class SmsSettings(BaseModel):
    backend: Literal["none", "http", "gammu", "command"] = "none"
    url: str = ""
    method: Literal["get", "post"] = "get"
    database_url: str = ""
    gammu_table: str = "outbox"
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
        extra="ignore",
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
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)


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
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problem = first_problem(error)
        shown = "***" if "password" in problem.where else repr(problem.value)
        raise ConfigError(f"config {problem.where} = {shown}: {problem.reason}") from None
    except SettingsError as error:  # e.g. PTSA_SMTP set to something that is not JSON
        raise ConfigError(f"config: {error}") from None
    except ValueError as error:  # a TOML syntax error surfaces as a ValueError subclass
        raise ConfigError(f"config file {str(path)!r}: {error}") from None
