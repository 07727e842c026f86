"""The quality worker: the streaming check every ``poll_s``, feed freshness every
``freshness_every_s``, on one thread (``gateway serve``) or as processes (``gateway quality
worker``, several on PostgreSQL)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from gateway.background import BackgroundLoop
from gateway.quality_stream import StreamChecker
from gateway.store.quality_health import StreamBacklog, stream_backlog
from gateway.store.tables import utcnow

log = logging.getLogger("gateway.quality")


@dataclass(frozen=True)
class QualityWorkerConfig:
    """How the worker micro-batches: it checks when ``min_batch`` messages wait or the oldest
    has waited ``linger_s``, looking every ``poll_s``; so a processed message is checked
    within about ``linger_s + poll_s`` plus one check (see docs/quality.md).

    A check has a fixed cost (0.1-0.3 s of pandas steps on small frames, more on a busy
    machine): one of 10 messages cost 25 ms of CPU each here, one of 200 messages 4 ms each.
    Lingering keeps the checks off ingest's CPU without holding ingest up.
    """

    poll_s: float = 1.0  # how often the worker looks at the queue (one COUNT query)
    linger_s: float = 5.0  # the longest a message waits for more to join its micro-batch
    min_batch: int = 200  # check at once when this many wait
    batch: int = 1000  # messages per check at most
    freshness_every_s: float = 900.0  # how often some worker re-judges feed freshness
    master_ttl_s: float = 60.0  # master data and policy re-read at most this often
    max_attempts: int = 3  # checks of a message that may raise before it is set aside


class QualityWorker:
    """Drains the streaming queue and keeps feed freshness current until stopped."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: QualityWorkerConfig | None = None,
        *,
        policy_file: Path | None = None,
    ) -> None:
        self.config = config or QualityWorkerConfig()
        self._sessions = sessions
        self.checker = StreamChecker(
            sessions,
            policy_file=policy_file,
            batch=self.config.batch,
            master_ttl_s=self.config.master_ttl_s,
            max_attempts=self.config.max_attempts,
        )

    def run_once(self, *, force: bool = False) -> int:
        """One round: freshness if due, then a micro-batch if one is due (or ``force``);
        the number of messages still queued after it."""
        config = self.config
        self.checker.check_freshness(config.freshness_every_s)
        backlog = self._backlog()
        due = backlog.pending >= config.min_batch or backlog.lag_s(utcnow()) >= config.linger_s
        if backlog.pending and (due or force):
            check = self.checker.check_once()
            for message_id in check.set_aside:
                log.error(
                    "message %s set aside after %d failed checks; "
                    "see `gateway quality failed`, then `gateway quality retry %s`",
                    message_id, self.config.max_attempts, message_id,
                )  # fmt: skip
            return max(backlog.pending - check.messages - len(check.set_aside), 0)
        return backlog.pending

    def run(self, stop: threading.Event, *, until_idle: bool = False) -> None:
        """Work until ``stop`` is set (or, with ``until_idle``, until the queue is empty,
        checking what waits without lingering)."""
        while not stop.is_set():
            try:
                left = self.run_once(force=until_idle)
            except Exception:  # a database hiccup or a bad policy must not end the worker
                log.exception("quality check failed; retrying after the poll interval")
                left = -1
            if until_idle and left == 0:
                return
            if left < self.config.batch:
                stop.wait(self.config.poll_s)

    def _backlog(self) -> StreamBacklog:
        with self._sessions() as session:
            return stream_backlog(session)


class RunningQualityWorker(BackgroundLoop[QualityWorker]):
    """A quality worker on a daemon thread; ``stop()`` ends it after the current check."""

    def __init__(self, worker: QualityWorker) -> None:
        super().__init__(worker, worker.run, "gateway-quality-worker")


def start_quality_worker(
    sessions: sessionmaker[Session],
    config: QualityWorkerConfig | None = None,
    *,
    policy_file: Path | None = None,
) -> RunningQualityWorker:
    """Start one quality worker on a daemon thread (``gateway serve`` runs one this way)."""
    return RunningQualityWorker(QualityWorker(sessions, config, policy_file=policy_file)).start()
