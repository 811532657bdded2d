"""Every base model dedupes by its rule in ``landing_dedup_rules``, and only there.

ops.duplicate_conflicts and the base models' ``_is_duplicate`` (the
``landing_deduplicated`` macro, full and incremental) both read the rule, so
the key a duplicate is judged on cannot drift between them. This checks that
every base model ends with the macro and writes no window of its own, and
that every rule names its key and the order its copies are ranked in.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "macros" / "landing" / "landing_dedup_rules.sql"
BASES = REPO / "models" / "staging"

RULE = re.compile(r"'(base_\w+)': \{\s*'keys': \[([^\]]*)\],\s*'order_by': (\w+|\[[^\]]*\])")
CALL = re.compile(r"\{\{ landing_deduplicated\('(\w+)', plan\) \}\}\s*$")


def _rules() -> dict[str, tuple[list[str], str]]:
    return {
        model: ([k.strip().strip("'") for k in keys.split(",")], order)
        for model, keys, order in RULE.findall(RULES.read_text())
    }


def test_every_base_model_ends_with_the_shared_dedup_step() -> None:
    paths = sorted(BASES.glob("*/base/base_*.sql"))
    assert paths, "no base models found"
    rules = _rules()
    assert sorted(rules) == sorted(p.stem for p in paths), "rules and base models differ"
    for path in paths:
        text = path.read_text()
        assert CALL.search(text), f"{path.name}: does not end with landing_deduplicated"
        assert "row_number()" not in text, f"{path.name}: ranks copies itself"
        assert "landing_base_config()" in text, f"{path.name}: not an incremental base model"


def test_every_rule_has_a_key_and_a_total_order() -> None:
    for model, (keys, order) in _rules().items():
        assert keys and all(keys), model
        # ties between copies would make the kept copy depend on the plan:
        # every order ends with the row's position in the landing zone
        text = RULES.read_text()
        terms = (
            order
            if order.startswith("[")
            else re.search(rf"set {order} = (\[[^\]]*\])", text).group(1)
        )  # type: ignore[union-attr]
        assert re.search(r"'_file_row( desc)?'\]$", terms), f"{model}: order {terms}"
