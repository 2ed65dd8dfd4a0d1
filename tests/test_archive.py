"""The one quote locator and the one text decoder, and the three places that use them.

The fixture ``two_columns`` is a made-up page printed as two columns side by side on
each line; its first quote runs down the left column over two lines. The check finds
it, ``metrics extract`` counts its number as curated, and the Sources page marks it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    FIXTURES,
    PROJECT,
    REAL_DATA,
    Case,
    codes,
    streamlit_caches_cleared,
    time_limit,
)
from streamlit.testing.v1 import AppTest

from dashboard.cache import DATA_ENV
from metrics.model.archive import ArchivedText, ArchiveError, compact, decode_archive
from metrics.model.text import UndecodableText, decode_bytes
from metrics.pipeline.load import load_dataset
from metrics.tools.extract import CURATED, mention_table
from present.pages.sources import marked_markdown, place_observations
from present.rows import observation_view

TWO_COLUMNS = FIXTURES / "two_columns"
ARTICLE = (TWO_COLUMNS / "sources" / "article.txt").read_text(encoding="utf-8")
DOWN_THE_COLUMN = "累计收集群众问题36个"  # the end of one line, the start of the next


def located_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The characters of ``text`` under ``spans``, white space removed."""
    return compact("".join(text[start:end] for start, end in spans))


# --- the locator ---------------------------------------------------------------------


def test_a_quote_down_one_column_is_located_in_one_piece_per_line() -> None:
    spans = ArchivedText(ARTICLE).locate(DOWN_THE_COLUMN)
    assert spans is not None and len(spans) == 2
    assert [ARTICLE[start:end] for start, end in spans] == ["累计收集", "群众问题36个"]
    first, second = (ARTICLE.count("\n", 0, start) for start, _ in spans)
    assert second == first + 1  # consecutive lines of the page


def test_a_quote_in_running_text_is_one_span() -> None:
    text = "镇里累计收集\n  问题120个，现场解决100个。"
    spans = ArchivedText(text).locate("收集问题120个")
    assert spans == [(4, text.index("个") + 1)]


def test_spans_map_back_to_the_quote_in_every_bundled_article() -> None:
    real = load_dataset(REAL_DATA)
    archives = real.sources.set_index("source_id")["archive"]
    for row in real.observations.itertuples():
        text = real.archive_texts[archives[row.source_id]]
        spans = ArchivedText(text).locate(row.quote)
        assert spans is not None, row.observation_id
        assert located_text(text, spans) == compact(row.quote)
    column_spans = ArchivedText(ARTICLE).locate(DOWN_THE_COLUMN)
    assert column_spans is not None
    assert located_text(ARTICLE, column_spans) == compact(DOWN_THE_COLUMN)


def test_the_check_and_the_locator_agree_on_every_stretch_of_the_page() -> None:
    article = ArchivedText(ARTICLE)
    for across in (False, True):
        for stream in article.streams:
            for start in range(0, len(stream.chars), 3):
                for length in (1, 4, 9):
                    needle = stream.chars[start : start + length]
                    spans = article.locate_compact(needle, across)
                    assert article.contains_compact(needle, across) == (spans is not None)
                    if stream in article.searched(across):
                        assert spans is not None
                    if spans is not None:
                        assert located_text(ARTICLE, spans) == needle
    for needle in ("", "不在文中", "其余镇里"):
        assert not article.contains_compact(needle, True)
        assert article.locate_compact(needle, True) is None


def test_occurrences_lists_every_place() -> None:
    text = "解决10个问题。\n又解决10个问题。"
    places = ArchivedText(text).occurrences("解决 10个")
    assert [located_text(text, spans) for spans in places] == ["解决10个", "解决10个"]


def test_nearest_passage_down_one_column_with_a_full_width_comma() -> None:
    nearest = ArchivedText(ARTICLE).nearest("累计收集群众问题36个,其中当场解决30个")
    assert nearest is not None
    assert nearest.text == "累计收集群众问题36个，其中当场解决30个"
    assert located_text(ARTICLE, nearest.spans) == nearest.text
    assert nearest.line == 3  # where the passage begins, at the end of the left column
    assert nearest.differences == ("full-width '，' in the article where the quote has ASCII ','",)


def test_nearest_passage_across_lines_of_running_text() -> None:
    text = "第一行没有数字。\n\n  镇里累计收集\n问题4236个，解决4100个。\n"
    article = ArchivedText(text)
    nearest = article.nearest("累计收集问题4263个")
    assert nearest is not None and nearest.line == 3
    assert nearest.text == "累计收集问题4236个"
    # Two digits swapped: one more in the article, one more in the quote.
    assert nearest.differences == (
        "the article has '3' that the quote leaves out",
        "the quote has '3' that the article does not",
    )
    assert article.nearest("完全无关的一句话而已") is None
    assert article.nearest("") is None


# --- the check and the extractor -----------------------------------------------------


def test_the_nearest_passage_is_sought_for_quotes_of_a_bounded_length_only() -> None:
    # Aligning a quote costs its length times the passage's: a quote of 78,000
    # characters against an article of 130,000 would take hours, so it is not sought.
    units = [f"累计收集问题{n}个，" for n in range(10_000, 20_000)]
    article = ArchivedText("".join(units))
    with time_limit(20):
        start = time.process_time()
        assert article.nearest("".join(units[:6_000]) + "多") is None
        seconds = time.process_time() - start
    assert seconds < 1, f"{seconds:.1f} s of CPU for a quote that is not sought"
    # Up to the limit, the nearest passage is still found, with its one difference.
    from metrics.model.archive import NEAREST_LONGEST

    passage = "".join(units[500:523])
    quote = passage.replace("10510", "10501")
    assert len(quote) == NEAREST_LONGEST - 1
    nearest = article.nearest(quote)
    assert nearest is not None and nearest.text == passage


def test_the_check_finds_a_quote_down_one_column() -> None:
    dataset = load_dataset(TWO_COLUMNS / "indicators.yaml")
    assert dataset.problems == []
    assert len(dataset.observations) == 2


def test_extract_counts_the_number_of_a_column_quote_as_curated() -> None:
    dataset = load_dataset(TWO_COLUMNS / "indicators.yaml")
    mentions = mention_table(ARTICLE, dataset, ["src-columns"]).set_index("mention")
    assert mentions.loc["36个", "status"] == CURATED
    assert mentions.loc["36个", "observation_id"] == dataset.observations["observation_id"][0]
    assert mentions.loc["30个", "status"] == CURATED


# --- the Sources page ----------------------------------------------------------------


def observations(*rows: tuple[str, str, float]) -> pd.DataFrame:
    """Observation rows as the Sources page gets them: id, quote, value."""
    return pd.DataFrame(rows, columns=["observation_id", "quote", "value"])


def test_the_sources_view_marks_the_number_of_a_column_quote() -> None:
    rows = observations(("a", DOWN_THE_COLUMN, 36.0), ("b", "当场解决30个", 30.0))
    marks, unplaced = place_observations(ARTICLE, rows)
    assert unplaced == []
    assert [(ARTICLE[m.start : m.end], m.markers) for m in marks] == [
        ("36个", (1,)),
        ("30个", (2,)),
    ]
    markdown = marked_markdown(ARTICLE, marks)
    assert ":orange-background[**36个**]\u2009:orange[\\[1\\]]" in markdown


def test_a_number_split_over_two_lines_marks_every_piece() -> None:
    text = (
        "虚构文本：共建成服务站1          右栏的文字并不相关，\n"
        "2个$，:red[另]有<b>          只是占满另一栏的位置，\n"
        "其他站点正在建设。          供测试用的虚构内容。\n"
    )
    marks, unplaced = place_observations(text, observations(("a", "服务站12个$，:red[另]", 12.0)))
    assert unplaced == []
    assert len(marks) == 1 and [text[s:e] for s, e in marks[0].pieces] == [
        "服务站1",
        "2个$，:red[另]",
    ]
    markdown = marked_markdown(text, marks)
    assert ":orange-background[**服务站1**]" in markdown
    assert ":orange-background[**2个\\$，\\:red\\[另\\]**]\u2009:orange[\\[1\\]]" in markdown
    assert "\\<b\\>" in markdown and ":red[" not in markdown.replace("\\:red\\[", "")


def test_overlapping_pieces_share_one_mark() -> None:
    rows = observations(("a", DOWN_THE_COLUMN, 36.0), ("b", "问题36个", 36.0))
    marks, unplaced = place_observations(ARTICLE, rows)
    assert unplaced == [] and [m.markers for m in marks] == [(1, 2)]


@pytest.fixture
def two_columns_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The dashboard pointed at a copy of the two-column fixture, caches cleared."""
    folder = tmp_path / "data"
    shutil.copytree(TWO_COLUMNS, folder)
    monkeypatch.setenv(DATA_ENV, str(folder / "indicators.yaml"))
    for _ in streamlit_caches_cleared():
        yield folder


def test_the_sources_page_marks_a_column_quote(two_columns_data: Path) -> None:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    app.session_state["lang"] = "zh"
    app.session_state["source"] = "src-columns"
    app.switch_page("app_pages/sources.py").run()
    assert not app.exception, [e.value for e in app.exception]
    markdown = " ".join(m.value for m in app.markdown)
    assert ":orange-background[**36个**]\u2009:orange[\\[1\\]]" in markdown
    assert ":orange-background[**30个**]\u2009:orange[\\[2\\]]" in markdown
    assert not any("未能定位" in w.value for w in app.warning)


# --- a quote stands within one column --------------------------------------------------

# The fixture ``column_gap``: on line 3 the left column ends in 完成投资1 and the right
# one begins with 200万元; the left column goes on with 亿元 on line 4.
COLUMN_GAP = FIXTURES / "column_gap"
GAP_ARTICLE = (COLUMN_GAP / "sources" / "article.txt").read_text(encoding="utf-8")
JOINED = "完成投资1200万元"  # read across the gap: not what the page says
INVESTMENT = "    value: 100000000\n    unit: yuan\n    source: src-gap\n    quote: 完成投资1亿元\n"


@pytest.fixture
def gap_case(tmp_path: Path) -> Case:
    """A writable copy of the ``column_gap`` fixture."""
    return Case(tmp_path / "data", COLUMN_GAP)


def _joined_quote(case: Case, mark: str = "") -> Case:
    """The investment curated from the quote read across the gap, as the red team did."""
    joined = INVESTMENT.replace("100000000", "12000000").replace("完成投资1亿元", JOINED)
    return case.replace(INVESTMENT, joined + mark)


def test_a_quote_joined_across_the_column_gap_is_a_problem(gap_case: Case) -> None:
    dataset = _joined_quote(gap_case).load()
    assert codes(dataset) == [(gap_case.line(f"quote: {JOINED}"), "quote_across_columns")]
    assert "(line 3)" in dataset.problems[0].message  # where the page is read across
    assert "quote_crosses_columns: true" in dataset.problems[0].hint


def test_a_quote_marked_as_joining_the_columns_passes(gap_case: Case) -> None:
    dataset = _joined_quote(gap_case, "    quote_crosses_columns: true\n").load()
    assert dataset.problems == []
    marked = dataset.observations.set_index("indicator_id")["quote_crosses_columns"]
    assert marked.to_dict() == {"investment": True, "road_investment": False}
    # The Sources page marks it where the check found it: across the gap on line 3.
    rows = observation_view(dataset, "zh")
    marks, unplaced = place_observations(GAP_ARTICLE, rows)
    assert unplaced == []
    joined = next(m for m in marks if GAP_ARTICLE.count("\n", 0, m.start) == 2)
    assert compact(GAP_ARTICLE[joined.start : joined.end]) == JOINED


def test_quotes_down_the_left_column_pass_and_are_located_there(gap_case: Case) -> None:
    assert gap_case.load().problems == []
    article = ArchivedText(GAP_ARTICLE)
    # 投资1200万元 is also read across the gap on line 3; the page says it on lines 4-5.
    for quote, pieces in (
        ("完成投资1亿元", ["完成投资1", "亿元"]),
        ("投资1200万元", ["投资", "1200万元"]),
    ):
        spans = article.locate(quote)
        assert spans is not None
        assert [GAP_ARTICLE[start:end] for start, end in spans] == pieces
        assert len(article.occurrences(quote)) == 1


def test_the_locator_offers_no_place_across_the_gap() -> None:
    article = ArchivedText(GAP_ARTICLE)
    assert article.locate(JOINED) is None
    assert article.occurrences(JOINED) == []
    assert not article.contains(JOINED)
    assert article.line_across_columns(compact(JOINED)) == 3
    across = article.locate(JOINED, across_columns=True)
    assert across is not None and located_text(GAP_ARTICLE, across) == JOINED
    rows = observations(("a", JOINED, 12_000_000.0))
    assert place_observations(GAP_ARTICLE, rows) == ([], ["a"])


# --- the decoder ---------------------------------------------------------------------


def test_utf8_with_or_without_a_byte_order_mark() -> None:
    assert decode_bytes("甲镇".encode()) == ("甲镇", "utf-8")
    assert decode_bytes("\ufeff甲镇".encode()).text == "甲镇"


def test_bad_utf8_says_where() -> None:
    raw = "第一行\n甲".encode() + "镇".encode("gbk")
    with pytest.raises(UndecodableText) as caught:
        decode_bytes(raw)
    error = caught.value
    assert str(error) == "not UTF-8 at byte 13"  # 3 + 1 + 1 characters, 13 bytes
    assert (error.line, error.column, error.byte) == (2, 4, "镇".encode("gbk")[0])
    with pytest.raises(ArchiveError, match="not UTF-8 at byte 13"):
        decode_archive(raw)


def test_gb18030_only_when_asked() -> None:
    raw = "虚构的文章：收集问题12个。".encode("gb18030")
    assert decode_bytes(raw, allow_gb18030=True) == ("虚构的文章：收集问题12个。", "gb18030")
    with pytest.raises(UndecodableText, match="not UTF-8 at byte 0"):
        decode_bytes(raw)
    with pytest.raises(UndecodableText, match=r"GB18030/GBK \(undecodable byte at offset 0\)"):
        decode_bytes("abc".encode("utf-16"), allow_gb18030=True)
    with pytest.raises(UndecodableText, match="decodes to no Chinese"):
        decode_bytes(b"\xa8\xa6" * 3, allow_gb18030=True)  # GB18030 for "ééé"
