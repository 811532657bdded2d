"""Industry classification end to end: a copy of the project, the tiny landing zone, two builds.

Build 1 loads a customer-success classification saved the way Excel saves
"CSV UTF-8" (byte-order mark, CR LF, quoted values), with one company id
nobody knows, and a CRM map missing one value the CRM uses. Build 2 runs
after customer success reclassified one company and removed another, saved
this time with ';' between values, which ``c360 seeds check`` refuses and
``--fix`` repairs. The project is copied to a temp folder so its seeds can
be edited; both builds skip dbt's tests (the clean build in test_build.py
runs them on the repo's seeds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from c360.seeds.values import label_key

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots"]
SEED = "seed:company_classification.csv"
NO_TESTS = ["--exclude-resource-type", "test", "unit_test"]
HEADER = "company_id,industry_code,is_primary,use_case,business_type,note"


@dataclass(frozen=True)
class Project:
    root: Path
    raw: Path
    warehouse: Path
    account_a: str  # CRM account: ticketing_online (primary) + media
    customer_b: str  # Stripe customer: fintech, then payments
    account_c: str  # CRM account: gaming, then removed
    unmapped_value: str  # a CRM Industry value whose map row was deleted
    build_1: subprocess.CompletedProcess[str]
    check_semicolons: subprocess.CompletedProcess[str]
    fix: subprocess.CompletedProcess[str]
    build_2: subprocess.CompletedProcess[str]
    first: dict[str, Any]  # snapshots of query results after build 1

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    def key(self, company_id: str) -> str:
        [(key,)] = self.query(
            "select company_key from intermediate.int_company_seed_ids"
            f" where company_id = '{company_id}'"
        )
        return str(key)


def run(
    args: list[str], root: Path, raw: Path, warehouse: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBT_", "C360_")) or k == "C360_HASH_KEY"
    }
    env.update(
        C360_RAW_DIR=str(raw),
        C360_WAREHOUSE=str(warehouse),
        C360_MEMORY_LIMIT="4GB",
        DBT_TARGET_PATH=str(root / "target"),
        DBT_LOG_PATH=str(root / "logs"),
        TZ="America/Los_Angeles",
    )
    return subprocess.run(
        args, cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def dbt_build(
    project: Path, raw: Path, warehouse: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    done = run(
        [
            str(BIN / "dbt"),
            "build",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            *args,
        ],
        project,
        raw,
        warehouse,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    return done


def landing_column(raw: Path, table: str, column: str) -> list[Any]:
    files = sorted((raw / table).glob("*/*.parquet"))
    return [v for f in files for v in pq.read_table(f, columns=[column]).column(0).to_pylist()]


@pytest.fixture(scope="module")
def project(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("classification") / "project"
    root.mkdir()
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy2(source, root / part)
    warehouse = root / "warehouse.duckdb"

    accounts = sorted({a for a in landing_column(tiny_landing, "crm/accounts", "Id") if a})
    customers = sorted({c for c in landing_column(tiny_landing, "billing/customers", "id") if c})
    account_a, account_c, customer_b = accounts[0], accounts[1], customers[0]

    # Delete the map row of the CRM's most common Industry value.
    industries = [v for v in landing_column(tiny_landing, "crm/accounts", "Industry") if v]
    map_path = root / "seeds" / "crm_industry_map.csv"
    rows = map_path.read_text(encoding="utf-8").splitlines()
    mapped = {label_key(r.split(",")[0]): r for r in rows[1:]}
    unmapped = max(
        (v for v in set(industries) if label_key(v) in mapped),
        key=lambda v: (industries.count(v), v),
    )
    rows.remove(mapped[label_key(unmapped)])
    map_path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    seed = root / "seeds" / "company_classification.csv"
    excel = (
        f"\ufeff{HEADER}\r\n"
        f'"{account_a}","ticketing_online","TRUE","Ticket sales","B2C",""\r\n'
        f'"{account_a}","media","FALSE","","",""\r\n'
        f'"{customer_b}","fintech","TRUE","Payments","b2b","quoted, with a comma"\r\n'
        f'"{account_c}","gaming","TRUE","","b2c",""\r\n'
        f'"0015g00000NOBODYXX","retail","TRUE","","",""\r\n'
    )
    seed.write_text(excel, encoding="utf-8", newline="")
    build_1 = dbt_build(root, tiny_landing, warehouse, *NO_TESTS)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        first = {
            "versions_b": con.execute(
                "select count(*) from marts.dim_companies_history h"
                " join intermediate.int_company_seed_ids i on h.company_key = i.company_key"
                f" where i.company_id = '{customer_b}'"
            ).fetchone(),
            "loaded": con.execute(
                "select * from staging.company_classification order by all"
            ).fetchall(),
            "columns": [
                d[0]
                for d in con.execute("select * from staging.company_classification").description
            ],
            "issues": con.execute(
                "select issue_type, entity_type, entity_id, detail from ops.data_issues"
                " where entity_type in ('company_classification_row', 'company')"
            ).fetchall(),
            "keys": con.execute(
                "select count(distinct company_key) from intermediate.int_company_seed_ids"
                f" where company_id in ('{account_a}', '{customer_b}', '{account_c}')"
            ).fetchone(),
        }

    # Customer success: B becomes payments, C is removed, the stranger goes; saved with ';'.
    seed.write_text(
        f"{HEADER.replace(',', ';')}\r\n"
        f"{account_a};ticketing_online;true;Ticket sales;b2c;\r\n"
        f"{account_a};media;false;;;\r\n"
        f"{customer_b};payments;true;Payments;b2b;reclassified\r\n",
        encoding="utf-8",
        newline="",
    )
    c360 = [str(BIN / "c360"), "seeds", "check", "--seeds-dir", str(root / "seeds")]
    check_semicolons = run(c360, root, tiny_landing, warehouse)
    fix = run([*c360, "--fix"], root, tiny_landing, warehouse)
    build_2 = dbt_build(
        root, tiny_landing, warehouse, "--select", "company_classification+", *NO_TESTS
    )
    return Project(
        root, tiny_landing, warehouse, account_a, customer_b, account_c, unmapped,
        build_1, check_semicolons, fix, build_2, first,
    )  # fmt: skip


# --------------------------------------------------------------------------- build 1


def test_dbt_reads_an_excel_csv_as_written(project: Project) -> None:
    assert project.first["columns"] == HEADER.split(",")
    loaded = project.first["loaded"]
    assert (
        project.customer_b,
        "fintech",
        True,
        "Payments",
        "b2b",
        "quoted, with a comma",
    ) in loaded
    assert (project.account_a, "ticketing_online", True, "Ticket sales", "B2C", None) in loaded


def test_first_classification_holds_since_the_company_began(project: Project) -> None:
    key_a = project.key(project.account_a)
    [(first_from, code, secondary, use_case, business_type)] = project.query(
        "select valid_from, industry_code, secondary_industry_codes, use_case, business_type"
        f" from marts.dim_companies_history where company_key = '{key_a}'"
        " qualify row_number() over (order by valid_from) = 1"
    )
    assert (code, secondary, use_case, business_type) == (
        "ticketing_online",
        "media",
        "Ticket sales",
        "b2c",
    )
    changes = project.query(
        "select attribute, new_value, changed_at from marts.fct_attribute_changes"
        f" where entity_key = '{key_a}' and source = '{SEED}' order by attribute"
    )
    assert changes == [
        ("business_type", "b2c", first_from),
        ("industry_code", "ticketing_online", first_from),
        ("secondary_industry_codes", "media", first_from),
        ("use_case", "Ticket sales", first_from),
    ]


def test_companies_customer_success_did_not_classify_get_the_crm_mapping(project: Project) -> None:
    rows = project.query(
        "select c.industry, c.industry_code, v.mapping_status, v.industry_code"
        " from marts.dim_companies c"
        " left join intermediate.int_crm_industry_values v"
        "   on c.industry is not null"
        "   and v.crm_value_key = regexp_replace(lower(c.industry), '[\\s._-]', '', 'g')"
        " where c.company_key not in ("
        "   select company_key from intermediate.int_company_classification_assignments"
        "   where company_key is not null and is_current)"
    )
    assert rows
    for industry, code, status, mapped in rows:
        if status == "mapped":
            assert code == mapped, industry
        else:
            assert code is None, (industry, status)


def test_a_company_under_two_parents_is_counted_once_at_the_top_level(project: Project) -> None:
    key_a = project.key(project.account_a)
    # ticketing_online reaches retail through ticketing and through ecommerce: one row
    assert project.query(
        "select count(*) from marts.bridge_company_industries"
        f" where company_key = '{key_a}' and industry_code = 'retail'"
    ) == [(1,)]
    sectors = project.query(
        "select industry_code, count(*), count(distinct company_key)"
        " from marts.bridge_company_industries where level = 1 group by industry_code"
    )
    assert sectors and all(rows == companies for _, rows, companies in sectors)
    # the primary path puts every company with an industry in exactly one sector
    [(classified,)] = project.query(
        "select count(*) from marts.dim_companies where industry_code is not null"
    )
    [(in_one_sector, sectors_used)] = project.query(
        "select count(*), count(distinct industry_code) from marts.bridge_company_industries"
        " where level = 1 and is_primary_path"
    )
    assert in_one_sector == classified and sectors_used > 1
    assert sorted(
        code for (code,) in project.query(
            "select industry_code from marts.bridge_company_industries"
            f" where company_key = '{key_a}' and level = 1"
        )
    ) == ["entertainment", "media", "retail", "technology"]  # fmt: skip


def test_unknown_ids_and_unmapped_values_are_reported(project: Project) -> None:
    # after build 2 the stranger is gone; the unmapped CRM value is still there
    issues = project.query("select issue_type, entity_id, detail from ops.data_issues")
    unmapped = {(t, e) for t, e, _ in issues if t == "unmapped_crm_industry"}
    expected = project.query(
        "select 'unmapped_crm_industry', crm_value from intermediate.int_crm_industry_values"
        " where mapping_status = 'unmapped'"
    )
    assert unmapped == set(expected)
    assert label_key(project.unmapped_value) in {label_key(e) for _, e in unmapped}
    assert "has no row in crm_industry_map.csv" in next(
        d for t, _, d in issues if t == "unmapped_crm_industry"
    )
    assert not [i for i in issues if i[0] == "unknown_company_id"]


def test_build_1_reported_the_unknown_company_id(project: Project) -> None:
    assert project.first["keys"] == (3,), "the three ids picked must be three companies"
    assert project.first["issues"] == [
        (
            "unknown_company_id",
            "company_classification_row",
            "0015g00000NOBODYXX",
            "company_classification.csv assigns retail to company_id 0015g00000NOBODYXX, which is "
            "no company key, CRM account, app account or Stripe customer we know; the row is "
            "ignored",
        )
    ]


# --------------------------------------------------------------------------- the edit


def test_seeds_check_refuses_semicolons_and_fix_repairs_them(project: Project) -> None:
    assert project.check_semicolons.returncode == 1, project.check_semicolons.stdout
    assert (
        "seeds/company_classification.csv:1: error: values are separated by ';', but dbt reads "
        "only ',' — run 'c360 seeds check --fix' to rewrite it (a backup is kept)"
    ) in project.check_semicolons.stdout.splitlines()
    assert project.fix.returncode == 0, project.fix.stdout
    assert project.fix.stdout.startswith(
        "fixed seeds/company_classification.csv: separator ';' -> ','"
    )
    assert (project.root / "seeds" / "company_classification.csv.bak").is_file()


# --------------------------------------------------------------------------- build 2


def test_a_reclassification_is_a_version_and_a_change_row(project: Project) -> None:
    key_b = project.key(project.customer_b)
    [(seen_at,)] = project.query(
        "select dbt_valid_from from snapshots.company_classification_snapshot"
        f" where company_id = '{project.customer_b}' and industry_code = 'payments'"
    )
    assert project.query(
        "select old_value, new_value, source, process from marts.fct_attribute_changes"
        f" where entity_key = '{key_b}' and attribute = 'industry_code'"
        f" and changed_at = '{seen_at}'"
    ) == [("fintech", "payments", SEED, "company_classification_snapshot")]
    versions = project.query(
        "select industry_code, valid_from, valid_to from marts.dim_companies_history"
        f" where company_key = '{key_b}' order by valid_from"
    )
    assert len(versions) == project.first["versions_b"][0] + 1
    assert versions[-1] == ("payments", seen_at, None)
    assert versions[-2][0] == "fintech" and versions[-2][2] == seen_at


def test_removing_a_company_brings_the_crm_mapping_back(project: Project) -> None:
    key_c = project.key(project.account_c)
    [(gone_at,)] = project.query(
        "select dbt_valid_to from snapshots.company_classification_snapshot"
        f" where company_id = '{project.account_c}'"
    )
    [(old, new, source)] = project.query(
        "select old_value, new_value, source from marts.fct_attribute_changes"
        f" where entity_key = '{key_c}' and attribute = 'industry_code'"
        f" and changed_at = '{gone_at}'"
    )
    assert old == "gaming" and new != "gaming" and source in ("crm", "events")
    [(current,)] = project.query(
        f"select industry_code from marts.dim_companies where company_key = '{key_c}'"
    )
    assert current == new
