"""The layers of docs/architecture.md, held by walking every import with ``ast``.

Each rule is checked on the real tree, and each checker is also tried on a small
made-up tree that breaks it, so that a checker that finds nothing cannot pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT

from present.pages import PAGE_NAMES

ARCHITECTURE = PROJECT / "docs" / "architecture.md"
# Top-level names of the project's own packages; everything else is a library.
OWN = ("metrics", "present", "dashboard", "reports")


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


@dataclass(frozen=True)
class Rules:
    """What docs/architecture.md says: which package may import which, and where each
    library may be imported."""

    # Declared package -> what its modules may import: "X" is package X alone,
    # "X.*" is X and every package declared under it.
    layers: dict[str, tuple[str, ...]]
    # Library (top-level import name) -> the packages that may import it, same syntax.
    libraries: dict[str, tuple[str, ...]]


_CODE = re.compile(r"`([^`]+)`")


def _table_rows(document: str, heading: str) -> list[list[str]]:
    """The cells of each row of the first table under ``## heading``."""
    section = document.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| `"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def rules_from(document: str) -> Rules:
    """The rules of the "Packages" and "Libraries" tables of architecture.md: in each
    row, the first cell names the package (or libraries), the last what it may import
    (or where it may be imported); "—" is nothing."""

    def names(cell: str) -> tuple[str, ...]:
        # app.py is a script; its module is named "app".
        return tuple(name.removesuffix(".py") for name in _CODE.findall(cell))

    layers = {names(row[0])[0]: names(row[-1]) for row in _table_rows(document, "Packages")}
    libraries = {
        library: names(row[-1])
        for row in _table_rows(document, "Libraries")
        for library in names(row[0])
    }
    return Rules(layers, libraries)


def layer_of(name: str, rules: Rules) -> str | None:
    """The most specific declared package that holds the module."""
    matches = [layer for layer in rules.layers if name == layer or name.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


def _covers(allowed: Iterable[str], layer: str) -> bool:
    """Whether one of ``allowed`` ("X" or "X.*") names ``layer``."""
    for name in allowed:
        if name.endswith(".*"):
            stem = name.removesuffix(".*")
            if layer == stem or layer.startswith(stem + "."):
                return True
        elif layer == name:
            return True
    return False


def library_breaches(libraries: dict[str, set[str]], rules: Rules) -> list[tuple[str, str]]:
    """(module, library) for every library imported outside the packages it is kept to."""
    breaches = []
    for name, used in sorted(libraries.items()):
        layer = layer_of(name, rules) or ""
        breaches.extend(
            (name, library)
            for library in sorted(used)
            if library in rules.libraries and not _covers(rules.libraries[library], layer)
        )
    return breaches


def layer_breaches(graph: dict[str, set[str]], rules: Rules) -> list[tuple[str, str]]:
    """(module, imported module) for every import against the direction of the layers."""
    breaches = []
    for name, imported in sorted(graph.items()):
        allowed = rules.layers.get(layer_of(name, rules) or "", ())
        for other in sorted(imported):
            target = layer_of(other, rules)
            if target is None or not _covers(allowed, target):
                breaches.append((name, other))
    return breaches


PAGE_PACKAGE = "present.pages"


def _page_of(name: str) -> str | None:
    """``present.pages.curate.edits`` -> ``curate``; None outside the page modules."""
    parts = name.split(".")
    return parts[2] if name.startswith(PAGE_PACKAGE + ".") and len(parts) > 2 else None


def page_breaches(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, imported module) for every page module that imports another page's."""
    return [
        (name, other)
        for name, imported in sorted(graph.items())
        if (page := _page_of(name))
        for other in sorted(imported)
        if _page_of(other) not in (None, page)
    ]


def packages(root: Path) -> list[str]:
    """Every package (a folder with ``__init__.py``) under src/, and the page folder."""
    found = [module_name(init, root) for init in sorted((root / "src").rglob("__init__.py"))]
    return [*found, "app_pages"] if (root / "app_pages").is_dir() else found


def undocumented(names: Iterable[str], document: str) -> list[str]:
    """The names that ``document`` does not mention as code (between backticks)."""
    return [name for name in names if f"`{name}`" not in document]


# Sizes past which a module or a function is split (the issue that set them: #25).
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def too_long(root: Path) -> list[str]:
    """Every module of src/ over ``MAX_MODULE_LINES`` lines and every function (page
    scripts and app.py included) over ``MAX_FUNCTION_LINES``, as ``path[:name] lines``."""
    found = []
    for path in python_files(root):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(root).as_posix()
        count = len(text.splitlines())
        if where.startswith("src/") and count > MAX_MODULE_LINES:
            found.append(f"{where} {count}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{where}:{node.name} {length}")
    return found


def page_files(root: Path) -> dict[str, list[str]]:
    """Layout scripts (app_pages/) and shaping modules (present/pages/, a module or a
    package each) by page name."""
    shaping = root / "src" / "present" / "pages"
    modules = [p.stem for p in shaping.glob("*.py") if p.name != "__init__.py"]
    packages = [p.name for p in shaping.iterdir() if (p / "__init__.py").is_file()]
    return {
        "app_pages": sorted(p.stem for p in (root / "app_pages").glob("*.py")),
        "present.pages": sorted([*modules, *packages]),
    }


# --- the real tree ---------------------------------------------------------------


@pytest.fixture(scope="module")
def rules() -> Rules:
    return rules_from(ARCHITECTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PROJECT)


def test_the_document_declares_the_layers(rules: Rules) -> None:
    # The rules come from the page; a table that failed to parse must not pass as empty.
    assert {"metrics.model", "present", "present.pages", "dashboard", "app"} <= set(rules.layers)
    assert rules.layers["metrics.model"] == ("metrics.model",)
    assert {"streamlit", "plotly", "docx", "matplotlib", "weasyprint"} <= set(rules.libraries)


def test_no_import_cycle_among_the_projects_modules(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_libraries_stay_in_their_layers(rules: Rules) -> None:
    assert library_breaches(library_imports(PROJECT), rules) == []


def test_imports_follow_the_layers(graph: dict[str, set[str]], rules: Rules) -> None:
    assert layer_breaches(graph, rules) == []


def test_no_page_module_imports_another_page(graph: dict[str, set[str]]) -> None:
    assert page_breaches(graph) == []


def test_every_module_is_in_a_layer(graph: dict[str, set[str]], rules: Rules) -> None:
    assert [name for name in graph if layer_of(name, rules) is None] == []


def test_every_page_of_the_registry_has_a_script_and_a_shaping_module() -> None:
    names = sorted(PAGE_NAMES)
    assert page_files(PROJECT) == {"app_pages": names, "present.pages": names}


def test_no_module_or_function_is_too_long() -> None:
    assert too_long(PROJECT) == []


def test_no_folder_of_the_data_layer_holds_more_than_a_dozen_modules() -> None:
    for folder in (PROJECT / "src" / "metrics").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__":
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            assert len(modules) <= 13, folder


def test_architecture_doc_names_every_package() -> None:
    document = ARCHITECTURE.read_text(encoding="utf-8")
    assert undocumented(packages(PROJECT), document) == []
    assert "```mermaid" in document


# --- the checkers, on trees made to break them --------------------------------------

# A page in the document's own form: what the checkers are tried against.
MADE_UP_DOCUMENT = """
## Packages

| package | what | may import |
| --- | --- | --- |
| `metrics` | data | — |
| `metrics.model` | format | `metrics.model` |
| `present` | shared | `metrics.*`, `present` |
| `present.pages` | pages | `metrics.*`, `present`, `present.pages` |
| `reports` | documents | `metrics.*`, `present`, `reports` |
| `dashboard` | Streamlit | `metrics.*`, `present.*`, `reports`, `dashboard` |
| `app_pages` | layout | `metrics.*`, `present.*`, `dashboard` |
| `app.py` | entry | `metrics.*`, `present.*`, `dashboard` |

## Libraries

| library | imported only in |
| --- | --- |
| `streamlit` | `dashboard`, `app_pages`, `app.py` |
| `plotly` | `present.*`, `dashboard` |
| `docx`, `matplotlib` | `reports` |

## Next
"""


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    long_function = "def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
    return _tree(
        tmp_path,
        {
            "src/metrics/__init__.py": "",
            "src/metrics/model/__init__.py": "",
            "src/metrics/model/a.py": "from metrics.model import b\nimport plotly\n",
            "src/metrics/model/b.py": "def f():\n    from .a import x\n",
            "src/metrics/model/c.py": "from present import chart\n",
            "src/metrics/model/big.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
            "src/present/__init__.py": "",
            "src/present/chart.py": "import plotly.graph_objects as go\n",
            "src/present/shared.py": "from present.pages import one\n",
            "src/present/doc.py": "import docx\n",
            "src/present/pages/__init__.py": "",
            "src/present/pages/one.py": "import streamlit as st\n",
            "src/present/pages/two/__init__.py": "from present.pages.one import x\n",
            "src/present/pages/two/part.py": "from present.pages.two import y\n",
            "src/dashboard/__init__.py": "",
            "src/dashboard/ui.py": "import streamlit as st\nimport plotly\n",
            "src/reports/__init__.py": "",
            "src/reports/draw.py": "import matplotlib\nfrom dashboard import ui\n",
            "app_pages/x.py": "import streamlit as st\nfrom dashboard import ui\n" + long_function,
            "app.py": "import streamlit\n",
        },
    )


def test_the_rules_are_read_from_the_document() -> None:
    rules = rules_from(MADE_UP_DOCUMENT)
    assert rules.layers["metrics"] == ()
    assert rules.layers["app"] == ("metrics.*", "present.*", "dashboard")
    assert rules.libraries == {
        "streamlit": ("dashboard", "app_pages", "app"),
        "plotly": ("present.*", "dashboard"),
        "docx": ("reports",),
        "matplotlib": ("reports",),
    }


def test_a_cycle_through_a_relative_import_is_found(broken_tree: Path) -> None:
    assert cycles(import_graph(broken_tree)) == [
        ["metrics.model.a", "metrics.model.b", "metrics.model.a"]
    ]


def test_libraries_outside_their_layer_are_found(broken_tree: Path) -> None:
    rules = rules_from(MADE_UP_DOCUMENT)
    assert library_breaches(library_imports(broken_tree), rules) == [
        ("metrics.model.a", "plotly"),
        ("present.doc", "docx"),
        ("present.pages.one", "streamlit"),
    ]


def test_an_import_up_the_layers_is_found(broken_tree: Path) -> None:
    rules = rules_from(MADE_UP_DOCUMENT)
    assert layer_breaches(import_graph(broken_tree), rules) == [
        ("metrics.model.c", "present"),
        ("metrics.model.c", "present.chart"),
        ("present.shared", "present.pages"),
        ("present.shared", "present.pages.one"),
        ("reports.draw", "dashboard"),
        ("reports.draw", "dashboard.ui"),
    ]


def test_a_page_importing_another_page_is_found(broken_tree: Path) -> None:
    # A package of one page may import its own parts.
    assert page_breaches(import_graph(broken_tree)) == [("present.pages.two", "present.pages.one")]


def test_long_modules_and_functions_are_named(broken_tree: Path) -> None:
    assert too_long(broken_tree) == [
        f"src/metrics/model/big.py {MAX_MODULE_LINES + 1}",
        f"app_pages/x.py:f {MAX_FUNCTION_LINES + 1}",
    ]


def test_a_package_missing_from_the_document_is_named(broken_tree: Path) -> None:
    document = "`metrics` `metrics.model` `present` `dashboard` `app_pages` `reports`"
    assert undocumented(packages(broken_tree), document) == ["present.pages", "present.pages.two"]
