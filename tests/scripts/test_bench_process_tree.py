"""The bench's memory figure is the peak RSS of the whole process tree, grandchildren included."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from process_tree import measure, tree_pids

MIB = 2**20

# The child starts a grandchild that writes 200 MiB (so the pages are resident) and holds them.
GRANDCHILD = f"data = b'x' * (200 * {MIB}); import time; time.sleep(1.0)"
CHILD = f"import subprocess, sys; sys.exit(subprocess.run([sys.executable, '-c', {GRANDCHILD!r}]).returncode + 3)"


def test_peak_counts_memory_held_by_a_grandchild(tmp_path: Path) -> None:
    result = measure([sys.executable, "-c", CHILD], cwd=tmp_path, env=dict(os.environ), stdout_path=tmp_path / "out")
    assert result.returncode == 3  # the child's own exit code comes back
    assert result.peak_rss_bytes >= 200 * MIB
    assert result.wall_seconds >= 1.0


def test_peak_does_not_count_processes_outside_the_tree(tmp_path: Path) -> None:
    # This test process and everything else on the machine hold far more than a bare interpreter.
    result = measure([sys.executable, "-c", "pass"], cwd=tmp_path, env=dict(os.environ), stdout_path=tmp_path / "out")
    assert result.returncode == 0
    assert result.peak_rss_bytes < 100 * MIB


def test_output_goes_to_the_log_file(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import sys; print('to stdout'); print('to stderr', file=sys.stderr)"]
    measure(command, cwd=tmp_path, env=dict(os.environ), stdout_path=tmp_path / "out")
    assert (tmp_path / "out").read_text().split() == ["to", "stdout", "to", "stderr"]


def test_tree_is_the_root_and_all_its_descendants_only() -> None:
    parents = {10: 1, 11: 10, 12: 11, 13: 10, 20: 1, 21: 20}
    assert tree_pids(10, parents) == {10, 11, 12, 13}
    assert tree_pids(12, parents) == {12}
