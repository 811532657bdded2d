"""A problem found in a seed: where (file, line, column), the value, what is wrong, what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

FIX_HINT = "run 'c360 seeds check --fix' to rewrite it (a backup is kept)"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem; ``line`` is the file's line number, which is the spreadsheet's row number."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    suggestion: str | None = None
    severity: Severity = Severity.ERROR
    fixable: bool = False  # ``c360 seeds check --fix`` repairs it

    def format(self) -> str:
        """``file:line: severity: column 'value': what is wrong — suggestion``."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        subject = ""
        if self.column is not None:
            subject = self.column if self.value is None else f"{self.column} {quote(self.value)}"
            subject += ": "
        elif self.value is not None:
            subject = f"{quote(self.value)}: "
        tail = f" — {self.suggestion}" if self.suggestion else ""
        return f"{where}: {self.severity}: {subject}{self.message}{tail}"

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.column or "", self.message)


def quote(value: str) -> str:
    """A value as the user typed it, in single quotes (spaces and all)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def closest(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate most like ``value`` (difflib, ignoring case), or None below ``cutoff``."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    matches = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[matches[0]] if matches else None


def did_you_mean(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """``did you mean 'x'?`` for the closest candidate, or None."""
    match = closest(value, candidates, cutoff=cutoff)
    return f"did you mean {quote(match)}?" if match is not None else None
