"""A dashboard started on data that never passed the check shows its problems, never a
traceback: for every problem code the check can report, on every page.

Each problem code has at least one data folder that makes it (``tests/problem_cases.py``,
copies of the seed fixture with one mistake each). For each, the check must report the
code; then every page runs under AppTest with the caches cleared, so no earlier valid
data can stand in: the page must raise nothing, show the problem banner with the
problem in its details, and say "not reported" where numbers would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from conftest import PROJECT, SEED_DATA, streamlit_caches_cleared, time_limit
from problem_cases import CASES, ProblemCase, cases_of, missing_codes
from streamlit.testing.v1 import AppTest

from dashboard.cache import DATA_ENV
from metrics.model.dataset import Dataset
from metrics.model.problems import CODES
from metrics.pipeline.consistent import consistent_part
from metrics.pipeline.load import load_dataset
from present.i18n import text
from present.pages import PAGE_NAMES

# AppTest's default of 3 s is too short for a cold first run on a busy machine.
TIMEOUT = 60
# The cases first seen to break the pages: a typo in an indicator's unit, family or id,
# and split files beside a main file that does not parse.
# Each with the line of the mistake (as written, whole) and how many lines below it the
# check reports it: the YAML parser notices an unclosed "[" on the line after it.
REPORTED = {
    "indicator_unit_typo": ("    unit: persontime", 0),
    "indicator_family_typo": ("    family: grid", 0),
    "bad_id": ("  - id: Grid cells", 0),
    "split_files_broken_main": ("    title: [unclosed", 1),
}
NOT_REPORTED = text("word.not_reported", "zh")
# No test here may take longer: some cases are named pipes, and a check that waited on
# one would otherwise hang the suite.
DEADLINE_SECONDS = 3 * TIMEOUT


class Built:
    """The data folder of each case, made the first time a test asks for it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: dict[str, Path] = {}
        self.datasets: dict[str, Dataset] = {}

    def path(self, case: ProblemCase) -> Path:
        if case.name not in self.paths:
            self.paths[case.name] = case.build(self.root / case.name)
        return self.paths[case.name]

    def dataset(self, case: ProblemCase) -> Dataset:
        if case.name not in self.datasets:
            self.datasets[case.name] = load_dataset(self.path(case))
        return self.datasets[case.name]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("problem-cases"))


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """Interrupt a test that runs past ``DEADLINE_SECONDS`` (a load blocked on a pipe)."""
    with time_limit(DEADLINE_SECONDS):
        yield


@pytest.fixture(autouse=True)
def clear_caches() -> Iterator[None]:
    """No data from an earlier test: the server has never seen valid data."""
    yield from streamlit_caches_cleared()


def _cases(code: str) -> list[ProblemCase]:
    """The cases of ``code``; a code no case makes fails here, by name."""
    found = cases_of(code)
    if not found:
        pytest.fail(
            f"no data folder makes problem code {code!r}; add a case for it to "
            f"tests/problem_cases.py (codes without one: {', '.join(missing_codes())})"
        )
    return found


def test_every_code_has_a_case() -> None:
    assert not missing_codes(), (
        "problem codes no case in tests/problem_cases.py makes: " + ", ".join(missing_codes())
    )


def test_reported_cases_are_kept(built: Built) -> None:
    """The cases first reported stay among those every page is run on, and each still
    makes its mistake: the check reports the case's code on the line that holds it."""
    kept = {case.name: case for case in CASES if case.name in REPORTED}
    assert sorted(kept) == sorted(REPORTED)
    for name, (needle, below) in REPORTED.items():
        case = kept[name]
        written = built.path(case).read_text(encoding="utf-8")
        located = [(p.code, p.line) for p in built.dataset(case).problems if p.code == case.code]
        lines = [n for n, line in enumerate(written.splitlines(), start=1) if line == needle]
        assert len(lines) == 1, f"{name}: {needle!r} is not one line of its main file"
        assert located == [(case.code, lines[0] + below)], name


def test_the_check_reports_the_code(built: Built) -> None:
    """For every code, every case of it makes the check report it."""
    assert CODES
    not_reported = []
    for code in sorted(CODES):
        for case in _cases(code):
            found = [p.code for p in built.dataset(case).problems]
            if code not in found:
                not_reported.append(f"case {case.name}: {code} not among {found}")
    assert not_reported == []


def _start_session(path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """An AppTest session on ``path`` with empty caches, not yet run."""
    monkeypatch.setenv(DATA_ENV, str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT)


def _run_page(path: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    app = _start_session(path, monkeypatch)
    app.switch_page(f"app_pages/{page}.py").run()
    return app


def _assert_shows_problems(app: AppTest, case: ProblemCase, dataset: Dataset) -> None:
    """No exception box; the banner, and the case's problem in its details."""
    where = f"case {case.name}"
    # The message itself is redacted on screen; the stack trace says where it came from.
    assert not app.exception, (where, [e.stack_trace[-3:] for e in app.exception])
    banner = text("banner.invalid", "zh", count=len(dataset.problems))
    assert banner in [w.value for w in app.warning], (where, "no problem banner")
    details = "\n".join(str(block.value) for block in app.code)
    rendered = [p.render() for p in dataset.problems if p.code == case.code]
    assert any(line in details for line in rendered), (where, f"{case.code} is not listed")


def _overview_numbers(app: AppTest) -> tuple[list[str], dict[str, str]]:
    """The Overview's headline card values, and its counts by label."""
    cards = [metric.value for metric in app.metric[:5]]
    return cards, {metric.label: metric.value for metric in app.metric[5:]}


def _assert_not_reported(app: AppTest, page: str) -> None:
    """Where the Overview counts no number, every headline card says "not reported"."""
    if page != "overview":
        return
    cards, counts = _overview_numbers(app)
    if counts[text("word.observations", "zh")] == "0":
        assert cards == [NOT_REPORTED] * 5, cards


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_page_shows_the_problem(
    built: Built, case: ProblemCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One session walks every page, as a reader clicking through them would: the
    caches are cleared once before the first page, so nothing but this case's data is
    ever loaded (one load per case, instead of one per page)."""
    dataset = built.dataset(case)
    app = _start_session(built.path(case), monkeypatch)
    failed = []
    for page in PAGE_NAMES:
        app.switch_page(f"app_pages/{page}.py").run()
        try:
            _assert_shows_problems(app, case, dataset)
            _assert_not_reported(app, page)
        except AssertionError as error:
            failed.append(f"{page}: {error}")
    assert failed == [], f"case {case.name}"


def test_split_files_beside_a_broken_main_file_report_nothing(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every number of the split files names a region, indicator and source of the
    broken main file: none can be shown, so every card says "not reported"."""
    case = next(case for case in CASES if case.name == "split_files_broken_main")
    app = _run_page(built.path(case), "overview", monkeypatch)
    cards, counts = _overview_numbers(app)
    assert cards == [NOT_REPORTED] * 5
    assert counts[text("word.observations", "zh")] == "0"


# --- The part of a failed dataset that the pages are given ------------------------------


def test_valid_data_is_given_whole() -> None:
    dataset = load_dataset(SEED_DATA)
    assert consistent_part(dataset) is dataset


def _shown(built: Built, name: str) -> tuple[Dataset, Dataset]:
    dataset = built.dataset(next(case for case in CASES if case.name == name))
    return dataset, consistent_part(dataset)


def test_a_refused_indicator_takes_its_numbers_along(built: Built) -> None:
    # grid_cells has a family typo: its entry is refused, so its number cannot be shown.
    whole, part = _shown(built, "indicator_family_typo")
    assert "grid_cells" not in set(part.indicators["indicator_id"])
    assert "grid_cells" in set(whole.observations["indicator_id"])
    assert "grid_cells" not in set(part.observations["indicator_id"])
    assert len(part.observations) == len(whole.observations) - 1
    assert part.problems == whole.problems


def test_a_refused_region_takes_everything_below_it_along(built: Built) -> None:
    # zhenglan's id is refused: its source, and that source's practice, go with it.
    whole, part = _shown(built, "region_id_typo")
    assert "zhenglan" not in set(part.regions["region_id"])
    assert "shijian-2020-1-zhenglan" not in set(part.sources["source_id"])
    assert "shijian-2020-1-zhenglan" in set(whole.practices["source_id"])
    assert "shijian-2020-1-zhenglan" not in set(part.practices["source_id"])
    for table in ("observations", "practices", "derived", "relation_results"):
        frame = getattr(part, table)
        assert set(frame["region_id"]) <= set(part.regions["region_id"]), table
        assert set(frame["source_id"]) <= set(part.sources["source_id"]), table


def test_an_id_used_twice_is_shown_once(built: Built) -> None:
    whole, part = _shown(built, "duplicate_region_id")
    assert whole.regions["region_id"].duplicated().any()
    assert not part.regions["region_id"].duplicated().any()
    # The first of the two is kept, as the check's hint names it.
    first = whole.regions[whole.regions["region_id"] == "nei-mongol"].iloc[0]
    assert part.regions.set_index("region_id").loc["nei-mongol", "line"] == first["line"]


def test_derived_measures_of_a_left_out_number_are_left_out(built: Built) -> None:
    whole, part = _shown(built, "bad_id")
    kept = set(part.observations["observation_id"])
    for table in (part.derived, part.relation_results):
        used = {i for ids in table["observation_ids"].dropna() for i in ids.split("; ") if i}
        assert used <= kept
    assert part.key != whole.key
