"""Keyed hashes (HMAC-SHA-256, hex) of emails and identifiers.

The same functions run in Python (``c360 erase``, ``c360 hash``) and inside
the build, registered as DuckDB functions by ``c360.privacy.dbt_plugin``, so
a hash written by one matches a hash written by the other.
"""

from __future__ import annotations

import hashlib
import hmac


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
