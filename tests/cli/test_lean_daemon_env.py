"""`ptsa alerts run` execs the lean daemon with the runtime role's URL and never the owner's."""

import os

import pytest

from ptsa_tui.alerts import KEEP_EMBEDDED
from ptsa_tui.cli import alerts_commands


class Execed(Exception):
    pass


def test_the_lean_daemon_gets_the_runtime_url_and_no_owner_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTSA_DATABASE_URL", "postgresql://old@db/ptsa")
    monkeypatch.setenv("PTSA_DATABASE_OWNER_URL", "postgresql://owner:secret@db/ptsa")
    seen: dict[str, str] = {}
    argvs: list[list[str]] = []

    def fake_execv(path: str, argv: list[str]) -> None:
        seen.update(os.environ)
        argvs.append(argv)
        raise Execed

    monkeypatch.setattr(os, "execv", fake_execv)
    for keep_embedded in (False, True):
        with pytest.raises(Execed):
            alerts_commands._exec_lean_daemon(
                "postgresql://ptsa_app:pw@db/ptsa", keep_embedded=keep_embedded
            )
    # only a daemon on the embedded server keeps it running
    assert [KEEP_EMBEDDED in argv for argv in argvs] == [False, True]
    assert seen["PTSA_DATABASE_URL"] == "postgresql://ptsa_app:pw@db/ptsa"
    # empty, not absent: an empty value also overrides an owner URL in ptsa.toml
    assert seen["PTSA_DATABASE_OWNER_URL"] == ""
    assert not any("secret" in value for value in seen.values())
