"""Company hierarchy end to end: a hand-made CRM accounts landing zone, a real ``dbt build``.

The accounts hold a chain of four, a cycle of two, a self-parent, a dangling
parent and an account re-parented between two extracts. Every other table is
absent: the landing views must cope. The build must succeed, report the cycle
and the dangling parent in ``ops.data_issues``, and give a finite bridge in
which every company is its own ancestor at distance 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, land, run_dbt

pytestmark = pytest.mark.slow

# 18-character Salesforce-style ids; the letter before the suffix names the role.
TOP, CHILD, GRANDCHILD, LEAF = (f"0015g00000Chain{c}AA" for c in "ABCD")
CYCLE_1, CYCLE_2 = "0015g00000Cycle1AA", "0015g00000Cycle2AA"
SELF = "0015g00000SelfP1AA"
DANGLING = "0015g00000DanglAAA"
UNKNOWN = "0015g00000NobodyAA"
MOVER = "0015g00000MoverAAA"


def account(account_id: str, parent_id: str | None, modstamp: str) -> dict[str, Any]:
    return {
        "Id": account_id,
        "Name": f"Account {account_id[-4:]}",
        "ParentId": parent_id,
        "Type": "Customer",
        "CreatedDate": "2026-02-01T08:00:00.000Z",
        "LastModifiedDate": modstamp,
        "SystemModstamp": modstamp,
        "IsDeleted": False,
    }


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("hierarchy") / "raw"
    first = "2026-03-01T10:00:00.000Z"
    land(
        raw,
        "crm/accounts",
        "2026-03-01",
        [
            account(TOP, None, first),
            account(CHILD, TOP, first),
            account(GRANDCHILD, CHILD, first),
            account(LEAF, GRANDCHILD, first),
            account(CYCLE_1, CYCLE_2, first),
            account(CYCLE_2, CYCLE_1, first),
            account(SELF, SELF, first),
            account(DANGLING, UNKNOWN, first),
            account(MOVER, TOP, first),
        ],
        {},
    )
    # The mover is re-parented under CHILD on 5 March.
    land(
        raw,
        "crm/accounts",
        "2026-03-05",
        [account(MOVER, CHILD, "2026-03-05T10:00:00.000Z")],
        {},
    )
    return raw


@pytest.fixture(scope="module")
def hierarchy(raw: Path) -> DbtRun:
    return build(raw.parent / "build", raw, *OUTPUTS_ONLY)


def keys(run: DbtRun) -> dict[str, str]:
    """CRM account id -> company_key."""
    return dict(
        run.query(
            "select identifier_value, company_key from intermediate.int_company_identifiers"
            " where identifier_type = 'crm_account_id'"
        )
    )


def show(run: DbtRun, raw: Path, sql: str) -> list[dict[str, Any]]:
    """Rows of an inline dbt query (macros and refs allowed) against the built warehouse."""
    result = run_dbt(
        ["show", "--inline", sql, "--output", "json", "--quiet", "--limit", "-1"],
        run.warehouse.parent,
        raw,
    )
    assert result.result.returncode == 0, result.result.stdout + result.result.stderr
    return json.loads(result.result.stdout)["show"]


def test_build_reports_cycle_and_dangling_parent(hierarchy: DbtRun) -> None:
    issues = hierarchy.query(
        "select issue_type, entity_type, entity_id, detail from ops.data_issues order by all"
    )
    assert [(t, e, i) for t, e, i, _ in issues] == sorted(
        [
            ("dangling_parent", "crm_account", DANGLING),
            ("hierarchy_cycle", "crm_account", CYCLE_1),
            ("hierarchy_cycle", "crm_account", CYCLE_2),
            ("hierarchy_cycle", "crm_account", SELF),
        ]
    )
    details = {entity_id: detail for _, _, entity_id, detail in issues}
    assert details[CYCLE_1] == details[CYCLE_2]
    assert f"{CYCLE_1} > {CYCLE_2} > {CYCLE_1}" in details[CYCLE_1]
    assert UNKNOWN in details[DANGLING]


def test_cycle_is_broken_at_the_smallest_id(hierarchy: DbtRun) -> None:
    key = keys(hierarchy)
    parents = dict(
        hierarchy.query(
            "select company_key, parent_company_key from intermediate.int_company_hierarchy"
        )
    )
    assert parents[key[CYCLE_1]] is None
    assert parents[key[CYCLE_2]] == key[CYCLE_1]
    assert parents[key[SELF]] is None
    assert parents[key[DANGLING]] is None


def test_chain_of_four(hierarchy: DbtRun) -> None:
    key = keys(hierarchy)
    [(parent, top, depth, path)] = hierarchy.query(
        "select parent_company_key, ultimate_parent_company_key, hierarchy_depth, hierarchy_path"
        f" from intermediate.int_company_hierarchy where company_key = '{key[LEAF]}'"
    )
    assert (parent, top, depth) == (key[GRANDCHILD], key[TOP], 3)
    assert path == " > ".join(key[a] for a in (TOP, CHILD, GRANDCHILD, LEAF))


def test_bridge_is_finite_and_every_company_is_its_own_ancestor(hierarchy: DbtRun) -> None:
    companies = set(keys(hierarchy).values())
    assert len(companies) == 9
    bridge = hierarchy.query(
        "select company_key, ancestor_company_key, distance from marts.bridge_company_ancestors"
    )
    assert {c for c, a, d in bridge if d == 0 and c == a} == companies
    # 9 companies itself; ancestors: chain 1+2+3, cycle member 1, mover 2 (TOP, CHILD).
    assert len(bridge) == 9 + 6 + 1 + 2
    assert max(d for _, _, d in bridge) == 3


def test_re_parenting_as_of_two_dates(hierarchy: DbtRun, raw: Path) -> None:
    key = keys(hierarchy)
    query = (
        "select parent_company_key, hierarchy_depth from ({{{{ company_hierarchy_as_of("
        "\"timestamp '{at}'\") }}}}) as h where company_key = '{mover}'"
    )
    before = show(hierarchy, raw, query.format(at="2026-03-03 00:00:00", mover=key[MOVER]))
    after = show(hierarchy, raw, query.format(at="2026-03-06 00:00:00", mover=key[MOVER]))
    assert before == [{"parent_company_key": key[TOP], "hierarchy_depth": 1}]
    assert after == [{"parent_company_key": key[CHILD], "hierarchy_depth": 2}]
    # Before its first version the account is not known at all.
    assert show(hierarchy, raw, query.format(at="2026-01-01 00:00:00", mover=key[MOVER])) == []
