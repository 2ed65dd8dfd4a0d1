"""A source's ``no_derived``: derived measures switched off for an article whose numbers
are about different things; validated, and honoured by a re-check as by a fresh one."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import Case, codes

from metrics.pipeline import incremental
from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.pipeline.inputs import read_inputs

SOURCE_END = "    region: town-a\n"


def _measures(dataset_or_state) -> set[str]:
    return set(dataset_or_state.derived["measure_id"])


def test_the_minimal_article_gives_investment_per_project(case: Case) -> None:
    assert "investment_per_project" in _measures(case.load())


def test_a_switched_off_measure_is_not_computed_for_the_article(case: Case) -> None:
    before = _measures(case.load())
    case.replace(SOURCE_END, SOURCE_END + "    no_derived: [investment_per_project]\n")
    dataset = case.load()
    assert dataset.problems == []
    assert _measures(dataset) == before - {"investment_per_project"}
    assert dataset.sources.loc[0, "no_derived"] == "investment_per_project"


def test_an_unknown_measure_is_a_problem_at_its_line(case: Case) -> None:
    case.replace(
        SOURCE_END,
        SOURCE_END + "    no_derived:\n      - share_solved_on_spot\n      - per_project\n",
    )
    dataset = case.load()
    assert codes(dataset) == [(case.line("- per_project"), "unknown_derived_measure")]
    problem = dataset.problems[0]
    assert problem.message == "unknown derived measure 'per_project'"
    assert problem.hint == "known derived measures: " + ", ".join(m.id for m in DERIVED_MEASURES)


def test_a_text_that_is_no_id_is_one_problem_not_two(case: Case) -> None:
    case.replace(SOURCE_END, SOURCE_END + "    no_derived: [Per Project]\n")
    assert codes(case.load()) == [(case.line("Per Project"), "bad_id")]


def _split(case: Case) -> tuple[Case, object]:
    """The minimal data with its source entry in a split file of its own, the numbers
    staying in the main file."""
    start = case.text.index("sources:\n")
    end = case.text.index("\nregions:\n")
    source = case.text[start:end].rstrip("\n") + "\n"
    case.replace(case.text[start:end], "")
    split = case.folder / "indicators"
    split.mkdir()
    (split / "src-a.yaml").write_text(source, encoding="utf-8")
    return case, split / "src-a.yaml"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "    no_derived: [investment_per_project]\n"),
        ("    no_derived: [investment_per_project]\n", ""),
        ("    no_derived: [investment_per_project]\n", "    no_derived: [share_solved_on_spot]\n"),
    ],
)
def test_a_recheck_after_editing_only_no_derived_equals_a_check_from_scratch(
    case: Case, before: str, after: str
) -> None:
    """Only the split file of the source changes; the observations do not, yet the
    article's derived measures are computed again."""
    case, source_file = _split(case)
    full = _measures(incremental.check(read_inputs(case.path)))
    text = source_file.read_text(encoding="utf-8")
    source_file.write_text(text.replace(SOURCE_END, SOURCE_END + before), encoding="utf-8")
    previous = incremental.check(read_inputs(case.path))
    assert previous.problems == []
    source_file.write_text(text.replace(SOURCE_END, SOURCE_END + after), encoding="utf-8")
    rechecked = incremental.check(read_inputs(case.path), previous)
    scratch = incremental.check(read_inputs(case.path))
    pd.testing.assert_frame_equal(rechecked.derived, scratch.derived, check_dtype=False)
    assert rechecked.problems == scratch.problems == []
    assert _measures(previous) == full - _switched_off(before)
    assert _measures(rechecked) == full - _switched_off(after)


def _switched_off(line: str) -> set[str]:
    return {m.id for m in DERIVED_MEASURES if m.id in line}


def test_the_data_guide_lists_every_derived_measure() -> None:
    from conftest import PROJECT

    guide = (PROJECT / "docs" / "data.md").read_text(encoding="utf-8")
    section = guide.split("## Derived measures", 1)[1]
    assert [m.id for m in DERIVED_MEASURES if f"| `{m.id}` |" not in section] == []
