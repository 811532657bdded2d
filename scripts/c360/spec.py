"""The landing contract (docs/landing-contract.md) as data.

One place names every system, table and column of the landing zone, the
column every table is keyed by, and the Parquet types our generator writes.
The generator writes through it, the tests validate against it, and the
landing scan reads through it.

Types: the spec fixes VARCHAR for every events column. For the other systems
it names columns but not physical types, so real extracts may differ (an id
written as an integer, a number as a string); ``arrow_type`` is what *we*
write, the type a real Salesforce/Stripe/help-desk export most often has.
Readers must cast, never assume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

Mode = Literal["incremental", "full"]

STR = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()

MANIFEST_NAME = "_manifest.json"
MANIFEST_KEYS = ("system", "table", "extract_date", "mode", "row_count", "extracted_at")
PARTITION_PREFIX = "extract_date="


@dataclass(frozen=True)
class Column:
    name: str
    arrow_type: pa.DataType
    required: bool = False

    @property
    def sql_type(self) -> str:
        """The DuckDB type a missing optional column is filled with."""
        return {"string": "varchar", "int64": "bigint", "double": "double", "bool": "boolean"}[
            str(self.arrow_type)
        ]


@dataclass(frozen=True)
class Table:
    system: str
    table: str
    key: str
    modes: tuple[Mode, ...]
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"{self.system}/{self.table}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type) for c in self.columns])


def _cols(spec: str) -> tuple[Column, ...]:
    """Parse ``"Id:s! Name:s NumberOfEmployees:i"``.

    Kinds: s string, i int64, f float64, b bool. A trailing ``!`` marks a
    column every file must have (the key, and what versioning or typing
    cannot do without); a file without one is reported and not loaded. Other
    columns may be absent from a file: they load as null.
    """
    kinds = {"s": STR, "i": INT, "f": FLOAT, "b": BOOL}
    out = []
    for item in spec.split():
        name, kind = item.rsplit(":", 1)
        required = kind.endswith("!")
        out.append(Column(name, kinds[kind.rstrip("!")], required))
    return tuple(out)


TABLES: tuple[Table, ...] = (
    Table(
        "events",
        "messages",
        "messageId",
        ("incremental",),
        _cols(
            "messageId:s! type:s! event:s name:s userId:s anonymousId:s groupId:s "
            "previousId:s timestamp:s! sentAt:s receivedAt:s! context:s properties:s traits:s"
        ),
    ),
    Table(
        "crm",
        "accounts",
        "Id",
        ("incremental", "full"),
        _cols(
            "Id:s! Name:s Website:s Industry:s NumberOfEmployees:i AnnualRevenue:f "
            "BillingCountry:s BillingState:s BillingCity:s ParentId:s OwnerId:s CSM__c:s "
            "AccountSource:s Type:s App_Account_Id__c:s Contract_Signed_Date__c:s "
            "Onboarding_Completed_Date__c:s Time_Zone__c:s CreatedDate:s LastModifiedDate:s "
            "SystemModstamp:s! IsDeleted:b"
        ),
    ),
    Table(
        "crm",
        "contacts",
        "Id",
        ("incremental", "full"),
        _cols(
            "Id:s! AccountId:s Email:s FirstName:s LastName:s Title:s LeadSource:s "
            "App_User_Id__c:s HasOptedOutOfEmail:b CreatedDate:s LastModifiedDate:s "
            "SystemModstamp:s! IsDeleted:b"
        ),
    ),
    Table(
        "crm",
        "users",
        "Id",
        ("incremental", "full"),
        _cols("Id:s! Name:s Email:s Title:s IsActive:b LastModifiedDate:s SystemModstamp:s!"),
    ),
    Table(
        "crm",
        "opportunities",
        "Id",
        ("incremental", "full"),
        _cols(
            "Id:s! AccountId:s Name:s StageName:s Type:s Amount:f CurrencyIsoCode:s "
            "CloseDate:s IsClosed:b IsWon:b CreatedDate:s LastModifiedDate:s "
            "SystemModstamp:s! IsDeleted:b"
        ),
    ),
    Table(
        "billing",
        "customers",
        "id",
        ("full",),
        _cols("id:s! email:s name:s created:i currency:s address_country:s deleted:b metadata:s"),
    ),
    Table(
        "billing",
        "subscriptions",
        "id",
        ("full",),
        _cols(
            "id:s! customer:s! status:s! created:i start_date:i current_period_start:i "
            "current_period_end:i cancel_at_period_end:b canceled_at:i ended_at:i "
            "trial_start:i trial_end:i currency:s items:s"
        ),
    ),
    Table("billing", "products", "id", ("full",), _cols("id:s! name:s active:b metadata:s")),
    Table(
        "billing",
        "prices",
        "id",
        ("full",),
        _cols(
            "id:s! product:s! currency:s! unit_amount:i! recurring_interval:s "
            "recurring_interval_count:i active:b"
        ),
    ),
    Table(
        "billing",
        "invoices",
        "id",
        ("incremental",),
        _cols(
            "id:s! customer:s subscription:s status:s! currency:s! amount_due:i amount_paid:i "
            "total:i period_start:i period_end:i created:i!"
        ),
    ),
    Table(
        "support",
        "tickets",
        "ticket_id",
        ("incremental",),
        _cols(
            "ticket_id:i! requester_email:s organization_external_id:s status:s priority:s "
            "channel:s satisfaction_rating:s created_at:s! updated_at:s! solved_at:s"
        ),
    ),
    Table(
        "support",
        "nps_responses",
        "response_id",
        ("incremental",),
        _cols("response_id:s! survey_id:s email:s user_id:s score:i! comment:s submitted_at:s!"),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """Look a table up by ``system/table``."""
    return TABLES_BY_NAME[name]
