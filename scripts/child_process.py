"""Waiting for a child process that must not outlive an interrupted parent.

Shared by the build wrapper (scripts/dbt_build.py) and the bench (scripts/bench/process_tree.py):
both stop their child the same way when Ctrl-C or SIGTERM reaches them.
"""

from __future__ import annotations

import subprocess

STOP_GRACE_SECONDS = 30


def wait_or_stop(child: subprocess.Popen) -> int:
    """The child's exit code; if this process is interrupted, stop the child first (SIGTERM, then SIGKILL)."""
    try:
        return child.wait()
    except BaseException:
        child.terminate()
        try:
            child.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise
