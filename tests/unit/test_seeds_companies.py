"""Where ``c360 seeds check`` learns company ids: a warehouse, a landing zone, or neither."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from c360.seeds import check_seeds
from c360.seeds.companies import load_known_companies


def make_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema intermediate")
        con.execute(
            "create table intermediate.int_company_identifiers as select * from (values"
            " ('crm_account_id', '0015g00000aaaaaAAA', 'co_survivor'),"
            " ('billing_customer_id', 'cus_ABC', 'co_survivor')"
            ") as t(identifier_type, identifier_value, company_key)"
        )
        con.execute(
            "create table intermediate.int_company_key_lookup as select * from (values"
            " ('co_survivor', 'co_survivor'), ('co_merged_away', 'co_survivor')"
            ") as t(issued_company_key, company_key)"
        )


def crm_account_ids(landing: Path) -> list[str]:
    files = sorted((landing / "crm" / "accounts").glob("*/*.parquet"))
    return sorted(
        {i for f in files for i in pq.read_table(f, columns=["Id"]).column(0).to_pylist()}
    )


def test_warehouse_knows_natural_ids_and_every_key_ever_issued(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    make_warehouse(warehouse)
    known = load_known_companies(warehouse, tmp_path / "no-raw")
    assert known.ids == {"0015g00000aaaaaAAA", "cus_ABC", "co_survivor", "co_merged_away"}
    assert known.knows_company_keys
    assert known.describe() == (
        f"company ids checked against the warehouse {warehouse} (4 ids) "
        f"(no landing zone at {tmp_path / 'no-raw'})"
    )
    # read-only: the file can still be opened for writing afterwards
    with duckdb.connect(str(warehouse)) as con:
        con.execute("select 1").fetchone()


def test_landing_zone_knows_natural_ids_but_not_company_keys(tiny_landing: Path) -> None:
    known = load_known_companies(None, tiny_landing)
    accounts = crm_account_ids(tiny_landing)
    assert accounts and set(accounts) <= known.ids
    assert not known.knows_company_keys
    assert known.describe().startswith(
        f"company ids checked against the landing zone {tiny_landing}"
    )


def test_a_file_that_is_no_warehouse_is_named_and_skipped(tmp_path: Path) -> None:
    warehouse = tmp_path / "garbage.duckdb"
    warehouse.write_bytes(b"not a database" * 100)
    known = load_known_companies(warehouse, None)
    assert not known.can_check
    assert known.describe().startswith(
        f"company ids NOT checked: the warehouse {warehouse} could not be read ("
    )


def test_seeds_checked_against_a_landing_zone(tiny_landing: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    account = crm_account_ids(tiny_landing)[0]
    (seeds / "company_classification.csv").write_text(
        "company_id,industry_code,is_primary,use_case,business_type,note\n"
        f"{account},gaming,true,,,\n"
        f"{account[:-1]}X,gaming,true,,,\n"
    )
    result = check_seeds(seeds, warehouse=tmp_path / "none.duckdb", raw_dir=tiny_landing)
    unknown = [p for p in result.problems if p.column == "company_id"]
    assert [(p.line, p.value) for p in unknown] == [(3, f"{account[:-1]}X")]
    assert unknown[0].suggestion == f"did you mean '{account}'?"
    assert result.company_ids is not None
    assert f"the landing zone {tiny_landing}" in result.company_ids
