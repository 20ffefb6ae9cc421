"""The upload folder beside a store, where each import writes the UTF-8 copy DuckDB reads.

Each process writes into its own subfolder, `.aiorg_uploads/<pid>-<start>/` (`start`: the
process's start time, so that a reused pid is not mistaken for a live importer) and
removes each copy when its import ends. A killed process cannot, so on first use of a
folder, the subfolders of processes that are gone are removed, with any copy older
than a day; the copies of an import running in another process are never touched.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

FOLDER = ".aiorg_uploads"
STALE_SECONDS = 24 * 3600

_CLEANED: set[Path] = set()
_OWN: set[Path] = set()
_TOKENS: dict[int, str] = {}
_LOCK = threading.Lock()


def _start_token(pid: int) -> str | None:
    """The start time of process `pid` in clock ticks since boot (Linux); None where /proc is absent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the command name


def _alive(pid: int, token: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's live process
    current = _start_token(pid)
    return current is None or current == token


def process_folder(root: Path) -> Path:
    """This process's subfolder of the upload folder `root` (cleaned of stale copies on first use)."""
    pid = os.getpid()
    with _LOCK:
        if pid not in _TOKENS:
            _TOKENS[pid] = _start_token(pid) or "0"
        folder = root / f"{pid}-{_TOKENS[pid]}"
        if root not in _CLEANED:
            _CLEANED.add(root)
            clean_stale(root)
        _OWN.add(folder)
    return folder


def clean_stale(root: Path, now: float | None = None) -> None:
    """Remove the copies of processes that are gone, and any copy older than a day."""
    now = time.time() if now is None else now
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        pid, _, token = entry.name.partition("-")
        if entry.is_dir() and pid.isdigit() and not _alive(int(pid), token):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir():
            _remove_old(entry.iterdir(), now)
        else:
            _remove_old([entry], now)  # a copy left by an earlier version, outside any process folder


def _remove_old(paths: Iterable[Path], now: float) -> None:
    for path in paths:
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
        except OSError:
            continue


@atexit.register
def _remove_own() -> None:
    """At exit, this process's folders go (any copy left in them belongs to no running import)."""
    for folder in _OWN:
        if folder.name.startswith(f"{os.getpid()}-"):
            shutil.rmtree(folder, ignore_errors=True)
