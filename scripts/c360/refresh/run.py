"""``c360 refresh``: lock -> seeds check -> landing scan and guard rails -> build
(with tests) -> run log -> alerts (and anomaly alerts on key accounts) -> publish.

Exit codes: 0 published; 1 failed or refused, nothing published (the
previous analytics file is unchanged); 2 usage or configuration error; 3
published with warnings (rejected rows, incomplete partitions, stale
sources, warned tests, an allowed shrink).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import duckdb

from c360 import landing
from c360.build import DbtUsageError, run_build
from c360.errors import C360Error
from c360.privacy import apply, keys, ledger, purge
from c360.privacy.hashing import register_functions
from c360.progress import Progress
from c360.refresh import alerts, anomalies, guard, runlog
from c360.refresh.lock import refresh_lock
from c360.refresh.publish import KEEP_PUBLISHES, publish
from c360.refresh.stats import read_stats
from c360.settings import DEFAULT_ANALYTICS, analytics_storage_version, raw_dir, warehouse_path

EXIT_PUBLISHED = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_WARNINGS = 3

DEFAULT_STALE_DAYS = 2


@dataclass(frozen=True)
class RefreshPaths:
    project: Path
    raw: Path
    warehouse: Path  # the build file dbt writes
    analytics: Path  # the published file analysts open
    runs_log: Path  # refresh_runs.jsonl

    @classmethod
    def of(cls, project: Path) -> RefreshPaths:
        analytics = os.environ.get("C360_ANALYTICS_DB") or str(project / DEFAULT_ANALYTICS)
        warehouse = warehouse_path(project).resolve()
        return cls(
            project=project,
            raw=raw_dir(project).resolve(),
            warehouse=warehouse,
            analytics=Path(analytics).resolve(),
            runs_log=warehouse.parent / "refresh_runs.jsonl",
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _stale_days() -> int:
    text = os.environ.get("C360_STALE_DAYS") or str(DEFAULT_STALE_DAYS)
    try:
        return int(text)
    except ValueError:
        raise DbtUsageError(f"C360_STALE_DAYS={text!r} is not a whole number of days") from None


# Unit tests check the SQL against fixed inputs, not the night's data: they run in
# `make test` and CI, where the SQL changes. The nightly build runs every data test.
NIGHTLY_DBT_ARGS = ("--exclude-resource-type", "unit_test")


class Refresh:
    """One run of the nightly job."""

    def __init__(
        self,
        paths: RefreshPaths,
        *,
        progress: Progress,
        problems: TextIO,
        allow_shrink: bool = False,
        dbt_args: Sequence[str] = (),
        seeds_gate: Callable[[], None] | None = None,
    ) -> None:
        self.paths = paths
        self.progress = progress
        self.problems = problems
        self.allow_shrink = allow_shrink
        self.dbt_args = list(dbt_args)
        self.seeds_gate = seeds_gate
        started = _now()
        self.record = runlog.RunRecord(
            run_id=started.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3),
            started_at=started.isoformat(sep=" "),
            landing_dir=str(paths.raw),
        )

    # -- stages ------------------------------------------------------------

    def run(self) -> int:
        stale_days = _stale_days()
        key_account_mrr = anomalies.key_account_threshold()
        with refresh_lock(self.paths.warehouse, self.record.run_id, self.record.started_at) as left:
            if left is not None:
                self.progress.line(
                    f"lock: taking over the lock left by {left.describe()} (it did not finish)"
                )
            try:
                code = self._stages(stale_days, key_account_mrr)
            except DbtUsageError as exc:
                self._end("failed", EXIT_USAGE, str(exc))
                raise
            except C360Error as exc:
                status = "refused" if isinstance(exc, guard.LandingRefused) else "failed"
                self._end(status, EXIT_FAILED, str(exc))
                self._alert("error", str(exc))
                self._save_record()
                raise
        return code

    def _timed(self, name: str, started: float) -> None:
        self.record.stage_seconds[name] = round(time.perf_counter() - started, 2)

    def _stages(self, stale_days: int, key_account_mrr: Decimal | None) -> int:
        t = time.perf_counter()
        if self.seeds_gate is not None:
            self.seeds_gate()
        self._timed("seeds_check", t)

        t = time.perf_counter()
        erasure = self._resolve_erasures()
        self._timed("erasure", t)

        t = time.perf_counter()
        with self.progress.stage("landing scan") as st:
            partitions = self._scan()
            st.rows = sum(p.file_row_count for p in partitions if p.status == landing.COMPLETE)
            complete = sum(1 for p in partitions if p.status == landing.COMPLETE)
            st.detail = f"in {complete:,} complete of {len(partitions):,} partitions"
        previous = runlog.last_published(self.paths.analytics)
        shrinks = guard.check_landing(
            self.paths.raw,
            partitions,
            previous,
            allow_shrink=self.allow_shrink,
            purged=erasure.purged_rows,
        )
        self._timed("landing_scan", t)

        t = time.perf_counter()
        reporter = run_build(
            [*NIGHTLY_DBT_ARGS, *self.dbt_args],
            raw_dir=self.paths.raw,
            warehouse=self.paths.warehouse,
            progress=self.progress,
            project=self.paths.project,
            dbt_env={
                "DBT_TARGET_PATH": str(self.paths.project / "target" / "refresh"),
                "DBT_LOG_PATH": str(self.paths.project / "logs" / "refresh" / self.record.run_id),
            },
        )
        self._timed("build", t)
        if erasure.active:
            t = time.perf_counter()
            self._finish_erasures(erasure)
            self._timed("erasure_check", t)

        with duckdb.connect(str(self.paths.warehouse), read_only=True) as con:
            stats = read_stats(con, stale_days)
        rec = self.record
        rec.tables = stats.tables
        rec.incomplete_partitions = stats.incomplete_partitions
        rec.rejected_rows = stats.rejected_rows
        rec.duplicate_rows = stats.duplicate_rows
        rec.tests_failed = reporter.tests.get("fail", 0) + reporter.tests.get("error", 0)
        rec.tests_warned = reporter.tests.get("warn", 0)
        rec.stale_sources = stats.stale_sources
        rec.warnings = self._warnings(stats.unreconciled, shrinks)
        status = "published_with_warnings" if rec.warnings else "published"
        code = EXIT_WARNINGS if rec.warnings else EXIT_PUBLISHED
        self._end(status, code, "; ".join(rec.warnings) or None)
        if rec.warnings:
            self._alert("warning", f"published with warnings: {'; '.join(rec.warnings)}")
        if key_account_mrr is not None:
            t = time.perf_counter()
            self.alert_anomalies(key_account_mrr)
            self._timed("anomaly_alerts", t)
        self._save_record()

        t = time.perf_counter()
        with self.progress.stage("publish") as st:
            # after an erasure no earlier snapshot is kept: they hold the person
            done = publish(
                self.paths.warehouse,
                self.paths.analytics,
                rec.run_id,
                keep_publishes=1 if erasure.active else KEEP_PUBLISHES,
                storage_version=analytics_storage_version(),
            )
            st.rows = done.rows
            st.detail = (
                f"in {done.tables} tables -> {self.paths.analytics}; marts snapshots:"
                f" {done.files_written:,} files written ({done.bytes_written / 1e6:,.1f} MB),"
                f" {done.files_kept:,} unchanged ({done.snapshot_bytes / 1e6:,.1f} MB in all)"
            )
        self._timed("publish", t)
        runlog.append_jsonl(self.paths.runs_log, rec)
        for warning in rec.warnings:
            print(f"c360: warning: {warning}", file=self.problems)
        return code

    def _resolve_erasures(self) -> apply.Erasure:
        """Resolve the open erasure requests against the build file and, for those
        asking it, purge the landing zone (docs/privacy.md)."""
        if not self.paths.warehouse.is_file():
            return apply.Erasure()
        with self.progress.stage("erasure") as st, duckdb.connect(str(self.paths.warehouse)) as con:
            requests = ledger.open_requests(con)
            if not requests:
                st.detail = "no open request"
                return apply.Erasure()
            register_functions(con, keys.load(self.problems))
            erasure = apply.resolve(con, requests, _now())
            st.rows = sum(erasure.rows_before.values())
            st.detail = (
                f"of {len(requests)} request(s) to remove, in {len(erasure.rows_before)} tables"
                f" ({erasure.people} people found, {erasure.tombstones} registry rows tombstoned)"
            )
            if any(r.purge_raw for r in requests) and self.paths.raw.is_dir():
                every = f"select identifier_hash from {ledger.SCHEMA}.erased_identifiers"
                purged = purge.purge(con, self.paths.raw, every)
                counts = {p.table: p.rows for p in purged}
                apply.log_purge(
                    con,
                    [r.request_id for r in requests if r.purge_raw],
                    self.record.run_id,
                    _now(),
                    counts,
                )
                st.detail += (
                    f"; raw purged: {sum(counts.values()):,} rows in"
                    f" {sum(p.partitions for p in purged):,} partitions"
                )
            erasure.purged_rows = apply.purged_rows(con, erasure.request_ids)
        return erasure

    def _finish_erasures(self, erasure: apply.Erasure) -> None:
        with (
            self.progress.stage("erasure check") as st,
            duckdb.connect(str(self.paths.warehouse)) as con,
        ):
            register_functions(con, keys.load(self.problems))
            removed = apply.finish(con, erasure, self.record.run_id, _now())
            st.rows = sum(removed.values())
            st.detail = (
                f"removed from {len(removed)} tables, none left; requests"
                f" {', '.join(erasure.request_ids)} applied"
            )

    def _scan(self) -> list[landing.Partition]:
        if not self.paths.raw.is_dir():
            return []
        return landing.scan(self.paths.raw, self._verified())

    def _verified(self) -> dict[str, landing.Stamp]:
        """The files the last build's scan verified (none when there is no build file)."""
        if not self.paths.warehouse.is_file():
            return {}
        try:
            with duckdb.connect(str(self.paths.warehouse), read_only=True) as con:
                rows = con.execute(
                    "select v.file, v.size, v.mtime_ns"
                    " from (select unnest(verified_files) as v from ops.landing_partitions)"
                ).fetchall()
        except duckdb.Error:
            return {}
        return landing.verified_from_rows(rows, self.paths.raw)

    def _warnings(self, unreconciled: int, shrinks: list[str]) -> list[str]:
        rec = self.record
        out = []
        if rec.rejected_rows:
            out.append(f"{rec.rejected_rows:,} rejected rows (ops.rejected_rows)")
        if rec.incomplete_partitions:
            out.append(
                f"{rec.incomplete_partitions:,} incomplete partitions not loaded"
                " (ops.landing_partitions)"
            )
        if unreconciled:
            out.append(f"{unreconciled:,} partitions do not reconcile (ops.load_reconciliation)")
        if rec.tests_warned:
            out.append(f"{rec.tests_warned:,} tests warned")
        out.extend(f"stale source {s}" for s in rec.stale_sources)
        out.extend(f"allowed shrink: {s}" for s in shrinks)
        return out

    # -- the record and alerts ---------------------------------------------

    def _end(self, status: str, code: int, message: str | None) -> None:
        self.record.status = status
        self.record.exit_code = code
        self.record.message = message
        self.record.finished_at = _now().isoformat(sep=" ")

    def _alert(self, severity: str, message: str) -> None:
        status = self._post(severity, message)
        self._with_build_file(
            lambda con: runlog.write_alert(
                con, self.record.run_id, _now().isoformat(sep=" "), severity, message, status
            )
        )

    def _post(self, severity: str, message: str) -> str:
        """The webhook's status for this alert (never an exception)."""
        hook_url = os.environ.get("C360_ALERT_WEBHOOK")
        if not hook_url:
            return "no webhook (C360_ALERT_WEBHOOK unset)"
        body = alerts.payload(severity, self.paths.project.name, message)
        return alerts.post(alerts.Webhook(hook_url), body)

    def alert_anomalies(self, key_account_mrr: Decimal) -> None:
        """One ``anomaly`` alert listing the new anomalies on key accounts, each recorded
        in ops.sent_anomaly_alerts with the alert's row in ops.alerts (in one transaction)
        so that it is never alerted again; nothing new, no alert."""

        def send(con: duckdb.DuckDBPyConnection) -> None:
            with self.progress.stage("anomaly alerts") as st:
                found = anomalies.unsent(con, key_account_mrr)
                st.rows = len(found)
                st.detail = f"new on key accounts (MRR >= {key_account_mrr})"
                if not found:
                    return
                text = anomalies.message(found, key_account_mrr)
                status = self._post("anomaly", text)
                st.detail += f", webhook: {status}"
                now = _now().isoformat(sep=" ")
                con.execute("begin transaction")
                runlog.write_alert(con, self.record.run_id, now, "anomaly", text, status)
                anomalies.mark_sent(con, found, self.record.run_id, now)
                con.execute("commit")

        self._with_build_file(send)

    def _save_record(self) -> None:
        self._with_build_file(lambda con: runlog.write(con, self.record))
        if self.record.status in ("failed", "refused"):
            runlog.append_jsonl(self.paths.runs_log, self.record)

    def _with_build_file(self, write: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
        """Write to the build file; a file nobody can open loses only this row (the
        JSON lines log keeps the run)."""
        self.paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
        try:
            with duckdb.connect(str(self.paths.warehouse)) as con:
                write(con)
        except duckdb.Error as exc:
            with suppress(Exception):
                self.progress.line(f"run log: could not write to {self.paths.warehouse}: {exc}")
