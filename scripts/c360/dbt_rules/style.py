"""The house style's naming and contract rules, as dbt-score rules.

A model's folder says its layer and its prefix its grain: ``stg_``/``base_``
in staging, ``int_`` in intermediate (the key registry and merge logs keep
their names: they are the identity layer's append-only state), ``dim_``,
``fct_``, ``bridge_``, ``rpt_`` or ``export_`` in marts (``customer_360``
keeps the name analysts know the one wide row per company by); every mart
enforces its contract so the analysts' columns stay stable.
"""

from dbt_score import Model, RuleViolation, Severity, rule

LAYER_PREFIXES: dict[str, tuple[str, ...]] = {
    "staging": ("stg_", "base_"),
    "intermediate": ("int_", "company_key_", "person_key_"),
    "marts": ("dim_", "fct_", "bridge_", "rpt_", "export_", "customer_360"),
}


def layer_of(path: str) -> str | None:
    """``models/<layer>/...`` -> layer; None outside the layered folders."""
    parts = path.replace("\\", "/").split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "models" else None


@rule(severity=Severity.HIGH)
def model_prefix_matches_its_layer(model: Model) -> RuleViolation | None:
    """A model's name starts with a prefix of its layer (stg_, int_, dim_/fct_/...)."""
    prefixes = LAYER_PREFIXES.get(layer_of(model.original_file_path) or "")
    if prefixes is None or model.name.startswith(prefixes):
        return None
    return RuleViolation(message=f"name should start with one of {', '.join(prefixes)}")


@rule(severity=Severity.HIGH)
def mart_has_enforced_contract(model: Model) -> RuleViolation | None:
    """Every mart enforces its contract (columns and types stay stable for analysts)."""
    if layer_of(model.original_file_path) != "marts":
        return None
    contract = model.config.get("contract") or {}
    if contract.get("enforced"):
        return None
    return RuleViolation(message="marts enforce their contract (contract: {enforced: true})")
