"""The layers of docs/architecture.md, held by walking every import with ``ast``.

Each rule is checked on the real tree, and each checker is also tried on a small
made-up tree that breaks it, so that a checker that finds nothing cannot pass.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import PROJECT

ARCHITECTURE = PROJECT / "docs" / "architecture.md"
# Top-level names of the project's own packages; everything else is a library.
OWN = ("metrics", "dashboard", "reports")


def module_name(path: Path, root: Path) -> str:
    """``src/metrics/model/vocab.py`` -> ``metrics.model.vocab``; scripts keep their path."""
    relative = path.relative_to(root)
    if relative.parts[0] == "src":
        relative = relative.relative_to("src")
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(root: Path) -> list[Path]:
    """The project's code: packages under src/, the app and its page scripts."""
    found = [*sorted((root / "src").rglob("*.py")), *sorted((root / "app_pages").glob("*.py"))]
    app = root / "app.py"
    return [*found, app] if app.exists() else found


def imports_of(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports (top level or inside functions), relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # ``from present import charts`` imports the module ``charts``.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the project's modules it imports (only modules that exist)."""
    files = {module_name(path, root): path for path in python_files(root)}
    graph = {}
    for name, path in files.items():
        wanted = imports_of(path, name)
        graph[name] = {other for other in wanted if other in files and other != name}
    return graph


def library_imports(root: Path) -> dict[str, set[str]]:
    """Module -> the top-level names of the libraries it imports."""
    out = {}
    for path in python_files(root):
        name = module_name(path, root)
        out[name] = {m.split(".")[0] for m in imports_of(path, name)} - {*OWN, ""}
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the list of modules around it (depth-first search)."""
    found, state = [], {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def is_streamlit_layer(name: str) -> bool:
    """src/dashboard outside views/, the page scripts and app.py."""
    in_dashboard = name == "dashboard" or name.startswith("dashboard.")
    in_views = name.startswith("dashboard.views")
    return (in_dashboard and not in_views) or name.startswith("app_pages.") or name == "app"


def is_views(name: str) -> bool:
    return name == "dashboard.views" or name.startswith("dashboard.views.")


# Libraries that draw documents (Word, PDF, chart images) belong to the briefs' renderers.
DOCUMENT_LIBRARIES = ("docx", "matplotlib", "weasyprint")


def is_reports(name: str) -> bool:
    return name == "reports" or name.startswith("reports.")


def library_breaches(libraries: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, library) for Streamlit outside its layer, plotly outside views and it,
    and a document library outside ``reports``."""
    breaches = []
    for name, used in sorted(libraries.items()):
        breaches.extend(
            (name, library)
            for library in DOCUMENT_LIBRARIES
            if library in used and not is_reports(name)
        )
        if "streamlit" in used and not is_streamlit_layer(name):
            breaches.append((name, "streamlit"))
        if "plotly" in used and not (is_views(name) or is_streamlit_layer(name)):
            breaches.append((name, "plotly"))
    return breaches


# Which package may import which: the layers only point down.
LAYERS = {
    "metrics": set(),
    "metrics.model": {"metrics.model"},
    "metrics.pipeline": {"metrics.model", "metrics.pipeline"},
    "metrics.tools": {"metrics.model", "metrics.pipeline", "metrics.tools"},
    "dashboard.views": {"metrics", "dashboard.views"},
    "reports": {"metrics", "dashboard.views", "reports"},
    "dashboard": {"metrics", "dashboard", "reports"},
    "app_pages": {"metrics", "dashboard"},
    "app": {"metrics", "dashboard"},
}


def layer_of(name: str) -> str | None:
    """The most specific package of ``LAYERS`` that holds the module."""
    matches = [layer for layer in LAYERS if name == layer or name.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


def layer_breaches(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, imported module) for every import against the direction of the layers."""
    breaches = []
    for name, imported in sorted(graph.items()):
        allowed = LAYERS.get(layer_of(name) or "", set())
        for other in sorted(imported):
            target = layer_of(other)
            if target is None or not any(
                target == ok or target.startswith(ok + ".") for ok in allowed
            ):
                breaches.append((name, other))
    return breaches


def packages(root: Path) -> list[str]:
    """Every package (a folder with ``__init__.py``) under src/, and the page folder."""
    found = [module_name(init, root) for init in sorted((root / "src").rglob("__init__.py"))]
    return [*found, "app_pages"] if (root / "app_pages").is_dir() else found


def undocumented(names: Iterable[str], document: str) -> list[str]:
    """The names that ``document`` does not mention as code (between backticks)."""
    return [name for name in names if f"`{name}`" not in document]


# --- the real tree ---------------------------------------------------------------


def test_no_import_cycle_among_the_projects_modules() -> None:
    assert cycles(import_graph(PROJECT)) == []


def test_streamlit_and_plotly_stay_in_their_layers() -> None:
    assert library_breaches(library_imports(PROJECT)) == []


def test_imports_follow_the_layers() -> None:
    assert layer_breaches(import_graph(PROJECT)) == []


def test_every_module_is_in_a_layer() -> None:
    assert [name for name in import_graph(PROJECT) if layer_of(name) is None] == []


def test_views_have_one_module_per_page() -> None:
    pages = sorted(path.stem for path in (PROJECT / "app_pages").glob("*.py"))
    views = {path.stem for path in (PROJECT / "src" / "dashboard" / "views").glob("*.py")}
    assert pages == [
        "compare", "curate", "overview", "practices", "quality", "region", "sources"
    ]  # fmt: skip
    assert [page for page in pages if page not in views] == []


def test_no_folder_of_the_data_layer_holds_more_than_a_dozen_modules() -> None:
    # dashboard/views is not the data layer: it holds one module per page (see above)
    # and the shared ones, and grows by one with every page.
    for folder in (PROJECT / "src" / "metrics").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__":
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            assert len(modules) <= 13, folder


def test_architecture_doc_names_every_package() -> None:
    document = ARCHITECTURE.read_text(encoding="utf-8")
    assert undocumented(packages(PROJECT), document) == []
    assert "```mermaid" in document


# --- the checkers, on trees made to break them --------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    return _tree(
        tmp_path,
        {
            "src/metrics/__init__.py": "",
            "src/metrics/model/__init__.py": "",
            "src/metrics/model/a.py": "from metrics.model import b\nimport plotly\n",
            "src/metrics/model/b.py": "def f():\n    from .a import x\n",
            "src/metrics/model/c.py": "from dashboard.views import chart\n",
            "src/dashboard/__init__.py": "",
            "src/dashboard/views/__init__.py": "",
            "src/dashboard/views/chart.py": "import plotly.graph_objects as go\n",
            "src/dashboard/views/page.py": "import streamlit as st\n",
            "src/dashboard/ui.py": "import streamlit as st\nimport plotly\n",
            "src/dashboard/views/doc.py": "import docx\n",
            "src/reports/__init__.py": "",
            "src/reports/draw.py": "import matplotlib\nfrom dashboard import ui\n",
            "app_pages/x.py": "import streamlit as st\nfrom dashboard import ui\n",
            "app.py": "import streamlit\n",
        },
    )


def test_a_cycle_through_a_relative_import_is_found(broken_tree: Path) -> None:
    assert cycles(import_graph(broken_tree)) == [
        ["metrics.model.a", "metrics.model.b", "metrics.model.a"]
    ]


def test_libraries_outside_their_layer_are_found(broken_tree: Path) -> None:
    assert library_breaches(library_imports(broken_tree)) == [
        ("dashboard.views.doc", "docx"),
        ("dashboard.views.page", "streamlit"),
        ("metrics.model.a", "plotly"),
    ]


def test_an_import_up_the_layers_is_found(broken_tree: Path) -> None:
    assert layer_breaches(import_graph(broken_tree)) == [
        ("metrics.model.c", "dashboard.views"),
        ("metrics.model.c", "dashboard.views.chart"),
        ("reports.draw", "dashboard"),
        ("reports.draw", "dashboard.ui"),
    ]


def test_a_package_missing_from_the_document_is_named(broken_tree: Path) -> None:
    document = "`metrics` `metrics.model` `dashboard` `app_pages` `reports`"
    assert undocumented(packages(broken_tree), document) == ["dashboard.views"]
