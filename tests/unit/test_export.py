"""``c360 export`` over a small hand-made warehouse: Segment calls, consent and opt-out as
the export marts give them, --changed-since-last with ops.export_state, the manifest,
atomic writes and one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from c360.cli import EXIT_ERROR, EXIT_USAGE, main
from c360.export import segment

BEHAVIOURAL = {
    "journey_stage",
    "journey_stage_since",
    "first_touch_channel",
    "first_touch_campaign",
    "signed_up_at",
    "createdAt",
    "first_touch_at",
    "last_seen_at",
}

PEOPLE_DDL = """
create table personal.export_person_traits (
    person_key varchar, user_id varchar, crm_contact_id varchar, email varchar,
    company_key varchar, full_name varchar, journey_stage varchar,
    first_touch_channel varchar, mrr_reporting decimal(18, 4),
    has_analytics_consent boolean, email_opted_out boolean,
    signed_up_at timestamp, last_seen_at timestamp
)
"""
PEOPLE = """
insert into personal.export_person_traits values
    ('pe_a', 'u-a', null, 'a@x.example', 'co_1', 'Ada', 'engaged', 'paid_search', 12.5,
     true, false, '2026-03-01 10:00:00', '2026-03-09 08:00:00'),
    ('pe_b', 'u-b', 'c-b', 'b@x.example', 'co_1', 'Bob', null, null, 12.5,
     false, false, null, null),
    ('pe_c', 'u-c', null, null, 'co_1', 'Cy', 'activated', null, 12.5,
     true, true, '2026-03-02 10:00:00', '2026-03-08 08:00:00'),
    ('pe_d', null, 'c-d', 'd@x.example', 'co_2', 'Di', null, null, null,
     true, false, null, null)
"""
COMPANIES = """
create table personal.export_company_traits as
select * from (values
    ('co_1', 'ws_1', 'u-a', 'Acme', 'pro', 12.5::decimal(18, 4), date '2025-01-01'),
    ('co_2', null, null, 'Solo', 'free', null, date '2025-06-01')
) as t(company_key, app_account_id, member_user_id, company_name, plan, mrr_reporting,
       created_date)
"""


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema personal")
        con.execute(PEOPLE_DDL)
        con.execute(PEOPLE)
        con.execute(COMPANIES)
    monkeypatch.setenv("C360_WAREHOUSE", str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, str]:
    """``c360 <argv>`` in-process: (exit code, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    return code, capsys.readouterr().err


def export(capsys: pytest.CaptureFixture[str], out: Path, *args: str) -> dict[str, Any]:
    code, err = run(capsys, ["export", "--to", str(out), *args])
    assert code == 0, err
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def calls(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_key(lines: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {line["traits"][key]: line for line in lines}


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("c360: error: "), err
    return lines[0]


def test_jsonl_lines_are_segment_identify_and_group_calls(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    export(capsys, out, "--format", "jsonl")
    assert sorted(p.name for p in out.iterdir()) == [
        "companies.jsonl",
        "manifest.json",
        "people.jsonl",
    ]
    people, companies = calls(out / "people.jsonl"), calls(out / "companies.jsonl")
    for call in people + companies:
        assert call["type"] in ("identify", "group")
        assert ("userId" in call) != ("anonymousId" in call)
        assert call["messageId"].startswith("c360-")
        assert dt.datetime.fromisoformat(call["timestamp"].replace("Z", "+00:00")).tzinfo
        assert isinstance(call["traits"], dict) and None not in call["traits"].values()
    assert {c["type"] for c in people} == {"identify"}
    assert {c["type"] for c in companies} == {"group"}
    person = by_key(people, "person_key")
    assert person["pe_a"]["userId"] == "u-a"
    assert person["pe_a"]["traits"]["createdAt"] == "2026-03-01T10:00:00Z"
    assert person["pe_a"]["traits"]["mrr_reporting"] == 12.5
    # a CRM-only contact has no user id: anonymousId is its person key
    assert person["pe_d"]["anonymousId"] == "pe_d" and "userId" not in person["pe_d"]
    company = by_key(companies, "company_key")
    assert company["co_1"]["groupId"] == "ws_1" and company["co_1"]["userId"] == "u-a"
    assert company["co_1"]["traits"]["name"] == "Acme"
    assert "member_user_id" not in company["co_1"]["traits"]
    # no app account, no member: the company key stands in for both
    assert company["co_2"]["groupId"] == "co_2" and company["co_2"]["anonymousId"] == "co_2"
    # message ids are stable for unchanged traits
    again = tmp_path / "again"
    export(capsys, again, "--format", "jsonl")
    assert [c["messageId"] for c in calls(again / "people.jsonl")] == [
        c["messageId"] for c in people
    ]


def test_refused_consent_and_email_opt_out(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    export(capsys, out, "--format", "jsonl")
    person = by_key(calls(out / "people.jsonl"), "person_key")
    refused = person["pe_b"]["traits"]
    assert refused["has_analytics_consent"] is False
    assert BEHAVIOURAL.isdisjoint(refused), BEHAVIOURAL & set(refused)
    assert {refused["user_id"], refused["crm_contact_id"], refused["email"]} == {
        "u-b",
        "c-b",
        "b@x.example",
    }
    assert BEHAVIOURAL & set(person["pe_a"]["traits"])  # the consented one keeps them
    opted_out = person["pe_c"]["traits"]
    assert "email" not in opted_out and opted_out["email_opted_out"] is True
    csv_out = tmp_path / "csv"
    export(capsys, csv_out, "--format", "csv")
    with (csv_out / "people.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["person_key"]: row for row in csv.DictReader(handle)}
    assert rows["pe_c"]["email"] == "" and rows["pe_c"]["email_opted_out"] == "true"
    assert rows["pe_b"]["journey_stage"] == "" and rows["pe_b"]["last_seen_at"] == ""


@pytest.mark.parametrize("file_format", ["jsonl", "csv", "parquet"])
def test_manifest_row_counts_match_the_files(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], file_format: str
) -> None:
    out = tmp_path / "out"
    manifest = export(capsys, out, "--format", file_format)
    assert manifest["format"] == file_format and manifest["changed_since_last"] is False
    assert [f["name"] for f in manifest["files"]] == [
        f"people.{file_format}",
        f"companies.{file_format}",
    ]
    for listed in manifest["files"]:
        path = out / listed["name"]
        if file_format == "jsonl":
            rows = len(path.read_text(encoding="utf-8").splitlines())
        elif file_format == "csv":
            rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
        else:
            rows = pq.read_metadata(path).num_rows
        assert rows == listed["rows"] == listed["rows_in_table"]
        assert listed["bytes"] == path.stat().st_size
    people = manifest["files"][0]
    assert people["rows"] == 4 and people["columns"][0] == {"name": "person_key", "type": "VARCHAR"}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_changed_since_last_writes_only_changed_rows(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    export(capsys, out, "--format", "jsonl")
    manifest = export(capsys, out, "--format", "jsonl", "--changed-since-last")
    assert manifest["changed_since_last"] is True
    assert [f["rows"] for f in manifest["files"]] == [0, 0]
    assert (out / "people.jsonl").read_text(encoding="utf-8") == ""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update personal.export_person_traits set full_name = 'Ada L' where person_key = 'pe_a'"
        )
        con.execute("delete from personal.export_person_traits where person_key = 'pe_d'")
    manifest = export(capsys, out, "--format", "jsonl", "--changed-since-last")
    people = calls(out / "people.jsonl")
    assert [(c["traits"]["person_key"], c["traits"]["name"]) for c in people] == [("pe_a", "Ada L")]
    assert [f["rows"] for f in manifest["files"]] == [1, 0]
    assert manifest["files"][0]["no_longer_exported"] == 1  # pe_d: no tombstone, counted
    # state is per destination and format: a csv export to the same folder starts afresh
    manifest = export(capsys, out, "--format", "csv", "--changed-since-last")
    assert [f["rows"] for f in manifest["files"]] == [3, 2]
    assert export(capsys, out, "--format", "jsonl", "--changed-since-last")["files"][0]["rows"] == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        state = con.execute(
            "select format, entity, count(*) from ops.export_state group by all order by all"
        ).fetchall()
    assert state == [
        ("csv", "companies", 2),
        ("csv", "people", 3),
        ("jsonl", "companies", 2),
        ("jsonl", "people", 3),
    ]


def test_an_interrupted_write_leaves_no_file_and_no_manifest(
    warehouse: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*_: Any) -> dict[str, Any]:
        raise RuntimeError("disk on fire")

    # people.jsonl is complete (under its temporary name) when the companies fail
    monkeypatch.setattr(segment, "group_call", fail)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        main(["export", "--to", str(out), "--format", "jsonl"])
    assert list(out.iterdir()) == []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables").fetchall()
    assert ("export_state",) not in tables


def test_errors_are_one_line_with_exit_codes(
    warehouse: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = str(tmp_path / "out")
    code, err = run(capsys, ["export", "--to", out, "--format", "xml"])
    assert code == EXIT_USAGE and "invalid choice: 'xml'" in one_line_error(err)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, err = run(capsys, ["export", "--to", str(blocker / "out")])
    assert code == EXIT_ERROR and "cannot write to --to" in one_line_error(err)
    monkeypatch.setenv("C360_WAREHOUSE", str(tmp_path / "missing.duckdb"))
    code, err = run(capsys, ["export", "--to", out])
    assert code == EXIT_ERROR and "no warehouse at" in one_line_error(err)
    unbuilt = tmp_path / "unbuilt.duckdb"
    duckdb.connect(str(unbuilt)).close()
    monkeypatch.setenv("C360_WAREHOUSE", str(unbuilt))
    code, err = run(capsys, ["export", "--to", out])
    assert code == EXIT_ERROR
    assert "has no personal.export_person_traits: build the exports" in one_line_error(err)
    assert not (tmp_path / "out").exists()


@pytest.fixture
def writer(warehouse: Path) -> Iterator[None]:
    """Another process holding the warehouse's write lock, as a build does."""
    hold = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
        " sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", hold, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    try:
        yield
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def test_a_warehouse_being_built_is_exit_4(
    writer: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(capsys, ["export", "--to", str(tmp_path / "out")])
    assert code == 4 and "is being written" in one_line_error(err)
    assert not (tmp_path / "out").exists()
