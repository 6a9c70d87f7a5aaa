"""Run a command and measure its wall time and the peak resident memory of its whole process tree.

Why not getrusage: RUSAGE_CHILDREN reports the largest single descendant, accumulated over every
child this process ever waited for, so dbt's Python workers or a second run would be misread.
Why not psutil: it is not a dependency. Linux's /proc has what is needed: every ~50 ms a thread
finds the child and all its descendants (through the parent pid in /proc/<pid>/stat) and sums
their resident pages (/proc/<pid>/statm). The peak is the largest such sum. Pages shared between
processes (libraries, fork copies) count once per process, as in `ps` and `top`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Run as a script from scripts/bench/, the shared helpers in scripts/ are one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from child_process import wait_or_stop

PROC = Path("/proc")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measurement:
    """One finished command: its exit code, wall seconds and peak tree RSS in bytes."""

    returncode: int
    wall_seconds: float
    peak_rss_bytes: int


def parent_pids() -> dict[int, int]:
    """pid -> parent pid of every process visible now (processes that vanish meanwhile are skipped)."""
    parents = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def tree_pids(root: int, parents: dict[int, int]) -> set[int]:
    """root and every descendant of it in the parent map."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, pending = {root}, [root]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process; 0 if it has gone (or is a zombie, which has none)."""
    try:
        return int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(root: int) -> int:
    """The summed resident memory of root and all its descendants, now."""
    return sum(rss_bytes(pid) for pid in tree_pids(root, parent_pids()))


class TreeSampler:
    """A thread that samples a process tree's RSS until stopped and keeps the maximum."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root = root
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.peak_bytes = max(self.peak_bytes, tree_rss_bytes(self.root))
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(
    command: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    stdout_path: Path,
    interval: float = 0.05,
) -> Measurement:
    """Run command to the end, its output (stdout and stderr) into stdout_path; stop it if we are interrupted."""
    with stdout_path.open("wb") as output:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        with TreeSampler(child.pid, interval) as sampler:
            returncode = wait_or_stop(child)
        elapsed = time.perf_counter() - started
    return Measurement(returncode, elapsed, sampler.peak_bytes)
