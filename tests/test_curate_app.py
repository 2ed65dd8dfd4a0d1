"""The workbench page (Curate an article) under Streamlit's AppTest, on the seed fixture.

The article pasted is the seed's own Xinjie article (bundled with the fixture); a
made-up one (tests/fixtures/curate/) is uploaded in GBK. The editors' edits are given
as Streamlit keeps them, in the session state under each editor's key.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator

import pytest
from conftest import FIXTURES, PROJECT, SEED, SEED_DATA, streamlit_caches_cleared
from streamlit.testing.v1 import AppTest

from dashboard import drafting as worker
from dashboard.cache import DATA_ENV
from dashboard.settings import WORKBENCH_ENV
from metrics.tools.draft import DraftStopped
from present.i18n import text

TIMEOUT = 60
XINJIE = (SEED / "sources" / "003_2e6890469b97fbf0.txt").read_text(encoding="utf-8")
MADE_UP = (FIXTURES / "curate" / "made_up_article.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def seed_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(SEED_DATA))
    monkeypatch.delenv(WORKBENCH_ENV, raising=False)


@pytest.fixture(autouse=True)
def clear_caches() -> Iterator[None]:
    yield from streamlit_caches_cleared()


def workbench(lang: str = "zh") -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT)
    app.session_state["lang"] = lang
    app.switch_page("app_pages/curate.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def submit(app: AppTest) -> AppTest:
    app.button[0].click().run()  # the form's one button: 起草
    assert not app.exception, [e.value for e in app.exception]
    return app


def paste(app: AppTest, article: str, source_id: str = "") -> AppTest:
    app.text_area(key="curate-text").input(article)
    app.text_input(key="curate-source").input(source_id)
    return submit(app)


def edit(app: AppTest, editor: int, edits: dict[int, dict[str, object]]) -> AppTest:
    """Cell edits on the ``editor``-th table of the page, as the browser sends them."""
    key = app.data_editor[editor].key
    app.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return app


def messages(app: AppTest) -> str:
    return "\n".join(str(block.value) for block in app.code[:-1])  # the last is the YAML


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_asks_for_an_article(lang: str) -> None:
    app = workbench(lang)
    assert app.title[0].value == text("page.curate", lang)
    assert [i.value for i in app.info] == [text("curate.start", lang)]
    assert not app.error and not app.data_editor


def test_a_pasted_article_is_marked_drafted_and_checked() -> None:
    app = paste(workbench(), XINJIE, "xinjie-draft")
    rows = app.data_editor[0].value
    assert rows["mention"].tolist() == ["3个", "9个", "9个", "5个", "8000余万元"]
    assert rows["action"].tolist() == ["accept"] * 5
    marked = " ".join(m.value for m in app.markdown)
    assert ":orange-background[**8000余万元**]\u2009:orange[\\[5\\]]" in marked
    # The seed's own article checked with the seed: its numbers are curated already.
    assert "observation repeats region 'xinjie'" in messages(app)
    assert app.error[0].value.startswith("还有")
    assert app.code[-1].value.startswith("# yaml-language-server")
    assert 'id: "xinjie-draft"' in app.code[-1].value


def test_edits_are_checked_on_the_next_rerun_in_a_tenth_of_a_second() -> None:
    app = paste(workbench(), XINJIE)
    assert len(app.data_editor) == 2  # numbers, practices
    # Everything dropped: no observation is written; the practice needs its texts.
    edit(app, 0, {n: {"action": "drop"} for n in range(5)})
    edit(
        app,
        1,
        {
            0: {
                "name_en": "The 3+3 model",
                "summary_zh": "三项强化激发三种功能。",
                "summary_en": "Three efforts bring out three functions.",
            }
        },
    )
    started = time.perf_counter()
    app.run()
    rerun = time.perf_counter() - started
    assert not app.exception
    assert app.success[0].value == text("curate.ok", "zh")
    assert "observations:" not in app.code[-1].value
    assert 'name_en: "The 3+3 model"' in app.code[-1].value
    marked = " ".join(m.value for m in app.markdown)
    assert ":gray-background[**8000余万元**]" in marked
    assert any(c.value == "收录 0 条，有意不收录 0 条，删除 5 条。" for c in app.caption)
    # The whole page, draft check included, on a 2-core machine shared with other tests.
    assert rerun < 3, rerun


def test_set_aside_needs_a_reason_and_the_problem_stands_on_its_row() -> None:
    app = paste(workbench(), XINJIE)
    edit(app, 0, {0: {"action": "set_aside"}})
    app.run()
    rows = app.data_editor[0].value
    assert "reason" in rows.loc[0, "problems"]
    assert not rows.loc[1:, "problems"].str.contains("reason").any()
    edit(app, 0, {0: {"action": "set_aside", "reason": "示范带的村数，不是工作量。"}})
    app.run()
    assert "reason" not in app.data_editor[0].value.loc[0, "problems"]
    assert 'reason: "示范带的村数，不是工作量。"' in app.code[-1].value


def test_unticking_a_derived_measure_writes_no_derived() -> None:
    app = paste(workbench(), XINJIE)
    boxes = [box for box in app.checkbox if box.key.startswith("curate-derived-")]
    assert [box.label for box in boxes] == ["项目平均投资（新街镇、2019）：由 \\#5\\, \\#4 计算"]
    boxes[0].uncheck().run()
    assert 'no_derived: ["investment_per_project"]' in app.code[-1].value


def test_a_gbk_upload_is_read() -> None:
    app = workbench("en")
    app.file_uploader[0].upload("article.txt", MADE_UP.encode("gbk"), "text/plain")
    submit(app)
    captions = " ".join(c.value for c in app.caption)
    assert "gb18030" in captions
    assert app.data_editor[0].value["mention"].tolist() == ["16个", "300余人次", "120个", "98个"]


@pytest.mark.parametrize(
    ("name", "raw", "key"),
    [
        ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "curate.refused.binary"),
        ("report.pdf", b"%PDF-1.7", "curate.refused.not_txt"),
        ("latin.txt", "Größe und Maß".encode("latin-1"), "curate.refused.encoding"),
        ("big.txt", b"a" * 1_000_001, "curate.refused.too_big"),
    ],
)
def test_an_upload_that_is_no_article_says_why(name: str, raw: bytes, key: str) -> None:
    app = workbench()
    app.file_uploader[0].upload(name, raw, "application/octet-stream")
    submit(app)
    assert len(app.error) == 1
    expected = text(key, "zh", name=name.replace(".", "\\."), size="1,000,001", limit="1,000,000")
    assert app.error[0].value == expected
    assert not app.data_editor


def test_an_empty_paste_and_a_two_megabyte_paste_say_why() -> None:
    app = submit(workbench())
    assert [e.value for e in app.error] == [text("curate.refused.empty", "zh")]
    app = paste(workbench(), "新" * 700_000)
    assert [e.value for e in app.error] == [
        text("curate.refused.too_big", "zh", size="2,100,000", limit="1,000,000")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_draft_past_its_deadline_is_stopped_with_a_message(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The deadline itself is tested in test_draft.py; drafting runs in the workbench's
    # worker process, so here the worker's answer is what a draft past it sends back.
    def stopped(*args: object) -> None:
        raise pickle.loads(pickle.dumps(DraftStopped(0.0)))

    monkeypatch.setattr(worker, "draft_in_worker", stopped)
    app = paste(workbench(lang), XINJIE)
    assert [e.value for e in app.error] == [text("curate.stopped", lang, seconds="0")]
    assert not app.data_editor


def test_the_page_is_gone_when_the_deployment_switches_it_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(WORKBENCH_ENV, "off")
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    # Not in the navigation: AppTest knows only the pages st.navigation registered.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/curate.py")
    # Its URL (a first visit to /curate) shows the default page, nothing of the workbench.
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT)
    app.switch_page("app_pages/curate.py").run()
    assert not app.exception
    assert text("page.curate", "zh") not in [t.value for t in app.title]
    assert not app.text_area and not app.file_uploader
    # The page script itself, run on its own, shows nothing either.
    alone = AppTest.from_file(str(PROJECT / "app_pages" / "curate.py"), default_timeout=TIMEOUT)
    alone.run()
    assert not alone.exception and not alone.title and not alone.text_area
