"""Workers on a daemon thread: the delivery, poll and quality workers inside ``gateway serve``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Self, TypeVar

__all__ = ["BackgroundLoop"]

W = TypeVar("W")


class BackgroundLoop(Generic[W]):
    """``run(stop)`` on a daemon thread; ``stop()`` sets the event and waits for the loop to end.

    Each worker's loop checks the event between steps, so ``stop()`` ends it after the current
    delivery, poll or check, never in the middle of one.
    """

    def __init__(self, worker: W, run: Callable[[threading.Event], None], name: str) -> None:
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=run, args=(self._stop,), name=name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()
