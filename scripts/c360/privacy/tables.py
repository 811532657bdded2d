"""Where a person's identifiers live: the landed person tables (raw column names)
and their base models (typed column names). Agrees with the dbt macro
``erasure_person_tables`` (tests/unit/test_spec_agreement.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonTable:
    system: str
    table: str
    base_model: str
    raw_columns: dict[str, tuple[str, ...]]  # identifier type -> raw columns
    base_columns: tuple[str, ...]  # typed columns of the base model holding identifiers
    redact: str | None = None  # a column nulled instead of removing the row


PERSON_TABLES = (
    PersonTable(
        "events",
        "messages",
        "base_events__messages",
        {"user_id": ("userId", "previousId"), "anonymous_id": ("anonymousId", "previousId")},
        ("user_id", "anonymous_id", "previous_id"),
    ),
    PersonTable(
        "crm",
        "contacts",
        "base_crm__contacts",
        {"crm_contact_id": ("Id",), "user_id": ("App_User_Id__c",), "email": ("Email",)},
        ("contact_id", "app_user_id", "email_normalized"),
    ),
    PersonTable(
        "support",
        "tickets",
        "base_support__tickets",
        {"email": ("requester_email",)},
        ("requester_email_normalized",),
    ),
    PersonTable(
        "support",
        "nps_responses",
        "base_support__nps_responses",
        {"user_id": ("user_id",), "email": ("email",)},
        ("user_id", "email_normalized"),
    ),
)

# A Stripe customer is a company's: an erased person's billing email is withheld
# (nulled), the customer row stays.
REDACTED_TABLES = (
    PersonTable(
        "billing",
        "customers",
        "base_billing__customers",
        {"email": ("email",)},
        ("email",),
        "email",
    ),
)
