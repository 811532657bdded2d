"""``c360 generate``: a deterministic, realistic landing zone shaped exactly by the spec."""

from __future__ import annotations

from c360.generate.pipeline import generate

__all__ = ["generate"]
