"""Indicator aliases: each Chinese wording leads to one indicator, across files too.

Each test changes one thing in a copy of tests/fixtures/minimal and compares the
problems as (line, code) pairs, like tests/test_validation.py.
"""

from __future__ import annotations

import pandas as pd
from conftest import Case, codes

from metrics.model.tables import LIST_SEPARATOR
from metrics.pipeline import incremental
from metrics.pipeline.inputs import read_inputs

REPORTED = "    name_en: Problems collected\n"
ON_SPOT = "    name_en: Problems solved on the spot\n"
PROJECTS = "    name_en: Projects\n"


def _aliases(case: Case, after: str, aliases: str) -> None:
    case.replace(after, f"{after}    aliases_zh: {aliases}\n")


def test_aliases_are_kept_in_the_indicators_table(case: Case) -> None:
    _aliases(case, REPORTED, "[收集问题, 受理诉求]")
    dataset = case.load()
    assert dataset.problems == []
    row = dataset.indicators.set_index("indicator_id").loc["problems_reported"]
    assert row["aliases_zh"] == LIST_SEPARATOR.join(["收集问题", "受理诉求"])
    assert pd.isna(dataset.indicators.set_index("indicator_id").loc["projects", "aliases_zh"])


def test_an_alias_of_two_indicators_is_a_problem_at_the_second(case: Case) -> None:
    _aliases(case, REPORTED, "[收集问题, 受理诉求]")
    # White space inside a wording does not make it another one.
    _aliases(case, ON_SPOT, "[现场解决, 受理 诉求]")
    dataset = case.load()
    assert codes(dataset) == [(case.line("受理 诉求"), "duplicate_alias")]
    problem = dataset.problems[0]
    assert problem.message == "alias '受理诉求' is also an alias of indicator 'problems_reported'"
    assert problem.hint == (
        "an alias must lead to one indicator; the other is at "
        f"indicators.yaml:{case.line('受理诉求')}"
    )


def test_an_alias_that_is_another_indicators_name_is_a_problem_wherever_it_stands(
    case: Case,
) -> None:
    # The alias comes before the indicator whose name it is.
    _aliases(case, REPORTED, "[收集问题, 现场解决问题]")
    dataset = case.load()
    assert codes(dataset) == [(case.line("[收集问题, 现场解决问题]"), "duplicate_alias")]
    assert "is also the name_zh of indicator 'problems_solved_on_spot'" in (
        dataset.problems[0].message
    )
    assert dataset.problems[0].hint.endswith(
        f"indicators.yaml:{case.line('name_zh: 现场解决问题')}"
    )


def test_an_indicator_may_repeat_its_own_wordings(case: Case) -> None:
    _aliases(case, REPORTED, "[收集群众问题, 收集问题, 收集问题]")
    assert codes(case.load()) == []


def test_each_alias_of_a_block_list_has_its_own_line(case: Case) -> None:
    _aliases(case, REPORTED, "\n      - 收集问题\n      - 受理诉求")
    _aliases(case, PROJECTS, "\n      - 重点项目\n      - 收集问题")
    dataset = case.load()
    assert codes(dataset) == [(case.line("- 收集问题", 2), "duplicate_alias")]


def test_a_clash_across_files_names_both_files(case: Case) -> None:
    _aliases(case, REPORTED, "[收集问题]")
    split = case.folder / "indicators"
    split.mkdir()
    (split / "more.yaml").write_text(
        "indicators:\n"
        "  - id: problems_raised\n"
        "    name_zh: 群众反映问题\n"
        "    name_en: Problems raised\n"
        "    aliases_zh: [收集问题]\n"
        "    unit: item\n"
        "    family: problems\n",
        encoding="utf-8",
    )
    dataset = case.load()
    assert [(p.file, p.line, p.code) for p in dataset.problems] == [
        (str(split / "more.yaml"), 5, "duplicate_alias")
    ]
    assert dataset.problems[0].hint.endswith(
        f"the other is at indicators.yaml:{case.line('[收集问题]')}"
    )


def test_a_recheck_sees_a_clash_come_and_go(case: Case) -> None:
    """The check runs over every file's wordings each time, so an edit of one file
    adds or removes a clash with an unchanged file."""
    _aliases(case, REPORTED, "[收集问题]")
    split = case.folder / "indicators"
    split.mkdir()
    more = split / "more.yaml"
    entry = (
        "indicators:\n  - id: problems_raised\n    name_zh: 群众反映问题\n"
        "    name_en: Problems raised\n    aliases_zh: [{}]\n    unit: item\n"
        "    family: problems\n"
    )
    more.write_text(entry.format("反映问题"), encoding="utf-8")
    first = incremental.check(read_inputs(case.path))
    assert first.problems == []
    more.write_text(entry.format("收集问题"), encoding="utf-8")
    second = incremental.check(read_inputs(case.path), first)
    assert [(p.file, p.line, p.code) for p in second.problems] == [
        ("indicators/more.yaml", 5, "duplicate_alias")
    ]
    scratch = incremental.check(read_inputs(case.path))
    assert second.problems == scratch.problems
    more.write_text(entry.format("反映问题"), encoding="utf-8")
    assert incremental.check(read_inputs(case.path), second).problems == []
