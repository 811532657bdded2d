"""dbt-duckdb plugin: the hashing functions the models call.

Registered on the build's connection (profiles.yml ``plugins``), before any
model runs:

- ``c360_hash(text)``: HMAC-SHA-256 (hex) under the current key of the text as
  given; the ``email_hash`` / ``identifier_hash`` macros normalise first.
- ``c360_hashes(text)``: the same under the current key and every retired
  one, for matching erasure requests made before a key rotation.

The key never appears in SQL, compiled files or logs: it lives in this
process only.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from c360.privacy import hashing, keys


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._ring = keys.load()

    def configure_connection(self, conn: Any) -> None:
        hashing.register_functions(conn, self._ring)
