"""The ``c360`` command line: exit codes, one-line errors, refusing to clobber, progress lines."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from c360 import __version__
from c360.cli import EXIT_ERROR, EXIT_USAGE, main

# A landing zone small enough for a CLI test: the smallest sizes make_config allows.
SMALLEST = ["--scale", "tiny", "--days", "14", "--companies", "10", "--events", "200"]
PROGRESS_RE = re.compile(r"^\[c360\] generate (?P<stage>\S[^:]*): [\d,]+ rows( .*)? \(\d+\.\d+s\)$")
C360 = Path(sys.executable).parent / "c360"


def run(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, str, str]:
    """``c360 <argv>`` in-process: (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got:\n{err}"
    assert lines[0].startswith("c360: error: "), lines[0]
    assert "Traceback" not in err
    return lines[0]


def landed_tables(root: Path) -> set[str]:
    return {f"{p.parent.name}/{p.name}" for p in root.glob("*/*") if p.is_dir()}


# --------------------------------------------------------------------------- bad arguments


BAD_ARGS = [
    pytest.param(["generate", "--scale", "huge"], EXIT_USAGE, id="unknown-scale"),
    pytest.param(["generate", "--days", "-3"], EXIT_USAGE, id="negative-days"),
    pytest.param(["generate", "--days", "many"], EXIT_USAGE, id="days-not-a-number"),
    pytest.param(["generate", "--end-date", "2026-13-01"], EXIT_USAGE, id="bad-end-date"),
    pytest.param(["generate", "--bogus"], EXIT_USAGE, id="unknown-option"),
    pytest.param(["frobnicate"], EXIT_USAGE, id="unknown-command"),
    pytest.param([], EXIT_USAGE, id="no-command"),
    pytest.param(["generate", "--companies", "2"], EXIT_ERROR, id="too-few-companies"),
    pytest.param(["generate", "--days", "3"], EXIT_ERROR, id="too-few-days"),
]


@pytest.mark.parametrize(("argv", "code"), BAD_ARGS)
def test_bad_arguments_exit_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], code: int
) -> None:
    out = tmp_path / "raw"
    argv = [*argv, "--out", str(out)] if argv[:1] == ["generate"] else argv
    got, stdout, stderr = run(capsys, argv)
    assert got == code
    assert stdout == ""
    assert_one_line_error(stderr)
    assert not out.exists(), "a rejected command wrote to --out"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        pytest.param(["generate", "--scale", "huge"], EXIT_USAGE, id="usage"),
        pytest.param(["generate", "--companies", "2"], EXIT_ERROR, id="c360-error"),
    ],
)
def test_installed_console_script_reports_errors_the_same_way(
    tmp_path: Path, argv: list[str], code: int
) -> None:
    assert C360.exists(), f"console script not installed at {C360}"
    done = subprocess.run(
        [str(C360), *argv, "--out", str(tmp_path / "raw")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == code
    assert_one_line_error(done.stderr)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, ["--version"])
    assert code == 0
    assert stdout.strip() == f"c360 {__version__}"


# --------------------------------------------------------------------------- --out


def test_out_under_a_regular_file_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A path whose parent is a file cannot be created, even by root.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    out = blocker / "raw"
    code, _, stderr = run(capsys, ["generate", *SMALLEST, "--out", str(out)])
    assert code == EXIT_ERROR
    line = assert_one_line_error(stderr)
    assert str(out) in line
    assert blocker.read_text() == "x"


def test_out_that_is_a_file_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "raw"
    out.write_text("x")
    code, _, stderr = run(capsys, ["generate", *SMALLEST, "--out", str(out)])
    assert code == EXIT_ERROR
    assert str(out) in assert_one_line_error(stderr)
    assert out.read_text() == "x"


def test_foreign_non_empty_out_is_refused_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "raw"
    out.mkdir()
    (out / "their-extract.csv").write_text("keep me")
    code, _, stderr = run(capsys, ["generate", *SMALLEST, "--out", str(out)])
    assert code == EXIT_ERROR
    line = assert_one_line_error(stderr)
    assert "--force" in line
    assert str(out) in line
    assert [p.name for p in out.iterdir()] == ["their-extract.csv"], "refused, yet wrote"
    assert (out / "their-extract.csv").read_text() == "keep me"


def test_force_writes_into_a_foreign_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "raw"
    out.mkdir()
    (out / "their-extract.csv").write_text("keep me")
    code, _, stderr = run(capsys, ["--quiet", "generate", *SMALLEST, "--force", "--out", str(out)])
    assert code == 0, stderr
    assert len(landed_tables(out)) == 12


def test_regenerating_into_own_output_needs_no_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "raw"
    argv = ["--quiet", "generate", *SMALLEST, "--out", str(out)]
    first = run(capsys, argv)
    assert first[0] == 0, first[2]
    second = run(capsys, argv)
    assert second[0] == 0, second[2]
    assert len(landed_tables(out)) == 12


def test_out_defaults_to_c360_raw_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "from-env"
    monkeypatch.setenv("C360_RAW_DIR", str(out))
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run(capsys, ["--quiet", "generate", *SMALLEST])
    assert code == 0, stderr
    assert len(landed_tables(out)) == 12
    assert not (tmp_path / "data").exists()


# --------------------------------------------------------------------------- progress


def test_progress_lines_per_stage_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, stderr = run(capsys, ["generate", *SMALLEST, "--out", str(tmp_path / "raw")])
    assert code == 0, stderr
    lines = stderr.splitlines()
    assert lines, "no progress lines"
    # Progress.line() may add free-form lines (a heartbeat, a summary); all share the prefix.
    odd = [line for line in lines if not line.startswith("[c360] generate ")]
    assert not odd, f"stderr lines that are not progress lines: {odd}"
    stages = [m["stage"] for m in map(PROGRESS_RE.match, lines) if m]
    assert len(stages) >= 2, f"expected '<stage>: N rows ... (Xs)' per stage, got {lines}"
    assert len(set(stages)) == len(stages), f"a stage reported twice: {lines}"


def test_quiet_suppresses_progress(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "raw"
    code, _, stderr = run(capsys, ["--quiet", "generate", *SMALLEST, "--out", str(out)])
    assert code == 0, stderr
    assert stderr == ""
    assert len(landed_tables(out)) == 12


def test_mistyped_reporting_timezone_stops_the_build_before_dbt(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "wh.duckdb"
    monkeypatch.setenv("C360_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("C360_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("C360_REPORTING_TIMEZONE", "Europe/Berln")
    code, _, err = run(capsys, ["build"])
    assert code == EXIT_ERROR
    line = assert_one_line_error(err)
    assert "C360_REPORTING_TIMEZONE='Europe/Berln' is not an IANA time zone" in line
    assert not warehouse.exists()


@pytest.mark.parametrize("command", [["build"], ["refresh"]])
def test_a_retention_that_is_no_number_of_months_stops_before_dbt(
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warehouse = tmp_path / "wh.duckdb"
    monkeypatch.setenv("C360_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("C360_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("C360_EVENT_RETENTION_MONTHS", "two years")
    code, _, err = run(capsys, command)
    assert code == EXIT_ERROR
    line = assert_one_line_error(err)
    assert "C360_EVENT_RETENTION_MONTHS='two years' is not a whole number of months" in line
    assert not warehouse.exists()
