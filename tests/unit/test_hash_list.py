"""``c360 hash``: the same email_hash as the build (hashing.email_hash under the current
key), one line out per line in, blank lines kept, one-line errors with line numbers."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from c360.cli import EXIT_ERROR, EXIT_USAGE, main
from c360.privacy import hashing, keys

KEY = os.environ[keys.KEY_ENV].encode()  # tests/conftest.py sets it for every test


def run(
    capsys: pytest.CaptureFixture[str], argv: Sequence[str], stdin: str = ""
) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        return _main(capsys, argv)


def _main(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_each_line_gets_the_build_s_email_hash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listed = tmp_path / "list.txt"
    listed.write_text("Ada@Example.COM \r\n\nbob@b.example\n", encoding="utf-8")
    code, out, err = run(capsys, ["hash", str(listed)])
    assert (code, err) == (0, "")
    assert out.split("\n") == [
        hashing.email_hash(KEY, "ada@example.com"),
        "",  # a blank line stays a blank line: the output lines up with the input
        hashing.email_hash(KEY, "bob@b.example"),
        "",
    ]
    # the same hash the build writes: HMAC-SHA-256 of the trimmed, lower-cased email
    assert out.split("\n")[0] == hashing.keyed_hash(KEY, "ada@example.com")


def test_stdin_and_a_csv_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, ["hash"], stdin="cy@c.example\n")
    assert (code, out) == (0, hashing.email_hash(KEY, "cy@c.example") + "\n")
    table = tmp_path / "list.csv"
    table.write_text('\ufeffname,Email\n"Lovelace, Ada",ada@a.example\nBob,\n', encoding="utf-8")
    code, out, _ = run(capsys, ["hash", str(table), "--column", "Email"])
    assert code == 0
    assert out.splitlines() == ["email_hash", hashing.email_hash(KEY, "ada@a.example"), ""]


def test_errors_are_one_line_name_the_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listed = tmp_path / "list.txt"
    listed.write_text("email\nada@a.example\n", encoding="utf-8")
    code, out, err = run(capsys, ["hash", str(listed)])
    assert (code, out) == (EXIT_ERROR, "")
    assert err == (
        f"c360: error: {listed}:1: 'email' is not an email (no @); for a CSV with a header"
        " give --column NAME\n"
    )
    code, out, err = run(capsys, ["hash", str(listed), "--column", "mail"])
    assert (code, out) == (EXIT_ERROR, "")
    assert "no column 'mail' in the header (found: email)" in err
    code, _, err = run(capsys, ["hash", str(tmp_path / "missing.txt")])
    assert code == EXIT_ERROR and "cannot read it: No such file or directory" in err
    code, _, err = run(capsys, ["hash", "a", "b"])
    assert code == EXIT_USAGE


def test_no_key_is_an_error_not_a_new_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(keys.KEY_ENV)
    key_file = tmp_path / "hash.key"
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(key_file))
    code, out, err = run(capsys, ["hash"], stdin="ada@a.example\n")
    assert (code, out) == (EXIT_ERROR, "")
    assert "no hashing key: set $C360_HASH_KEY" in err
    assert not key_file.exists()
