"""The secret behind every hash customer360 writes (``email_hash``, erasure requests).

The key is ``$C360_HASH_KEY`` when set; otherwise it is read from a key file
(``$C360_HASH_KEY_FILE``, default ``$XDG_CONFIG_HOME/customer360/hash.key``),
which is created on first use with a random key, readable by its owner only,
and announced in one line. Retired keys (``$C360_HASH_KEYS_RETIRED``,
comma-separated) are kept only so that erasure requests hashed under them
still match after a rotation (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from c360.errors import C360Error

KEY_ENV = "C360_HASH_KEY"
KEY_FILE_ENV = "C360_HASH_KEY_FILE"
RETIRED_ENV = "C360_HASH_KEYS_RETIRED"
MIN_KEY_CHARS = 16


@dataclass(frozen=True)
class KeyRing:
    """The current key (every new hash) and the retired ones (matching old requests)."""

    current: bytes
    retired: tuple[bytes, ...] = ()

    @property
    def all(self) -> tuple[bytes, ...]:
        return (self.current, *self.retired)


def key_id(key: bytes) -> str:
    """A short public name for a key (tells which key a stored hash was made with)."""
    return hmac.new(key, b"customer360 key id", hashlib.sha256).hexdigest()[:12]


def default_key_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "customer360" / "hash.key"


def key_file() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or default_key_file())


def _checked(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_KEY_CHARS:
        raise C360Error(
            f"{where}: the hashing key has {len(text)} characters, it needs at least"
            f" {MIN_KEY_CHARS} (e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    return text.encode()


def _read_file(path: Path) -> bytes:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise C360Error(
            f"{path}: the hashing key file can be read by others (mode {stat.filemode(mode)});"
            f" run chmod 600 {path}"
        )
    return _checked(path.read_text(), str(path))


def _create_file(path: Path, notices: TextIO) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # created meanwhile by another process: use theirs
        return _read_file(path)
    with os.fdopen(fd, "w") as out:
        out.write(text + "\n")
    print(
        f"c360: created a new hashing key in {path} (readable by you only); set"
        f" {KEY_ENV} to use the same key on every machine (docs/privacy.md)",
        file=notices,
    )
    return text.encode()


def load(notices: TextIO | None = None) -> KeyRing:
    """The key ring from the environment, creating the key file on first use."""
    text = os.environ.get(KEY_ENV)
    if text:
        current = _checked(text, f"${KEY_ENV}")
    else:
        path = key_file()
        try:
            current = (
                _read_file(path) if path.exists() else _create_file(path, notices or sys.stderr)
            )
        except OSError as exc:
            raise C360Error(
                f"{path}: cannot read or create the hashing key: {exc.strerror}"
            ) from None
    retired = tuple(
        _checked(part, f"${RETIRED_ENV}")
        for part in (os.environ.get(RETIRED_ENV) or "").split(",")
        if part.strip()
    )
    return KeyRing(current, tuple(k for k in retired if k != current))
