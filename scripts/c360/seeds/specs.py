"""What each seed holds: its columns, the kind of value in each, and the key that must be unique.

A seed listed here and missing from seeds/ is an error only when the dbt
project reads it (``required``); the others are checked when present.
"""

from __future__ import annotations

from dataclasses import dataclass

from c360.seeds.values import Column, Kind

BUSINESS_TYPES = ("b2b", "b2c", "b2b2c", "marketplace", "public_sector", "non_profit")
SIZE_MEASURES = ("employees", "annual_revenue", "mrr")
ACCESS = ("grant", "revoke")
IDENTITY_ENTITIES = ("company", "person")
IDENTITY_RULES = ("never_same", "always_same")
IDENTIFIER_TYPES = (
    "crm_account_id", "app_account_id", "billing_customer_id", "user_id", "crm_contact_id", "email",
)  # fmt: skip
# The health score's model (seed health_score_model): each component's parameters.
# models/intermediate/health/int_health_score_parameters.sql pivots the same names.
HEALTH_PARAMETERS: dict[str, tuple[str, ...]] = {
    "usage_recency": ("weight", "full_days", "zero_days"),
    "usage_frequency": ("weight", "target_active_share"),
    "feature_breadth": ("weight", "target_share"),
    "usage_trend": ("weight", "floor_ratio", "full_ratio"),
    "nps": ("weight",),
    "support": (
        "weight",
        "ticket_penalty",
        "bad_rating_penalty",
        "target_hours_to_solve",
        "penalty_per_hour_late",
    ),
    "team_growth": ("weight", "floor_ratio", "full_ratio"),
    "billing_risk": ("weight", "past_due_penalty", "cancel_penalty", "contraction_penalty"),
    "band": ("healthy_min", "watch_min"),
}
# Data decay (seed freshness_rules): the attributes rpt_data_staleness measures, per
# entity; macros/history/attribute_sources.sql freshness_attributes holds the same lists.
FRESHNESS_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "company": (
        "company_name",
        "website",
        "industry",
        "employee_count",
        "annual_revenue",
        "billing_country",
        "billing_state",
        "billing_city",
        "account_type",
        "owner_user_id",
        "csm_user_id",
        "parent_crm_account_id",
        "time_zone_text",
        "billing_email",
    ),
    "person": ("email", "full_name", "title", "crm_account_id"),
}
# The lifecycle stages of int_company_lifecycle (doc block company_lifecycle).
LIFECYCLE_STAGES = ("prospect", "trialing", "paying", "churned", "former_customer")


@dataclass(frozen=True)
class SeedSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False  # the dbt project reads it: it must exist
    company_id_column: str | None = None  # names a company (checked against known ids)
    label_key_columns: tuple[str, ...] = ()  # key compared ignoring case, spaces, -, _, .

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


SPECS: tuple[SeedSpec, ...] = (
    SeedSpec(
        "currencies",
        (
            Column(
                "currency_code",
                Kind.PATTERN,
                required=True,
                pattern=r"[a-z]{3}",
                expected="a lower-case ISO 4217 code, e.g. 'usd'",
            ),
            Column("minor_unit_exponent", Kind.CHOICE, required=True, choices=("0", "2", "3")),
            Column("currency_name", Kind.TEXT, required=True),
        ),
        key=("currency_code",),
        required=True,
    ),
    SeedSpec(
        "industry_taxonomy",
        (
            Column("industry_code", Kind.CODE, required=True),
            Column("industry_name", Kind.TEXT, required=True),
            Column("level", Kind.INTEGER, required=True),
            Column("description", Kind.TEXT),
        ),
        key=("industry_code",),
        required=True,
    ),
    SeedSpec(
        "industry_taxonomy_edges",
        (
            Column("industry_code", Kind.CODE_REF, required=True),
            Column("parent_industry_code", Kind.CODE_REF, required=True),
            Column("is_primary_parent", Kind.BOOLEAN),
        ),
        key=("industry_code", "parent_industry_code"),
        required=True,
    ),
    SeedSpec(
        "crm_industry_map",
        (
            Column("crm_value", Kind.TEXT, required=True),
            Column("industry_code", Kind.CODE_REF),
            Column("note", Kind.TEXT),
        ),
        key=("crm_value",),
        required=True,
        label_key_columns=("crm_value",),
    ),
    SeedSpec(
        "company_classification",
        (
            Column("company_id", Kind.ID, required=True),
            Column("industry_code", Kind.CODE_REF, required=True),
            Column("is_primary", Kind.BOOLEAN, required=True),
            Column("use_case", Kind.TEXT),
            Column("business_type", Kind.CHOICE, choices=BUSINESS_TYPES, case_sensitive=False),
            Column("note", Kind.TEXT),
        ),
        key=("company_id", "industry_code"),
        required=True,
        company_id_column="company_id",
    ),
    SeedSpec(
        "company_size_bands",
        (
            Column("measure", Kind.CHOICE, required=True, choices=SIZE_MEASURES),
            Column("band_code", Kind.CODE, required=True),
            Column("band_name", Kind.TEXT, required=True),
            Column("lower_bound", Kind.DECIMAL, required=True),
            Column("upper_bound", Kind.DECIMAL),
        ),
        key=("band_code",),
        required=True,
    ),
    # Seeds other issues own (formats in the shared context): checked when present.
    SeedSpec(
        "timezone_aliases",
        (
            Column("alias", Kind.ALIAS, required=True),
            Column("timezone", Kind.IANA, required=True),
            Column("note", Kind.TEXT),
        ),
        key=("alias",),
    ),
    SeedSpec(
        "company_timezones",
        (
            Column("company_id", Kind.ID, required=True),
            Column("timezone", Kind.TIMEZONE, required=True),
            Column("effective_from", Kind.DATE),
            Column("note", Kind.TEXT),
        ),
        key=("company_id", "effective_from"),
        company_id_column="company_id",
    ),
    SeedSpec(
        "countries",
        (
            Column(
                "country_code",
                Kind.PATTERN,
                required=True,
                pattern=r"[A-Z]{2}",
                expected="an ISO 3166 alpha-2 code in capitals, e.g. 'DE'",
            ),
            Column(
                "country_code_alpha3",
                Kind.PATTERN,
                required=True,
                pattern=r"[A-Z]{3}",
                expected="an ISO 3166 alpha-3 code in capitals, e.g. 'DEU'",
            ),
            Column("country_name", Kind.TEXT, required=True),
            Column("zone_count", Kind.INTEGER),
            Column("timezone", Kind.IANA),
        ),
        key=("country_code",),
    ),
    SeedSpec(
        "country_aliases",
        (
            Column("alias", Kind.ALIAS, required=True),
            Column(
                "country_code",
                Kind.PATTERN,
                required=True,
                pattern=r"[A-Z]{2}",
                expected="an ISO 3166 alpha-2 code in capitals, e.g. 'DE'",
            ),
            Column("note", Kind.TEXT),
        ),
        key=("alias",),
    ),
    SeedSpec(
        "timezones",
        (
            Column("timezone", Kind.IANA, required=True),
            Column("canonical_timezone", Kind.IANA, required=True),
        ),
        key=("timezone",),
    ),
    SeedSpec(
        "plan_entitlements",
        (
            Column("plan", Kind.ID, required=True),
            Column("feature", Kind.CODE, required=True),
            Column("note", Kind.TEXT),
        ),
        key=("plan", "feature"),
    ),
    SeedSpec(
        "free_email_domains",
        (
            Column("domain", Kind.ID, required=True),
            Column("kind", Kind.CHOICE, required=True, choices=("free_mail", "isp")),
            Column("note", Kind.TEXT),
        ),
        key=("domain",),
        required=True,
    ),
    SeedSpec(
        "fx_rates",
        (
            Column("month", Kind.DATE, required=True),
            Column(
                "currency",
                Kind.PATTERN,
                required=True,
                pattern=r"[A-Za-z]{3}",
                expected="an ISO 4217 code, e.g. 'eur'",
            ),
            Column(
                "reporting_currency",
                Kind.PATTERN,
                required=True,
                pattern=r"[A-Za-z]{3}",
                expected="an ISO 4217 code, e.g. 'usd'",
            ),
            Column("rate", Kind.DECIMAL, required=True),
        ),
        key=("month", "currency", "reporting_currency"),
        required=True,
    ),
    SeedSpec(
        "opportunity_stages",
        (
            Column("stage_name", Kind.TEXT, required=True),
            Column("stage_order", Kind.INTEGER, required=True),
            Column("probability", Kind.DECIMAL, required=True),
            Column("is_closed", Kind.BOOLEAN),
            Column("is_won", Kind.BOOLEAN),
            Column("note", Kind.TEXT),
        ),
        key=("stage_name",),
        required=True,
        label_key_columns=("stage_name",),
    ),
    SeedSpec(
        "plans",
        (
            Column("plan", Kind.ID, required=True),
            Column("plan_rank", Kind.INTEGER, required=True),
            Column("note", Kind.TEXT),
        ),
        key=("plan",),
        required=True,
    ),
    SeedSpec(
        "feature_access_overrides",
        (
            Column("company_id", Kind.ID, required=True),
            Column("feature", Kind.CODE, required=True),
            Column("access", Kind.CHOICE, required=True, choices=ACCESS),
            Column("starts_on", Kind.DATE, required=True),
            Column("ends_on", Kind.DATE),
            Column("reason", Kind.TEXT),
        ),
        key=("company_id", "feature", "starts_on"),
        company_id_column="company_id",
    ),
    SeedSpec(
        "identity_overrides",
        (
            Column("entity", Kind.CHOICE, required=True, choices=IDENTITY_ENTITIES),
            Column("identifier_type_a", Kind.CHOICE, required=True, choices=IDENTIFIER_TYPES),
            Column("identifier_value_a", Kind.ID, required=True),
            Column("identifier_type_b", Kind.CHOICE, required=True, choices=IDENTIFIER_TYPES),
            Column("identifier_value_b", Kind.ID, required=True),
            Column("rule", Kind.CHOICE, required=True, choices=IDENTITY_RULES),
            Column("reason", Kind.TEXT, required=True),
            Column("requested_by", Kind.TEXT),
            Column("requested_on", Kind.DATE, required=True),
        ),
        key=(
            "entity",
            "identifier_type_a",
            "identifier_value_a",
            "identifier_type_b",
            "identifier_value_b",
        ),
        required=True,
    ),
    SeedSpec(
        "event_dictionary",
        (
            Column("event_name", Kind.TEXT, required=True),
            Column("feature", Kind.CODE),
            Column("is_key_event", Kind.BOOLEAN, required=True),
            Column("required_properties", Kind.PROPERTIES),
            Column("owner", Kind.TEXT),
            Column("description", Kind.TEXT),
        ),
        key=("event_name",),
    ),
    SeedSpec(
        "channel_groups",
        (
            Column("rule_order", Kind.INTEGER, required=True),
            Column("source", Kind.TEXT, required=True),
            Column("medium", Kind.TEXT, required=True),
            Column("channel", Kind.CODE, required=True),
            Column("note", Kind.TEXT),
        ),
        key=("rule_order",),
        required=True,
    ),
    SeedSpec(
        "health_score_model",
        (
            Column(
                "component",
                Kind.CHOICE,
                required=True,
                choices=tuple(HEALTH_PARAMETERS),
                case_sensitive=False,
            ),
            Column("parameter", Kind.CODE, required=True),
            Column("value", Kind.DECIMAL, required=True),
            Column("note", Kind.TEXT),
        ),
        key=("component", "parameter"),
        required=True,
    ),
    SeedSpec(
        "freshness_rules",
        (
            Column(
                "entity",
                Kind.CHOICE,
                required=True,
                choices=tuple(FRESHNESS_ATTRIBUTES),
                case_sensitive=False,
            ),
            Column("attribute", Kind.TEXT, required=True),
            Column(
                "lifecycle_stage",
                Kind.CHOICE,
                required=True,
                choices=("*", *LIFECYCLE_STAGES),
                case_sensitive=False,
            ),
            Column("employee_size_band", Kind.TEXT, required=True),
            Column("mrr_band", Kind.TEXT, required=True),
            Column("max_age_days", Kind.INTEGER, required=True),
            Column("note", Kind.TEXT),
        ),
        key=("entity", "attribute", "lifecycle_stage", "employee_size_band", "mrr_band"),
        required=True,
    ),
)

BY_NAME = {spec.name: spec for spec in SPECS}
