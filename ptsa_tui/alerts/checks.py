"""Settings the daemon cannot work with stop it at start-up, with one clear line."""

from datetime import timedelta

from ptsa_tui.config import ConfigError, Settings


def check(settings: Settings) -> None:
    alerts, smtp, sms = settings.alerts, settings.smtp, settings.sms
    for key, value in (
        ("alerts.interval", alerts.interval),
        ("alerts.retry_after", alerts.retry_after),
        ("alerts.give_up_after", alerts.give_up_after),
        ("smtp.timeout", smtp.timeout),
        ("sms.timeout", sms.timeout),
    ):
        if value <= timedelta(0):
            raise ConfigError(f"config {key} = {value}: must be longer than zero")
    if not smtp.host.strip():
        raise ConfigError("config smtp.host = '': the SMTP server's host name is needed")
    if sms.backend == "http":
        if not sms.url.startswith(("http://", "https://")):
            raise ConfigError(
                "config sms.url: an http:// or https:// URL is needed for backend http"
            )
        for field in ("{phone}", "{text}"):
            if field not in sms.url:
                raise ConfigError(f"config sms.url: must contain {field} for backend http")
    if sms.backend == "gammu" and not sms.database_url:
        raise ConfigError(
            "config sms.database_url: the Gammu SMSD database is needed for backend gammu"
        )
    if sms.backend == "command" and not sms.command:
        raise ConfigError(
            "config sms.command: a program (a list of arguments) is needed for backend command"
        )
