"""The workbench's shaping (``present.pages.curate``), without Streamlit.

The article is made up for these tests (``tests/fixtures/curate/made_up_article.txt``:
a made-up party meeting method in 新街镇 with made-up numbers); the data is the frozen
seed fixture. The draft itself (``metrics.tools.draft``) is tested with the command;
here, what the page does with it: reading the input, applying the curator's edits,
checking the edited draft, marking the article.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, SEED_DATA

from dashboard import settings
from metrics.model.dataset import Dataset
from metrics.pipeline.load import load_dataset
from metrics.tools.draft import MAX_ARTICLE_BYTES, Draft, draft_article
from present.pages import curate

ARTICLE = FIXTURES / "curate" / "made_up_article.txt"
TEXT = ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> Dataset:
    dataset = load_dataset(SEED_DATA)
    assert dataset.ok, dataset.problems
    return dataset


@pytest.fixture(scope="module")
def draft(seed: Dataset) -> Draft:
    return draft_article(TEXT, seed)


def _state(edits: dict[int, dict[str, object]]) -> dict[str, object]:
    """An editor's session state as Streamlit keeps it."""
    return {"edited_rows": edits, "added_rows": [], "deleted_rows": []}


# --- the setting (``dashboard.settings``) -------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "enabled"),
    [(None, True), ("", True), ("on", True), ("1", True), ("off", False), (" OFF ", False),
     ("0", False), ("false", False), ("no", False)],
)  # fmt: skip
def test_the_workbench_setting(setting: str | None, enabled: bool) -> None:
    environ = {} if setting is None else {settings.WORKBENCH_ENV: setting}
    assert settings.workbench_enabled(environ) is enabled


# --- reading the input --------------------------------------------------------------------


def test_nothing_given_is_no_article_and_no_refusal() -> None:
    assert curate.read_input("", None, None, "", "", submitted=False) is None


def test_an_empty_or_blank_paste_is_refused_once_submitted() -> None:
    for pasted in ("", "  \n\t "):
        refused = curate.read_input(pasted, None, None, "", "", submitted=True)
        assert refused == curate.Refusal("curate.refused.empty")


def test_a_paste_over_one_megabyte_is_refused_with_its_size() -> None:
    refused = curate.read_input("字" * 700_000, None, None, None, None, submitted=True)
    # Three bytes a character in UTF-8.
    assert refused == curate.Refusal(
        "curate.refused.too_big", {"size": "2,100,000", "limit": f"{MAX_ARTICLE_BYTES:,}"}
    )
    just_in = curate.read_input("a" * MAX_ARTICLE_BYTES, None, None, None, None, True)
    assert isinstance(just_in, curate.Given)


def test_a_gbk_upload_is_read_and_wins_over_a_paste() -> None:
    given = curate.read_input(
        "别的文字", "文章.TXT", TEXT.encode("gbk"), "xinjie-test", "xinjie", True
    )
    assert given == curate.Given(TEXT, "gb18030", "xinjie-test", "xinjie", "文章.TXT")


def test_binary_and_undecodable_uploads_are_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert curate.read_input("", "scan.txt", png, None, None, True) == curate.Refusal(
        "curate.refused.binary"
    )
    latin = "Größe und Maß".encode("latin-1") * 3
    assert curate.read_input("", "notes.txt", latin, None, None, True) == curate.Refusal(
        "curate.refused.encoding"
    )


def test_other_files_and_bad_source_ids_are_refused_with_safe_values() -> None:
    refused = curate.read_input("", "<b>报告</b>.pdf", b"%PDF-1.7", None, None, True)
    assert refused == curate.Refusal(
        "curate.refused.not_txt", {"name": "\\<b\\>报告\\<\\/b\\>\\.pdf"}
    )
    refused = curate.read_input(TEXT, None, None, "Xin Jie!", None, True)
    assert refused == curate.Refusal("curate.refused.source_id", {"value": "Xin Jie\\!"})


def test_keys_change_with_the_article_its_hints_and_the_data(seed: Dataset) -> None:
    given = curate.Given(TEXT, "utf-8", None, None, None)
    keys = curate.Keys.of(given, seed)
    assert keys.rows.startswith("curate-rows-") and keys.derived.startswith("curate-derived-")
    assert curate.Keys.of(given, seed) == keys
    for other in (
        curate.Given(TEXT + "。", "utf-8", None, None, None),
        curate.Given(TEXT, "utf-8", "xinjie-test", None, None),
        curate.Given(TEXT, "utf-8", None, "xinjie", None),
    ):
        assert curate.Keys.of(other, seed).rows != keys.rows


# --- edits -----------------------------------------------------------------------------


def test_edits_are_applied_to_editable_cells_only() -> None:
    frame = pd.DataFrame(
        {"n": [1, 2], "action": ["accept", "accept"], "value": [3.0, 9.0], "quote": ["甲", "乙"]}
    )
    state = _state(
        {
            0: {"action": "drop", "value": None, "n": 7},  # n is not editable
            1: {"value": 12, "quote": "  "},  # a blank cell is missing
            5: {"action": "drop"},  # no such row
        }
    )
    edited = curate.apply_edits(frame, state, ["action", "value", "quote"])
    assert edited["n"].tolist() == [1, 2]
    assert edited["action"].tolist() == ["drop", "accept"]
    assert math.isnan(edited.loc[0, "value"]) and edited.loc[1, "value"] == 12.0
    assert edited.loc[0, "quote"] == "甲" and pd.isna(edited.loc[1, "quote"])
    assert frame["action"].tolist() == ["accept", "accept"]  # the given frame is kept
    assert curate.apply_edits(frame, None, ["action"]) is frame


def test_the_made_up_article_is_drafted_row_by_row(draft: Draft) -> None:
    rows = draft.rows
    assert rows["mention"].tolist() == ["16个", "300余人次", "120个", "98个"]
    assert rows["value"].tolist() == [16.0, 300.0, 120.0, 98.0]
    assert rows["qualifier"].tolist() == ["exact", "more_than", "exact", "exact"]
    assert rows["unit"].tolist() == ["item", "person_time", "item", "item"]
    assert [TEXT[s:e] for s, e in zip(rows["start"], rows["end"], strict=True)] == rows[
        "mention"
    ].tolist()
    assert draft.practices["name_zh"].tolist() == ["“红色议事会”工作法"]


# The edits a curator makes to the made-up article: every region and indicator chosen
# (so that the test does not depend on what the draft guesses), the last number dropped
# (solved problems: the seed has no indicator for them), the practice described.
EDITS = {
    0: {"region": "xinjie", "indicator": "grid_cells"},
    1: {"region": "xinjie", "indicator": "trainees"},
    2: {"region": "xinjie", "indicator": "problems_reported"},
    3: {"action": "drop"},
}
PRACTICE = {
    0: {
        "name_en": "Red council meetings",
        "summary_zh": "党委牵头召开议事会，商议村里的事。",
        "summary_en": "The party committee convenes councils to settle village matters.",
        "themes": ["public_participation", "village_self_governance"],
    }
}


def test_the_edited_draft_passes_the_check(seed: Dataset, draft: Draft) -> None:
    keys = curate.Keys.of(curate.Given(TEXT, "utf-8", None, None, None), seed)
    before = curate.check(SEED_DATA, curate.edited_draft(draft, {}, keys))
    assert not before.ok
    practice = draft.practices.loc[0, "id"]
    assert "missing required field 'name_en'" in " ".join(before.by_entry[("practices", practice)])
    state = {keys.rows: _state(EDITS), keys.practices: _state(PRACTICE)}
    edited = curate.edited_draft(draft, state, keys)
    assert edited.rows["action"].tolist() == ["accept", "accept", "accept", "drop"]
    assert edited.practices.loc[0, "themes"] == "public_participation; village_self_governance"
    checked = curate.check(SEED_DATA, edited)
    assert checked.ok, checked.lines
    assert checked.blocking == 0
    text = checked.rendered.text
    assert 'indicator: "grid_cells"' in text and "98" not in text.split("observations:")[1]
    assert 'themes: ["public_participation", "village_self_governance"]' in text
    assert "indicators:" not in text  # the new indicator of the dropped row is not written
    assert draft.rows["action"].tolist() == ["accept"] * 4  # the cached draft is kept


def test_problems_stand_beside_their_rows(seed: Dataset, draft: Draft) -> None:
    keys = curate.Keys.of(curate.Given(TEXT, "utf-8", None, None, None), seed)
    # Row 2 moved to an indicator counted in another unit: the check says so on row 2.
    state = {keys.rows: _state({**EDITS, 1: {"indicator": "grid_cells"}})}
    checked = curate.check(SEED_DATA, curate.edited_draft(draft, state, keys))
    editor = curate.row_editor(draft.rows, checked.by_entry)
    assert editor.columns.tolist()[:4] == ["n", "mention", "action", "problems"]
    assert editor["problems"].dtype == object or str(editor["problems"].dtype) == "str"
    flagged = editor.loc[editor["problems"] != "", "n"].tolist()
    assert 2 in flagged
    assert editor.loc[0, "problems"] == ""
    # Every problem of the draft is listed as file:line: message (hint).
    assert any(line.startswith("indicators/xinjie-2024.yaml:") for line in checked.lines)


def test_a_derived_measure_can_be_switched_off(seed: Dataset) -> None:
    text = TEXT + "2023年新街镇新建重点项目4个，完成投资2000万元。\n"
    draft = draft_article(text, seed)
    keys = curate.Keys.of(curate.Given(text, "utf-8", None, None, None), seed)
    derived = curate.derived_of(draft.rows, {}, keys.derived)
    assert derived["measure_id"].tolist() == ["investment_per_project"]
    assert derived["applies"].tolist() == [True]
    key = derived.loc[0, "key"]
    assert key == keys.derived + "investment_per_project-xinjie-2023"
    off = curate.edited_draft(draft, {key: False}, keys)
    assert off.derived["applies"].tolist() == [False]
    assert "no_derived" in curate.check(SEED_DATA, off).rendered.text
    label = curate.derived_label(derived.iloc[0], curate.region_labels(draft, seed, "zh"), "zh")
    assert label.startswith("项目平均投资（新街镇、2023）：由 \\#")


# --- what the page shows ---------------------------------------------------------------


def test_the_article_is_marked_by_action_and_stays_inert() -> None:
    text = "<b>共</b>16个网格$x$，:red[300人]\n  下一行"
    rows = pd.DataFrame(
        {"n": [1, 2], "start": [8, 22], "end": [11, 26], "action": ["accept", "set_aside"]}
    )
    assert text[8:11] == "16个" and text[22:26] == "300人"
    assert curate.marked_article(text, rows) == (
        "\\<b\\>共\\<\\/b\\>:orange-background[**16个**]\u2009:orange[\\[1\\]]网格\\$x\\$，\\:red\\["
        ":blue-background[**300人**]\u2009:blue[\\[2\\]]\\]  \n\u00a0\u00a0下一行"
    )


def test_the_source_entry_and_counts(draft: Draft) -> None:
    source = curate.source_table(draft).set_index("field")
    assert source.loc["title", "content"] == "新街镇“红色议事会”工作法激活乡村治理"
    assert source.loc["publisher", "content"] == "测试示例网"
    assert source.loc["date", "content"] == "2024-03-05"
    assert curate.counts(draft.rows) == {"accept": 4, "set_aside": 0, "drop": 0}
    titled = curate.titled(curate.source_table(draft), "en")
    assert titled.columns.tolist() == ["Field", "Value", "Why"]


def test_columns_offer_known_and_new_ids(seed: Dataset, draft: Draft) -> None:
    columns = {c.name: c for c in curate.row_columns(draft, seed, "zh")}
    assert columns["action"].options == ("accept", "set_aside", "drop")
    assert columns["action"].label_of("set_aside") == "有意不收录"
    assert columns["region"].label_of("xinjie") == "新街镇 · xinjie"
    new = draft.indicators.loc[0, "id"]
    assert columns["indicator"].options[0] == new
    assert columns["indicator"].label_of(new).endswith("（新） · " + new)
    assert {"why_region", "why_indicator", "problems", "n", "mention"} <= {
        name for name, c in columns.items() if not c.editable
    }
    assert [c.name for c in curate.practice_columns(draft, seed, "en") if c.editable] == [
        "action", "name_zh", "name_en", "summary_zh", "summary_en", "themes", "quote",
    ]  # fmt: skip


def test_the_zip_holds_the_file_and_the_archive(
    seed: Dataset, draft: Draft, tmp_path: Path
) -> None:
    checked = curate.check(SEED_DATA, draft)
    with zipfile.ZipFile(io.BytesIO(curate.zip_bytes(draft, checked.rendered))) as archive:
        names = sorted(archive.namelist())
        assert archive.read(f"sources/{draft.archive}").decode("utf-8") == TEXT
    assert names == sorted([draft.file_name, f"sources/{draft.archive}"])
    assert curate.zip_name(draft) == "draft-xinjie-2024.zip"
