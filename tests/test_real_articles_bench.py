"""The scoring of bench/real_articles.py: a made-up key against a made-up draft.

The article, its key and its draft are written here (places that do not exist); the
draft's rows are placed by hand so that each field is right or wrong on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from support.real_articles import Key, not_curated_match, pair, read_key, score

from metrics.tools.draft import (
    DERIVED_COLUMNS,
    INDICATOR_COLUMNS,
    PRACTICE_COLUMNS,
    REGION_COLUMNS,
    ROW_COLUMNS,
    Draft,
)

TEXT = (
    "云溪镇推进网格治理\n"
    "  云溪镇划分网格12个，配备网格员36名，网格长36名。"
    "今年以来全镇共收集群众诉求60余件，答复率达96%以上。\n"
    "  其中青石村收集诉求20件。群众诉求3个工作日内答复。全镇开展培训12场次，一次不落。\n"
)

KEY = """\
url: https://example.org/yunxi.html
province: 某省
main_region: {name: 云溪镇, level: township, parents: [某省, 山县]}
numbers:
  - {value: 12, qualifier: exact, unit: item, region: 云溪镇, indicator: grid_cells,
     quote: 划分网格12个}
  - {value: 36, qualifier: exact, unit: person, region: 云溪镇, indicator: grid_workers,
     quote: 配备网格员36名}
  - {value: 60, qualifier: more_than, unit: item, region: 云溪镇,
     indicator: problems_reported, quote: 收集群众诉求60余件}
  - {value: 96, qualifier: at_least, unit: percent, region: 云溪镇,
     indicator: 'new: 诉求答复率', quote: 答复率达96%以上}
  - {value: 20, qualifier: exact, unit: item, region: 青石村, indicator: problems_reported,
     quote: 青石村收集诉求20件}
  - {value: 12, qualifier: exact, unit: session, region: 云溪镇, indicator: 'new: 培训场次',
     quote: 开展培训12场次}
not_curated:
  - {value: 3个工作日, reason: a deadline}
  - {value: 网格长36名 (second), reason: not asked}
"""

REGION_NAMES = {"yunxi": "云溪镇"}  # the data's regions
INDICATOR_IDS = {"grid_cells", "grid_workers", "problems_reported", "hotline_completion_rate"}


def _row(mention: str, quote: str, value: float, unit: str | None, qualifier: str,
         region: str, indicator: str | None, action: str = "accept",
         occurrence: int = 1) -> dict[str, object]:  # fmt: skip
    """A drafted row of ``mention`` (its n-th occurrence in the text) quoted as ``quote``."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(mention, start + 1)
    assert quote in TEXT and TEXT.index(quote) <= start
    return {
        "mention": mention, "action": action, "region": region, "indicator": indicator,
        "value": value, "unit": unit, "qualifier": qualifier, "quote": quote,
        "start": start, "end": start + len(mention),
    }  # fmt: skip


ROWS = [
    _row("12个", "云溪镇划分网格12个", 12, "item", "exact", "yunxi", "grid_cells"),
    # The second 36 comes first, its quote overlapping the first's key quote: the row whose
    # number stands inside the key's quote must win all the same.
    _row("36名", "配备网格员36名，网格长36名", 36, "person", "exact", "yunxi", "new_wangge",
         occurrence=2),
    _row("36名", "配备网格员36名", 36, "person", "exact", "yunxi", "new_wangge"),
    # Read without 余: the qualifier is wrong and the quote does not hold 60余件.
    _row("60", "全镇共收集群众诉求60", 60, "item", "exact", "yunxi", "problems_reported"),
    _row("96%以上", "答复率达96%以上", 96, "percent", "at_least", "yunxi",
         "hotline_completion_rate"),
    _row("20件", "其中青石村收集诉求20件", 20, "item", "exact", "qingshi", "problems_reported"),
    _row("3个", "群众诉求3个工作日内答复", 3, "item", "exact", "yunxi", "new_dafu"),
    _row("12场次", "全镇开展培训12场次", 12, "session", "exact", "shiqiao", "new_peixun"),
    _row("一次", "一次不落", 1, None, "exact", "yunxi", None, action="set_aside"),
]  # fmt: skip


def _draft(rows: list[dict[str, object]]) -> Draft:
    frame = pd.DataFrame(rows)
    frame.insert(0, "n", range(1, len(rows) + 1))
    regions = [
        {"id": "qingshi", "name_zh": "青石村", "level": "village", "parent": "yunxi"},
        {"id": "shiqiao", "name_zh": "石桥村", "level": "village", "parent": "yunxi"},
        {"id": "shan", "name_zh": "山县", "level": "county", "parent": None},
    ]
    return Draft(
        text=TEXT,
        archive="000_made_up.txt",
        source={"id": "made-up"},
        source_why={},
        regions=pd.DataFrame(regions, columns=REGION_COLUMNS),
        indicators=pd.DataFrame(columns=INDICATOR_COLUMNS),
        rows=frame.reindex(columns=ROW_COLUMNS),
        practices=pd.DataFrame(columns=PRACTICE_COLUMNS),
        derived=pd.DataFrame(columns=DERIVED_COLUMNS),
    )


def _key(tmp_path: Path) -> Key:
    path = tmp_path / "07.yaml"
    path.write_text(KEY, encoding="utf-8")
    return read_key(path)


def test_key_is_read_with_its_real_places_and_not_curated_numbers(tmp_path: Path) -> None:
    key = _key(tmp_path)
    assert (key.name, key.province, key.level) == ("07", "某省", "township")
    assert key.real_places == {"云溪镇", "某省", "山县", "青石村"}
    assert key.not_curated == ("3个工作日", "网格长36名")
    assert [n.is_new for n in key.numbers] == [False, False, False, True, False, True]


def test_pairing_by_overlapping_quotes_and_equal_values(tmp_path: Path) -> None:
    key = _key(tmp_path)
    rows = _draft(ROWS).rows
    # Key number -> row: the two twelves go by place, the first 36 to the row inside
    # its quote; rows 1 (the second 36), 6 (3个) and 8 (set aside) pair with nothing.
    assert pair(key.numbers, rows, TEXT) == {0: 0, 1: 2, 2: 3, 3: 4, 4: 5, 5: 7}


def test_pairing_needs_the_value_and_the_place(tmp_path: Path) -> None:
    key = _key(tmp_path)
    moved = [dict(row) for row in ROWS]
    moved[0]["value"] = 13.0  # the first twelve misread
    # The session count drafted at the place of the 20 (a 12 read there by mistake).
    moved[7].update({k: ROWS[5][k] for k in ("start", "end", "quote")})
    pairs = pair(key.numbers, _draft(moved).rows, TEXT)
    assert 0 not in pairs  # 13 is not 12
    assert 5 not in pairs  # no 12 in its place
    assert pairs[4] == 5  # and the 20 keeps its row


def test_a_wrong_unit_keeps_the_pair_and_counts_as_a_wrong_value(tmp_path: Path) -> None:
    rows = [dict(row) for row in ROWS]
    rows[0]["unit"] = None
    key = _key(tmp_path)
    assert pair(key.numbers, _draft(rows).rows, TEXT)[0] == 0
    result = score(key, _draft(rows), REGION_NAMES, INDICATOR_IDS)
    assert (result.proposed, result.value, result.all, result.false) == (6, 4, 1, 2)
    assert ("value", "12 item exact: drafted 12 (no unit) exact") in result.misses


def test_each_field_is_scored(tmp_path: Path) -> None:
    result = score(_key(tmp_path), _draft(ROWS), REGION_NAMES, INDICATOR_IDS)
    counts = {
        name: getattr(result, name)
        for name in ("numbers", "drafted", "proposed", "set_aside", "value", "quote",
                     "region", "existing", "existing_right", "new", "new_right", "all",
                     "false", "false_not_curated")
    }  # fmt: skip
    assert counts == {
        "numbers": 6,
        "drafted": 8,  # accepted rows
        "proposed": 6,
        "set_aside": 0,
        "value": 5,  # 60 exact for 60 more_than
        "quote": 5,  # 全镇共收集群众诉求60 lacks 60余件
        "region": 5,  # 石桥村 for 云溪镇; 青石村 is a new region of the draft, right by name
        "existing": 4,
        "existing_right": 3,  # a new indicator for grid_workers
        "new": 2,
        "new_right": 1,  # hotline_completion_rate where the key wants a new one
        "all": 2,  # the first 12 and the 20
        "false": 2,  # the second 36 and the 3
        "false_not_curated": 2,  # both named in not_curated
    }
    assert result.indicator == 4
    assert result.invented == ["石桥村 (village)"]  # 山县 is a parent, 青石村 a number's region
    assert ("region", "石桥村 for 云溪镇") in result.misses
    assert ("value", "60 item more_than: drafted 60 item exact") in result.misses
    assert ("indicator", "36 person exact: a new indicator for grid_workers") in result.misses
    assert (
        "indicator",
        "96 percent at_least: hotline_completion_rate for new: 诉求答复率",
    ) in result.misses


def test_a_number_set_aside_or_not_found_is_not_proposed(tmp_path: Path) -> None:
    rows = [dict(row) for row in ROWS if row["mention"] != "12个"]
    rows[1]["action"] = "set_aside"  # the first 36 (the second 36 comes first)
    result = score(_key(tmp_path), _draft(rows), REGION_NAMES, INDICATOR_IDS)
    assert (result.proposed, result.set_aside) == (4, 1)
    assert (result.value, result.region, result.all) == (3, 3, 1)
    assert ("proposed", "12 item exact: not proposed") in result.misses
    assert ("proposed", "36 person exact: set aside") in result.misses


def test_a_misread_number_is_named_where_it_stands(tmp_path: Path) -> None:
    rows = [dict(row) for row in ROWS]
    rows[0]["value"] = 1.2
    result = score(_key(tmp_path), _draft(rows), REGION_NAMES, INDICATOR_IDS)
    assert ("proposed", "12 item exact: not proposed (read there: 1.2 item exact)") in (
        result.misses
    )
    assert result.false == 3


def test_not_curated_numbers_match_whole_numbers_only() -> None:
    assert not_curated_match("15个", ("15个服务站",))
    assert not not_curated_match("5个", ("15个服务站",))
    assert not not_curated_match("1.5个", ("21.5个",))
    assert not not_curated_match("", ("3个",))
