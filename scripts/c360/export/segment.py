"""Segment calls from export rows: an identify call per person, a group call per company.

The shapes follow Segment's spec (docs/exports.md, doc block
``export_segment_calls``): ``userId`` or ``anonymousId`` on every call,
``groupId`` on a group call, traits without nulls, the spec's reserved trait
names where a column means one, and a ``messageId`` derived from the ids and
the traits hash, so an unchanged call is the same message.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from typing import Any

from c360 import __version__

# export column -> Segment reserved trait (identify: people; group: companies)
PERSON_TRAITS = {
    "email": "email",
    "first_name": "firstName",
    "last_name": "lastName",
    "full_name": "name",
    "title": "title",
    "signed_up_at": "createdAt",
}
COMPANY_TRAITS = {
    "company_name": "name",
    "industry": "industry",
    "employee_count": "employees",
    "plan": "plan",
    "website_domain": "website",
    "created_date": "createdAt",
}
# columns that become the call's ids rather than traits
_NOT_TRAITS = {"member_user_id"}


def json_value(value: Any) -> Any:
    """A column value as JSON: ISO-8601 for times (UTC, 'Z'), numbers for decimals."""
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z" if value.tzinfo is None else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _traits(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        names.get(column, column): json_value(value)
        for column, value in row.items()
        if value is not None and column not in _NOT_TRAITS
    }


def message_id(call_type: str, entity_id: str, traits_hash: str) -> str:
    digest = hashlib.sha256(f"{call_type}\n{entity_id}\n{traits_hash}".encode()).hexdigest()
    return f"c360-{digest[:32]}"


def _common(call_type: str, entity_id: str, traits_hash: str, timestamp: str) -> dict[str, Any]:
    return {
        "type": call_type,
        "messageId": message_id(call_type, entity_id, traits_hash),
        "timestamp": timestamp,
        "context": {"library": {"name": "c360", "version": __version__}},
    }


def identify_call(row: dict[str, Any], traits_hash: str, timestamp: str) -> dict[str, Any]:
    """A person: ``userId`` = user_id, else ``anonymousId`` = person_key (a CRM-only contact)."""
    person_key = str(row["person_key"])
    call = _common("identify", person_key, traits_hash, timestamp)
    if row.get("user_id") is not None:
        call["userId"] = str(row["user_id"])
    else:
        call["anonymousId"] = person_key
    call["traits"] = _traits(row, PERSON_TRAITS)
    return call


def group_call(row: dict[str, Any], traits_hash: str, timestamp: str) -> dict[str, Any]:
    """A company: ``groupId`` = app_account_id, else company_key; ``userId`` = a consented
    member's user_id, else ``anonymousId`` = company_key (Segment requires one of them)."""
    company_key = str(row["company_key"])
    call = _common("group", company_key, traits_hash, timestamp)
    call["groupId"] = str(row.get("app_account_id") or company_key)
    if row.get("member_user_id") is not None:
        call["userId"] = str(row["member_user_id"])
    else:
        call["anonymousId"] = company_key
    call["traits"] = _traits(row, COMPANY_TRAITS)
    return call
