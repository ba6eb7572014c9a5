"""Health from heartbeats: a fresh leader is healthy; stale, standby-only or absent is not."""

from datetime import timedelta

from sqlalchemy import Engine

from ptsa_tui.alerts.status import judge
from ptsa_tui.store import heartbeat
from ptsa_tui.store.timeutil import utc_now


def beat(engine: Engine, name: str, role: str, age: timedelta) -> None:
    at = utc_now() - age
    heartbeat.write(
        engine,
        heartbeat.Beat(
            daemon=name,
            host="h",
            pid=len(name),
            role=role,
            interval=timedelta(seconds=5),
            started_at=at,
            at=at,
            last_scan_at=at,
        ),
    )


def test_health_follows_the_leaders_heartbeat(engine: Engine) -> None:
    now = utc_now()
    assert not judge(heartbeat.read(engine), now).healthy  # absent
    beat(engine, "a", "standby", timedelta(seconds=1))
    assert not judge(heartbeat.read(engine), now).healthy  # nobody leads
    beat(engine, "b", "leader", timedelta(minutes=2))
    stale = judge(heartbeat.read(engine), utc_now())
    assert not stale.healthy
    assert [d["stale"] for d in stale.daemons if d["daemon"] == "b"] == [True]
    beat(engine, "b", "leader", timedelta(seconds=2))
    assert judge(heartbeat.read(engine), utc_now()).healthy


def test_rows_of_daemons_gone_for_a_day_are_dropped(engine: Engine) -> None:
    beat(engine, "old", "leader", timedelta(days=2))
    beat(engine, "new", "standby", timedelta(0))
    assert [b.daemon for b in heartbeat.read(engine)] == ["new"]


def test_a_leaders_beat_drops_the_rows_of_finished_once_passes(engine: Engine) -> None:
    beat(engine, "b:once", "leader", timedelta(minutes=1))  # cron's last pass on host b
    beat(engine, "a:1", "standby", timedelta(0))
    assert {b.daemon for b in heartbeat.read(engine)} == {"b:once", "a:1"}
    beat(engine, "a:once", "leader", timedelta(0))  # a pass that leads: b's is over
    assert {b.daemon for b in heartbeat.read(engine)} == {"a:once", "a:1"}
    beat(engine, "c:7", "leader", timedelta(0))
    assert {b.daemon for b in heartbeat.read(engine)} == {"a:1", "c:7"}
