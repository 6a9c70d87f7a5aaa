"""`make build` never loses data: one build at a time, atomic swaps of the database and the report
site, and one line with its own exit code for every way a build can stop (scripts/build_errors.py)."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

import dbt_build
from tests.conftest import BUILD_SCRIPT, REPO_ROOT, BuildRun, build_environment, run_build

pytestmark = pytest.mark.e2e

KEPT = "the previous database was left as it was"
MOVE = (
    "move it away or set SEGMENTATION_DUCKDB_PATH to another file, then run the build again (the file was not changed)"
)
NOBODY = 65534


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    """Working copies, spill folders and half-built sites: a build must never leave one behind."""
    return sorted(
        p.name for p in folder.iterdir() if ".building" in p.name or ".old-" in p.name or p.name.endswith(".tmp")
    )


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    """A good demo build; each test copies it and checks its copy is left byte for byte as it was."""
    run = run_build(tmp_path_factory.mktemp("previous"))
    assert run.returncode == 0, run.stderr[-3000:]
    return run


@pytest.fixture
def database(previous_build: BuildRun, tmp_path: Path) -> Path:
    copy = tmp_path / "db" / "segmentation.duckdb"
    copy.parent.mkdir()
    shutil.copy2(previous_build.database, copy)
    return copy


def _wrapper(database: Path, *args: str, env: dict[str, str] | None = None, **popen: object) -> subprocess.Popen:
    environment = {**build_environment(database.parent.parent, database), **(env or {})}
    command = [sys.executable, str(BUILD_SCRIPT), *args]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=environment, text=True, **popen)  # type: ignore[call-overload]


def _run_wrapper(database: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = _wrapper(database, *args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


@contextmanager
def _hold_build_lock(database: Path) -> Iterator[None]:
    """Hold the build lock the way a running build does: flock on <database>.lock, our PID inside."""
    with open(database.with_name(database.name + ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield


# --- 1. one build per database at a time ----------------------------------------------------


def test_second_build_stops_and_names_the_running_build(database: Path) -> None:
    before = _digest(database)
    with _hold_build_lock(database):
        code, _, stderr = _run_wrapper(database)
    assert code == 4
    assert stderr.strip() == (
        f"error: another build (PID {os.getpid()}) is writing {database}; wait for it to finish, "
        "or run `make build WAIT=1` (scripts/dbt_build.py --wait) to wait for it"
    )
    assert _digest(database) == before and _leftovers(database.parent) == []


def test_two_builds_at_once_one_stops_one_waits(database: Path) -> None:
    """The incident: two builds on one file. The second stops naming the first; with WAIT it builds after it."""
    first = _wrapper(database, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    waiting: subprocess.Popen | None = None
    lock = database.with_name(database.name + ".lock")
    try:
        # The first build has the lock once it wrote its PID and its dbt prints a line.
        assert first.stdout is not None and first.stdout.readline()
        assert lock.read_text().strip() == str(first.pid)
        code, _, stderr = _run_wrapper(database)
        assert code == 4 and f"another build (PID {first.pid}) is writing {database}" in stderr
        waiting = _wrapper(
            database, env={"SEGMENTATION_BUILD_WAIT": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert waiting.stderr is not None
        assert waiting.stderr.readline().strip() == (
            f"waiting for the build running as PID {first.pid} to finish ({lock})"
        )
        _, first_err = first.communicate(timeout=600)
        assert first.returncode == 0, first_err[-3000:]
        waiting_out, waiting_err = waiting.communicate(timeout=600)
        assert waiting.returncode == 0, waiting_err[-3000:]
    finally:
        for process in (first, waiting):
            if process is not None and process.poll() is None:
                process.kill()
    assert waiting_out.strip().endswith(f"built {database}")
    assert lock.read_text().strip() == str(waiting.pid)
    assert _leftovers(database.parent) == []
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql("select count(*) from customer_segments").fetchall()[0][0] > 0


# --- 4. the target is not a database this DuckDB can read -----------------------------------


def _duckdb_checksum(block: bytes) -> int:
    """DuckDB's block checksum (src/common/checksum.cpp): xor of each 8-byte word times a constant."""
    result = 5381
    for (word,) in struct.iter_unpack("<Q", block):
        result ^= (word * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return result


def _with_storage_version(data: bytes, version: int) -> bytes:
    """The same database claiming another storage version (the main header: checksum, DUCK, version)."""
    header = bytearray(data[:4096])
    assert header[8:12] == b"DUCK"
    struct.pack_into("<Q", header, 12, version)
    struct.pack_into("<Q", header, 0, _duckdb_checksum(bytes(header[8:])))
    return bytes(header) + data[4096:]


@pytest.mark.parametrize(
    ("case", "content", "expected"),
    [
        ("text file", lambda _: b"customer_id,age\n1,30\n", "error: {path} is not a DuckDB database file; {move}"),
        (
            "newer DuckDB",
            lambda data: _with_storage_version(data, 1000),
            "error: {path} was written by a newer version of DuckDB (storage version 1000; "
            "DuckDB {version} here reads 64 to 69); {move}",
        ),
        (
            "DuckDB 0.6",
            lambda data: _with_storage_version(data, 39),
            "error: {path} was written by DuckDB version v0.6.0 or v0.6.1 (storage version 39; "
            "DuckDB {version} here reads 64 to 69); {move}",
        ),
        (
            "truncated",
            lambda data: data[:5000],
            'error: DuckDB {version} cannot read {path} (Could not read enough bytes from file "{path}": '
            "attempted to read 3192 bytes from location 5000); {move}",
        ),
    ],
    ids=["text file", "newer DuckDB", "DuckDB 0.6", "truncated"],
)
def test_unreadable_target_is_one_line_and_left_alone(database: Path, case: str, content, expected: str) -> None:
    database.write_bytes(content(database.read_bytes()))
    before = _digest(database)
    code, stdout, stderr = _run_wrapper(database)
    assert code == 5, case
    assert stderr.strip() == expected.format(path=database, move=MOVE, version=duckdb.__version__)
    assert "Traceback" not in stdout + stderr
    assert _digest(database) == before and _leftovers(database.parent) == []


# --- 4. a read-only checkout ------------------------------------------------------------------


def _as_nobody() -> list[str]:
    """Run as an unprivileged user: root writes into a chmod 555 folder, nobody cannot."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot drop the rights a read-only folder needs")
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def _read_only_mount(folder: Path) -> list[str]:
    """A read-only bind mount of the folder in a private mount namespace (EROFS, as on a read-only checkout)."""
    probe = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && ! touch "$0/probe" 2>/dev/null', folder]
    if not shutil.which("unshare") or subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        pytest.skip("no private mount namespace here: cannot mount a read-only folder")
    return ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && shift && exec "$@"', str(folder), "--"]


@pytest.mark.parametrize(
    ("case", "reason"), [("chmod 555, not root", "Permission denied"), ("read-only mount", "Read-only file system")]
)
def test_read_only_folder_is_one_line(previous_build: BuildRun, case: str, reason: str) -> None:
    # Not under pytest's 0700 tmp_path: the unprivileged user must reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="segmentation-read-only-"))
    try:
        folder.chmod(0o755)
        database = folder / "segmentation.duckdb"
        shutil.copy2(previous_build.database, database)
        database.chmod(0o644)
        before = _digest(database)
        if case.startswith("chmod"):
            folder.chmod(0o555)
            prefix = _as_nobody()
        else:
            prefix = _read_only_mount(folder)
        env = build_environment(folder, database)
        completed = subprocess.run(
            [*prefix, sys.executable, str(BUILD_SCRIPT)], cwd=REPO_ROOT, env=env, capture_output=True, text=True
        )
        assert completed.returncode == 6, completed.stderr
        assert completed.stderr.strip() == (
            f"error: cannot write in {folder} ({reason}: {database}.lock), where the build keeps the database, "
            "its lock and its working copy; make it writable or set SEGMENTATION_DUCKDB_PATH to a file in a "
            f"writable folder ({KEPT})"
        )
        assert _digest(database) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


# --- 4. a full disk during the copy (in process, the real code path with ENOSPC injected) ---


def test_full_disk_while_copying_is_one_line(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(database)
    copies: list[str] = []

    def copyfile_until_the_disk_is_full(source: str, destination: str, **kwargs: object) -> str:
        copies.append(destination)
        with open(source, "rb") as reader, open(destination, "wb") as writer:
            writer.write(reader.read(os.path.getsize(source) // 2))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), destination)

    monkeypatch.setattr(shutil, "copyfile", copyfile_until_the_disk_is_full)
    for name, value in build_environment(database.parent.parent, database).items():
        monkeypatch.setenv(name, value)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    assert dbt_build.main([]) == 7
    assert capsys.readouterr().err.strip() == (
        f"error: no space left on the device of {database.parent} (No space left on device); free some space "
        f"(a build needs about twice the size of the database there) and run the build again ({KEPT})"
    )
    assert _digest(database) == before and _leftovers(database.parent) == []
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers
    assert [Path(copy).parent for copy in copies] == [database.parent]  # the copy step hit the full disk


# --- 4. Ctrl-C (or SIGTERM) during dbt ---------------------------------------------------------


def test_copies_left_by_a_killed_build_are_deleted_by_the_next(database: Path) -> None:
    """SIGKILL leaves <database>.building (and earlier versions' <database>.building-<pid>-<random>)."""
    for name in (".building", ".building.wal", ".building-4194304-0a1b2c3d"):
        database.with_name(database.name + name).write_bytes(b"half a database")
    code, _, stderr = _run_wrapper(database, "--", "--select", "rejection_reasons")
    assert code == 0, stderr[-3000:]
    assert _leftovers(database.parent) == []


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_keeps_the_previous_database(database: Path, stop: signal.Signals, code: int) -> None:
    before = _digest(database)
    build = _wrapper(database, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert build.stdout is not None
        for line in build.stdout:
            if " START " in line:  # dbt is building nodes into the working copy
                break
        assert _leftovers(database.parent), "the working copy should exist while dbt runs"
        # DuckDB's spill folder (profiles.yml temp_directory), as a stopped build can leave it.
        (database.parent / f"{database.name}.tmp").mkdir(exist_ok=True)
        build.send_signal(stop)
        _, stderr = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == code
    assert stderr.strip().splitlines()[-1] == f"interrupted: the build was stopped; {KEPT}: {database}"
    assert "Traceback" not in stderr
    assert _digest(database) == before and _leftovers(database.parent) == []


# --- 3. the report site is swapped in only when it was built ----------------------------------


def _report(database: Path, output: Path, **popen: object) -> subprocess.Popen:
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database), "REPORT_OUTPUT_DIR": str(output)}
    command = ["node", "scripts/build.js"]
    return subprocess.Popen(command, cwd=REPO_ROOT / "reports", env=env, text=True, **popen)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def site(previous_build: BuildRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site over an older one: the swap replaces it and deletes the old folder."""
    output = tmp_path_factory.mktemp("site") / "dist"
    output.mkdir()
    (output / "index.html").write_text("the previous site")
    (output / "stale.txt").write_text("only in the previous site")
    build = _report(previous_build.database, output, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = build.communicate(timeout=600)
    assert build.returncode == 0, (stdout[-2000:], stderr[-2000:])
    assert "report site built" in stdout
    assert "the previous site" not in (output / "index.html").read_text()
    assert not (output / "stale.txt").exists()
    assert _leftovers(output.parent) == []
    return output


def test_failed_report_build_keeps_the_previous_site(site: Path, tmp_path: Path) -> None:
    before = _digest(site / "index.html")
    build = _report(tmp_path / "missing.duckdb", site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, stderr = build.communicate(timeout=600)
    assert build.returncode == 1
    assert stderr.strip().splitlines()[-1] == f"the previous site was kept: {site}"
    assert _digest(site / "index.html") == before and _leftovers(site.parent) == []


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_killed_report_build_keeps_the_previous_site(
    site: Path, previous_build: BuildRun, stop: signal.Signals, code: int
) -> None:
    before = _digest(site / "index.html")
    build = _report(previous_build.database, site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # Framework has started writing the new site beside the old one.
        while not any((p / "_observablehq").exists() for p in site.parent.glob("dist.building-*")):
            assert build.poll() is None, build.communicate()
            time.sleep(0.05)
        build.send_signal(stop)
        _, stderr = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == code
    assert stderr.strip().splitlines()[-1] == f"report build stopped ({stop.name}); the previous site was kept: {site}"
    assert _digest(site / "index.html") == before and _leftovers(site.parent) == []


def test_report_failure_after_the_database_is_exit_8(database: Path, tmp_path: Path) -> None:
    """The database is swapped in first; a site that then fails to build leaves the previous site."""
    before = _digest(database)
    output = tmp_path / "dist"
    output.mkdir()
    (output / "index.html").write_text("the previous site")
    code, _, stderr = _run_wrapper(
        database, "--report", env={"REPORT_PYTHON": str(tmp_path / "no-python"), "REPORT_OUTPUT_DIR": str(output)}
    )
    assert code == 8
    assert stderr.strip().splitlines()[-1] == (
        f"error: the database was built ({database}) but the report site was not; the previous site was kept. "
        "Fix the error above and run `make report`."
    )
    assert _digest(database) != before
    assert (output / "index.html").read_text() == "the previous site" and _leftovers(tmp_path) == []


# --- 5. make build: values are data, never shell or make text ---------------------------------


def _make_build(database: Path, *assignments: str) -> subprocess.CompletedProcess[str]:
    """`make build NAME=value ...` as a user types it, with this database and a throwaway site."""
    env = {
        **build_environment(database.parent.parent, database),
        "REPORT_OUTPUT_DIR": str(database.parent.parent / "dist"),
    }
    for inherited in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # not the outer `make test`'s variables
        env.pop(inherited, None)
    command = ["make", "--no-print-directory", "-C", str(REPO_ROOT), "build", *assignments]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=900)


def test_make_build_passes_vars_and_builds_the_site(database: Path) -> None:
    run = _make_build(database, "VARS={n_clusters: 5}")
    assert run.returncode == 0, run.stderr[-3000:]
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql("select k, k_rule from int_segment_models_fitted").fetchall() == [(5, "fixed_n_clusters")]
    assert (database.parent.parent / "dist" / "index.html").exists()


@pytest.mark.parametrize(
    ("assignment", "code", "expected"),
    [
        (
            "VARS={{n_clusters: 5}}'; touch {marker}; '",
            2,
            "error: VARS is not valid YAML (expected '<document start>', but found '<scalar>' at column 16); "
            "expected a mapping like '{{n_clusters: 5}}', got \"{{n_clusters: 5}}'; touch {marker}; '\"",
        ),
        (
            "VARS=$(touch {marker})",
            2,
            "error: VARS must be a YAML mapping like '{{n_clusters: 5}}', got '$(touch {marker})'",
        ),
        (
            "VARS=$(shell touch {marker})",
            2,
            "error: VARS must be a YAML mapping like '{{n_clusters: 5}}', got '$(shell touch {marker})'",
        ),
    ],
    ids=["shell quote", "shell $(...)", "make $(shell ...)"],
)
def test_make_build_vars_cannot_inject(
    database: Path, tmp_path: Path, assignment: str, code: int, expected: str
) -> None:
    marker = tmp_path / "pwned"
    before = _digest(database)
    run = _make_build(database, assignment.format(marker=marker))
    assert not marker.exists()
    assert run.returncode != 0
    assert run.stderr.splitlines()[0] == expected.format(marker=marker)
    assert f"build] Error {code}" in run.stderr
    assert _digest(database) == before


def test_make_build_paths_cannot_inject(database: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    before = _digest(database)
    run = _make_build(
        database,
        f"CUSTOMERS='; touch {marker}-quote; '",
        f"ORDERS=$(touch {marker}-subshell)`touch {marker}-backtick`$(shell touch {marker}-make)",
    )
    assert list(tmp_path.glob("pwned*")) == []
    assert run.returncode != 0
    # The values reached dbt intact, as paths that do not exist.
    assert f"touch {marker}-quote; '" in run.stdout + run.stderr
    assert f"error: the build failed; {KEPT}: {database}" in run.stderr
    assert "build] Error 1" in run.stderr
    assert _digest(database) == before


# --- upgrades keep the history ----------------------------------------------------------------


def test_an_upgrade_that_adds_columns_keeps_the_runs_and_the_older_model(database: Path) -> None:
    """A database built by an earlier version of the project lacks columns added since: the next
    build adds them to the kept tables instead of stopping, keeps every earlier run and model, and
    fills in what the empty columns meant then (K-Means: unit variances, equal weights)."""
    with duckdb.connect(str(database)) as connection:
        (old_version,) = connection.sql("select any_value(model_version) from customer_segments").fetchall()[0]
        # a store written before these columns existed
        for table, column in [
            ("segment_centroids", "segment_customers"),
            ("segment_centroids", "variance"),
            ("segment_centroids", "mixture_weight"),
            ("segment_model_runs", "features_fingerprint"),
            ("segment_model_runs", "segmentation_algorithm"),
        ]:
            connection.execute(f"alter table {table} drop column {column}")
    # another k, so the new model is stored beside the old one
    run = run_build(database.parent.parent / "upgrade", database=database, vars_yaml="{n_clusters: 4}")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with duckdb.connect(str(database), read_only=True) as connection:
        runs = connection.sql(
            "select model_version, segmentation_algorithm, features_fingerprint"
            " from segment_model_runs order by built_at"
        ).fetchall()
        old_model = connection.sql(
            "select distinct variance, mixture_weight, segment_customers is null from segment_centroids"
            f" where model_version = '{old_version}'"
        ).fetchall()
    assert len(runs) == 2 and runs[0][0] == old_version
    assert [algorithm for _, algorithm, _ in runs] == ["kmeans", "kmeans"]
    assert runs[0][2] is None and runs[1][2] is not None
    assert old_model == [(1.0, pytest.approx(1 / 6), True)]
