"""One pass of the daemon: lead or stand by, raise what fell due, deliver it, beat.

Every write goes through ptsa_tui.store (outbox, heartbeat). A pass is idempotent, so running it
again, on another daemon or after a crash, raises and sends nothing twice.
"""

import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from ptsa_tui.alerts import logs
from ptsa_tui.alerts.channels import Channels
from ptsa_tui.alerts.failure import SendFailed, Unsendable
from ptsa_tui.alerts.gammu_inbox import GammuInbox
from ptsa_tui.alerts.status_reply import status_reply
from ptsa_tui.config import Settings
from ptsa_tui.error_text import error_line
from ptsa_tui.memory import give_back_free_memory
from ptsa_tui.store.daemon_api import Beat, DaemonStore, Ladder, once_name
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.timeutil import utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.delivery import Delivery
    from ptsa_tui.store.notices import NoticeDue
    from ptsa_tui.store.outbox import Due

LOCKED = 10  # rows one sending thread holds at once: what a crash may send again, per thread
ROUNDS = 2  # batches per thread and outbox between two leadership checks


@dataclass
class PassResult:
    leader: bool = False
    raised: int = 0
    sent: int = 0
    failed: int = 0
    would_send: int = 0
    answered: int = 0  # STATUS messages from customers


Sender = Callable[[Rules, datetime | None, PassResult], bool]  # one delivery; False: none due


class Daemon:
    def __init__(
        self,
        store: DaemonStore,
        settings: Settings,
        *,
        dry_run: bool = False,
        once: bool = False,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.settings = settings
        self.dry_run = dry_run
        self.clock = clock
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.name = f"{self.host}:{self.pid}"
        # --once passes share one row per host: cron's passes never pile up rows
        self.beat_name = once_name(self.host) if once else self.name
        self.channels = Channels(settings)
        alerts = settings.alerts
        self.outbox = store.outbox(
            Ladder(
                channels=self.channels.names,
                tier1_escalate_to=alerts.tier1_escalate_to,
                retry_after=alerts.retry_after,
                retry_max=alerts.retry_max,
                give_up_after=alerts.give_up_after,
                ack_hold=alerts.ack_hold,
            ),
            self.name,
        )
        self.notices = store.notices(self.outbox.ladder, self.name)
        self.inbox = GammuInbox(settings.sms) if settings.sms.backend == "gammu" else None
        self.leadership = store.leadership()
        self.started_at = clock()
        self.last_scan_at: datetime | None = None
        self.next_deadline: datetime | None = None
        self.was_leader: bool | None = None
        self.warned_unrouted: set[tuple[int, int]] = set()
        self.counting = threading.Lock()  # the pass's counts, kept by every sending thread
        self.stopping = threading.Event()  # set by SIGTERM/SIGINT: end the pass after this send
        self.last_beat = 0.0
        self.log = logs.get()

    # -- the pass ---------------------------------------------------------------------

    def step(self, now: datetime | None = None) -> PassResult:
        """One pass. `now` fixes the time for tests; by default each send reads the clock."""
        self.next_deadline = None  # a failed pass must not leave a stale wake-up behind
        # a dry run takes no lock, so it never keeps the real daemon from leading
        result = PassResult(leader=self.dry_run or self._lead())
        if result.leader:
            rules = self.store.rules()
            at = now or self.clock()
            if self.dry_run:
                result.would_send = self._preview(rules, at)
            else:
                result.raised = self._raise(rules, at)
                self._deliver(rules, now, result)
                result.answered = self.answer_inbox()
            self.next_deadline = self.outbox.next_deadline(now=at, rules=rules)
            self.last_scan_at = self.clock()
            if result.raised or result.sent or result.failed:
                give_back_free_memory()  # a burst's buffers, before the daemon idles again
        return result

    def _lead(self) -> bool:
        leading = self.leadership.check()
        if leading != self.was_leader:
            self.log.info("role=%s daemon=%s", "leader" if leading else "standby", self.name)
            self.was_leader = leading
        return leading

    def _raise(self, rules: Rules, now: datetime) -> int:
        scan = self.outbox.raise_due(now=now, rules=rules)
        for raised in scan.raised:
            self.log.info(
                "alert raised task=%d level=%d alerts=%d",
                raised.task_id,
                raised.level,
                raised.alerts,
            )
        for task_level in scan.unrouted:
            if task_level not in self.warned_unrouted:  # once per process, not every pass
                self.warned_unrouted.add(task_level)
                self.log.warning(
                    "alert has no recipient task=%d level=%d"
                    " (no active supervisor with an address in the unit it goes to)",
                    *task_level,
                )
        return len(scan.raised)

    def _deliver(self, rules: Rules, now: datetime | None, result: PassResult) -> None:
        """Alerts and notices in turn, by `alerts.senders` threads at once, in batches, until
        neither has one due; leadership is checked between batches."""
        parallel = self.settings.alerts.senders
        # a first try on this thread: an idle pass starts no thread (nor its malloc arena)
        senders = self._send_share(
            [self._deliver_alert, self._deliver_notice], rules, now, result, 1
        )
        if not senders:
            self.channels.close()
            return
        with ThreadPoolExecutor(parallel, thread_name_prefix="ptsa-send") as pool:
            try:
                while senders and not self.stopping.is_set():
                    shares = [
                        pool.submit(self._send_share, senders, rules, now, result, ROUNDS)
                        for _ in range(parallel)
                    ]
                    busy = [future.result() for future in shares]
                    senders = [send for send in senders if any(send in left for left in busy)]
                    if not senders:
                        return
                    interval = self.settings.alerts.interval.total_seconds()
                    if time.monotonic() - self.last_beat > interval:
                        self.beat()  # a long burst still shows a live daemon
                    if not self._lead():
                        return
            finally:
                self.channels.close()

    def _send_share(
        self,
        senders: "list[Sender]",
        rules: Rules,
        now: datetime | None,
        result: PassResult,
        share: int,
    ) -> "list[Sender]":
        """One thread's part of a batch; returns the senders that still had work."""
        active = list(senders)
        for _ in range(share):
            active = [send for send in active if send(rules, now, result)]
            if not active or self.stopping.is_set():
                break
        return active

    def _deliver_alert(self, rules: Rules, now: datetime | None, result: PassResult) -> bool:
        def what(due: "Due") -> str:
            return (
                f"alert={due.alert_id} task={due.task_id} tracking={due.tracking_no}"
                f" level={due.level} channel={due.channel} recipient={due.recipient!r}"
            )

        batch = self.outbox.delivering_batch(now=now or self.clock(), limit=LOCKED)
        send = partial(self._send_alert, rules=rules, now=now)
        return self._send_batch(batch, what, send, now, result)

    def _deliver_notice(self, _rules: Rules, now: datetime | None, result: PassResult) -> bool:
        def what(due: "NoticeDue") -> str:
            # never the address: a customer's phone or email stays out of the log
            return (
                f"notice={due.notice_id} tracking={due.tracking_no} purpose={due.purpose}"
                f" channel={due.channel}"
            )

        batch = self.notices.delivering_batch(now=now or self.clock(), limit=LOCKED)
        return self._send_batch(batch, what, self._send_notice, now, result)

    def _send_batch(
        self,
        batch: "AbstractContextManager[list[Delivery[Any]]]",
        what: Callable[[Any], str],
        send: Callable[[Any], None],
        now: datetime | None,
        result: PassResult,
    ) -> bool:
        """Send each locked row of the batch in turn; False when none was due."""
        with batch as deliveries:
            for delivery in deliveries:
                if self.stopping.is_set():
                    break  # the rest stay due, unsent
                due = delivery.due
                self._attempt(delivery, partial(send, due), what(due), now, result)
        return bool(deliveries)

    # the text is made inside the attempt: a template that fails is a failed send on record
    def _send_alert(self, due: "Due", *, rules: Rules, now: datetime | None) -> None:
        self.channels.send(due, self.channels.text(due, rules, now or self.clock()))

    def _send_notice(self, due: "NoticeDue") -> None:
        self.channels.send_notice(due, self.channels.notice_text(due))

    def _attempt(
        self,
        delivery: "Delivery[Any]",
        send: Callable[[], None],
        what: str,
        now: datetime | None,
        result: PassResult,
    ) -> None:
        attempt = delivery.held.attempts + 1
        name = delivery.box.kind
        try:
            send()
        except Exception as error:  # any failure is an attempt on record, never a silent loop
            reason = str(error) if isinstance(error, SendFailed) else error_line(error)
            final = isinstance(error, Unsendable)
            outcome = delivery.failed(now or self.clock(), reason, final=final)
            with self.counting:
                result.failed += 1
            if outcome == "failed":
                self.log.error("%s given up %s attempts=%d: %s", name, what, attempt, reason)
            else:
                self.log.warning("%s send failed %s attempt=%d: %s", name, what, attempt, reason)
        else:
            delivery.sent(now or self.clock())
            with self.counting:
                result.sent += 1
            self.log.info("%s sent %s", name, what)

    def answer_inbox(self) -> int:
        """Reply to what customers texted (with the Gammu backend); safe from any thread and
        on any daemon, leader or not: each message is answered once whoever reads it."""
        if self.inbox is None or self.dry_run:
            return 0
        answered = self.inbox.answer_all(self._status_reply)
        if answered:
            self.log.info("inbox answered=%d", answered)
        return answered

    def _status_reply(self, sender: str, text: str) -> str | None:
        zone = self.channels.zone
        return status_reply(sender, text, self.store.request_status, self.settings.notify, zone)

    def _preview(self, rules: Rules, now: datetime) -> int:
        dues = self.outbox.preview(now=now, rules=rules)
        for due in dues:
            text = self.channels.text(due, rules, now)
            self.log.info(
                "dry-run would send alert=%s task=%d level=%d channel=%s recipient=%r subject=%r",
                due.alert_id,
                due.task_id,
                due.level,
                due.channel,
                due.recipient,
                text.subject if due.channel == "email" else text.sms,
            )
        notices = self.notices.preview(now=now)
        for notice in notices:
            self.log.info(
                "dry-run would send notice=%s tracking=%s purpose=%s channel=%s",
                notice.notice_id,
                notice.tracking_no,
                notice.purpose,
                notice.channel,
            )
        return len(dues) + len(notices)

    # -- heartbeat and shutdown ----------------------------------------------------------

    def beat(self) -> None:
        self.last_beat = time.monotonic()
        if self.dry_run:  # it delivers nothing, so it must not look like a daemon at work
            return
        pending, failed = self.store.beat(
            Beat(
                daemon=self.beat_name,
                host=self.host,
                pid=self.pid,
                role="leader" if self.leadership.held else "standby",
                interval=self.settings.alerts.interval,
                started_at=self.started_at,
                at=utc_now(),
                last_scan_at=self.last_scan_at,
            ),
        )
        self.log.debug("heartbeat pending=%d failed=%d", pending, failed)

    def seconds_to_next_deadline(self) -> float | None:
        if self.next_deadline is None or not self.leadership.held:
            return None
        return (self.next_deadline - self.clock()).total_seconds()

    def close(self, *, forget: bool = True) -> None:
        """Let go of the lock and the rules' watch; with `forget`, take the heartbeat row away."""
        self.leadership.close()
        self.store.stop_watching()
        if forget:
            try:
                self.store.forget(self.beat_name)
            except Exception as error:  # the database may be the reason we stop
                self.log.warning("heartbeat not removed: %s", error_line(error))
