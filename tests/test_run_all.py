"""``make run``'s three processes (bin/run-all): a crashed worker is started again while the web
server keeps serving, and Ctrl-C stops all three within ten seconds."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Supervisor:
    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(DEBUG="1", VAR_DIR=str(tmp_path), PORT=str(self.port))
        self.log = tmp_path / "run-all.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(ROOT / "bin" / "run-all")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )

    def pids(self, name: str) -> list[int]:
        return [
            int(pid) for pid in re.findall(rf"{name} startet \(pid (\d+)\)", self.log.read_text())
        ]

    def wait_for(self, condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        pytest.fail(f"timed out; run-all said:\n{self.log.read_text()}")

    def serves(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as r:
                return bool(r.status == 200)
        except OSError:
            return False


def test_a_killed_worker_is_restarted_and_ctrl_c_stops_all_three(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path)
    try:
        supervisor.wait_for(lambda: supervisor.serves() and supervisor.pids("beat"))
        [worker] = supervisor.pids("worker")
        os.kill(worker, signal.SIGKILL)
        supervisor.wait_for(lambda: len(supervisor.pids("worker")) == 2)
        assert supervisor.serves()
        assert supervisor.process.poll() is None
        time.sleep(2)  # the new worker well under way, as it would be when a nurse presses Ctrl-C
        children = [pid for name in ("web", "worker", "beat") for pid in supervisor.pids(name)]
        started = time.monotonic()
        supervisor.process.send_signal(signal.SIGINT)
        supervisor.process.wait(timeout=12)
        assert time.monotonic() - started < 10
        assert supervisor.process.returncode == 0
        assert not [pid for pid in children if alive(pid)]
    finally:
        if supervisor.process.poll() is None:
            supervisor.process.kill()
