"""Real server processes started from the Makefile's own recipes (`make run`, `make serve`), on
free ports, against the test database: the command a developer or an operator types is the
command the test runs."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recipe(target: str, after: str, **variables: str) -> str:
    """The shell command(s) of a Makefile target itself, without its prerequisites' (install,
    migrate, seed: the test database is ready): what `make -n` prints after the last line
    holding `after`."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-n", target, *(f"{k}={v}" for k, v in variables.items())],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    lines = out.splitlines()
    last_prerequisite = max(i for i, line in enumerate(lines) if after in line)
    return "\n".join(lines[last_prerequisite + 1:]).strip()


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@contextmanager
def running(command: str, env: dict[str, str], base: str, log: Path, *, ready: str = "/login",
            wait: float = 60):
    """Run `command` (in its own process group) until the block ends; it is ready when `base`
    answers `ready`. Its output goes to `log`, shown when it does not start."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("PUBLIC_URL", "TRUSTED_HOSTS", "FLASK_DEBUG", "SAMENPLAN_ENV")}
    full_env.update(env)
    output = log.open("w")
    process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=full_env,
                               start_new_session=True, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                requests.get(base + ready, timeout=10)
                break
            except requests.RequestException:  # not listening yet, or slow to answer at first
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{command!r} did not start:\n" + log.read_text())
                time.sleep(0.2)
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # its children too: one process group
            process.wait(timeout=15)
        except ProcessLookupError:  # it never started, or ended on its own: nothing left to stop
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        output.close()
