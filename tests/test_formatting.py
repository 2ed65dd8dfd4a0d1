"""Numbers as readers see them: 万/亿 for Chinese, separators for English, qualifier marks."""

from __future__ import annotations

import pytest

from metrics.model.vocab import Label
from present.quantities import display_number, display_quantity, unit_label


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "zh", "en"),
    [
        (80_000_000, "more_than", "yuan", "8,000余万元", "80,000,000+ yuan"),
        (2000, "more_than", "person_time", "2,000余人次", "2,000+ person-times"),
        (50_000, "at_least", "yuan", "5万元以上", "at least 50,000 yuan"),
        (10, "about", "household", "10户左右", "about 10 households"),
        (100, "nearly", "item", "近100个", "nearly 100 items"),
        (4236, "exact", "item", "4,236个", "4,236 items"),
        (19_000, "about", "household", "1.9万户左右", "about 19,000 households"),
        (12_345, "exact", "item", "12,345个", "12,345 items"),  # 1.2345万 would be harder to read
        (250_000_000, "exact", "yuan", "2.5亿元", "250,000,000 yuan"),
        (75.873465, "exact", "percent", "75.87%", "75.87%"),
    ],
)
def test_display_quantity(value: float, qualifier: str, unit: str, zh: str, en: str) -> None:
    assert display_quantity(value, qualifier, unit, "zh") == zh
    assert display_quantity(value, qualifier, unit, "en") == en


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0, "0", "0"),
        (9999, "9,999", "9,999"),
        (1_600_0000, "1,600万", "16,000,000"),
        (3.5, "3.5", "3.5"),
    ],
)
def test_display_number(value: float, zh: str, en: str) -> None:
    assert display_number(value, "zh") == zh
    assert display_number(value, "en") == en


def test_unit_label() -> None:
    assert [unit_label("yuan", lang) for lang in ("zh", "en")] == ["元", "yuan"]
    assert unit_label(Label("村", "village"), "en") == "village"
    assert unit_label("not_a_unit", "zh") == "not_a_unit"  # shown as it is
