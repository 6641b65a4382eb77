"""SIGTERM stops a real `kurasi worker` only once the delivery it is sending is done:
it exits 0 and the delivery is recorded as delivered, sent once. `kurasi serve` likewise
answers the request in flight, refusing new connections, then exits 0."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.models.webhook import Webhook, WebhookDelivery
from tests.test_cli import KURASI, cli_env, explain, kurasi, make_db, serve, stop

DELAY = 3.0  # the receiver answers this long after a delivery arrives


@pytest.fixture
def slow_receiver() -> Iterator[tuple[str, list[float]]]:
    arrived: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            arrived.append(time.monotonic())
            time.sleep(DELAY)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", arrived
    finally:
        server.shutdown()
        server.server_close()


def test_sigterm_lets_the_worker_finish_its_delivery(
    tmp_path: Path, slow_receiver: tuple[str, list[float]]
) -> None:
    url, arrived = slow_receiver
    database = f"sqlite:///{tmp_path / 'kurasi.db'}"
    (tmp_path / "storage").mkdir()
    upgraded = kurasi("db", "upgrade", database_url=database, storage_dir=tmp_path, cwd=tmp_path)
    assert upgraded.returncode == 0, explain(upgraded)
    engine = create_engine(database)
    with Session(engine) as session, session.begin():
        hook = Webhook(url=url, events=["product.approved"], secret="s" * 32)
        session.add(hook)
        session.flush()
        event_id = uuid.uuid4()
        delivery = WebhookDelivery(
            webhook_id=hook.id,
            event_id=event_id,
            event_type="product.approved",
            payload={"id": str(event_id), "type": "product.approved", "data": {}},
        )
        session.add(delivery)
        session.flush()
        delivery_id = delivery.id

    env = cli_env(database, tmp_path / "storage")
    env["KURASI_ENVIRONMENT"] = "development"  # http:// on loopback
    worker = subprocess.Popen(
        [str(KURASI), "worker"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not arrived and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
        assert arrived, "the delivery never arrived"
        worker.send_signal(signal.SIGTERM)  # while the receiver still holds the request
        out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, f"stdout:\n{out}\nstderr:\n{err}"
    assert time.monotonic() - arrived[0] >= DELAY  # it waited for the answer
    assert len(arrived) == 1
    with Session(engine) as session:
        sent = session.get(WebhookDelivery, delivery_id)
        assert sent is not None
        assert (sent.status, sent.attempts) == ("delivered", 1)
    engine.dispose()


def test_sigterm_lets_serve_finish_the_request_in_flight(database_url: str, tmp_path: Path) -> None:
    """A request whose body is still arriving when SIGTERM comes is answered in full;
    new connections are refused meanwhile; then the server exits 0. (On the suite's
    database, migrated already: the next test empties its tables.)"""
    proc, base = serve(make_db(tmp_path, database_url), tmp_path, "--no-worker")
    try:
        port = int(base.rsplit(":", 1)[1])
        body = json.dumps(
            {
                "email": "late@example.com",
                "password": "slow-request-in-flight-2026",
                "full_name": "Late Arrival",
                "role": "buyer",
            }
        ).encode()
        head = (
            f"POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(head + body[:10])  # the rest is still to come
            time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while True:  # the listening socket closes: a new connection is refused
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                except ConnectionRefusedError:
                    break
                assert time.monotonic() < deadline, "still accepting after SIGTERM"
                time.sleep(0.05)
            assert proc.poll() is None  # still running: the request is not done
            conn.sendall(body[10:])
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        status, _, rest = answer.partition(b"\r\n")
        assert status == b"HTTP/1.1 201 Created", answer
        assert json.loads(rest.split(b"\r\n\r\n", 1)[1])["email"] == "late@example.com"
        assert proc.wait(timeout=35) == 0
    finally:
        stop(proc)
