"""What `make build` says when it cannot build, and its exit code for each case (README "Bad input").

Every message is one line: what happened and what to do. Each case has its own exit code so a
script calling the build can tell them apart; this enum is their one definition.
"""

from __future__ import annotations

import errno
import re
from enum import IntEnum
from pathlib import Path

import duckdb

KEPT = "the previous database was left as it was"
MOVE_OR_RETARGET = (
    "move it away or set SEGMENTATION_DUCKDB_PATH to another file, then run the build again (the file was not changed)"
)


class ExitCode(IntEnum):
    """Exit codes of scripts/dbt_build.py."""

    OK = 0
    BUILD_FAILED = 1  # a model, test or input check failed; dbt's messages say which
    BAD_ARGUMENTS = 2  # VARS is not a YAML mapping, an unknown option (argparse's code too)
    DATABASE_IN_USE = 3  # another program has the DuckDB file open
    BUILD_RUNNING = 4  # another build holds <database>.lock
    UNREADABLE_DATABASE = 5  # the target is not a DuckDB file, or one this DuckDB cannot read
    NOT_WRITABLE = 6  # the database's folder cannot be written (read-only checkout, permissions)
    DISK_FULL = 7  # no space left while writing the working copy
    REPORT_FAILED = 8  # the database was built, the report site was not (the previous site stays)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT); SIGTERM gives 143 (128 + SIGTERM)


class BuildError(Exception):
    """A build that stopped for a known reason: the one-line message and the exit code."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; raised by the signal handler so cleanup runs on the way out."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.exit_code = 128 + signal_number


def build_running(database: Path, holder: int | None) -> BuildError:
    who = f"PID {holder}" if holder else "another process"
    return BuildError(
        ExitCode.BUILD_RUNNING,
        f"error: another build ({who}) is writing {database}; wait for it to finish, "
        "or run `make build WAIT=1` (scripts/dbt_build.py --wait) to wait for it",
    )


def database_open_failed(path: Path, error: duckdb.Error) -> BuildError:
    """The DuckDB error raised when opening the existing database, as the user's one line."""
    text = str(error)
    if "lock" in text.lower():
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        who = f"{holder.group(1)} (PID {holder.group(2)})" if holder else "another process"
        return BuildError(
            ExitCode.DATABASE_IN_USE,
            f"error: {path} is locked by {who}. Close the program using it (a DuckDB CLI, a notebook, "
            "the report preview) and run the build again.",
        )
    if "not a valid DuckDB database file" in text:
        return BuildError(
            ExitCode.UNREADABLE_DATABASE, f"error: {path} is not a DuckDB database file; {MOVE_OR_RETARGET}"
        )
    version = re.search(
        r"storage version number (\d+), but we can only read storage versions between (\d+) and (\d+)", text
    )
    if version:
        writer = re.search(r"was created with (.+?)\.\n", text)
        return BuildError(
            ExitCode.UNREADABLE_DATABASE,
            f"error: {path} was written by {writer.group(1) if writer else 'another version of DuckDB'} "
            f"(storage version {version.group(1)}; DuckDB {duckdb.__version__} here reads {version.group(2)} "
            f"to {version.group(3)}); {MOVE_OR_RETARGET}",
        )
    first_line = re.sub(r"^[A-Za-z ]*Error: ", "", text.strip().splitlines()[0])
    return BuildError(
        ExitCode.UNREADABLE_DATABASE,
        f"error: DuckDB {duckdb.__version__} cannot read {path} ({first_line}); {MOVE_OR_RETARGET}",
    )


def finishing_failed(database: Path, error: duckdb.Error) -> BuildError:
    """DuckDB could not fold the new database's write-ahead log into it (usually a full disk)."""
    text = str(error)
    code = ExitCode.DISK_FULL if "No space left" in text else ExitCode.BUILD_FAILED
    first_line = text.strip().splitlines()[0]
    return BuildError(code, f"error: could not finish writing the new database ({first_line}); {KEPT}: {database}")


def write_failed(error: OSError, database: Path) -> BuildError:
    """An OSError while writing beside the database (lock, working copy, rename), as the user's one line."""
    folder = database.parent
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return BuildError(
            ExitCode.DISK_FULL,
            f"error: no space left on the device of {folder} ({error.strerror}); free some space (a build needs "
            f"about twice the size of the database there) and run the build again ({KEPT})",
        )
    advice = (
        "make it writable or set SEGMENTATION_DUCKDB_PATH to a file in a writable folder"
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        else "fix that and run the build again"
    )
    detail = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return BuildError(
        ExitCode.NOT_WRITABLE,
        f"error: cannot write in {folder} ({detail}), where the build keeps the "
        f"database, its lock and its working copy; {advice} ({KEPT})",
    )
