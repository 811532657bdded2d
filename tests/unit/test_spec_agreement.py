"""The Python specs and the dbt YAML say the same thing, or this fails.

* ``c360.spec`` (the landing contract the scan and the generator use) and the
  sources YAML (``models/staging/*/_*__sources.yml``): the same tables, the
  same columns in the same order (then the five lineage columns the landing
  views add), the same types (``data_type``), and a column is "Required" in
  its description exactly when the spec requires it.
* ``c360.seeds.specs`` (what ``c360 seeds check`` checks) and
  ``seeds/_seeds.yml`` (how dbt loads and tests the seeds): the same seeds
  (and a CSV for each), the same columns in order (also the CSV header),
  ``column_types`` that can hold each kind of value, ``not_null`` exactly on
  required columns, and a uniqueness test on each key. Seeds whose rows the
  models check and report in ops.data_issues (``LENIENT``) carry no dbt
  ``not_null``/uniqueness tests on purpose: a bad row must not fail the build.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml

from c360 import spec
from c360.seeds import specs as seed_specs
from c360.seeds.values import Kind

REPO_ROOT = Path(__file__).resolve().parents[2]
LINEAGE = [
    ("extract_date", "date"),
    ("_load_mode", "varchar"),
    ("_extracted_at", "timestamp"),
    ("_file", "varchar"),
    ("_file_row", "bigint"),
]
REQUIRED_TEXT = "Required: a file without this column is not loaded."

# column_types a seed column of each kind may be loaded as. Text-typed
# loading of a typed kind is allowed: the model then checks and casts.
SEED_TYPES: dict[Kind, set[str]] = {
    Kind.INTEGER: {"integer"},
    # amounts; exchange rates (8 places: JPY); probabilities (0 to 1)
    Kind.DECIMAL: {"decimal(18,2)", "decimal(18,8)", "decimal(5,4)"},
    Kind.BOOLEAN: {"boolean", "varchar"},
    Kind.DATE: {"date", "varchar"},
}
TEXT_TYPES = {"varchar"}
# Seeds loaded as text and checked in a model (bad rows go to ops.data_issues).
LENIENT = {"feature_access_overrides"}
# Seeds whose repeated keys the models count rather than reject:
# company_classification's snapshot versions source_row_count.
KEY_CHECKED_IN_MODELS = {"company_classification"}


def _sources() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted((REPO_ROOT / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                out[f"{source['name']}/{table['name']}"] = table
    return out


def test_sources_name_exactly_the_spec_tables() -> None:
    assert sorted(_sources()) == sorted(spec.TABLES_BY_NAME)


def test_source_columns_types_and_required_agree_with_spec() -> None:
    problems = []
    for name, source in _sources().items():
        table = spec.table(name)
        if source.get("identifier") != f"{table.system}__{table.table}":
            problems.append(f"{name}: identifier {source.get('identifier')!r}")
        expected = [(c.name, c.sql_type) for c in table.columns] + LINEAGE
        actual = [(c["name"], c.get("data_type")) for c in source["columns"]]
        if actual != expected:
            problems.append(f"{name}: columns {actual} != spec {expected}")
        for col in source["columns"]:
            spec_col = next((c for c in table.columns if c.name == col["name"]), None)
            if spec_col is None:
                continue
            says_required = REQUIRED_TEXT in col.get("description", "")
            if says_required != spec_col.required:
                problems.append(f"{name}.{col['name']}: required {says_required} in YAML")
    assert not problems, "\n".join(problems)


def _seed_yaml() -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load((REPO_ROOT / "seeds" / "_seeds.yml").read_text(encoding="utf-8"))
    return {s["name"]: s for s in doc["seeds"]}


def _tests(node: dict[str, Any]) -> list[Any]:
    return list(node.get("data_tests") or [])


def _has_test(node: dict[str, Any], name: str) -> bool:
    return any(t == name or (isinstance(t, dict) and name in t) for t in _tests(node))


def test_seeds_csv_yaml_and_specs_name_the_same_seeds() -> None:
    csvs = sorted(p.stem for p in (REPO_ROOT / "seeds").glob("*.csv"))
    assert sorted(_seed_yaml()) == csvs
    assert sorted(seed_specs.BY_NAME) == csvs


def test_seed_columns_and_types_agree() -> None:
    problems = []
    for name, seed in _seed_yaml().items():
        sspec = seed_specs.BY_NAME[name]
        spec_cols = [c.name for c in sspec.columns]
        yaml_cols = [c["name"] for c in seed["columns"]]
        types = seed["config"]["column_types"]
        with (REPO_ROOT / "seeds" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        for what, cols in (
            ("YAML columns", yaml_cols),
            ("column_types", list(types)),
            ("CSV header", header),
        ):
            if cols != spec_cols:
                problems.append(f"{name}: {what} {cols} != specs.py {spec_cols}")
        for col in sspec.columns:
            allowed = SEED_TYPES.get(col.kind, TEXT_TYPES)
            if col.kind is Kind.CHOICE and all(c.isdigit() for c in col.choices):
                allowed = {"integer"}
            if types.get(col.name) not in allowed:
                problems.append(f"{name}.{col.name}: {col.kind} loaded as {types.get(col.name)!r}")
    assert not problems, "\n".join(problems)


def test_seed_required_columns_and_keys_are_tested_in_dbt() -> None:
    problems = []
    for name, seed in _seed_yaml().items():
        sspec = seed_specs.BY_NAME[name]
        columns = {c["name"]: c for c in seed["columns"]}
        lenient = name in LENIENT
        for col in sspec.columns:
            not_null = _has_test(columns[col.name], "not_null")
            if not_null != (col.required and not lenient):
                problems.append(f"{name}.{col.name}: not_null {not_null}, required {col.required}")
        if lenient:
            continue
        if name in KEY_CHECKED_IN_MODELS:
            continue
        ok = (len(sspec.key) == 1 and _has_test(columns[sspec.key[0]], "unique")) or any(
            isinstance(t, dict)
            and list(
                t.get("unique_combination_of_columns", {})
                .get("arguments", {})
                .get("combination_of_columns", [])
            )
            == list(sspec.key)
            for t in _tests(seed)
        )
        if not ok:
            problems.append(f"{name}: no uniqueness test on key {sspec.key}")
    assert not problems, "\n".join(problems)


def test_freshness_attributes_agree_with_the_macro() -> None:
    # seeds check (FRESHNESS_ATTRIBUTES) and rpt_data_staleness (macro
    # freshness_attributes) judge the same attributes.
    macro = (REPO_ROOT / "macros/history/attribute_sources.sql").read_text(encoding="utf-8")
    body = macro[macro.index("macro freshness_attributes") :]
    found: dict[str, tuple[str, ...]] = {}
    for entity, names in re.findall(r"'(\w+)': \[([^\]]*)\]", body):
        found[entity] = tuple(re.findall(r"'(\w+)'", names))
    assert found == seed_specs.FRESHNESS_ATTRIBUTES


def test_erasure_person_tables_agree_with_the_macro() -> None:
    # the refresh's purge and partition marking (c360.privacy.tables) and the
    # base models' withholding (macro erasure_person_tables) name the same
    # tables and raw columns
    from c360.privacy.tables import PERSON_TABLES

    macro = (REPO_ROOT / "macros/privacy/erasure.sql").read_text(encoding="utf-8")
    body = macro[macro.index("macro erasure_person_tables") :]
    body = body[: body.index("endmacro")]
    found: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for system, table, columns in re.findall(r"\('(\w+)', '(\w+)', \{(.*?)\}\)", body, re.S):
        found[(system, table)] = {
            kind: tuple(re.findall(r"'\"?(\w+)\"?'", names))
            for kind, names in re.findall(r"'(\w+)': \[([^\]]*)\]", columns)
        }
    expected = {(t.system, t.table): t.raw_columns for t in PERSON_TABLES}
    assert found == expected
