"""c360 finds its project like dbt: --project-dir, else $C360_PROJECT_DIR, else the nearest
folder up from the current one that holds dbt_project.yml; never the checkout it was installed
from."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from c360.cli import EXIT_ERROR, main
from c360.errors import C360Error
from c360.project import find_project

REPO = Path(__file__).resolve().parents[2]


def project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dbt_project.yml").write_text("name: x\n")
    return folder


def test_the_order_is_flag_then_environment_then_the_nearest_parent(tmp_path: Path) -> None:
    flag, env, outer = (
        project(tmp_path / "flag"),
        project(tmp_path / "env"),
        project(tmp_path / "outer"),
    )
    deep = outer / "models" / "marts"
    deep.mkdir(parents=True)
    environ = {"C360_PROJECT_DIR": str(env)}
    assert find_project(flag, environ=environ, cwd=deep) == flag.resolve()
    assert find_project(None, environ=environ, cwd=deep) == env.resolve()
    assert find_project(None, environ={"C360_PROJECT_DIR": ""}, cwd=deep) == outer.resolve()
    assert find_project(Path("../.."), environ={}, cwd=deep) == outer.resolve()


def test_no_project_is_one_line_naming_the_ways_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(C360Error) as raised:
        find_project(None, environ={}, cwd=tmp_path)
    message = str(raised.value)
    assert "\n" not in message
    assert f"no dbt_project.yml in {tmp_path.resolve()} or any folder above it" in message
    assert "--project-dir" in message and "C360_PROJECT_DIR" in message
    with pytest.raises(C360Error, match=r"^C360_PROJECT_DIR .*: no dbt_project\.yml there"):
        find_project(None, environ={"C360_PROJECT_DIR": str(tmp_path)}, cwd=tmp_path)
    with pytest.raises(C360Error, match=r"^--project-dir .*: no dbt_project\.yml there"):
        find_project(tmp_path, environ={}, cwd=tmp_path)


def test_cli_without_a_project_exits_1_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("C360_PROJECT_DIR", raising=False)
    assert main(["seeds", "check"]) == EXIT_ERROR
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("c360: error: no dbt_project.yml in ")


def copy_of_the_project(tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(REPO / "dbt_project.yml", copy)
    shutil.copytree(REPO / "seeds", copy / "seeds", ignore=shutil.ignore_patterns("*.bak"))
    return copy


def test_a_copy_of_the_repo_is_checked_where_you_stand(tmp_path: Path) -> None:
    """The scenario of the issue: the first checkout's c360, run inside a broken copy."""
    copy = copy_of_the_project(tmp_path)
    taxonomy = copy / "seeds" / "industry_taxonomy.csv"
    taxonomy.write_text(taxonomy.read_text() + "bad code,Broken,9\n")
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    c360 = [sys.executable, "-m", "c360.cli"]
    inside = subprocess.run(
        [*c360, "seeds", "check"], cwd=copy / "seeds", env=env, capture_output=True, text=True
    )
    assert inside.returncode == EXIT_ERROR, inside.stdout + inside.stderr
    assert "seeds/industry_taxonomy.csv:" in inside.stdout
    named = subprocess.run(
        [*c360, "seeds", "check", "--project-dir", str(REPO)],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "industry_taxonomy.csv" not in named.stdout + named.stderr
