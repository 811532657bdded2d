"""Keyed hashes (HMAC-SHA-256, hex) of emails and identifiers.

The same functions run in Python (``c360 erase``, ``c360 hash``) and inside
the build, registered as DuckDB functions by ``c360.privacy.dbt_plugin``, so
a hash written by one matches a hash written by the other.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from c360.privacy.keys import KeyRing


def normalise_email(email: str) -> str:
    """The form an email is hashed in: surrounding blanks removed, lower case."""
    return email.strip().lower()


def normalise_identifier(value: str) -> str:
    """The form any other identifier is hashed in: surrounding blanks removed."""
    return value.strip()


def keyed_hash(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def email_hash(key: bytes, email: str) -> str:
    return keyed_hash(key, normalise_email(email))


def identifier_hash(key: bytes, value: str) -> str:
    return keyed_hash(key, normalise_identifier(value))


def register_functions(con: duckdb.DuckDBPyConnection, ring: KeyRing) -> None:
    """``c360_hash(text)`` (current key) and ``c360_hashes(text)`` (every key, current
    first) on a DuckDB connection; null in, null out."""

    def one(text: str | None) -> str | None:
        return None if text is None else keyed_hash(ring.current, text)

    def every(text: str | None) -> list[str] | None:
        return None if text is None else [keyed_hash(key, text) for key in ring.all]

    from duckdb.func import SPECIAL

    con.create_function("c360_hash", one, ["varchar"], "varchar", null_handling=SPECIAL)
    con.create_function("c360_hashes", every, ["varchar"], "varchar[]", null_handling=SPECIAL)
