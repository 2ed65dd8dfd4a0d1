"""metrics extract and metrics coverage: every number of every article is dealt with.

What must hold for every article runs on the ``bundled`` datasets (data/, and data/ with
a made-up fifth article); what a particular article says is asserted on the frozen seed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import SEED, SEED_DATA, Bundle, Case

from metrics.model.numbers import Kind
from metrics.pipeline.load import load_dataset
from metrics.tools.cli import main
from metrics.tools.extract import (
    ArticleDecodeError,
    coverage_table,
    decode_article,
    find_in_article,
    mention_table,
)

SOURCES = SEED / "sources"
ARCHIVES = sorted(p.name for p in SOURCES.glob("*.txt"))


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(SEED_DATA)


def _mentions(dataset, archive: str, all_kinds: bool = False, sources: Path = SOURCES):
    text = (sources / archive).read_text(encoding="utf-8")
    source_ids = list(dataset.sources.loc[dataset.sources["archive"] == archive, "source_id"])
    return mention_table(text, dataset, source_ids, all_kinds=all_kinds)


def test_every_curated_observation_is_found_by_extract(bundled: Bundle) -> None:
    dataset, found = bundled.dataset, set()
    for archive in bundled.archives:
        found |= set(
            _mentions(dataset, archive, sources=bundled.sources)["observation_id"].dropna()
        )
    assert found == set(dataset.observations["observation_id"])


def test_no_date_phone_or_identifier_is_offered(bundled: Bundle) -> None:
    for archive in bundled.archives:
        every = _mentions(bundled.dataset, archive, all_kinds=True, sources=bundled.sources)
        offered = _mentions(bundled.dataset, archive, sources=bundled.sources)
        assert set(offered["kind"]) <= {"quantity"}, archive
        not_quantities = every[every["kind"] != "quantity"]
        # Whatever was classified otherwise never shows up among the offered ones.
        offered_places = set(zip(offered["line"], offered["mention"], strict=True))
        assert not offered_places & set(
            zip(not_quantities["line"], not_quantities["mention"], strict=True)
        ), archive


def test_known_non_quantities_of_the_articles(dataset) -> None:
    kinds = {}
    for archive in ARCHIVES:
        table = _mentions(dataset, archive, all_kinds=True)
        for row in table.itertuples():
            kinds[(archive[:3], row.mention)] = row.kind
    assert kinds[("003", "2020")] == "date"  # 2020-04-13 09:49:41
    assert kinds[("003", "41")] == "date"
    assert kinds[("003", "2019")] == "date"  # 2019年全镇续建
    assert kinds[("002", "12338")] == "phone"  # 12338维权热线
    assert kinds[("002", "16001680")] == "identifier"  # 陇ICP备16001680号
    assert kinds[("000", "1期")] == "identifier"  # 2020年1期
    assert kinds[("001", "1241")] == "name"  # “1241”工作运行机制
    assert kinds[("001", "5")] in {"name", "date"}  # “5天4宿”, 每月5日
    assert kinds[("001", "15")] == "date"  # 每月5日、15日、25日
    assert kinds[("001", "3个")] == "duration"  # 3个月后
    assert kinds[("003", "四个")] == "name"  # “四个意识”


def test_coverage_of_the_bundled_articles_has_nothing_pending(bundled: Bundle) -> None:
    table = coverage_table(bundled.dataset)
    assert list(table["archive"]) == bundled.archives
    assert table["pending"].sum() == 0
    assert (table["curated"] + table["set_aside"] == table["quantities"]).all()


def _copy_seed(tmp_path: Path) -> Case:
    case = Case(tmp_path / "data")
    for archive in SOURCES.glob("*.txt"):
        (case.folder / "sources" / archive.name).write_bytes(archive.read_bytes())
    case.text = SEED_DATA.read_text(encoding="utf-8")
    case.path.write_text(case.text, encoding="utf-8")
    return case


def test_coverage_command_exits_0_on_the_bundled_data(bundled: Bundle, capsys) -> None:
    assert main(["coverage", "--data", str(bundled.path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].split()[-1] == "0"  # the total of pending


def test_coverage_fails_when_a_set_aside_mention_is_removed(tmp_path, capsys) -> None:
    case = _copy_seed(tmp_path)
    start = case.text.index("  - source: longxi-jiceng-zhili\n    mention: 三项\n")
    end = case.text.index("  - source:", start + 1)
    case.replace(case.text[start:end], "")
    assert main(["coverage", "--data", str(case.path)]) == 1
    assert "1 pending" in capsys.readouterr().err


def test_coverage_fails_when_a_curated_number_is_removed(tmp_path) -> None:
    case = _copy_seed(tmp_path)
    start = case.text.index("  - region: kezuozhong\n    indicator: lectures")
    end = case.text.index("  - region:", start + 1)
    case.replace(case.text[start:end], "")
    assert main(["coverage", "--data", str(case.path)]) == 1


def test_stale_set_aside_entry_is_a_problem(tmp_path) -> None:
    case = _copy_seed(tmp_path)
    case.replace("    mention: 五项", "    mention: 六项")
    assert [(p.line, p.code) for p in case.load().problems] == [
        (case.line("mention: 六项"), "set_aside_unused")
    ]


def test_fragments_are_verbatim_and_carry_their_number(bundled: Bundle) -> None:
    for archive in bundled.archives:
        text = (bundled.sources / archive).read_text(encoding="utf-8")
        for found in find_in_article(text, {Kind.quantity}):
            assert found.fragment in text.splitlines()[found.line - 1]
            assert found.mention.text in found.fragment
            assert len(found.fragment) <= 45


def test_gbk_article_is_decoded(tmp_path, capsys) -> None:
    article = tmp_path / "gbk.txt"
    article.write_bytes("某某镇全年收集群众问题320余件，现场解决260件。".encode("gbk"))
    assert main(["extract", str(article), "--data", str(SEED_DATA), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["encoding"] == "gb18030"
    assert payload["source_ids"] == []
    assert [
        (m["mention"], m["value"], m["qualifier"], m["status"]) for m in payload["mentions"]
    ] == [
        ("320余件", 320.0, "more_than", "pending"),
        ("260件", 260.0, "exact", "pending"),
    ]


def test_undecodable_article_gives_a_clear_error(tmp_path, capsys) -> None:
    article = tmp_path / "binary.txt"
    article.write_bytes(bytes(range(128, 256)) * 4)
    assert main(["extract", str(article), "--data", str(SEED_DATA)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{article}: neither UTF-8 nor GB18030")
    with pytest.raises(ArticleDecodeError):
        decode_article("abc".encode("utf-16"))


def test_yaml_stubs_parse_and_carry_the_numbers(tmp_path, capsys) -> None:
    article = tmp_path / "new.txt"
    article.write_text(
        "全年收集群众问题320余件，现场解决260件，投入资金1010.3万元。\n", encoding="utf-8"
    )
    assert main(["extract", str(article), "--data", str(SEED_DATA), "--yaml"]) == 0
    stubs = yaml.safe_load(capsys.readouterr().out)
    assert [(s["value"], s["unit"], s["qualifier"], s["quote"]) for s in stubs] == [
        (320, "item", "more_than", "全年收集群众问题320余件"),
        (260, "item", "exact", "现场解决260件"),
        (10103000, "yuan", "exact", "投入资金1010.3万元"),
    ]
    assert all(s["region"] is None and s["indicator"] is None for s in stubs)


def test_extract_table_marks_statuses(capsys) -> None:
    archive = SOURCES / "001_cf6599c7ae723155.txt"
    assert main(["extract", str(archive), "--data", str(SEED_DATA)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "001_cf6599c7ae723155.txt (utf-8; kzzq-jiajian)"
    assert out.splitlines()[-1] == "29 mentions: 25 curated, 4 set_aside, 0 pending"


def test_repeated_set_aside_entry_is_a_duplicate(tmp_path) -> None:
    case = _copy_seed(tmp_path)
    case.replace("    mention: 三个\n", "    mention: 三项\n")
    assert [(p.line, p.code) for p in case.load().problems] == [
        (case.line("mention: 三项", 2), "duplicate_id")
    ]


# --- numbers whose curated entry has a problem ------------------------------------------


def _broken_case(case: Case) -> Case:
    """The minimal fixture with three broken entries: a misspelt field (the entry has no
    row), a quote with an ASCII comma where the article has a full-width one (not found),
    an unknown region (both have a row, and a problem)."""
    case.replace("    value: 100\n", "    vlaue: 100\n")
    case.replace("    quote: 累计收集问题120个", "    quote: 累计收集问题120个,现场解决100个")
    case.replace(
        "  - region: town-a\n    indicator: projects", "  - region: twon-a\n    indicator: projects"
    )
    return case


def test_a_number_whose_entry_has_a_problem_is_broken_not_pending(case: Case) -> None:
    _broken_case(case)
    dataset = case.load()
    assert [(p.line, p.code) for p in dataset.problems] == [
        (case.line("120个,现场"), "quote_not_in_archive"),
        (case.line("vlaue: 100") - 2, "missing_field"),
        (case.line("vlaue: 100"), "unknown_field"),
        (case.line("region: twon-a"), "unknown_region"),
    ]
    text = (case.folder / "sources" / "article.txt").read_text(encoding="utf-8")
    table = mention_table(text, dataset, ["src-a"]).set_index("mention")
    assert table.loc["120个", "status"] == "broken"
    assert table.loc["120个", "reason"] == (
        f"{case.path}:{case.line('120个,现场')}: "
        "quote not found in the archived article 'article.txt'"
    )
    # Its quote also spans 100个, but the entry's value is 120: that one is the other's.
    assert table.loc["100个", "status"] == "broken"
    assert table.loc["100个", "reason"] == (
        f"{case.path}:{case.line('vlaue: 100') - 2}: missing required field 'value'"
    )
    assert table.loc["5个", "status"] == "broken"
    assert table.loc["5个", "reason"].endswith(": unknown region 'twon-a'")
    assert table.loc["20个", "status"] == "curated"
    assert table.loc["2000余人次", "status"] == "pending"


def test_extract_lists_a_broken_entry_with_its_file_and_line(case: Case, capsys) -> None:
    _broken_case(case)
    article = case.folder / "sources" / "article.txt"
    assert main(["extract", str(article), "--data", str(case.path)]) == 0
    out = capsys.readouterr().out.splitlines()
    row = next(line for line in out if line.split()[4:5] == ["100个"])
    assert row.split()[:2] == ["2", "broken"]
    assert row.endswith(
        f"{case.path}:{case.line('vlaue: 100') - 2}: missing required field 'value'"
    )
    assert out[-1] == "6 mentions: 2 curated, 0 set_aside, 3 broken, 1 pending"


def test_yaml_stubs_leave_out_broken_numbers(case: Case, capsys) -> None:
    _broken_case(case)
    article = case.folder / "sources" / "article.txt"
    assert main(["extract", str(article), "--data", str(case.path), "--yaml"]) == 0
    stubs = yaml.safe_load(capsys.readouterr().out)
    assert [stub["quote"] for stub in stubs] == ["培训2000余人次"]


def test_coverage_counts_broken_entries_apart_and_fails(case: Case, capsys) -> None:
    _broken_case(case)
    assert main(["coverage", "--data", str(case.path)]) == 1
    captured = capsys.readouterr()
    header, _, article, _ = captured.out.splitlines()
    assert header.split() == [
        "archive", "source_ids", "quantities", "curated", "set_aside", "broken", "pending",
    ]  # fmt: skip
    assert article.split() == ["article.txt", "src-a", "6", "2", "0", "3", "1"]
    assert "4 problems found" in captured.err
    assert "3 broken: fix the entries named above" in captured.err
    assert "1 pending" in captured.err


def test_coverage_of_data_with_problems_but_nothing_pending_still_fails(case: Case, capsys) -> None:
    case.replace("    value: 100\n", "    vlaue: 100\n")
    case.path.write_text(
        case.text + "\nset_aside:\n  - source: src-a\n    mention: 2000余人次\n"
        "    reason: People trained, not in this test.\n",
        encoding="utf-8",
    )
    assert main(["coverage", "--data", str(case.path)]) == 1
    err = capsys.readouterr().err
    assert "1 broken" in err and "pending" not in err
