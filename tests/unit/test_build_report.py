"""``c360 build`` without dbt: the progress lines from dbt events, and the post-build report."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest

from c360.build import EventReporter, one_line, prepare_warehouse
from c360.errors import C360Error
from c360.progress import Progress
from c360.report import MAX_REJECTED, report_lines

# --------------------------------------------------------------------------- progress


def node_finished(
    name: str,
    kind: str,
    status: str,
    *,
    seconds: float = 0.25,
    rows: float | None = None,
    failures: int = 0,
    message: str = "",
) -> Any:
    """A stand-in for dbt's NodeFinished event, with the fields the reporter reads."""
    response = {"rows_affected": rows} if rows is not None else {}
    return SimpleNamespace(
        info=SimpleNamespace(name="NodeFinished"),
        data=SimpleNamespace(
            node_info=SimpleNamespace(node_name=name, resource_type=kind, node_status=status),
            run_result=SimpleNamespace(
                status=status,
                message=message,
                execution_time=seconds,
                adapter_response=response,
                num_failures=failures,
            ),
        ),
    )


def reporter() -> tuple[EventReporter, io.StringIO]:
    stream = io.StringIO()
    return EventReporter(Progress(command="build", stream=stream)), stream


def test_one_line_per_model_and_seed_and_per_test_that_did_not_pass() -> None:
    rep, stream = reporter()
    rep(node_finished("currencies", "seed", "success", rows=40.0))
    rep(node_finished("stg_crm__accounts", "model", "success", seconds=1.26))
    rep(node_finished("not_null_x", "test", "pass"))
    rep(node_finished("unique_x", "test", "warn", failures=3))
    rep(node_finished("stg_crm__users", "model", "skipped", seconds=0.0))
    rep(SimpleNamespace(info=SimpleNamespace(name="SQLQuery"), data=None))
    assert stream.getvalue().splitlines() == [
        "[c360] build currencies: success (40 rows) (0.2s)",
        "[c360] build stg_crm__accounts: success (1.3s)",
        "[c360] build unique_x: warn (3 failing rows) (0.2s)",
        "[c360] build stg_crm__users: skipped (0.0s)",
    ]
    assert rep.failures == []
    assert rep.summary().startswith("done: 1 model skipped; 1 model success; 1 seed success;")
    assert "tests 1 pass, 1 warn" in rep.summary()


def test_the_reason_names_a_model_error_before_a_test_failure() -> None:
    rep, _ = reporter()
    rep(node_finished("unique_y", "test", "fail", failures=2, message="Got 2 results"))
    rep(node_finished("base_y", "model", "error", message="Runtime Error in model base_y\n  Boom"))
    first = rep.first_failure()
    assert first is not None
    assert first.describe() == "model base_y error: Runtime Error in model base_y Boom"
    assert len(rep.failures) == 2


def test_a_broken_event_is_reported_not_raised() -> None:
    rep, stream = reporter()
    rep(SimpleNamespace(info=SimpleNamespace(name="NodeFinished"), data=None))
    assert "could not read a dbt event" in stream.getvalue()


def test_one_line_flattens_and_cuts() -> None:
    assert one_line("a\n\n   b  \n c") == "a b c"
    assert one_line("x" * 500, limit=20) == "x" * 17 + "..."


def test_warehouse_folder_is_created_or_a_one_line_error(tmp_path: Path) -> None:
    prepare_warehouse(tmp_path / "a" / "b" / "w.duckdb")
    assert (tmp_path / "a" / "b").is_dir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(C360Error, match="cannot create the warehouse folder") as caught:
        prepare_warehouse(blocker / "sub" / "w.duckdb")
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- report


def make_warehouse(path: Path, *, rejected: int = 2, unreconciled: bool = False) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema ops")
        con.execute(
            "create table ops.incomplete_partitions as select * from (values"
            " ('events/messages/extract_date=2026-11-09', 'no _manifest.json', true),"
            " ('crm/users/extract_date=2026-01-01', 'row count mismatch', false))"
            " as t(partition_path, reason, is_current)"
        )
        con.execute(
            "create table ops.rejected_rows as select"
            " 'crm__accounts' as source_table,"
            " 'crm/accounts/extract_date=2026-10-24/part-0000.parquet' as file_path,"
            " i::bigint as file_row, date '2026-10-24' as extract_date,"
            " case when i = 0 then null else 'id' || i end as record_key,"
            " 'SystemModstamp' as column_name,"
            " case when i = 0 then null else 'not-a-date' end as raw_value,"
            " 'unparseable timestamp' as reason"
            f" from range({rejected}) as r(i)"
        )
        bad = "false" if unreconciled else "true"
        con.execute(
            "create table ops.load_reconciliation as select * from (values"
            " ('crm__accounts', 'crm', 'accounts', date '2026-10-24',"
            "  'crm/accounts/extract_date=2026-10-24', 'complete', 1200, 1190, 2, 8, true),"
            " ('crm__accounts', 'crm', 'accounts', date '2026-10-25',"
            f"  'crm/accounts/extract_date=2026-10-25', 'complete', 10, 9, 0, 0, {bad}),"
            " ('events__messages', 'events', 'messages', date '2026-11-09',"
            "  'events/messages/extract_date=2026-11-09', 'incomplete', null, null, null, null,"
            "  null))"
            " as t(source_table, system, table_name, extract_date, partition_path, status,"
            " landed_rows, loaded_rows, rejected_rows, duplicate_rows, is_reconciled)"
        )
    return path


def test_report_names_partitions_rows_and_reconciliation(tmp_path: Path) -> None:
    lines = report_lines(make_warehouse(tmp_path / "w.duckdb"))
    assert lines[:2] == [
        "Incomplete partitions (not loaded): 1",
        "  events/messages/extract_date=2026-11-09: no _manifest.json",
    ]
    assert (
        "  crm/accounts/extract_date=2026-10-24/part-0000.parquet:0 SystemModstamp=null:"
        " unparseable timestamp"
    ) in lines
    assert (
        "  crm/accounts/extract_date=2026-10-24/part-0000.parquet:1"
        " SystemModstamp=not-a-date: unparseable timestamp [key id1]"
    ) in lines
    table = [line for line in lines if line.startswith("  crm__accounts ")]
    assert len(table) == 1
    assert table[0].split() == ["crm__accounts", "2", "1,210", "1,199", "2", "8", "yes"]
    assert lines[-1] == "Every complete partition reconciles."
    # The incomplete partition is not counted as a reconciliation row.
    assert not any(line.startswith("  events__messages ") for line in lines)


def test_report_caps_rejected_rows_and_says_where_the_rest_are(tmp_path: Path) -> None:
    lines = report_lines(make_warehouse(tmp_path / "w.duckdb", rejected=MAX_REJECTED + 7))
    shown = [line for line in lines if ".parquet:" in line]
    assert len(shown) == MAX_REJECTED
    assert any("and 7 more: select * from ops.rejected_rows" in line for line in lines)


def test_report_names_partitions_that_do_not_reconcile(tmp_path: Path) -> None:
    lines = report_lines(make_warehouse(tmp_path / "w.duckdb", unreconciled=True))
    assert "1 complete partition(s) do NOT reconcile:" in lines
    assert (
        "  crm/accounts/extract_date=2026-10-25: landed 10, loaded 9, rejected 0, duplicates 0"
    ) in lines


def test_report_says_so_when_tables_or_the_warehouse_are_missing(tmp_path: Path) -> None:
    assert report_lines(tmp_path / "none.duckdb") == [
        f"Report: no warehouse at {tmp_path / 'none.duckdb'}, nothing to report."
    ]
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    lines = [line for line in report_lines(tmp_path / "empty.duckdb") if line]
    assert len(lines) == 3
    assert all("not in the warehouse" in line for line in lines)


def test_report_on_an_unreadable_warehouse_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "garbage.duckdb"
    path.write_bytes(b"not a database\n" * 100)
    [line] = report_lines(path)
    assert line.startswith(f"Report: cannot read the warehouse {path} read-only: ")
