"""The briefs' charts: drawn as PNG on the server, labels and titles kept inside."""

from __future__ import annotations

import io

from PIL import Image

from present.brief import Bars, Line, Series
from reports.figures import DPI, WIDTH_INCHES, _short, _text_inches, _wrapped, chart_png


def test_a_long_title_wraps_between_words_and_inside_chinese() -> None:
    assert _wrapped(
        "Villages lifted out of zero collective income (集体经济收入“清零”村)", 4.5, 10
    ) == [
        "Villages lifted out of zero collective income",
        "(集体经济收入“清零”村)",
    ]
    lines = _wrapped("集体经济收入“清零”村" * 4, 4.5, 10)
    assert "".join(lines) == "集体经济收入“清零”村" * 4
    assert all(_text_inches(line, 10) <= 4.5 for line in lines) and len(lines) == 2


def test_a_cut_label_keeps_the_period_that_tells_bars_apart() -> None:
    assert _short("Synthetic township t00466 (丰长镇) · 2020") == "Synthetic township t00… · 2020"
    assert _short("新街镇 · 2019") == "新街镇 · 2019"
    assert _short("x" * 40) == "x" * 29 + "…"


def _size(png: bytes) -> tuple[int, int, str]:
    image = Image.open(io.BytesIO(png))
    return (*image.size, image.mode)


def test_charts_are_rgb_images_the_width_of_the_text() -> None:
    bars = Bars(
        "项目数", ("科左中旗", "新街镇"), (304.0, 5.0), ("304个", "5个"), (False, True),
        (True, False), "确数", "约数",
    )  # fmt: skip
    line = Line("项目数", ("2019", "2020", "2021"), (5.0, None, 10.0), ("5个", "", "10余个"),
                (False, False, True))  # fmt: skip
    series = Series("项目数", "个", (line,), "空心点为约数")
    for chart in (bars, series):
        width, height, mode = _size(chart_png(chart))
        assert width == round(WIDTH_INCHES * DPI) and height > 200 and mode == "RGB"
    assert chart_png(bars) is chart_png(bars)  # drawn once for both files of a brief
