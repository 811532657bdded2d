"""docs/notebooks/analytics-file.ipynb runs top to bottom against a published analytics file
(nbclient, an ipykernel started from this venv), and its SQL is the analyst guide's."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import pytest
from nbclient import NotebookClient

from shared_builds import Published

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "docs" / "notebooks" / "analytics-file.ipynb"
GUIDE = REPO / "docs" / "analyst-guide.md"
KERNEL = "c360-test-python"
# A notebook query: con.sql(""" -- guide: ID <the guide's SQL> """)
NOTEBOOK_QUERY = re.compile(r'con\.sql\("""\n-- guide: ([a-z0-9-]+)\n(.*?)\n"""\)', re.DOTALL)
GUIDE_QUERY = re.compile(r"<!-- query: ([a-z0-9-]+) -->\n```sql\n(.*?)```", re.DOTALL)


def _notebook() -> Any:  # nbformat has no type hints
    return nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]


def test_the_notebook_is_stored_clean_and_asks_the_guide_s_questions() -> None:
    notebook = _notebook()
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    guide = dict(GUIDE_QUERY.findall(GUIDE.read_text(encoding="utf-8")))
    asked = NOTEBOOK_QUERY.findall("\n".join(cell.source for cell in code))
    assert 3 <= len(asked) <= 4
    for qid, sql in asked:
        assert sql.strip() == guide[qid].strip(), f"the notebook's {qid} differs from the guide's"


def _kernel_spec(folder: Path, analytics: Path) -> Path:
    """A kernel spec for this venv's Python in a folder of the test's own (JUPYTER_PATH)."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    kernel = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "customer360 test",
        "language": "python",
        "env": {"C360_ANALYTICS_DB": str(analytics), "IPYTHONDIR": str(folder / "ipython")},
    }
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def executed(
    published_tiny: Published, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, Path]:
    folder = _kernel_spec(tmp_path_factory.mktemp("jupyter"), published_tiny.analytics)
    with pytest.MonkeyPatch.context() as env:
        # kernel specs and connection files in the test's folder, never in the home folder
        env.setenv("JUPYTER_PATH", str(folder))
        env.setenv("JUPYTER_RUNTIME_DIR", str(folder / "runtime"))
        env.setenv("JUPYTER_DATA_DIR", str(folder / "data"))
        env.setenv("JUPYTER_CONFIG_DIR", str(folder / "config"))
        notebook = _notebook()
        client = NotebookClient(
            notebook, kernel_name=KERNEL, timeout=120, resources={"metadata": {"path": str(REPO)}}
        )
        client.execute()  # raises CellExecutionError on the first failing cell
    return notebook, published_tiny.analytics


def _outputs(notebook: Any) -> list[dict[str, Any]]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.slow
def test_the_notebook_runs_without_errors(executed: tuple[Any, Path]) -> None:
    notebook, _ = executed
    outputs = _outputs(notebook)
    assert not [out for out in outputs if out["output_type"] == "error"]
    assert not [out for out in outputs if out.get("name") == "stderr"]


@pytest.mark.slow
def test_the_notebook_shows_the_answers(executed: tuple[Any, Path]) -> None:
    notebook, analytics = executed
    outputs = _outputs(notebook)
    text = "".join(out.get("text", "") for out in outputs if out.get("name") == "stdout")
    with duckdb.connect(str(analytics), read_only=True) as con:
        top = con.execute(
            "select company_name from marts.customer_360 where not is_deleted"
            " order by mrr_reporting desc nulls last, company_name limit 1"
        ).fetchall()[0]
        run = con.execute(
            "select run_id from ops.refresh_runs order by started_at desc limit 1"
        ).fetchall()[0]
    assert top is not None and run is not None
    assert f"biggest customer: {top[0]}" in text
    assert f"analytics file {analytics}: refresh {run[0]}" in text
    data = [
        out["data"] for out in outputs if out["output_type"] in ("execute_result", "display_data")
    ]
    tables = [d["text/html"] for d in data if "text/html" in d and "<table" in d["text/html"]]
    assert len(tables) >= 3  # the dataframes of three questions
    assert top[0] in tables[0]
    charts = [d for d in data if "application/vnd.plotly.v1+json" in d]
    assert len(charts) == 1
    figure = charts[0]["application/vnd.plotly.v1+json"]
    assert figure["data"][0]["type"] == "scatter" and len(figure["data"][0]["x"]) > 0
