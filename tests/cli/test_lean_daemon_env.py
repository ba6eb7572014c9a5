"""`ptsa alerts run` execs the lean daemon with the runtime role's URL and never the owner's."""

import os

import pytest

from ptsa_tui.cli import alerts_commands


class Execed(Exception):
    pass


def test_the_lean_daemon_gets_the_runtime_url_and_no_owner_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTSA_DATABASE_URL", "postgresql://old@db/ptsa")
    monkeypatch.setenv("PTSA_DATABASE_OWNER_URL", "postgresql://owner:secret@db/ptsa")
    seen: dict[str, str] = {}

    def fake_execv(path: str, argv: list[str]) -> None:
        seen.update(os.environ)
        raise Execed

    monkeypatch.setattr(os, "execv", fake_execv)
    with pytest.raises(Execed):
        alerts_commands._exec_lean_daemon("postgresql://ptsa_app:pw@db/ptsa")
    assert seen["PTSA_DATABASE_URL"] == "postgresql://ptsa_app:pw@db/ptsa"
    # empty, not absent: an empty value also overrides an owner URL in ptsa.toml
    assert seen["PTSA_DATABASE_OWNER_URL"] == ""
    assert not any("secret" in value for value in seen.values())
