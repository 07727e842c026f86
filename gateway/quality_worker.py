"""The quality worker: the streaming check every ``poll_s``, feed freshness every
``freshness_every_s``, on one thread (``gateway serve``) or as processes (``gateway quality
worker``, several on PostgreSQL)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from gateway.quality_stream import StreamChecker

log = logging.getLogger("gateway.quality")


@dataclass(frozen=True)
class QualityWorkerConfig:
    poll_s: float = 1.0  # sleep when the queue is empty: the delay bound's main term
    batch: int = 200  # messages per micro-batch
    freshness_every_s: float = 900.0  # how often some worker re-judges feed freshness
    master_ttl_s: float = 60.0  # master data and policy re-read at most this often


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
        self.checker = StreamChecker(
            sessions,
            policy_file=policy_file,
            batch=self.config.batch,
            master_ttl_s=self.config.master_ttl_s,
        )

    def run_once(self) -> int:
        """One round: freshness if due, then one micro-batch; messages checked."""
        self.checker.check_freshness(self.config.freshness_every_s)
        return self.checker.check_once().messages

    def run(self, stop: threading.Event, *, until_idle: bool = False) -> None:
        """Work until ``stop`` is set (or, with ``until_idle``, until the queue is empty)."""
        while not stop.is_set():
            try:
                checked = self.run_once()
            except Exception:  # a database hiccup or a bad policy must not end the worker
                log.exception("quality check failed; retrying after the poll interval")
                checked = 0
            if checked >= self.config.batch:
                continue  # more are queued: no sleep
            if until_idle and checked == 0:
                return
            stop.wait(self.config.poll_s)


class RunningQualityWorker:
    """A quality worker on a daemon thread."""

    def __init__(self, worker: QualityWorker) -> None:
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=worker.run, args=(self._stop,), name="gateway-quality-worker", daemon=True
        )

    def start(self) -> RunningQualityWorker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()


def start_quality_worker(
    sessions: sessionmaker[Session],
    config: QualityWorkerConfig | None = None,
    *,
    policy_file: Path | None = None,
) -> RunningQualityWorker:
    """Start one quality worker on a daemon thread (``gateway serve`` runs one this way)."""
    return RunningQualityWorker(QualityWorker(sessions, config, policy_file=policy_file)).start()
