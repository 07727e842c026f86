"""Crash consistency: post a mix of X12, JSON and CSV messages while the gateway and its
delivery worker are killed with SIGKILL and restarted; re-send what got no 2xx, like a client
would; then count what the store and a partner saw. Used by
tests/integration/test_crash_consistency.py (small) and bench/crash.py (full size)."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.edi import EnvelopeParams, render_document
from gateway.model import ShipNotice
from gateway.store.document_tables import InventoryPositionRow, ShipNoticeRow
from gateway.store.documents import document_ids_for_message
from gateway.store.outbox import enqueue, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import InboxRow
from tests.e2e.supplier_world import populate
from tests.sink import Sink
from tests.support import free_port, issue_key, serve, wait_until_ready

ROOT = Path(__file__).resolve().parents[1]
CANONICAL = ROOT / "tests" / "data" / "canonical"
PARTNER = "CRASHSINK"


@dataclass(frozen=True)
class Message:
    key: str  # the client's name for it: the Idempotency-Key
    path: str
    content_type: str
    body: bytes


@dataclass
class Figures:
    messages: int = 0
    kills: int = 0
    attempts: int = 0
    resent: int = 0
    acked: dict[str, str] = field(default_factory=dict)  # client key -> message id
    refused: dict[str, str] = field(default_factory=dict)  # client key -> a 4xx answer
    inbox_rows: int = 0
    duplicate_keys: int = 0
    unprocessed: list[str] = field(default_factory=list)
    wrong_documents: dict[str, int] = field(default_factory=dict)
    duplicate_documents: int = 0
    deliveries: int = 0
    delivered_ids: int = 0
    missing_deliveries: int = 0
    unknown_deliveries: int = 0
    delivery_requests: int = 0
    seconds: float = 0.0

    def problems(self) -> list[str]:
        found = []
        if len(self.acked) != self.messages:
            found.append(f"{self.messages - len(self.acked)} messages never got a 2xx")
        if self.refused:
            found.append(f"refused: {dict(list(self.refused.items())[:3])}")
        if self.inbox_rows != self.messages or self.duplicate_keys:
            found.append(f"{self.inbox_rows} inbox rows, {self.duplicate_keys} duplicate keys")
        if self.unprocessed:
            found.append(f"not processed: {self.unprocessed[:5]}")
        if self.wrong_documents or self.duplicate_documents:
            found.append(f"documents: {self.wrong_documents}, {self.duplicate_documents} twice")
        if self.missing_deliveries or self.unknown_deliveries:
            found.append(
                f"deliveries missing {self.missing_deliveries}, unknown {self.unknown_deliveries}"
            )
        return found

    def summary(self) -> dict[str, object]:
        return {
            "messages": self.messages,
            "kills": self.kills,
            "posts": self.attempts,
            "re-sent after no 2xx": self.resent,
            "acknowledged (2xx)": len(self.acked),
            "inbox rows": self.inbox_rows,
            "processed once": len(self.acked) - len(self.unprocessed) - len(self.wrong_documents),
            "deliveries queued": self.deliveries,
            "distinct delivery ids at the sink": self.delivered_ids,
            "delivery requests (duplicates carry the same id)": self.delivery_requests,
            "seconds": round(self.seconds, 1),
            "problems": self.problems(),
        }


def messages(n: int, run: str) -> list[Message]:
    """A third each: X12 856 interchanges, JSON ship notices, CSV inventory files."""
    template = ShipNotice.model_validate_json((CANONICAL / "ship_notice.json").read_text())
    out = []
    for i in range(n):
        key = f"{run}-{i}"
        if i % 3 == 0:
            notice = template.model_copy(update={"shipment_id": f"X{run}{i}"})
            control = 100_000 + i
            params = EnvelopeParams(
                sender_id="SUP001",
                receiver_id="ACME-BUYER",
                interchange_control_number=control,
                group_control_number=control,
            )
            body = render_document(notice, params).encode()
            out.append(Message(key, "/api/v1/x12", "application/edi-x12", body))
        elif i % 3 == 1:
            document = {
                "type": "ship_notice",
                "shipment_id": f"J{run}{i}",
                "ship_date": "2026-11-01",
                "lines": [
                    {"po_number": "PO-A", "buyer_item": "I-FAST", "quantity": 1, "uom": "EA"}
                ],
            }
            out.append(
                Message(key, "/api/v1/documents", "application/json", json.dumps(document).encode())
            )
        else:
            csv = (
                "report_id,as_of,location_id,buyer_item,quantity_on_hand,uom\n"
                f"C{run}{i},2026-11-20,DC1,I-FAST,{i},EA\nC{run}{i},2026-11-20,DC1,I-FAST2,1,EA\n"
            )
            path = "/api/v1/files?type=inventory_position"
            out.append(Message(key, path, "text/csv", csv.encode()))
    return out


class Gateway:
    """`gateway serve` and `gateway worker` as real processes, each in its own process group
    so a SIGKILL takes uvicorn's worker processes down with it."""

    def __init__(self, database_url: str, log: Path, *, server_workers: int = 1) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.server_workers = server_workers
        self.processes: list[subprocess.Popen[bytes]] = []

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "GATEWAY_DATABASE_URL": self.database_url,
            "GATEWAY_RUN_WORKER": "false",
            "GATEWAY_RUN_QUALITY_WORKER": "false",
            "GATEWAY_LOG_LEVEL": "warning",
        }

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "gateway", *args],
                cwd=ROOT,
                env=self._env(),
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def start(self) -> None:
        serve_args = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-migrate"]
        if self.server_workers > 1:
            serve_args += ["--workers", str(self.server_workers)]
        worker = [
            "worker",
            "--lease",
            "2",
            "--poll",
            "0.1",
            "--no-pollers",
            "--retry-initial",
            "0.2",
        ]
        self.processes = [self._spawn(*serve_args), self._spawn(*worker)]
        wait_until_ready(self.url, timeout=90)

    def kill(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        self.processes = []

    def stop(self) -> None:
        self.kill()


def prepare(
    database_url: str, sessions: sessionmaker[Session], sink_url: str, deliveries: int
) -> str:
    """The supplier world, a supplier key, a partner channel to the sink, queued deliveries."""
    populate(sessions)
    token = issue_key(
        database_url,
        "supplier:SUP001",
        "supplier",
        supplier_id="SUP001",
        grants=[["g", "supplier:SUP001", "role:execution_only", "FAST"]],
    )
    with sessions.begin() as session:
        set_channel(
            session,
            partner_id=PARTNER,
            document_type="*",
            primary_url=f"{sink_url}/in",
            timeout_s=5,
        )
        for n in range(deliveries):
            enqueue(
                session,
                partner_id=PARTNER,
                document_type="inventory_position",
                body=json.dumps({"n": n}).encode(),
                content_type="application/json",
            )
    return token


def _post(client: httpx.Client, token: str, message: Message) -> tuple[int, str]:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": message.content_type,
        "Idempotency-Key": message.key,
    }
    try:
        answer = client.post(message.path, content=message.body, headers=headers)
    except httpx.HTTPError as error:
        return 0, type(error).__name__
    if answer.is_success:
        return answer.status_code, str(answer.json()["message_id"])
    return answer.status_code, answer.text[:300]


def _send_all(
    gateway: Gateway, token: str, batch: list[Message], figures: Figures, threads: int
) -> None:
    """Post every message concurrently; like a client, re-send one until it gets a 2xx (or a
    4xx, which re-sending would not change), with a short pause while the gateway is down."""
    lock = threading.Lock()

    def one(message: Message) -> None:
        for _ in range(600):
            status, text = _post(client, token, message)
            with lock:
                figures.attempts += 1
                if 200 <= status < 300:
                    figures.acked[message.key] = text
                    return
                if 400 <= status < 500 and status not in (408, 429):
                    figures.refused[message.key] = f"{status} {text}"
                    return
                figures.resent += 1
            time.sleep(0.1)

    with (
        httpx.Client(base_url=gateway.url, timeout=15) as client,
        ThreadPoolExecutor(threads) as pool,
    ):
        list(pool.map(one, batch))


def run(
    database_url: str,
    sessions: sessionmaker[Session],
    log: Path,
    *,
    n_messages: int,
    kills: int,
    deliveries: int,
    server_workers: int = 1,
    threads: int = 8,
    seed: int = 1,
    delivery_s: float = 0.05,
) -> Figures:
    started = time.monotonic()
    rng = random.Random(seed)
    # A partner that takes its time, so deliveries are still going on when the kills come.
    sink = Sink(slow_s=delivery_s)
    sink.modes["in"] = "slow" if delivery_s > 0 else "ok"
    figures = Figures(messages=n_messages)
    with serve(sink.app) as sink_url:
        token = prepare(database_url, sessions, sink_url, deliveries)
        batch = messages(n_messages, f"r{seed}")
        gateway = Gateway(database_url, log, server_workers=server_workers)
        gateway.start()
        done = threading.Event()

        def killer() -> None:
            # Kill at random moments spread over the run: after about k/(kills+1) of the
            # messages have been answered, give or take a few.
            for k in range(1, kills + 1):
                target = n_messages * k // (kills + 1) + rng.randint(-3, 3)
                while len(figures.acked) < target and not done.is_set():
                    time.sleep(0.01)
                if done.is_set():
                    return
                time.sleep(rng.uniform(0.0, 0.3))
                gateway.kill()
                figures.kills += 1
                time.sleep(rng.uniform(0.0, 0.5))
                gateway.start()

        chaos = threading.Thread(target=killer, daemon=True)
        chaos.start()
        try:
            _send_all(gateway, token, batch, figures, threads)
            done.set()
            chaos.join(timeout=120)
            if gateway.processes == []:
                gateway.start()
            _drain(sessions, deliveries)
        finally:
            done.set()
            gateway.stop()
        _count(sessions, figures)
        _count_deliveries(sessions, sink, figures)
    figures.seconds = time.monotonic() - started
    return figures


def _drain(sessions: sessionmaker[Session], deliveries: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as session:
            left = session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status != "delivered")
            )
        if not left:
            return
        time.sleep(0.2)


def _count(sessions: sessionmaker[Session], figures: Figures) -> None:
    with sessions() as session:
        rows = session.execute(select(InboxRow.id, InboxRow.dedupe_key, InboxRow.status)).all()
        figures.inbox_rows = len(rows)
        keys = Counter(key for _, key, _ in rows)
        figures.duplicate_keys = sum(1 for c in keys.values() if c > 1)
        status = {message_id: state for message_id, _, state in rows}
        for key, message_id in figures.acked.items():
            if status.get(message_id) != "processed":
                figures.unprocessed.append(key)
                continue
            documents = sum(
                len(ids) for ids in document_ids_for_message(session, message_id).values()
            )
            if documents != 1:
                figures.wrong_documents[key] = documents
        for table, column in (
            (ShipNoticeRow, ShipNoticeRow.shipment_id),
            (InventoryPositionRow, InventoryPositionRow.report_id),
        ):
            twice = session.execute(
                select(column).group_by(column).having(func.count(table.id) > 1)
            ).all()
            figures.duplicate_documents += len(twice)


def _count_deliveries(sessions: sessionmaker[Session], sink: Sink, figures: Figures) -> None:
    with sessions() as session:
        queued = set(session.scalars(select(OutboxRow.id).where(OutboxRow.partner_id == PARTNER)))
    accepted = set(sink.accepted)
    figures.deliveries = len(queued)
    figures.delivered_ids = len(accepted & queued)
    figures.missing_deliveries = len(queued - accepted)
    figures.unknown_deliveries = len(accepted - queued)
    figures.delivery_requests = sum(sink.requests[i] for i in queued)
