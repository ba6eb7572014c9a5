"""What a command needs, built on first use: settings, the database, the workflow."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine

    from ptsa_tui.config import Settings
    from ptsa_tui.store.embedded_keeper import EmbeddedKeeper
    from ptsa_tui.store.origin import Channel
    from ptsa_tui.store.urls import Urls
    from ptsa_tui.store.workflow import Workflow


class Runtime:
    def __init__(self, debug: bool = False) -> None:
        self.debug = debug
        self.channel: Channel = "cli"  # a command that runs a desk or the daemon says so first

    @cached_property
    def settings(self) -> "Settings":
        from ptsa_tui.config import load_settings

        return load_settings()

    @cached_property
    def urls(self) -> "Urls":
        from ptsa_tui.store.urls import resolve_urls

        return resolve_urls(self.settings)

    @cached_property
    def keeper(self) -> "EmbeddedKeeper | None":
        """For a desk or the daemon on the embedded server: the server kept running."""
        if self.settings.database_url:
            return None
        from ptsa_tui.store.embedded_keeper import EmbeddedKeeper

        return EmbeddedKeeper(self.settings.home)

    @property
    def url(self) -> str:
        """The runtime role's URL: what every desk, daemon and command connects with."""
        return self.urls.runtime

    @contextmanager
    def connection(self) -> "Iterator[psycopg.Connection[tuple[Any, ...]]]":
        """One psycopg connection on a migrated database, for the commands of store/lean.py:
        SQLAlchemy stays unloaded unless the schema has to be migrated first."""
        from ptsa_tui.store import lean

        with lean.connected(self.url, self.channel) as conn:
            if not lean.at_head(conn):
                self.engine  # migrates, or says in one line why it cannot  # noqa: B018
            yield conn

    @cached_property
    def raw_engine(self) -> "Engine":
        """An engine on the server, reachable but not necessarily migrated."""
        from ptsa_tui.store.database import check_reachable, make_engine

        engine = make_engine(self.url, channel=self.channel)
        check_reachable(engine)
        return engine

    @cached_property
    def engine(self) -> "Engine":
        """An engine on a database whose schema is at the latest migration."""
        from ptsa_tui.store.migrate import ensure_schema

        ensure_schema(self.raw_engine, self.urls.owner)
        return self.raw_engine

    def engine_for(self, channel: "Channel") -> "Engine":
        """An engine whose sessions record `channel` (the shared one when it already does):
        `ptsa demo` seeds as the CLI, then its desk acts as a desk."""
        if channel == self.channel or "raw_engine" not in self.__dict__:
            self.channel = channel
            return self.engine
        from ptsa_tui.store.database import make_engine

        self.engine  # migrated and reachable  # noqa: B018
        return make_engine(self.url, channel=channel)

    @cached_property
    def workflow(self) -> "Workflow":
        from ptsa_tui.store.workflow import Workflow

        return Workflow(self.engine, self.settings)

    def close(self) -> None:
        if "raw_engine" in self.__dict__:
            self.raw_engine.dispose()
