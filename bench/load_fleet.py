"""The processes of the load benchmark (bench/load.py), started, measured and stopped.

Each child runs in its own session (process group), so a Ctrl-C in the terminal reaches only
the benchmark, which then stops them all: SIGTERM to every group, SIGKILL after a grace time.
RSS is read from /proc for each child and each of its descendants (uvicorn's server
processes under its supervisor), named by role; a descendant seen later (a restarted server
process) gets a new name, so a restart shows in the memory table.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

GRACE_S = 20.0


class Fleet:
    def __init__(self, database_url: str, log: Path, *, root: Path) -> None:
        self.database_url = database_url
        self.backend = make_url(database_url).get_backend_name()
        self.log = log
        self.root = root
        self.url = ""
        self.sink_url = ""
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.names: dict[int, str] = {}  # pid -> role name, for every process seen
        self.counts: dict[str, int] = {}
        self.servers = self.delivery_workers = 0

    def _spawn(self, name: str, command: list[str]) -> None:
        env = {
            **os.environ,
            "GATEWAY_DATABASE_URL": self.database_url,
            "GATEWAY_RUN_WORKER": "false",
            "GATEWAY_RUN_QUALITY_WORKER": "false",
            "GATEWAY_LOG_LEVEL": "warning",
        }
        with self.log.open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=self.root,
                env=env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.children.append((name, process))
        self.names[process.pid] = name

    def start_sink(self, port: int) -> None:
        self.sink_url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "uvicorn", "bench.sync_sink:app", "--host", "127.0.0.1",
                   "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
        self._spawn("sink", command)

    def start_gateway(self, port: int, *, servers: int, delivery_workers: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.servers, self.delivery_workers = servers, delivery_workers
        gateway = [sys.executable, "-m", "gateway"]
        serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-migrate"]
        self._spawn(
            "server" if servers == 1 else "server main",
            [*gateway, *serve, "--workers", str(servers)],
        )
        for n in range(1, delivery_workers + 1):
            self._spawn(f"delivery {n}", [*gateway, "worker", "--no-pollers", "--poll", "0.2"])
        self._spawn("quality", [*gateway, "quality", "worker"])

    def describe(self) -> str:
        return (
            f"{self.servers} server process(es), {self.delivery_workers} delivery worker(s), "
            "1 quality worker"
        )

    def usage(self) -> dict[str, tuple[float, float]]:
        """RSS (MB) and CPU time (s) of every live child and descendant, by role name."""
        parents = _parents()
        out: dict[str, tuple[float, float]] = {}
        for name, process in self.children:
            for pid in [process.pid, *_descendants(process.pid, parents)]:
                rss, cpu = _rss_mb(pid), _cpu_s(pid)
                if rss is None or cpu is None or _is_helper(pid):
                    continue
                out[self._name(pid, name)] = (rss, cpu)
        return out

    def _name(self, pid: int, parent: str) -> str:
        if pid not in self.names:
            role = parent.removesuffix(" main")
            self.counts[role] = self.counts.get(role, 0) + 1
            self.names[pid] = f"{role} {self.counts[role]}"
        return self.names[pid]

    def log_errors(self) -> list[str]:
        """Tracebacks and ERROR lines the processes wrote."""
        if not self.log.exists():
            return []
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if "Traceback" in line or "ERROR" in line]

    def stop(self) -> None:
        """SIGTERM every process group, wait, SIGKILL what is left. Safe to call twice."""
        for _, process in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_S
        for _, process in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for _, process in self.children:
            # the group, not just the leader: uvicorn's server processes too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process, from /proc."""
    out = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            # the command name is in parentheses and may hold spaces: split after it
            out[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _descendants(pid: int, parents: dict[int, int]) -> list[int]:
    children = sorted(p for p, parent in parents.items() if parent == pid)
    return [d for child in children for d in (child, *_descendants(child, parents))]


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process (/proc/PID/stat fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _is_helper(pid: int) -> bool:
    """multiprocessing's resource tracker, which uvicorn's spawned servers may start."""
    try:
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True
