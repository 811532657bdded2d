"""The hashing key: where it comes from, how it is protected, and that Python and
the build's SQL function hash alike."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import duckdb
import pytest

from c360.errors import C360Error
from c360.privacy import hashing, keys
from c360.privacy.dbt_plugin import Plugin


@pytest.fixture
def no_env_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    monkeypatch.delenv(keys.RETIRED_ENV, raising=False)
    path = tmp_path / "config" / "customer360" / "hash.key"
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(path))
    return path


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.KEY_ENV, "0123456789abcdef-env")
    assert keys.load().current == b"0123456789abcdef-env"


def test_short_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.KEY_ENV, "short")
    with pytest.raises(C360Error, match="at least 16"):
        keys.load()


def test_key_file_created_once_owner_only_with_a_notice(no_env_key: Path) -> None:
    notices = io.StringIO()
    first = keys.load(notices)
    assert no_env_key.is_file()
    assert stat.S_IMODE(no_env_key.stat().st_mode) == 0o600
    assert notices.getvalue().count("\n") == 1 and str(no_env_key) in notices.getvalue()
    again = io.StringIO()
    assert keys.load(again).current == first.current
    assert again.getvalue() == ""


def test_key_file_readable_by_others_is_refused(no_env_key: Path) -> None:
    keys.load(io.StringIO())
    no_env_key.chmod(0o644)
    with pytest.raises(C360Error, match="chmod 600"):
        keys.load()


def test_retired_keys_follow_the_current_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.KEY_ENV, "new-key-0123456789")
    monkeypatch.setenv(keys.RETIRED_ENV, "old-key-0123456789, new-key-0123456789")
    ring = keys.load()
    assert ring.all == (b"new-key-0123456789", b"old-key-0123456789")


def test_email_is_normalised_before_hashing() -> None:
    key = b"k" * 20
    assert hashing.email_hash(key, "  Ann@Example.COM ") == hashing.email_hash(
        key, "ann@example.com"
    )
    assert hashing.identifier_hash(key, " u1 ") != hashing.identifier_hash(key, "U1")


def test_the_build_function_hashes_as_python_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.KEY_ENV, "plugin-key-0123456789")
    monkeypatch.setenv(keys.RETIRED_ENV, "older-key-0123456789")
    con = duckdb.connect()
    Plugin(name="c360", plugin_config={}).configure_connection(con)
    row = con.execute(
        "select c360_hash('ann@example.com'), c360_hash(null), c360_hashes('u1')"
    ).fetchone()
    assert row is not None
    assert row[0] == hashing.keyed_hash(b"plugin-key-0123456789", "ann@example.com")
    assert row[1] is None
    assert row[2] == [
        hashing.keyed_hash(b"plugin-key-0123456789", "u1"),
        hashing.keyed_hash(b"older-key-0123456789", "u1"),
    ]
