"""Timing whole commands as a user meets them: each run a fresh process, with its peak memory.

A small wrapper process starts the command and reports its wall time and the peak resident
memory of its children (the command), so the interpreter start-up is in the figure, as it is
for a user. Two commands compared are run in pairs, alternating which goes first, so drift on
a shared machine weighs on both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)
"""


class CommandFailedError(Exception):
    """A measured command exited with an error (the benchmark stops: its figure would be wrong)."""


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds and peak resident memory in MB."""

    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class Stats:
    """Median, min and max of a series of figures."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        return cls(statistics.median(values), min(values), max(values))


def fresh(command: Sequence[str]) -> Sample:
    """Run `command` in a fresh process from the repository root; its wall time and peak memory."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    seconds, peak_mb, code = out.stdout.split()
    if code != "0":
        raise CommandFailedError(f"exit {code}: {' '.join(command)}")
    return Sample(float(seconds), float(peak_mb))


@dataclass(frozen=True)
class Paired:
    """Paired runs of two commands: each one's samples and the ratio of each pair (a / b)."""

    a: list[Sample]
    b: list[Sample]

    @property
    def ratio(self) -> Stats:
        return Stats.of([x.seconds / y.seconds for x, y in zip(self.a, self.b, strict=True)])

    def seconds(self, side: str) -> Stats:
        return Stats.of([s.seconds for s in getattr(self, side)])

    def peak_mb(self, side: str) -> float:
        return max(s.peak_mb for s in getattr(self, side))


def paired(a: Callable[[int], Sequence[str]], b: Callable[[int], Sequence[str]], runs: int) -> Paired:
    """`runs` pairs of fresh runs of the commands `a(i)` and `b(i)`, the first of each pair alternating."""
    first, second = [], []
    for i in range(runs):
        if i % 2 == 0:
            first.append(fresh(a(i)))
            second.append(fresh(b(i)))
        else:
            second.append(fresh(b(i)))
            first.append(fresh(a(i)))
    return Paired(first, second)


def repeated(command: Sequence[str], runs: int) -> list[Sample]:
    """`runs` fresh runs of the same command."""
    return [fresh(command) for _ in range(runs)]
