"""Seeded randomness and identifiers: every stream is derived from (seed, purpose)."""

from __future__ import annotations

import zlib

import numpy as np
import polars as pl

_BASE62 = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)
_BASE36 = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def rng_for(seed: int, purpose: str, *more: int) -> np.random.Generator:
    """An independent generator per purpose, so adding a stream never shifts another."""
    return np.random.default_rng([seed, zlib.crc32(purpose.encode()), *more])


def random_tokens(rng: np.random.Generator, n: int, length: int, alphabet: str = "62") -> list[str]:
    """``n`` random strings of ``length`` characters from base62 or base36."""
    table = _BASE62 if alphabet == "62" else _BASE36
    codes = rng.integers(0, len(table), size=(n, length))
    raw = table[codes].tobytes()
    return [raw[i * length : (i + 1) * length].decode() for i in range(n)]


def unique_tokens(rng: np.random.Generator, n: int, length: int, alphabet: str = "62") -> list[str]:
    """Like :func:`random_tokens` but guaranteed distinct (redraws the rare collision)."""
    out = random_tokens(rng, n, length, alphabet)
    seen: set[str] = set()
    for i, tok in enumerate(out):
        while tok in seen:
            tok = random_tokens(rng, 1, length, alphabet)[0]
        seen.add(tok)
        out[i] = tok
    return out


def salesforce_ids(rng: np.random.Generator, n: int, prefix: str) -> list[str]:
    """18-character Salesforce-style ids with a 3-character key prefix (001 account, ...)."""
    return [prefix + "5g00000" + tok for tok in unique_tokens(rng, n, 8)]


def uuids(rng: np.random.Generator, n: int) -> pl.Series:
    """``n`` version-4-shaped UUID strings."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = pl.Series("h", np.frombuffer(raw.tobytes().hex().encode(), dtype="S32")).cast(pl.String)
    parts = [hexed.str.slice(a, b - a) for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))]
    return pl.select(pl.concat_str(parts, separator="-")).to_series().alias("uuid")
