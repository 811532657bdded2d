"""ops.duplicate_conflicts compares copies by the same key the base models dedupe by.

The dedup key lives twice: in each base model's ``_is_duplicate`` window and in the
``landing_dedup_rules`` macro. If they drift, conflicting duplicates would be judged on
the wrong key; this reads both and compares them.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "macros" / "landing" / "landing_dedup_rules.sql"
BASES = REPO / "models" / "staging"

WINDOW = re.compile(r"partition by _reject_reason is null,\s*([^\n]+?)\s*\n\s*order by")
RULE = re.compile(r"'(base_\w+)': \{\s*'keys': \[([^\]]*)\]")


def _macro_keys() -> dict[str, list[str]]:
    text = RULES.read_text()
    return {
        model: [k.strip().strip("'") for k in keys.split(",")] for model, keys in RULE.findall(text)
    }


def _base_keys() -> dict[str, list[str]]:
    out = {}
    for path in sorted(BASES.glob("*/base/base_*.sql")):
        found = WINDOW.findall(path.read_text())
        assert len(found) == 1, f"{path.name}: expected one _is_duplicate window, found {found}"
        out[path.stem] = [k.strip() for k in found[0].split(",")]
    return out


def test_every_base_model_has_a_dedup_rule_with_its_own_key() -> None:
    bases, rules = _base_keys(), _macro_keys()
    assert bases, "no base models found"
    assert sorted(rules) == sorted(bases), "landing_dedup_rules and the base models list differ"
    for model, keys in bases.items():
        assert rules[model] == keys, f"{model}: window keys {keys}, macro keys {rules[model]}"
