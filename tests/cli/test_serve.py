"""`newsprism serve` starts the real web app on the address it is given and says where to log in."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_on_the_given_port(tmp_path: Path) -> None:
    port = free_port()
    script = Path(sys.executable).parent / "newsprism"
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    proc = subprocess.Popen(
        [str(script), "serve", "--port", str(port), "--database", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert response.status_code == 200 and "newsprism" in response.text
        api = httpx.get(f"http://127.0.0.1:{port}/api/v1/stories", timeout=5)
        assert api.status_code == 200 and api.json()["stories"] == []
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/login" in output.replace("\n", "")
