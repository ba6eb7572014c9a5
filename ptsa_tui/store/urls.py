"""Which database: PTSA_DATABASE_URL, or the embedded server's. Loads no SQLAlchemy, so the
commands that run on psycopg alone (store/lean.py) can use it."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from ptsa_tui.error_text import error_line
from ptsa_tui.store.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from ptsa_tui.config import Settings
    from ptsa_tui.store.embedded import EmbeddedUrls


@dataclass(frozen=True)
class Urls:
    """The runtime role's URL, which everything connects with, and the owner's, for migrations
    (None on a real server when PTSA_DATABASE_OWNER_URL is not given)."""

    runtime: str
    owner: str | None


def resolve_urls(settings: "Settings") -> Urls:
    """PTSA_DATABASE_URL (and PTSA_DATABASE_OWNER_URL), else the embedded server's roles."""
    if settings.database_url:
        return Urls(settings.database_url, settings.database_owner_url)
    embedded = start_embedded(settings.home)
    return Urls(embedded.runtime, embedded.owner)


def start_embedded(home: Path) -> "EmbeddedUrls":
    """The embedded server in `home`, started when it is not running; DatabaseUnavailable with
    its reason in one line when it cannot be."""
    from ptsa_tui.store.embedded import ShuttingDown, embedded_urls

    try:
        return embedded_urls(home)
    except ShuttingDown as error:
        raise DatabaseUnavailable(
            f"embedded database in {home} is shutting down: {error}"
        ) from None
    except Exception as error:  # the embedded wheel raises plain errors; say what failed, once
        raise DatabaseUnavailable(
            f"embedded database in {home} did not start: {error_line(error)}"
        ) from None


def resolve_url(settings: "Settings") -> str:
    """The libpq URL in use: the runtime role's."""
    return resolve_urls(settings).runtime


def masked(url: str) -> str:
    """The URL with its password shown as ***, for anything a person or a log may see."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not (at and colon and password):
        return url
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
