"""Erasure end to end: ``c360 erase`` then ``c360 refresh`` removes a person from every
table of the build and analytics files and, with --purge-raw, from the landing zone;
re-landing their old partitions brings nothing back; the key stays as a tombstone.

The person chosen has anonymous and identified events, a CRM contact with several
versions, a billing email and an NPS response; a hand-made help-desk partition gives
them tickets. Refreshes run without data tests (the rest of the suite runs them).
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360.cli import main
from c360.progress import Progress
from c360.refresh.run import Refresh, RefreshPaths

pytestmark = pytest.mark.slow

NO_DATA_TESTS = ("--exclude-resource-type", "test")


@dataclass
class Site:
    project: Path
    original: Path  # the landing zone as landed, never purged
    raw: Path
    warehouse: Path
    analytics: Path

    def refresh(self) -> int:
        paths = RefreshPaths(
            self.project, self.raw, self.warehouse, self.analytics, self.warehouse.parent / "runs"
        )
        problems = io.StringIO()
        code = Refresh(
            paths,
            progress=Progress("refresh", quiet=True),
            problems=problems,
            dbt_args=NO_DATA_TESTS,
        ).run()
        assert code in (0, 3), problems.getvalue()
        return code


def _person(raw: Path) -> tuple[str, set[str]]:
    """An email with a CRM contact of 2+ versions, a billing customer, an NPS response
    and identified events with an anonymous id; the person's identifiers."""
    con = duckdb.connect()

    def scan(table: str) -> str:
        return f"read_parquet('{raw}/{table}/*/*.parquet', union_by_name = true)"

    row = con.execute(
        f"""
        with contacts as (
            select lower(trim("Email")) as email, count(distinct "SystemModstamp") as versions
            from {scan("crm/contacts")}
            group by all having count(distinct "SystemModstamp") > 1
        ),
        users as (
            select distinct lower(trim("Email")) as email, "App_User_Id__c" as user_id
            from {scan("crm/contacts")} where "App_User_Id__c" is not null
        ),
        anonymous as (
            select distinct "userId" as user_id from {scan("events/messages")}
            where "anonymousId" is not null and "userId" is not null
        )
        select contacts.email
        from contacts
        inner join users on users.email = contacts.email
        inner join anonymous on anonymous.user_id = users.user_id
        where contacts.email in (select lower(trim(email)) from {scan("billing/customers")})
            and contacts.email in (select lower(trim(email)) from {scan("support/nps_responses")})
        order by contacts.email
        limit 1
        """
    ).fetchone()
    assert row is not None, "tiny has no person with every kind of data"
    email = str(row[0])
    ids = {email}
    for contact_id, user_id in con.execute(
        f'select distinct "Id", "App_User_Id__c" from {scan("crm/contacts")}'
        ' where lower(trim("Email")) = ?',
        [email],
    ).fetchall():
        ids.add(str(contact_id))
        if user_id:
            ids.add(str(user_id))
    users = [i for i in ids if i != email and not i.startswith("003")]
    for (anonymous_id,) in con.execute(
        f'select distinct "anonymousId" from {scan("events/messages")}'
        ' where "userId" in (select unnest(?)) and "anonymousId" is not null',
        [users],
    ).fetchall():
        ids.add(str(anonymous_id))
    return email, ids


def _add_tickets(raw: Path, email: str) -> None:
    """A new help-desk partition: two tickets of the person, one of someone else."""
    folder = raw / "support" / "tickets"
    template_file = sorted(folder.glob("extract_date=*/*.parquet"))[-1]
    template = pq.read_table(template_file).slice(0, 1).to_pylist()[0]
    rows = []
    for n, requester in enumerate([email, email.upper(), "someone.else@example.org"]):
        ticket_id = 990_000_000 + n if isinstance(template["ticket_id"], int) else f"T-ERASE-{n}"
        rows.append({**template, "ticket_id": ticket_id, "requester_email": requester})
    last = sorted(p.name for p in folder.glob("extract_date=*"))[-1]
    part = folder / last.replace(last[-2:], "28")
    part.mkdir()
    schema = pq.read_schema(template_file)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), part / "part-0000.parquet")
    manifest = json.loads((template_file.parent / "_manifest.json").read_text())
    manifest.update(extract_date=part.name.split("=")[1], mode="incremental", row_count=len(rows))
    (part / "_manifest.json").write_text(json.dumps(manifest))


def _hits_in_file(path: Path, values: set[str]) -> dict[str, int]:
    """Rows per table.column (tables, and the analytics file's mart views) whose text
    holds one of ``values``, case-insensitive; the landing views over raw files skipped."""
    found: dict[str, int] = {}
    con = duckdb.connect(str(path), read_only=True)
    columns = con.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns as c"
        " inner join information_schema.tables as t using (table_catalog, table_schema, table_name)"
        " where c.table_catalog = current_database() and c.table_schema <> 'landing'"
        " and (t.table_type = 'BASE TABLE' or c.table_schema = 'marts')"
    ).fetchall()
    listed = [v.lower() for v in values]
    for schema, table, column in columns:
        text = f'lower(cast("{column}" as varchar))'
        where = " or ".join(f"contains({text}, ?)" for _ in listed)
        row = con.execute(
            f'select count(*) from "{schema}"."{table}" where {where}', listed
        ).fetchone()
        if row and row[0]:
            found[f"{path.name}:{schema}.{table}.{column}"] = int(row[0])
    con.close()
    return found


def _hits_in_landing(raw: Path, values: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    con = duckdb.connect()
    listed = [v.lower() for v in values]
    for file in sorted(raw.glob("*/*/extract_date=*/*.parquet")):
        names = [
            str(r[0])
            for r in con.execute(f"describe select * from read_parquet('{file}')").fetchall()
        ]
        where = " or ".join(
            f'contains(lower(cast("{n}" as varchar)), ?)' for n in names for _ in listed
        )
        params = [v for _ in names for v in listed]
        row = con.execute(
            f"select count(*) from read_parquet('{file}') where {where}", params
        ).fetchone()
        if row and row[0]:
            found[str(file.relative_to(raw))] = int(row[0])
    return found


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, tiny_landing: Path, repo_root: Path
) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("erasure")
    original = tmp / "original"
    shutil.copytree(tiny_landing, original)
    yield Site(
        repo_root,
        original,
        tmp / "raw",
        tmp / "wh" / "build.duckdb",
        tmp / "wh" / "analytics.duckdb",
    )


def test_erase_everywhere_then_relanded_partitions_stay_out(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, ids = _person(site.original)
    _add_tickets(site.original, email)
    shutil.copytree(site.original, site.raw)
    site.refresh()

    before = _hits_in_file(site.warehouse, ids)
    assert any("base_support__tickets" in k for k in before), "the tickets did not load"
    assert any("base_events__messages.anonymous_id" in k for k in before)
    con = duckdb.connect(str(site.warehouse), read_only=True)
    person_key = con.execute(
        "select person_key from intermediate.int_person_identifiers"
        " where identifier_type = 'email' and identifier_value = ?",
        [email],
    ).fetchone()
    versions = con.execute(
        "select count(*) from staging.stg_crm__contacts_versions where email_normalized = ?",
        [email],
    ).fetchone()
    con.close()
    assert person_key is not None and versions is not None and versions[0] >= 2

    # the request holds hashes only
    monkeypatch.setenv("C360_WAREHOUSE", str(site.warehouse))
    assert main(["erase", "-q", "--email", email.upper(), "--reason", "DSR-7", "--purge-raw"]) == 0
    assert main(["erase", "-q", "--email", email, "--reason", f"asked by {email}"]) == 1
    assert _hits_in_file(site.warehouse, ids) == before  # nothing happens before a refresh

    site.refresh()
    assert _hits_in_file(site.warehouse, ids) == {}
    assert _hits_in_file(site.analytics, ids) == {}
    assert _hits_in_landing(site.raw, ids) == {}
    assert _hits_in_landing(site.original, ids) != {}  # the check can find them

    con = duckdb.connect(str(site.warehouse), read_only=True)
    tombstones = con.execute(
        "select identifier_type, count(*) from intermediate.person_key_registry"
        " where person_key = ? group by all",
        [person_key[0]],
    ).fetchall()
    log = dict(
        con.execute(
            "select table_name, rows_removed from privacy.erasure_log where stage = 'build'"
        ).fetchall()
    )
    purged = dict(
        con.execute(
            "select table_name, rows_removed from privacy.erasure_log where stage = 'raw'"
        ).fetchall()
    )
    status = con.execute("select status, people_found from privacy.erasure_requests").fetchall()
    con.close()
    assert tombstones and {t for t, _ in tombstones} == {"erased"}
    assert status == [("applied", 1)]
    assert log["staging.base_support__tickets"] == 2
    assert log["staging.base_crm__contacts"] >= versions[0]
    assert log["marts.dim_people_history"] >= 1 and log["marts.fct_nps_responses"] >= 1
    assert purged["support/tickets"] == 2 and purged["crm/contacts"] >= 2
    manifest = json.loads(
        next((site.raw / "support" / "tickets").glob("extract_date=*28/_manifest.json")).read_text()
    )
    assert manifest["row_count"] == 1

    # the extractor lands the old partitions again: nothing comes back
    relanded = 0
    for part in site.original.glob("*/*/extract_date=*"):
        target = site.raw / part.relative_to(site.original)
        if (part / "_manifest.json").read_text() != (target / "_manifest.json").read_text():
            shutil.rmtree(target)
            shutil.copytree(part, target)
            relanded += 1
    assert relanded > 0
    site.refresh()
    assert _hits_in_file(site.warehouse, ids) == {}
    assert _hits_in_file(site.analytics, ids) == {}
    con = duckdb.connect(str(site.warehouse), read_only=True)
    erased, unreconciled = con.execute(
        "select sum(erased_rows), count(*) filter (where not is_reconciled)"
        " from ops.load_reconciliation where status = 'complete'"
    ).fetchone() or (0, 1)
    con.close()
    assert erased == sum(purged[t] for t in purged if t != "billing/customers")
    assert unreconciled == 0
