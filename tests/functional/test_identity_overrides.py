"""Identity overrides end to end: a copy of the project, the tiny landing zone, three builds.

Build 1 builds the identity models and fct_attribute_changes with the
shipped (empty) seeds/identity_overrides.csv. Customer success then says
that one company's anchor and another of its identifiers are never the
same: build 2 (only the identity models and fct_attribute_changes) splits
them; the anchor's side keeps the key, the other side gets a key never
issued before, logged in company_key_splits and fct_attribute_changes.
Then it says two other companies are always the same: build 3 merges them,
records the merge and keeps the loser resolvable. Builds skip dbt's tests
(dbt unit tests cover the rules; test_build.py runs the data tests).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from test_classification import NO_TESTS, PROJECT_PARTS, REPO_ROOT, dbt_build

pytestmark = pytest.mark.slow

HEADER = (
    "entity,identifier_type_a,identifier_value_a,identifier_type_b,identifier_value_b,"
    "rule,reason,requested_by,requested_on"
)
SEED = "seed:identity_overrides.csv"
REBUILD = [
    "--select",
    "identity_overrides",
    "stg_seeds__identity_overrides",
    "path:models/intermediate/identity",
    "fct_attribute_changes",
    *NO_TESTS,
]

Identifier = tuple[str, str]


@dataclass(frozen=True)
class Builds:
    warehouse: Path
    kept: Identifier  # the split company's anchor
    split: Identifier  # the identifier never_same detaches from it
    old_key: str  # the key both held after build 1
    issued_1: set[str]  # every company key issued by build 1
    keys_2: dict[Identifier, str]  # company keys after build 2
    x: Identifier  # two companies always_same joins
    y: Identifier
    keys_3: dict[Identifier, str]
    tables: dict[str, list[tuple[Any, ...]]]  # query results after build 3


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def company_keys(warehouse: Path) -> dict[Identifier, str]:
    rows = query(
        warehouse,
        "select identifier_type, identifier_value, company_key"
        " from intermediate.int_company_identifiers",
    )
    return {(t, v): k for t, v, k in rows}


def write_seed(path: Path, *rows: str) -> None:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("identity_overrides") / "project"
    root.mkdir()
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy2(source, root / part)
    warehouse = root / "warehouse.duckdb"
    seed = root / "seeds" / "identity_overrides.csv"
    assert seed.read_text(encoding="utf-8").strip() == HEADER  # ships empty
    dbt_build(
        root, tiny_landing, warehouse,
        "--select", "+fct_attribute_changes", "+int_company_key_lookup", *NO_TESTS,
    )  # fmt: skip
    keys_1 = company_keys(warehouse)
    issued_1 = {
        k for (k,) in query(warehouse, "select company_key from intermediate.company_key_registry")
    }

    # a company of several identifiers: its anchor, and another of them
    components = query(
        warehouse,
        "select identifier_type, identifier_value, anchor_identifier_type,"
        " anchor_identifier_value, component_id from intermediate.int_company_components"
        " where component_id in (select component_id from intermediate.int_company_components"
        " group by component_id having count(*) >= 2)"
        " and (identifier_type, identifier_value)"
        " <> (anchor_identifier_type, anchor_identifier_value)"
        " order by identifier_type = 'billing_customer_id' desc, component_id, identifier_value",
    )
    split_type, split_value, anchor_type, anchor_value, _ = components[0]
    kept, split = (anchor_type, anchor_value), (split_type, split_value)
    never_same = (
        f"company,{anchor_type},{anchor_value},{split_type},{split_value},never_same,"
        "wrong domain match,cs@example.com,2026-10-01"
    )
    write_seed(seed, never_same)
    dbt_build(root, tiny_landing, warehouse, *REBUILD)
    keys_2 = company_keys(warehouse)

    # two CRM accounts of two other companies
    taken = {keys_1[kept]}
    others = sorted(
        (k, i) for i, k in keys_2.items() if i[0] == "crm_account_id" and k not in taken
    )
    (key_x, x), (key_y, y) = others[0], next(o for o in others if o[0] != others[0][0])
    assert key_x != key_y
    always_same = (
        f"company,{x[0]},{x[1]},{y[0]},{y[1]},always_same,one group,cs@example.com,2026-10-02"
    )
    write_seed(seed, never_same, always_same)
    dbt_build(root, tiny_landing, warehouse, *REBUILD)
    tables = {
        name: query(warehouse, sql)
        for name, sql in {
            "splits": "select kept_company_key, split_company_key"
            " from intermediate.company_key_splits",
            "merges": "select loser_company_key, survivor_company_key"
            " from intermediate.company_key_merges",
            "lookup": "select issued_company_key, company_key"
            " from intermediate.int_company_key_lookup",
            "changes": "select entity, entity_key, old_value, new_value, source, changed_at"
            " from marts.fct_attribute_changes where attribute = 'identity' order by changed_at",
        }.items()
    }
    return Builds(
        warehouse, kept, split, keys_1[kept], issued_1, keys_2, x, y, company_keys(warehouse),
        tables,
    )  # fmt: skip


def test_never_same_splits_and_the_anchor_keeps_its_key(builds: Builds) -> None:
    assert builds.keys_2[builds.kept] == builds.old_key
    new_key = builds.keys_2[builds.split]
    assert new_key != builds.old_key
    assert new_key not in builds.issued_1  # never issued before
    assert (builds.old_key, new_key) in builds.tables["splits"]
    lookup = dict(builds.tables["lookup"])
    assert lookup[builds.old_key] == builds.old_key
    assert lookup[new_key] == new_key
    assert (
        "company", new_key, builds.old_key, new_key, SEED, dt.datetime(2026, 10, 1)
    ) in builds.tables["changes"]  # fmt: skip


def test_always_same_merges_and_the_loser_still_resolves(builds: Builds) -> None:
    x_before, y_before = builds.keys_2[builds.x], builds.keys_2[builds.y]
    survivor = builds.keys_3[builds.x]
    assert builds.keys_3[builds.y] == survivor
    assert survivor in {x_before, y_before}
    loser = y_before if survivor == x_before else x_before
    assert (loser, survivor) in builds.tables["merges"]
    assert dict(builds.tables["lookup"])[loser] == survivor
    assert ("company", loser, loser, survivor, SEED, dt.datetime(2026, 10, 2)) in builds.tables[
        "changes"
    ]
    # the split is still applied, and nothing else changed identity
    assert builds.keys_3[builds.split] == builds.keys_2[builds.split]
    assert len(builds.tables["changes"]) == 2
