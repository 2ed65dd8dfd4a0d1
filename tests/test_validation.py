"""Every kind of curator mistake is reported with its line and a stable code.

Each test changes one thing in a copy of tests/fixtures/minimal and compares the
problems as (line, code) pairs; a few also check the rendered message.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest
from conftest import Case, codes, time_limit


def test_minimal_fixture_is_valid(case: Case) -> None:
    dataset = case.load()
    assert dataset.problems == []
    assert len(dataset.observations) == 5


# --- Reading the file -------------------------------------------------------------------


def test_missing_file(tmp_path) -> None:
    from metrics.pipeline.load import load_dataset

    dataset = load_dataset(tmp_path / "nowhere.yaml")
    assert codes(dataset) == [(None, "file_missing")]


def test_empty_file(case: Case) -> None:
    case.write_bytes(b"")
    assert codes(case.load()) == [(1, "empty_file")]


def test_file_of_only_comments_is_empty(case: Case) -> None:
    case.write_bytes(b"# nothing here\n\n")
    assert codes(case.load()) == [(1, "empty_file")]


def test_invalid_utf8_names_line_and_byte(case: Case) -> None:
    raw = case.text.encode("utf-8").replace("丙镇的基层治理".encode(), "丙镇".encode("gbk"))
    case.write_bytes(raw)
    dataset = case.load()
    assert codes(dataset) == [(case.line("丙镇的基层治理"), "invalid_utf8")]
    assert "byte 0xb1 at column 12" in dataset.problems[0].message


def test_yaml_syntax_error(case: Case) -> None:
    case.replace("    title: 丙镇的基层治理", "    title: [unclosed")
    dataset = case.load()
    # PyYAML notices the missing bracket on the next line; the hint names where it began.
    assert codes(dataset) == [(case.line("[unclosed") + 1, "yaml_syntax")]
    assert f"starts at line {case.line('[unclosed')}" in dataset.problems[0].hint


def test_tab_indentation(case: Case) -> None:
    case.replace("    title: 丙镇的基层治理", "\ttitle: 丙镇的基层治理")
    assert (case.line("丙镇的基层治理"), "tab") in codes(case.load())


def test_duplicate_key_is_an_error_not_silently_overwritten(case: Case) -> None:
    case.replace("    title: 丙镇的基层治理", "    title: 丙镇的基层治理\n    title: 另一个标题")
    dataset = case.load()
    assert codes(dataset) == [(case.line("另一个标题"), "duplicate_key")]
    assert dataset.problems[0].hint == f"the first is at line {case.line('丙镇的基层治理')}"


def test_alias_bomb_is_refused_quickly_and_small(case: Case) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        rows.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    case.write_bytes("\n".join(rows).encode())
    tracemalloc.start()
    started = time.perf_counter()
    dataset = case.load()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024
    aliases = [(line, code) for line, code in codes(dataset) if code == "alias"]
    # Line 1 holds only an anchor: refused too.
    assert aliases == [(line, "alias") for line in range(1, 10)]


def test_aliases_are_refused_even_when_small(case: Case) -> None:
    case.replace("    authors: [张三]", "    authors: &people [张三]\n    affiliation: *people")
    assert (case.line("affiliation"), "alias") in codes(case.load())


def test_merge_keys_are_refused(case: Case) -> None:
    case.replace("  - id: county-a\n", "  - id: county-a\n    <<: {name_en: Merged}\n")
    assert (case.line("<<:"), "alias") in codes(case.load())


def test_anchor_and_alias_on_plain_values_are_refused_each_at_its_line(case: Case) -> None:
    # The composer copies an aliased plain value: nothing in the built data shows it.
    case.replace("    value: 120\n    unit: item\n", "    value: 120\n    unit: &u item\n")
    case.replace("    value: 100\n    unit: item\n", "    value: 100\n    unit: *u\n")
    assert codes(case.load()) == [(case.line("&u"), "alias"), (case.line("*u"), "alias")]


def test_an_anchor_nobody_uses_is_refused_too_and_lookalikes_are_text(case: Case) -> None:
    case.replace("    title: 丙镇的基层治理", "    title: &title 丙镇的基层治理")
    # An ampersand in a url, a quoted "*" and "&" inside text are no anchors.
    case.replace("https://example.org/article", "https://example.org/article?a=1&b=2")
    case.replace("    name_en: Old Secretary Studio", '    name_en: "*Old* Secretary & Studio"')
    assert codes(case.load()) == [(case.line("&title"), "alias")]


def test_top_level_must_be_a_mapping(case: Case) -> None:
    case.write_bytes(b"- just\n- a list\n")
    assert codes(case.load()) == [(1, "not_a_mapping")]


def test_unknown_table(case: Case) -> None:
    case.replace("practices:", "practises:")
    assert codes(case.load()) == [(case.line("practises:"), "unknown_table")]


# --- One entry's fields -----------------------------------------------------------------


def test_missing_required_field_is_located_at_its_entry(case: Case) -> None:
    case.replace("    quote: 现场解决100个\n", "")
    entry_line = case.line("indicator: problems_solved_on_spot") - 1
    dataset = case.load()
    assert codes(dataset) == [(entry_line, "missing_field")]
    assert dataset.problems[0].render() == (
        f"{dataset.problems[0].file}:{entry_line}: missing required field 'quote' "
        "(add 'quote:' to this entry)"
    )


def test_unknown_field_suggests_the_right_name(case: Case) -> None:
    case.replace("    quote: 现场解决100个", "    qoute: 现场解决100个")
    dataset = case.load()
    entry_line = case.line("indicator: problems_solved_on_spot") - 1
    assert codes(dataset) == [(entry_line, "missing_field"), (case.line("qoute"), "unknown_field")]
    assert dataset.problems[1].hint == "did you mean 'quote'?"


def test_wrong_type(case: Case) -> None:
    case.replace("    authors: [张三]", "    authors: 张三")
    dataset = case.load()
    assert codes(dataset) == [(case.line("authors: 张三"), "wrong_type")]
    assert dataset.problems[0].message == "field 'authors' must be a list"


def test_value_that_is_not_a_number(case: Case) -> None:
    case.replace("    value: 120\n", "    value: 120个\n")
    assert codes(case.load()) == [(case.line("value: 120个"), "not_a_number")]


def test_value_written_as_text_is_not_a_number(case: Case) -> None:
    case.replace("    value: 120\n", '    value: "120"\n')
    assert codes(case.load()) == [(case.line('value: "120"'), "not_a_number")]


def test_negative_value(case: Case) -> None:
    case.replace("    value: 120\n", "    value: -120\n")
    assert codes(case.load()) == [(case.line("value: -120"), "negative_value")]


def test_nan_value(case: Case) -> None:
    case.replace("    value: 120\n", "    value: .nan\n")
    assert codes(case.load()) == [(case.line("value: .nan"), "not_finite")]


def test_location_out_of_range(case: Case) -> None:
    case.replace("    level: county\n", "    level: county\n    lat: 95\n    lon: 120\n")
    assert codes(case.load()) == [(case.line("lat: 95"), "out_of_range")]


def test_location_needs_both_coordinates(case: Case) -> None:
    case.replace("    level: county\n", "    level: county\n    lat: 41.5\n")
    assert codes(case.load()) == [(case.line("id: county-a"), "half_location")]


def test_unknown_unit(case: Case) -> None:
    case.replace("    unit: yuan\n    family", "    unit: 万元\n    family")
    assert (case.line("unit: 万元"), "unknown_unit") in codes(case.load())


def test_unknown_qualifier(case: Case) -> None:
    case.replace("    qualifier: more_than", "    qualifier: 余")
    dataset = case.load()
    assert codes(dataset) == [(case.line("qualifier: 余"), "unknown_qualifier")]
    assert "more_than" in dataset.problems[0].hint


def test_unknown_level_is_an_invalid_choice(case: Case) -> None:
    case.replace("    level: township", "    level: town")
    assert codes(case.load()) == [(case.line("level: town"), "invalid_choice")]


def test_bad_id(case: Case) -> None:
    case.replace("  - id: old-secretary-studio", "  - id: Old Secretary")
    assert codes(case.load()) == [(case.line("id: Old Secretary"), "bad_id")]


def test_bad_date(case: Case) -> None:
    case.replace("    date: 2020-04-13", "    date: April 2020")
    assert codes(case.load()) == [(case.line("date: April 2020"), "bad_date")]


def test_impossible_calendar_day(case: Case) -> None:
    case.replace("    date: 2020-04-13", "    date: 2020-02-30")
    assert codes(case.load()) == [(case.line("date: 2020-02-30"), "bad_date")]


def test_bad_period(case: Case) -> None:
    case.replace(
        "    period: 2019\n    source: src-a\n    quote: 2019",
        "    period: last year\n    source: src-a\n    quote: 2019",
    )
    assert codes(case.load()) == [(case.line("period: last year"), "bad_date")]


def test_python_tags_are_not_constructed(case: Case) -> None:
    case.replace("    title: 丙镇的基层治理", "    title: !!python/object/apply:os.system ['true']")
    # The tag is ignored, never run: the title is just a list, which is the wrong type.
    assert codes(case.load()) == [(case.line("!!python"), "wrong_type")]


def test_non_http_url_is_refused(case: Case) -> None:
    case.replace("https://example.org/article", "javascript:alert(1)")
    assert codes(case.load()) == [(case.line("javascript:"), "bad_url")]


def test_bad_entries_are_all_reported_at_once(case: Case) -> None:
    case.replace("    value: 120\n", "    value: -120\n")
    case.replace("    qualifier: more_than", "    qualifier: lots")
    case.replace("    level: township", "    level: town")
    assert codes(case.load()) == [
        (case.line("level: town"), "invalid_choice"),
        (case.line("value: -120"), "negative_value"),
        (case.line("qualifier: lots"), "unknown_qualifier"),
    ]


@pytest.mark.parametrize(
    ("escape", "character"),
    [
        ("\\x07", "U+0007"),
        ("\\u0008", "U+0008"),
        ("\\e", "U+001B"),
        ("\\r", "U+000D"),
        ("\\0", "U+0000"),
        ("\\x7f", "U+007F"),
        ("\\x9b", "U+009B"),
        ("\\N", "U+0085"),
        ("\\uFFFE", "U+FFFE"),
    ],
)
def test_a_control_character_in_text_is_refused(case: Case, escape: str, character: str) -> None:
    case.replace("    title: 丙镇的基层治理", f'    title: "丙镇{escape}的基层治理"')
    dataset = case.load()
    assert codes(dataset) == [(case.line("title:"), "control_character")]
    assert dataset.problems[0].message == f"field 'title' holds the invisible character {character}"


def test_control_characters_are_refused_in_every_kind_of_text_field(case: Case) -> None:
    # Tab and newline are text; every other control character is refused.
    case.replace("    title: 丙镇的基层治理", '    title: "丙镇的\\t基层\\n治理"')
    case.replace("    authors: [张三]", '    authors: [张三, "李\\a四"]\n    page: "5\\x01"')
    case.replace("https://example.org/article", '"https://example.org/\\x1b[2K"')
    case.replace(
        "    period: 2019\n    source: src-a\n    quote: 2019",
        '    period: 2019\n    note: "a\\bb"\n    source: src-a\n    quote: 2019',
    )
    case.replace("    summary_en: Veteran", '    summary_en: "\\x85Veteran')
    case.replace("coach young cadres.", 'coach young cadres."')
    dataset = case.load()
    assert codes(dataset) == [
        (case.line("李"), "control_character"),
        (case.line("page:"), "control_character"),
        (case.line("url:"), "control_character"),
        (case.line("note:"), "control_character"),
        (case.line("summary_en:"), "control_character"),
    ]
    fields = [problem.params["field"] for problem in dataset.problems]
    assert fields == ["authors", "page", "url", "note", "summary_en"]


def test_a_huge_echoed_text_gives_a_problem_line_of_bounded_length(case: Case) -> None:
    from present.pages.quality import problem_table

    huge = "x" * 1_000_000
    case.text += f"\nset_aside:\n  - source: src-a\n    mention: {huge}\n    reason: 测试\n"
    case.path.write_text(case.text, encoding="utf-8")
    dataset = case.load()
    assert codes(dataset) == [(case.line("mention:"), "set_aside_unused")]
    rendered = dataset.problems[0].render()
    assert len(rendered) < 1000
    assert f"'{'x' * 200}… (1,000,000 characters)'" in rendered
    # The Data quality page (and the workbench) shows the same bounded texts.
    table = problem_table(dataset.problems)
    assert table[["message", "hint", "rendered"]].map(len).max().max() < 1000


def test_an_echoed_id_shows_its_control_characters_as_escapes(case: Case) -> None:
    case.replace("  - id: prov\n", '  - id: "prov\\e[2K\\rok"\n')
    dataset = case.load()
    assert (case.line("prov\\e"), "bad_id") in codes(dataset)
    rendered = "\n".join(problem.render() for problem in dataset.problems)
    assert "id 'prov\\x1b[2K\\rok' is not valid" in rendered
    assert not {"\x1b", "\r"} & set(rendered)


# --- Across entries ---------------------------------------------------------------------


def test_duplicate_id(case: Case) -> None:
    case.replace("  - id: county-a", "  - id: prov")
    dataset = case.load()
    assert (case.line("id: prov", 2), "duplicate_id") in codes(dataset)


def test_duplicate_observation(case: Case) -> None:
    case.replace(
        "    indicator: problems_solved_by_deadline", "    indicator: problems_solved_on_spot"
    )
    dataset = case.load()
    second = case.line("indicator: problems_solved_on_spot", 2) - 1
    assert (second, "duplicate_observation") in codes(dataset)


def test_unknown_region_indicator_and_source(case: Case) -> None:
    case.replace(
        "  - region: town-a\n    indicator: projects", "  - region: town-b\n    indicator: projects"
    )
    case.replace("    indicator: investment", "    indicator: spending")
    case.replace("    source: src-a\n    quote: 推行", "    source: src-z\n    quote: 推行")
    assert codes(case.load()) == [
        (case.line("region: town-b"), "unknown_region"),
        (case.line("indicator: spending"), "unknown_indicator"),
        (case.line("source: src-z"), "unknown_source"),
    ]


def test_unknown_ids_offer_the_nearest_known_ones(case: Case) -> None:
    case.replace(
        "  - region: town-a\n    indicator: projects", "  - region: twon-a\n    indicator: projects"
    )
    case.replace("    indicator: investment", "    indicator: investments")
    case.replace(
        "    source: src-a\n    quote: 推行", "    source: nothing-like-it\n    quote: 推行"
    )
    dataset = case.load()
    assert codes(dataset) == [
        (case.line("region: twon-a"), "unknown_region"),
        (case.line("indicator: investments"), "unknown_indicator"),
        (case.line("source: nothing-like-it"), "unknown_source"),
    ]
    region, indicator, source = dataset.problems
    assert region.render() == (
        f"{case.path}:{case.line('region: twon-a')}: unknown region 'twon-a' "
        "(did you mean 'town-a'? add it under regions: or fix the id)"
    )
    assert indicator.hint == "did you mean 'investment'? add it under indicators: or fix the id"
    assert source.hint == "add it under sources: or fix the id"


def test_unknown_id_offers_up_to_three_known_ones(case: Case) -> None:
    case.replace("    indicator: investment", "    indicator: problems_solved")
    (problem,) = case.load().problems
    assert problem.hint == (
        "did you mean 'problems_solved_on_spot', 'problems_reported' or "
        "'problems_solved_by_deadline'? add it under indicators: or fix the id"
    )


def test_parent_must_be_of_a_higher_level(case: Case) -> None:
    case.replace("    level: county\n    parent: prov", "    level: county\n    parent: town-a")
    assert codes(case.load()) == [(case.line("parent: town-a"), "parent_level")]


def test_observation_unit_must_be_the_indicators(case: Case) -> None:
    case.replace(
        "    value: 80000000\n    unit: yuan", "    value: 80000000\n    unit: item  # was yuan"
    )
    line = case.line("# was yuan")
    assert codes(case.load()) == [(line, "quote_unit_mismatch"), (line, "unit_mismatch")]


# --- Archives and quotes ----------------------------------------------------------------


def test_missing_archive(case: Case) -> None:
    case.replace("archive: article.txt", "archive: gone.txt")
    assert codes(case.load()) == [(case.line("archive: gone.txt"), "archive_missing")]


def test_archive_outside_the_sources_folder(case: Case) -> None:
    case.replace("archive: article.txt", "archive: ../indicators.yaml")
    assert codes(case.load()) == [(case.line("archive: ../"), "archive_outside")]


def test_absolute_archive_path_is_outside(case: Case) -> None:
    case.replace("archive: article.txt", "archive: /etc/hostname")
    assert codes(case.load()) == [(case.line("archive: /etc"), "archive_outside")]


def test_archive_name_with_a_nul_byte(case: Case) -> None:
    case.replace("archive: article.txt", 'archive: "article\\0.txt"')
    line = case.line("archive:")
    assert codes(case.load()) == [(line, "archive_outside"), (line, "control_character")]


def test_unreadable_archive(case: Case) -> None:
    (case.folder / "sources" / "article.txt").write_bytes("收集问题".encode("gbk"))
    dataset = case.load()
    assert codes(dataset) == [(case.line("archive:"), "archive_unreadable")]
    assert "not UTF-8 at byte 0" in dataset.problems[0].message


def test_quote_not_in_archive(case: Case) -> None:
    case.replace("    quote: 推行“老书记工作室”", "    quote: 打造“老书记工作室”")
    assert codes(case.load()) == [(case.line("打造“老书记工作室”"), "quote_not_in_archive")]


def test_quote_not_found_shows_the_nearest_passage_and_a_full_width_comma(case: Case) -> None:
    case.replace("    quote: 现场解决100个", "    quote: 现场解决100个,限期解决20个")
    dataset = case.load()
    assert codes(dataset) == [(case.line("100个,限期"), "quote_not_in_archive")]
    assert dataset.problems[0].render() == (
        f"{case.path}:{case.line('100个,限期')}: quote not found in the archived article "
        "'article.txt' (nearest passage (line 2): 现场解决100个，限期解决20个; differs at: "
        "full-width '，' in the article where the quote has ASCII ',')"
    )


def test_quote_not_found_names_each_difference(case: Case) -> None:
    case.replace("    quote: 推行“老书记工作室”", '    quote: 推行"老书记工作室"')
    case.replace("    quote: 累计收集问题120个", "    quote: 累计收级问题120个")
    dataset = case.load()
    assert codes(dataset) == [
        (case.line("累计收级问题"), "quote_not_in_archive"),
        (case.line('推行"老书记'), "quote_not_in_archive"),
    ]
    typo, quotes = (problem.hint for problem in dataset.problems)
    assert typo == (
        "nearest passage (line 2): 累计收集问题120个; "
        "differs at: '集' in the article where the quote has '级'"
    )
    assert quotes == (
        "nearest passage (line 1): 推行“老书记工作室”; differs at: "
        "full-width '“' in the article where the quote has ASCII '\"' after '推行'; "
        "full-width '”' in the article where the quote has ASCII '\"' after '记工作室'"
    )


def test_quote_far_from_every_passage_says_so(case: Case) -> None:
    case.replace("    quote: 推行“老书记工作室”", "    quote: 完全不同的另一段文字")
    (problem,) = case.load().problems
    assert (problem.line, problem.code) == (case.line("完全不同"), "quote_not_in_archive")
    assert problem.hint == (
        "no passage of the article comes close; "
        "copy the words exactly from the article; white space may differ"
    )


def test_a_quote_of_60000_characters_not_in_the_article_is_reported_in_time(case: Case) -> None:
    quote = ("今年以来全县累计收集群众问题120个，其中2023年5月现场解决“1+3”100个；" * 2000)[:60_000]
    case.replace("    quote: 累计收集问题120个", f"    quote: {quote}")
    with time_limit(30):
        start = time.process_time()
        dataset = case.load()
        seconds = time.process_time() - start
    assert codes(dataset) == [(case.line("今年以来全县"), "quote_not_in_archive")]
    assert dataset.problems[0].hint == (
        "a quote of 60,000 characters is too long to look for the nearest passage "
        "(at most 300); copy the words exactly from the article; white space may differ"
    )
    assert seconds < 2, f"{seconds:.1f} s of CPU to check one long quote"


def test_quote_matches_ignoring_white_space(case: Case) -> None:
    case.replace("    quote: 现场解决100个", "    quote: 现场 解决 100 个")
    assert case.load().problems == []


def test_value_not_in_quote(case: Case) -> None:
    # 8000余万元 is 80,000,000 yuan, not 8,000: the classic unit slip.
    case.replace("    value: 80000000", "    value: 8000")
    dataset = case.load()
    assert codes(dataset) == [(case.line("value: 8000"), "quote_value_mismatch")]
    assert dataset.problems[0].hint == "the quote reads '8000余万元' = 80,000,000"


def test_qualifier_must_agree_with_quote(case: Case) -> None:
    case.replace("    qualifier: more_than\n", "")
    entry_line = case.line("indicator: investment") - 1
    dataset = case.load()
    assert codes(dataset) == [(entry_line, "quote_qualifier_mismatch")]
    assert "more_than (余)" in dataset.problems[0].hint


def test_quote_without_number(case: Case) -> None:
    case.replace("    quote: 现场解决100个", "    quote: 现场解决")
    assert codes(case.load()) == [(case.line("quote: 现场解决"), "quote_no_number")]


def test_quote_counting_a_different_unit(case: Case) -> None:
    with (case.folder / "sources" / "article.txt").open("a", encoding="utf-8") as archive:
        archive.write("现场解决100人次\n")
    case.replace(
        "    unit: item\n    source: src-a\n    quote: 现场解决100个",
        "    unit: item  # here\n    source: src-a\n    quote: 现场解决100人次",
    )
    assert codes(case.load()) == [(case.line("# here"), "quote_unit_mismatch")]


# --- Relations --------------------------------------------------------------------------


def _set_deadline_value(case: Case, value: int) -> None:
    (case.folder / "sources" / "article.txt").write_text(
        case.folder.joinpath("sources", "article.txt")
        .read_text(encoding="utf-8")
        .replace("限期解决20个", f"限期解决{value}个"),
        encoding="utf-8",
    )
    case.replace("    value: 20\n", f"    value: {value}\n")
    case.replace("    quote: 限期解决20个", f"    quote: 限期解决{value}个")


def test_failed_relation_is_located_at_the_total(case: Case) -> None:
    _set_deadline_value(case, 21)
    dataset = case.load()
    assert codes(dataset) == [(case.line("indicator: problems_reported") - 1, "relation_failed")]
    assert "100 + 21 ≠ 120" in dataset.problems[0].message


def test_more_than_value_turns_equality_into_a_bound(case: Case) -> None:
    _set_deadline_value(case, 10)  # 100 + 10 = 110 is not 120 ...
    case.replace("    value: 120\n", "    value: 120\n    qualifier: exact\n")
    assert [p.code for p in case.load().problems] == ["relation_failed"]
    # ... but 100 + 10余 can be 120, so the same numbers pass once the qualifier says so.
    text = (case.folder / "sources" / "article.txt").read_text(encoding="utf-8")
    (case.folder / "sources" / "article.txt").write_text(
        text.replace("限期解决10个", "限期解决10余个"), encoding="utf-8"
    )
    case.replace("    quote: 限期解决10个", "    quote: 限期解决10余个")
    case.replace("    value: 10\n", "    value: 10\n    qualifier: more_than\n")
    assert case.load().problems == []
