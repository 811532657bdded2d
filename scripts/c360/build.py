"""``c360 build``: run the dbt project in-process, turning dbt's events into progress lines.

dbt does all the work (``dbt build`` in the project c360 found, every extra argument
passed through); this module only points it at the landing zone and the
warehouse, silences dbt's console (its log file is still written), prints one
progress line per finished node and turns a failure into one line. A plain
``dbt build`` from the project folder builds the same warehouse.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c360.errors import C360Error
from c360.progress import Progress

# Node types whose every result gets a line; tests only when they do not pass.
_BUILT = {"model", "seed", "snapshot"}
_TESTS = {"test", "unit_test"}
_QUIET_STATUSES = {"pass", "success"}
_REASON_MAX = 400


class DbtUsageError(C360Error):
    """dbt rejected the arguments passed through to it (a usage error, exit 2)."""


def one_line(text: str, limit: int = _REASON_MAX) -> str:
    """dbt messages span lines; a user-facing reason is one line, cut at ``limit``."""
    flat = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


@dataclass
class Failure:
    """A node that errored or whose test failed."""

    resource_type: str
    name: str
    status: str
    message: str

    def describe(self) -> str:
        return f"{self.resource_type} {self.name} {self.status}: {one_line(self.message)}"


@dataclass
class EventReporter:
    """A dbt callback: one progress line per finished model/seed and per test that did not pass."""

    progress: Progress
    tests: dict[str, int] = field(default_factory=dict)  # test status -> count
    built: dict[str, int] = field(default_factory=dict)  # "model success" -> count
    failures: list[Failure] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    # dbt calls back from its worker threads: one line at a time.
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, event: Any) -> None:
        if event.info.name != "NodeFinished":
            return
        # An exception here would make dbt fail the node: report it and carry on.
        try:
            with self.lock:
                self.node_finished(event.data.node_info, event.data.run_result)
        except Exception as exc:
            self.progress.line(f"(could not read a dbt event: {type(exc).__name__}: {exc})")

    def node_finished(self, node: Any, result: Any) -> None:
        kind = str(node.resource_type)
        status = str(result.status or node.node_status)
        if kind in _TESTS:
            self.tests[status] = self.tests.get(status, 0) + 1
            if status in _QUIET_STATUSES:
                return
        else:
            key = f"{kind} {status}"
            self.built[key] = self.built.get(key, 0) + 1
        if status in ("error", "fail"):
            self.failures.append(Failure(kind, str(node.node_name), status, str(result.message)))
        self.progress.line(f"{node.node_name}: {status}{_count(kind, result)} ({_secs(result)}s)")

    @property
    def finished(self) -> int:
        return sum(self.built.values()) + sum(self.tests.values())

    def first_failure(self) -> Failure | None:
        """The failure to name: a model or seed error before a test's error or failure."""
        ranked = sorted(
            enumerate(self.failures),
            key=lambda item: (item[1].resource_type in _TESTS, item[1].status != "error", item[0]),
        )
        return ranked[0][1] if ranked else None

    def summary(self) -> str:
        parts = [f"{n} {key}" for key, n in sorted(self.built.items())]
        if self.tests:
            counts = ", ".join(f"{n} {status}" for status, n in sorted(self.tests.items()))
            parts.append(f"tests {counts}")
        took = time.perf_counter() - self.started
        return f"done: {'; '.join(parts) or 'nothing selected'} ({took:.1f}s)"


def _count(kind: str, result: Any) -> str:
    if kind in _TESTS:
        failures = int(result.num_failures or 0)
        return f" ({failures:,} failing rows)" if failures else ""
    # adapter_response is a protobuf Struct, which has no .get()
    fields = dict(result.adapter_response.items()) if result.adapter_response else {}
    rows = fields.get("rows_affected")
    if isinstance(rows, int | float) and rows >= 0:
        return f" ({int(rows):,} rows)"
    return ""


def _secs(result: Any) -> str:
    return f"{float(result.execution_time or 0.0):.1f}"


@contextmanager
def _environment(values: Mapping[str, str], cwd: Path) -> Iterator[None]:
    """Set environment variables and the working directory for the block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    saved_cwd = Path.cwd()
    os.environ.update(values)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _release_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a run.

    Otherwise the same process cannot open the warehouse again with another
    configuration (the read-only report, or a second build).
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    manager: Any = DuckDBConnectionManager  # untyped upstream
    try:
        env = manager.env()
    except Exception:  # no environment was created: nothing is open
        return
    manager.close_all_connections()
    env.close()


def dbt_arguments(project: Path, extra: Sequence[str]) -> list[str]:
    """``dbt build``, silent on the console (the log file keeps its level), then ``extra``."""
    file_level = os.environ.get("DBT_LOG_LEVEL_FILE") or "debug"
    return [
        "build",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--log-level",
        "none",
        "--log-level-file",
        file_level,
        *extra,
    ]


def prepare_warehouse(warehouse: Path) -> None:
    """Create the warehouse's folder if it is missing; a one-line error if that is impossible."""
    folder = warehouse.parent
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise C360Error(
            f"cannot create the warehouse folder {folder}: {exc.strerror or exc}; "
            "set C360_WAREHOUSE to a writable path"
        ) from None


def run_build(
    extra: Sequence[str],
    *,
    raw_dir: Path,
    warehouse: Path,
    progress: Progress,
    project: Path,
    dbt_env: Mapping[str, str] | None = None,
) -> EventReporter:
    """Run ``dbt build [extra]`` in ``project``; raise C360Error naming what failed.

    ``dbt_env``: more environment for dbt (e.g. ``DBT_TARGET_PATH``). Returns
    the reporter, with the counts of what was built and how tests ended.
    """
    from dbt.cli.main import dbtRunner

    root = project
    raw_dir = raw_dir.resolve()
    warehouse = warehouse.resolve()
    if warehouse.is_dir():
        raise C360Error(f"the warehouse {warehouse} is a directory; C360_WAREHOUSE names a file")
    prepare_warehouse(warehouse)
    progress.line(f"dbt build: {raw_dir} -> {warehouse}")
    reporter = EventReporter(progress)
    env = {"C360_RAW_DIR": str(raw_dir), "C360_WAREHOUSE": str(warehouse), **(dbt_env or {})}
    with _environment(env, root):
        try:
            outcome = dbtRunner(callbacks=[reporter]).invoke(dbt_arguments(root, extra))
        finally:
            _release_warehouse()
    if reporter.finished:
        progress.line(reporter.summary())
    if outcome.success:
        return reporter
    first = reporter.first_failure()
    if first is not None:
        more = len(reporter.failures) - 1
        tail = f" (and {more} more failed)" if more else ""
        raise C360Error(f"dbt build failed: {first.describe()}{tail}")
    exc = outcome.exception
    if exc is not None and type(exc).__name__ == "DbtUsageException":
        raise DbtUsageError(f"dbt build: {one_line(str(exc))}")
    reason = one_line(str(exc)) if exc is not None else "dbt reported failure"
    raise C360Error(f"dbt build failed: {reason}")
