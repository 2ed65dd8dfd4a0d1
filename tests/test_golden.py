"""What a curator sees for a file full of mistakes: every problem, once, in line order.

The expected output is kept in tests/fixtures/broken/expected.txt so that a change to
any message shows up in review as a change to that file.
"""

from __future__ import annotations

from conftest import FIXTURES

from metrics.tools.cli import main

BROKEN = FIXTURES / "broken"


def test_every_mistake_is_reported_at_once_with_its_line(capsys) -> None:
    assert main(["check", str(BROKEN / "indicators.yaml")]) == 1
    err = capsys.readouterr().err
    expected = (BROKEN / "expected.txt").read_text(encoding="utf-8")
    file = err.split(":", 1)[0]
    assert err == expected.replace("{file}", file)


def test_golden_output_covers_most_problem_codes() -> None:
    from metrics.pipeline.load import load_dataset

    found = {problem.code for problem in load_dataset(BROKEN / "indicators.yaml").problems}
    assert len(found) >= 20
