"""Briefs: the model on the frozen seed, every region of the bundled data as Word and
PDF with every number cited, long lists cut with a count, and ``metrics brief``.

A number of a brief is a table cell or a paragraph that ends with its reference marks
(``2,000余人次 [1]``). The check that no number goes without one takes every text of
the document's body, removes what holds digits without being a number (names, dates,
periods, counts of rows left out) and fails on any digit left in a text with no mark.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, REAL_DATA, SEED_DATA, Case
from docx import Document

from metrics.model.dataset import Dataset
from metrics.model.vocab import LEVEL_LABELS
from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.pipeline.load import load_dataset
from present.brief import (
    QUOTES_SHOWN,
    ROWS_SHOWN,
    Bars,
    Brief,
    Paragraph,
    Quantity,
    Series,
    Table,
    indicator_brief,
    measure_formula,
    region_brief,
    written,
)
from present.i18n import LANGS, Lang, family_name, text
from present.pages import region as region_view
from present.pages.practices import practice_view
from present.rows import families_of, indicator_names, region_names, source_titles
from reports import cli
from reports.render import render_brief

TODAY = dt.date(2026, 12, 2)
MARKS = re.compile(r" \[\d+(?:, \d+)*\]$")
DATE = re.compile(r"\d{4}(?:-\d{2}){0,2}")


@cache
def seed() -> Dataset:
    return load_dataset(SEED_DATA)


@cache
def bundled() -> Dataset:
    dataset = load_dataset(REAL_DATA)
    assert dataset.ok, dataset.problems
    return dataset


# --- what a document says --------------------------------------------------------------


def docx_texts(content: bytes) -> list[str]:
    """Every paragraph and table cell of a .docx, in document order."""
    import io

    document = Document(io.BytesIO(content))
    texts = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append(
                "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
        elif tag == "tbl":
            for cell in child.iter():
                if cell.tag.endswith("}tc"):
                    texts.append("".join(n.text or "" for n in cell.iter() if n.tag.endswith("}t")))
    return [t for t in texts if t]


def split_references(texts: list[str], lang: Lang) -> tuple[list[str], dict[int, str]]:
    """The body's texts, and the reference list: number -> its entry (with quotes)."""
    heading = text("brief.references", lang)
    at = len(texts) - 1 - texts[::-1].index(heading)
    entries: dict[int, str] = {}
    for line in texts[at + 1 :]:
        found = re.match(r"\[(\d+)\] (.*)", line)
        if found:
            entries[int(found[1])] = found[2]
        elif entries:
            entries[max(entries)] += "\n" + line
    return texts[:at], entries


def not_numbers(dataset: Dataset, lang: Lang) -> list[str]:
    """Texts that hold digits without being a reported number: names, formulas, the
    brief's own words. Longest first, so that a name inside another goes with it."""
    names = [
        *indicator_names(dataset, lang).values(),
        *region_names(dataset, lang).values(),
        *source_titles(dataset).values(),
        *practice_view(dataset, lang)["name"],
        *(family_name(f, lang) for f in families_of(dataset)),
        *(m.name.zh if lang == "zh" else m.name.en for m in DERIVED_MEASURES),
        *(measure_formula(m.id, dataset, lang) for m in DERIVED_MEASURES),
        *(label.zh if lang == "zh" else label.en for label in LEVEL_LABELS.values()),
    ]
    return sorted({n for n in names if n}, key=len, reverse=True)


def unmarked_digits(body: list[str], dataset: Dataset, lang: Lang) -> list[str]:
    """The texts of the body that hold a digit but are neither a number with its
    reference marks nor made of names, dates, periods and counts of rows left out."""
    allowed = not_numbers(dataset, lang)
    periods = {str(p) for p in dataset.observations["period"].dropna()}
    more = re.compile(
        re.escape(text("brief.rows_more", lang, count=0)).replace("0", r"\d+")
        + "|"
        + re.escape(text("brief.quotes_more", lang, count=0)).replace("0", r"\d+")
    )
    left = []
    for line in body:
        if not re.search(r"\d", line) or MARKS.search(line) or line in periods:
            continue
        rest = more.sub("", line)
        for name in allowed:
            rest = rest.replace(name, "")
        rest = DATE.sub("", rest)
        if re.search(r"\d", rest):
            left.append(line)
    return left


def reported_numbers(dataset: Dataset, region_id: str, lang: Lang) -> list[tuple[str, str]]:
    """(number as the dashboard writes it, source id) of every number of a region."""
    numbers = region_view.region_numbers(dataset, region_id, lang)
    return list(zip(numbers["shown"], numbers["source_id"], strict=True))


def assert_cited(
    texts: list[str], dataset: Dataset, region_id: str, lang: Lang, rows_shown: int
) -> None:
    body, entries = split_references(texts, lang)
    titles = source_titles(dataset)
    numbers = reported_numbers(dataset, region_id, lang)
    for shown, source_id in numbers[:rows_shown]:
        cells = [t for t in body if t.startswith(shown + " [")]
        assert cells, f"{region_id}/{lang}: {shown} is not in the brief with a reference"
        marks = [int(n) for n in MARKS.search(cells[0])[0].strip(" []").split(", ")]
        assert any(titles[source_id] in entries[n] for n in marks), (shown, marks)
    assert unmarked_digits(body, dataset, lang) == []
    assert set(entries) == set(range(1, len(entries) + 1))


# --- the model, on the frozen seed -------------------------------------------------------


def blocks(brief: Brief, kind: type) -> list:
    return [
        block for section in brief.sections for block in section.blocks if isinstance(block, kind)
    ]


def test_a_region_brief_lists_each_number_with_its_reference() -> None:
    brief = region_brief(seed(), seed().derived, "kezuozhong", "zh", today=TODAY)
    assert brief.title == "科左中旗基层治理数据简报"
    assert brief.dated == "所引文章最新日期：2019-06 · 生成日期：2026-12-02"
    assert [s.heading for s in brief.sections] == [
        "行政隶属", "报告的数字", "教育培训", "网格治理", "群众诉求", "项目与集体经济",
        "干部队伍", "基层组织", "党员作用", "未报告", "推算指标", "与同级地区比较",
        "经验做法", "来源文章",
    ]  # fmt: skip
    grids = next(s for s in brief.sections if s.heading == "网格治理").blocks[0]
    # No number of the seed states a period: the empty column is left out.
    assert grids == Table(
        ("指标", "数字（出处）"),
        (
            ("网格数", Quantity("1,900余个", (1,))),
            ("每个网格配备党员", Quantity("1人", (1,))),
            ("每名党员联系户数", Quantity("10户左右", (1,))),
        ),
    )
    assert [r.source_id for r in brief.references] == ["kzzq-jiajian"]
    reference = brief.references[0]
    assert reference.citation.startswith("乔芳畦, 唐丽雅. 科左中旗:用活“加减乘除”法")
    assert "将全旗划分为1900余个网格" in reference.quotes
    # 34 quotes in all; the first QUOTES_SHOWN are listed, the rest counted.
    assert len(reference.quotes) == QUOTES_SHOWN == 30
    assert reference.more_quotes == "另有 4 处引文未列出。"


def test_derived_measures_are_marked_computed_and_say_how() -> None:
    brief = region_brief(seed(), seed().derived, "kezuozhong", "zh", today=TODAY)
    derived = next(s for s in brief.sections if s.heading == "推算指标")
    assert derived.blocks[0] == Paragraph(text("brief.derived_note", "zh"), kind="note")
    rows = {row[0]: row[1:] for row in derived.blocks[1].rows}
    assert rows["现场解决率"] == (
        Quantity("75.87%", (1,), computed=True),
        "现场解决问题 ÷ 收集群众问题 × 100%",
    )
    assert measure_formula("trainees_per_class", seed(), "zh") == (
        "培训人次 ÷ (中青年干部培训班 + 基层党务工作者培训班 + 村党支部书记轮训班)"
    )
    assert measure_formula("problems_solved", seed(), "en") == (
        "Problems solved on the spot (现场解决问题) + Problems solved by a deadline (限期解决问题)"
    )


def test_a_region_without_numbers_says_so_and_keeps_practices_and_sources() -> None:
    dataset = seed()
    reporting = set(dataset.observations["region_id"])
    quiet = next(r for r in dataset.practices["region_id"] if r not in reporting)
    brief = region_brief(dataset, dataset.derived, quiet, "zh", today=TODAY)
    headings = [s.heading for s in brief.sections]
    assert headings == ["行政隶属", "报告的数字", "经验做法", "来源文章"]
    assert brief.sections[1].blocks == (Paragraph(text("region.no_numbers", "zh")),)
    practices = brief.sections[2].blocks
    assert practices[0].kind == "name" and practices[1].refs == (1,)
    assert brief.references and all(r.citation for r in brief.references)


def test_an_indicator_brief_flags_levels_and_names_who_did_not_report() -> None:
    brief = indicator_brief(seed(), "projects", "zh", today=TODAY)
    values = next(s for s in brief.sections if s.heading == "各地区数值").blocks
    assert values[0].kind == "warning" and "县级、乡级" in values[0].text
    bars = values[1]
    assert isinstance(bars, Bars)
    assert bars.labels == ("科左中旗", "新街镇") and bars.values == (304.0, 5.0)
    table = values[2]
    assert table.columns == ("地区", "行政级别", "数字（出处）", "时期")
    assert [[written(cell) for cell in row] for row in table.rows] == [
        ["科左中旗", "县级", "304个 [1]", ""],
        ["新街镇", "乡级", "5个 [2]", "2019"],
    ]
    assert values[3].kind == "note" and "正蓝旗" in values[3].text
    per_unit = next(s for s in brief.sections if s.heading == "按单位平均").blocks
    computed = per_unit[1].rows[0]
    assert computed[0] == "新街镇"
    assert computed[1] == Quantity("0.56个/村", (2,), computed=True)
    assert [written(c) for c in computed[2:]] == ["5个 [2]", "9个 [2]"]
    assert "科左中旗" in per_unit[2].text  # reported no villages: no per-unit value


def test_unknown_ids_raise_key_error() -> None:
    with pytest.raises(KeyError):
        region_brief(seed(), seed().derived, "nowhere", "zh")
    with pytest.raises(KeyError):
        indicator_brief(seed(), "no_such_indicator", "zh")


# --- long lists and change over time ------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    from metrics.tools.synth import synthesize

    folder = tmp_path_factory.mktemp("synth")
    synthesize(folder, regions=40, observations=3000, seed=7)
    dataset = load_dataset(folder / "indicators.yaml")
    assert dataset.ok, dataset.problems[:3]
    return dataset


def test_long_lists_stop_and_say_how_many_more(synthetic: Dataset) -> None:
    busiest = synthetic.observations["region_id"].value_counts().index[0]
    total = int(synthetic.observations["region_id"].value_counts().iloc[0])
    assert total > ROWS_SHOWN
    brief = region_brief(synthetic, synthetic.derived, busiest, "en", today=TODAY)
    numbers_at = [s.heading for s in brief.sections].index(text("region.numbers", "en"))
    families = [s for s in brief.sections[numbers_at + 1 :] if s.level == 2]
    tables = [block for section in families for block in section.blocks if isinstance(block, Table)]
    shown = sum(len(t.rows) for t in tables)
    assert shown == ROWS_SHOWN
    # Rows cut from a family's table are counted under it; families past the limit
    # are counted, with their names, in one note.
    counted = sum(int(re.match(r"\d+", t.more)[0]) for t in tables if t.more)
    others = families[-1]
    assert others.heading == "Other families"
    note = others.blocks[0]
    assert note.kind == "note" and note.text.endswith("The dashboard's downloads hold them all.")
    counted += int(re.match(r"\d+", note.text)[0])
    assert shown + counted == total


def test_a_region_reported_over_years_gets_a_chart_with_gaps(synthetic: Dataset) -> None:
    series_rows = None
    for region_id in synthetic.observations["region_id"].unique():
        series_rows = region_view.region_series(synthetic, region_id, "zh")
        if not series_rows.empty and series_rows["gap"].any():
            break
    assert series_rows is not None and series_rows["gap"].any(), "synth made no gap"
    brief = region_brief(synthetic, synthetic.derived, region_id, "zh", today=TODAY)
    charts = blocks(brief, Series)
    assert charts
    first = series_rows[series_rows["indicator_id"] == series_rows["indicator_id"].iloc[0]]
    line = charts[0].lines[0]
    assert line.periods == tuple(first["period"])
    assert [v is None for v in line.values] == list(first["gap"])


def test_the_over_time_fixture_brief_draws_its_gap() -> None:
    dataset = load_dataset(FIXTURES / "over_time" / "indicators.yaml")
    assert dataset.ok, dataset.problems
    series_regions = [
        r for r in set(dataset.observations["region_id"])
        if not region_view.region_series(dataset, r, "zh").empty
    ]  # fmt: skip
    assert series_regions
    brief = region_brief(dataset, dataset.derived, series_regions[0], "zh", today=TODAY)
    lines = [line for chart in blocks(brief, Series) for line in chart.lines]
    assert any(None in line.values for line in lines)


# --- every region of the bundled data, Word and PDF, both languages -----------------------


def _bundled_regions() -> list[str]:
    return list(load_dataset(REAL_DATA).regions["region_id"])


@cache
def bundled_docx(region_id: str, lang: Lang) -> tuple[Brief, list[str]]:
    """A region's brief of the bundled data and the texts of its Word file, made once per
    process: the Word test and the PDF test of the region read the same brief."""
    dataset = bundled()
    brief = region_brief(dataset, dataset.derived, region_id, lang)
    return brief, docx_texts(render_brief(brief, "docx"))


# The region with the most numbers stays in the fast tier, so that it draws a Word file
# too; the Word file of every other region and language is a documents test.
WORD_IN_FAST_TIER = "kezuozhong"


def _word_regions() -> list[object]:
    return [
        pytest.param(r, marks=() if r == WORD_IN_FAST_TIER else pytest.mark.documents)
        for r in _bundled_regions()
    ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("region_id", _word_regions())
def test_every_bundled_region_as_docx_cites_every_number(region_id: str, lang: Lang) -> None:
    dataset = bundled()
    brief, texts = bundled_docx(region_id, lang)
    assert texts[0] == brief.title
    assert_cited(texts, dataset, region_id, lang, ROWS_SHOWN)


def pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "brief.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout


@pytest.mark.documents
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("region_id", _bundled_regions())
def test_every_bundled_region_as_pdf_holds_the_same_numbers(
    region_id: str, lang: Lang, tmp_path: Path
) -> None:
    brief, texts = bundled_docx(region_id, lang)
    squeezed = re.sub(r"\s+", "", pdf_text(render_brief(brief, "pdf"), tmp_path))
    docx_numbers = [t for t in split_references(texts, lang)[0] if MARKS.search(t)]
    for number in docx_numbers:
        assert re.sub(r"\s+", "", number) in squeezed, number
    for reference in brief.references:
        assert f"[{reference.number}]" in squeezed
    assert re.sub(r"\s+", "", brief.title) in squeezed


# --- metrics brief ----------------------------------------------------------------------


@pytest.mark.documents  # the PDF of an indicator, laid out by WeasyPrint
def test_metrics_brief_writes_a_region_and_an_indicator(tmp_path: Path, capsys) -> None:
    out = tmp_path / "kezuozhong.docx"
    assert cli.main(["brief", "--region", "kezuozhong", "--format", "docx",
                     "--out", str(out), "--data", str(SEED_DATA)]) == 0  # fmt: skip
    assert "wrote" in capsys.readouterr().out
    assert docx_texts(out.read_bytes())[0] == "科左中旗基层治理数据简报"
    pdf = tmp_path / "projects.pdf"
    assert cli.main(["brief", "--indicator", "projects", "--lang", "en", "--format", "pdf",
                     "--out", str(pdf), "--data", str(SEED_DATA)]) == 0  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF")


def test_metrics_brief_names_an_unknown_id_and_an_unwritable_path(tmp_path: Path, capsys) -> None:
    common = ["--format", "docx", "--data", str(SEED_DATA)]
    assert cli.main(["brief", "--region", "kezuozhon", "--out", str(tmp_path / "a"), *common]) == 2
    assert "unknown region 'kezuozhon' (did you mean 'kezuozhong'?)" in capsys.readouterr().err
    assert cli.main(["brief", "--indicator", "projets", "--out", str(tmp_path / "a"), *common]) == 2
    assert "did you mean 'projects'" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "brief.docx"
    assert cli.main(["brief", "--region", "kezuozhong", "--out", str(missing), *common]) == 2
    assert f"{missing}: cannot write the brief: no folder" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_metrics_brief_refuses_data_with_problems(tmp_path: Path, capsys) -> None:
    broken = FIXTURES / "broken" / "indicators.yaml"
    out = tmp_path / "b.docx"
    assert cli.main(["brief", "--region", "x", "--format", "docx", "--out", str(out),
                     "--data", str(broken)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "indicators.yaml:" in err and "no brief written" in err
    assert not out.exists()


def test_metrics_brief_refuses_a_control_character_without_a_traceback(
    case: Case, tmp_path: Path, capsys
) -> None:
    # A Word file cannot hold U+0007 (lxml refuses it): the check refuses it first.
    case.replace("    title: 丙镇的基层治理", '    title: "丙镇\\a的基层治理"')
    out = tmp_path / "town.docx"
    assert cli.main(["brief", "--region", "town-a", "--format", "docx", "--out", str(out),
                     "--data", str(case.path)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    line = case.line("title:")
    assert f"{case.path}:{line}: field 'title' holds the invisible character U+0007" in err
    assert err.endswith("no brief written: fix the problems first (metrics check)\n")
    assert not out.exists()


@pytest.mark.documents  # a Word file per region
def test_metrics_brief_all_regions_writes_one_file_per_region(tmp_path: Path, capsys) -> None:
    assert cli.main(["brief", "--region", "all", "--lang", "en", "--format", "docx",
                     "--out", str(tmp_path), "--data", str(SEED_DATA)]) == 0  # fmt: skip
    written_files = sorted(path.name for path in tmp_path.iterdir())
    expected = sorted(f"brief-region-{r}-en.docx" for r in seed().regions["region_id"])
    assert written_files == expected
    assert capsys.readouterr().out.count("wrote ") == len(expected)
    not_a_folder = tmp_path / "missing"
    assert cli.main(["brief", "--region", "all", "--format", "pdf", "--out", str(not_a_folder),
                     "--data", str(SEED_DATA)]) == 2  # fmt: skip
    assert "--out must be an existing folder" in capsys.readouterr().err


def test_peers_put_the_region_first_then_the_highest_of_its_level(synthetic: Dataset) -> None:
    from present.brief.region import PEER_BARS, _peers

    busiest = synthetic.observations["region_id"].value_counts().index[0]
    peers = _peers(synthetic, busiest)
    assert peers is not None and len(peers.head) == ROWS_SHOWN
    main = peers.main
    first = main["indicator_id"].iloc[0]
    observations = synthetic.observations
    levels = synthetic.regions.set_index("region_id")["level"]
    same_level = observations["region_id"].map(levels) == levels[busiest]
    everyone = observations[(observations["indicator_id"] == first) & same_level]
    assert peers.main_total == len(everyone)
    own = (main["region_id"] == busiest).to_numpy()
    assert own[: own.sum()].all()  # the region's own rows come first
    others = everyone[everyone["region_id"] != busiest]["value"].nlargest(PEER_BARS)
    assert list(main[~own]["value"].head(PEER_BARS)) == list(others)[:PEER_BARS]
    brief = region_brief(synthetic, synthetic.derived, busiest, "zh", today=TODAY)
    bars = next(b for b in blocks(brief, Bars) if any(b.highlight))
    assert len(bars.values) <= PEER_BARS
    assert sum(bars.highlight) == min(int(own.sum()), PEER_BARS)  # its own bars, marked
