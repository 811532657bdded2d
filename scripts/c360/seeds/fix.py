"""``c360 seeds check --fix``: rewrite a seed's formatting so dbt reads it, never its values.

It rewrites a file only when dbt would misread it: not UTF-8 (converted
from Windows-1252, what spreadsheets on Windows save), ';' or tab
separators, a 'sep=' first line, mixed line endings, spaces around values
or column names, empty columns after the last one, rows of empty cells.
The result is UTF-8 without a byte-order mark, ',' separated, LF line
endings, quotes only where a value needs them. Values themselves (dates,
numbers, codes, ids) are never changed: what needs a person's judgement
stays an error. The original is kept as ``<file>.bak`` (replacing an older
backup); the models ignore it (dbt reads only ``*.csv``).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from c360.seeds.csvfile import SeedFile, read_seed


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def fix_seed(path: Path) -> list[str]:
    """Rewrite ``path`` if its formatting needs it; what was changed, in words (empty: nothing)."""
    seed = read_seed(path, path.name)
    if not seed.readable or not seed.header:
        return []
    text, trimmed = _rewrite(seed)
    changes = _describe(seed, trimmed)
    if not changes:
        return []
    shutil.copy2(path, backup_path(path))
    path.write_text(text, encoding="utf-8", newline="")
    return changes


def _rewrite(seed: SeedFile) -> tuple[str, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(seed.header)
    trimmed = 0
    for row in seed.rows:
        cells = [row.get(name) for name in seed.header]
        clean = [cell.strip() for cell in cells]
        trimmed += sum(1 for before, after in zip(cells, clean, strict=True) if before != after)
        kept_extra = [cell for cell in row.extra if cell.strip()]  # stays an error
        writer.writerow(clean + kept_extra)
    return out.getvalue(), trimmed


def _describe(seed: SeedFile, trimmed: int) -> list[str]:
    changes = []
    if seed.encoding != "utf-8":
        changes.append("converted from Windows-1252 to UTF-8")
    if seed.has_sep_line:
        changes.append("removed the 'sep=' first line")
    if seed.delimiter != ",":
        changes.append(f"separator {seed.delimiter!r} -> ','")
    if seed.mixed_line_endings:
        changes.append("line endings -> LF")
    if seed.header_cleaned:
        changes.append("cleaned the header (spaces around names, empty columns at the end)")
    if trimmed:
        changes.append(f"trimmed the spaces around {trimmed} value(s)")
    if seed.padded_rows:
        changes.append(f"dropped empty cells after the last column on {seed.padded_rows} row(s)")
    if seed.empty_rows:
        changes.append(f"dropped {seed.empty_rows} empty row(s)")
    return changes
