"""One build per database at a time: an exclusive flock on `<database>.lock` for the whole build.

Two builds at once on the same file once left an empty 12 KB database behind. The lock makes
the second build stop with the first one's PID (or wait for it, when asked). The lock file
stays after the build: deleting it would let a third build lock a new file while the second
still holds the old one. The kernel drops the lock when its holder exits, even on SIGKILL.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class BuildRunningError(RuntimeError):
    """Another build holds the lock of this database."""

    def __init__(self, database: Path, holder: int | None) -> None:
        super().__init__(f"another build (PID {holder}) is writing {database}")
        self.database = database
        self.holder = holder


def lock_path_for(database: Path) -> Path:
    """The lock file beside the database: customer_segmentation.duckdb -> customer_segmentation.duckdb.lock."""
    return database.with_name(database.name + ".lock")


def lock_holder(lock_file: Path) -> int | None:
    """The PID the holder wrote into the lock file, or None while it has not written it yet."""
    try:
        text = lock_file.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def build_lock(database: Path, *, wait: bool = False) -> Iterator[Path]:
    """Hold the database's build lock; raise BuildRunningError if another build has it, unless wait.

    OSError (a read-only folder, a full disk) propagates: the caller turns it into its message.
    """
    lock_file = lock_path_for(database)
    # O_CLOEXEC (Python's default): dbt and node do not inherit the lock, so it ends with this process.
    descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = lock_holder(lock_file)
            if not wait:
                raise BuildRunningError(database, holder) from None
            print(f"waiting for the build running as PID {holder or '?'} to finish ({lock_file})", file=sys.stderr)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield lock_file
    finally:
        os.close(descriptor)  # releases the lock
