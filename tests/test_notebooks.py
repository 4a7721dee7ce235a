"""The notebooks in notebooks/ run top to bottom without an error, and are committed without outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "python3"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _execute(path: Path) -> nbformat.NotebookNode:
    nb = _read(path)
    client = NotebookClient(nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on the first cell that fails
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)


def _tagged(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


@pytest.fixture(scope="module")
def executed() -> dict[Path, nbformat.NotebookNode]:
    """Each notebook, run once for the whole module (a kernel start and a spaCy load each)."""
    return {}


def _run(executed: dict[Path, nbformat.NotebookNode], path: Path) -> nbformat.NotebookNode:
    if path not in executed:
        executed[path] = _execute(path)
    return executed[path]


@pytest.fixture
def tour(executed: dict[Path, nbformat.NotebookNode]) -> nbformat.NotebookNode:
    return _run(executed, NOTEBOOK_DIR / "tour.ipynb")


def test_there_are_notebooks() -> None:
    assert NOTEBOOK_DIR / "tour.ipynb" in NOTEBOOKS


def test_kernel_runs_this_interpreter() -> None:
    # jupyter_client replaces a spec's "python" command with sys.executable; any other command would run the
    # notebooks with another interpreter, which may not have kg installed.
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert spec.argv[0] in ("python", "python3", sys.executable), (
        f"The {KERNEL!r} kernel runs {spec.argv[0]!r}, not {sys.executable!r}. "
        f"Run `{sys.executable} -m ipykernel install --sys-prefix` to install this environment's kernel."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs; clear them before committing"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count; clear outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_without_errors_or_warnings(executed: dict[Path, nbformat.NotebookNode], path: Path) -> None:
    nb = _run(executed, path)
    outputs = [output for cell in nb.cells for output in cell.get("outputs", [])]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"] == []
    assert all(cell.execution_count is not None for cell in nb.cells if cell.cell_type == "code")


def test_tour_lists_the_seed_article_people(tour: nbformat.NotebookNode) -> None:
    people = _text(_tagged(tour, "rdf-people")).splitlines()
    assert "Rex Tillerson  <http://example.org/kg/entity/person/rex-tillerson>" in people
    assert "Vladimir Putin  <http://example.org/kg/entity/person/vladimir-putin>" in people


def test_tour_finds_evidence_through_the_statements(tour: nbformat.NotebookNode) -> None:
    evidence = _text(_tagged(tour, "rdf-evidence"))
    assert "Rex Tillerson works_for United States: \u201c" in evidence


def _html(cell: nbformat.NotebookNode) -> str:
    [shown] = [output for output in cell.outputs if output.output_type in ("execute_result", "display_data")]
    return shown.data["text/html"]


def test_tour_shows_the_html_inline_with_kg_show(tour: nbformat.NotebookNode) -> None:
    view = _tagged(tour, "view")
    assert view.source == 'kg.show(G, title="kg tour")'  # one line
    html = _html(view)
    assert html.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "<script" not in html  # the page is escaped into the attribute, never markup of the output cell
    height = int(html.rsplit("height: ", 1)[1].split("px", 1)[0])
    assert height >= 600


def test_tour_tables_are_dataframes(tour: nbformat.NotebookNode) -> None:
    entities = _html(_tagged(tour, "entities"))
    assert entities.count("</tr>") == 11  # the header and ten entities
    assert "<th>mentions</th>" in entities and "United States" in entities
    assert "print_table" not in "".join(cell.source for cell in tour.cells)
    counts = _html(_tagged(tour, "relation-counts"))
    assert "co_occurs" in counts and "works_for" in counts


def test_tour_charts_the_relations_and_the_most_mentioned(tour: nbformat.NotebookNode) -> None:
    [figure] = [output for output in _tagged(tour, "charts").outputs if output.output_type == "display_data"]
    assert "image/png" in figure.data
    assert "2 Axes" in figure.data["text/plain"]


def test_tour_evidence_lists_each_sentence_once(tour: nbformat.NotebookNode) -> None:
    lines = _text(_tagged(tour, "evidence")).splitlines()
    heading, sentences = lines[0], [line for line in lines[1:] if line.startswith("- ")]
    assert heading.endswith(f": {len(sentences)} sentences")
    assert len(sentences) >= 2 and len(set(sentences)) == len(sentences)


def test_tour_shows_an_extraction_highlighted(tour: nbformat.NotebookNode) -> None:
    html = _html(_tagged(tour, "extract"))
    assert html.count("<mark") >= 4  # Russian, Vladimir Putin, U.S., Rex Tillerson, Moscow
    assert "<td>Vladimir Putin</td><td>leader_of</td><td>Russia</td>" in html
