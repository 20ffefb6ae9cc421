"""What the browser tests share: Debian's Chromium driven by Playwright (no browser download), and
`serve`, which runs `streamlit run app.py` on a store. The fixtures (one browser and one sample
server for the whole session) live in tests/conftest.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    """A port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, folder: Path, *, args: Sequence[str] = (), address: str = "127.0.0.1",
          port: int | None = None) -> Iterator[str]:
    """`streamlit run app.py` on the store `db`, on `address` and a free port (or `port`), with more
    `streamlit run` options `args` (e.g. `--secrets.files`); yields its base URL."""
    env = {k: v for k, v in os.environ.items() if k != "AIORG_NO_WARM_UP"}  # served as in production
    env |= {"AIORG_DB": str(db), "AIORG_NO_SAMPLE": "1"}
    port = port or free_port()
    log = (folder / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", address, "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://{address}:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"the app never became healthy; see {folder / 'streamlit.log'}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch_chromium() -> Iterator[object]:
    """Headless Chromium for the session (fails, naming the install line, when it is missing)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                    '(or deselect the browser tests with -m "not browser")')
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
