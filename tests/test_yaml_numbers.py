"""Every number YAML can write, in every field that holds one: the number, or a problem
with its line, never a traceback.

YAML 1.1 reads many spellings as numbers (0x10, 017, 1_000, 1:20 = 80, 1.0e+400 = inf)
and some numbers as something else (yes, 2020-01-01). The check takes decimal digits
(with a sign, a fraction or an exponent) as numbers and keeps every other spelling as
the text it is: a field that needs a number refuses it, a text field keeps it as written.
Each case changes one field of a copy of tests/fixtures/minimal and compares the
problems as ``(line, code)`` pairs, or reads the accepted value back from the tables.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest
from conftest import Case, codes
from support.commands import run_command

from metrics.model.dataset import Dataset
from metrics.model.schema import MAX_EXACT, TABLES

# The spellings, by name; the test ids show the name.
SPELLINGS = {
    "300 digits": "9" * 300,  # the reported case: a traceback before
    "310 digits": "9" * 310,  # past float range: int -> float overflowed
    "5000 digits": "9" * 5000,  # past Python's 4300-digit limit for int(text)
    "1e400": "1e400",
    "1.0e+400": "1.0e+400",
    "-1e400": "-1e400",
    "1e-400": "1e-400",
    "-0": "-0",
    "-0.0": "-0.0",
    ".inf": ".inf",
    "-.inf": "-.inf",
    ".nan": ".nan",
    "0x10": "0x10",
    "0o17": "0o17",
    "017": "017",
    "1_000": "1_000",
    "1:20": "1:20",
    "0b101": "0b101",
    "+12": "+12",
    "-5": "-5",
    "12.5": "12.5",
    ".5": ".5",
    "8e1": "8e1",
    "1.2e2": "1.2e2",
    "long float": "1." + "1" * 5000,
    "2020-01-01": "2020-01-01",
    "yes": "yes",
    "true": "true",
    "null": "~",
    '"100"': '"100"',
    "'1e400'": "'1e400'",
    "2019": "2019",
    "2**53": str(MAX_EXACT),
    "2**53+1": str(MAX_EXACT + 1),
}


@dataclass(frozen=True)
class Accepted:
    """The spelling is read as this value (compared exactly, sign of zero included)."""

    value: object


@dataclass(frozen=True)
class Elsewhere:
    """The problem is reported at the line that holds ``needle``, not the field's."""

    needle: str
    code: str


Expected = Accepted | Elsewhere | str


@dataclass(frozen=True)
class Field:
    """Where a field is written in the minimal fixture, and how to read it back."""

    key: str
    # The fixture text the field is written after (or replaces), and the new text.
    old: str
    new: str
    # The accepted value in the tables.
    read: Callable[[Dataset], object]
    # Spelling name -> Accepted, or the problem code at the field's line (or elsewhere).
    expected: dict[str, Expected]


def _observation(dataset: Dataset, column: str) -> object:
    rows = dataset.observations
    return rows.loc[rows["indicator_id"] == "projects", column].item()


def _region(dataset: Dataset, column: str) -> object:
    rows = dataset.regions
    return rows.loc[rows["region_id"] == "town-a", column].item()


def _source(dataset: Dataset, column: str) -> object:
    return dataset.sources[column].item()


_TOO_LARGE = {"300 digits", "310 digits", "5000 digits", "1e400", "1.0e+400", "-1e400"}
_YAML_ODDITIES = {"0x10", "0o17", "017", "1_000", "1:20", "0b101"}
_NOT_FINITE = {".inf", "-.inf", ".nan"}
_NOT_NUMBERS = _YAML_ODDITIES | {"2020-01-01", "yes", "true", "null", '"100"'}


def _numeric(too_large: str, overrides: dict[str, Expected]) -> dict[str, Expected]:
    """What a field that holds a number makes of each spelling."""
    expected: dict[str, Expected] = {name: too_large for name in _TOO_LARGE}
    expected |= {name: "not_finite" for name in _NOT_FINITE}
    expected |= {name: "not_a_number" for name in _NOT_NUMBERS}
    expected |= {"1e-400": "number_too_small", "'1e400'": too_large}
    expected |= {
        "-0": Accepted(0),
        "-0.0": Accepted(0.0),
        "+12": Accepted(12),
        "12.5": Accepted(12.5),
        ".5": Accepted(0.5),
        "8e1": Accepted(80.0),
        "long float": Accepted(float("1." + "1" * 5000)),
        "2019": Accepted(2019),
    }
    return expected | overrides


def _dates(overrides: dict[str, Expected]) -> dict[str, Expected]:
    """What a date or period makes of each spelling: a year, or bad_date."""
    expected: dict[str, Expected] = {name: "bad_date" for name in SPELLINGS}
    expected |= {"2019": Accepted("2019"), "2020-01-01": Accepted("2020-01-01")}
    return expected | overrides


_PAGE_AS_WRITTEN = (
    {"300 digits", "310 digits", "5000 digits", "1e400", "1.0e+400", "-1e400", "1e-400"}
    | _YAML_ODDITIES
    | {"2020-01-01", "2019", "2**53", "2**53+1"}
)

# lat: ~ leaves one coordinate, which the entry as a whole is blamed for.
_COORDINATE: dict[str, Expected] = {
    "null": Elsewhere("  - id: town-a", "half_location"),
    "2019": "out_of_range",
    "2**53": "out_of_range",
    "2**53+1": "out_of_range",
}

FIELDS = {
    "value": Field(
        "value",
        "    value: 5\n",
        "    value: {}\n",
        lambda dataset: _observation(dataset, "value"),
        _numeric(
            "number_too_large",
            {
                "-5": "negative_value",
                "1.2e2": Accepted(120.0),
                "2**53": Accepted(MAX_EXACT),
                "2**53+1": "number_too_large",
            },
        ),
    ),
    "lat": Field(
        "lat",
        "    parent: county-a\n",
        "    parent: county-a\n    lat: {}\n    lon: 100\n",
        lambda dataset: _region(dataset, "lat"),
        _numeric("out_of_range", {"-5": Accepted(-5), "1.2e2": "out_of_range", **_COORDINATE}),
    ),
    "lon": Field(
        "lon",
        "    parent: county-a\n",
        "    parent: county-a\n    lat: 30\n    lon: {}\n",
        lambda dataset: _region(dataset, "lon"),
        _numeric("out_of_range", {"-5": Accepted(-5), "1.2e2": Accepted(120.0), **_COORDINATE}),
    ),
    # A page is text: whole numbers as their digits, every other spelling as written,
    # and what YAML reads as a decimal, infinity, true or false is refused.
    "page": Field(
        "page",
        "    date: 2020-04-13\n",
        "    date: 2020-04-13\n    page: {}\n",
        lambda dataset: _source(dataset, "page"),
        {name: "wrong_type" for name in SPELLINGS}
        | {name: Accepted(SPELLINGS[name]) for name in _PAGE_AS_WRITTEN}
        | {
            "-0": Accepted("0"),
            "+12": Accepted("12"),
            "-5": Accepted("-5"),
            '"100"': Accepted("100"),
            "'1e400'": Accepted("1e400"),
            "null": Accepted(None),
        },
    ),
    "date": Field(
        "date",
        "    date: 2020-04-13\n",
        "    date: {}\n",
        lambda dataset: _source(dataset, "date"),
        _dates({"null": "wrong_type"}),
    ),
    "period": Field(
        "period",
        "    period: 2019\n",
        "    period: {}\n",
        lambda dataset: _observation(dataset, "period"),
        _dates({"null": Accepted(None)}),
    ),
}

CASES = [(field, name) for field in FIELDS for name in SPELLINGS]


def _write(case: Case, field: Field, written: str) -> int:
    """Write the spelling into the field; the line it is on."""
    case.replace(field.old, field.new.format(written))
    return case.line(f"    {field.key}: {written}")


def _quote_carries(case: Case, value: object) -> None:
    """Let the observation's quote, and the article, read ``value``."""
    number = float(value)  # type: ignore[arg-type]
    digits = str(int(number)) if number.is_integer() else f"{number:.12g}"
    quote = f"今年新建项目{digits}个"
    case.replace("    quote: 2019年全镇新建重点项目5个\n", f"    quote: {quote}\n")
    article = case.folder / "sources" / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + quote + "。\n", encoding="utf-8")


@pytest.mark.parametrize(("field_name", "spelling"), CASES, ids=[f"{f}={s}" for f, s in CASES])
def test_every_spelling_in_every_number_field(case: Case, field_name: str, spelling: str) -> None:
    field = FIELDS[field_name]
    expected = field.expected[spelling]
    line = _write(case, field, SPELLINGS[spelling])
    if isinstance(expected, Accepted) and field_name == "value":
        _quote_carries(case, expected.value)
    dataset = case.load()
    for problem in dataset.problems:
        assert len(problem.render()) < 400, "a message never carries thousands of digits"
    if isinstance(expected, Elsewhere):
        assert codes(dataset) == [(case.line(expected.needle), expected.code)]
    elif isinstance(expected, str):
        assert codes(dataset) == [(line, expected)]
    else:
        assert codes(dataset) == []
        _assert_same(field.read(dataset), expected.value)


def _assert_same(got: object, expected: object) -> None:
    """Equal, with the same sign of zero; a missing value is None or NaN in a table."""
    if expected is None:
        assert got is None or pd.isna(got)
    elif isinstance(expected, int | float):
        assert isinstance(got, int | float)
        assert got == expected and math.copysign(1, got) == math.copysign(1, expected)
    else:
        assert got == expected


def test_every_field_that_holds_a_number_is_covered() -> None:
    """A new numeric field in the schema must join FIELDS (and the fuzz test) too."""

    def numeric(annotation: object) -> bool:
        if annotation in (int, float):
            return True
        return any(numeric(inner) for inner in typing.get_args(annotation))

    found = {
        name
        for model in TABLES.values()
        for name, info in model.model_fields.items()
        if numeric(info.annotation)
    }
    assert found <= set(FIELDS), f"not covered: {sorted(found - set(FIELDS))}"


def test_the_reported_value_names_its_line_and_the_limit(case: Case) -> None:
    case.replace("    value: 120\n", "    value: " + "9" * 300 + "\n")
    dataset = case.load()
    assert codes(dataset) == [(case.line("value: 999"), "number_too_large")]
    rendered = dataset.problems[0].render()
    assert "(300 characters)" in rendered and "9,007,199,254,740,992" in rendered


def test_a_yaml_oddity_says_what_yaml_makes_of_it(case: Case) -> None:
    case.replace("    value: 120\n", "    value: 1:20\n")
    (problem,) = case.load().problems
    assert "'1:20'" in problem.message and "base 60" in problem.message


def test_a_quote_with_hundreds_of_digits_is_no_number(case: Case) -> None:
    case.replace("    quote: 累计收集问题120个\n", "    quote: 累计收集问题" + "9" * 5000 + "个\n")
    article = case.folder / "sources" / "article.txt"
    added = "累计收集问题" + "9" * 5000 + "个"
    article.write_text(article.read_text(encoding="utf-8") + added, encoding="utf-8")
    assert codes(case.load()) == [(case.line("quote: 累计收集问题999"), "quote_no_number")]


def test_a_quote_number_past_float_range_does_not_match(case: Case) -> None:
    digits = "9" * 50  # read as a number (under 60 characters), far past any float
    case.replace("    quote: 累计收集问题120个\n", f"    quote: 累计收集问题{digits}个\n")
    article = case.folder / "sources" / "article.txt"
    added = f"累计收集问题{digits}个"
    article.write_text(article.read_text(encoding="utf-8") + added, encoding="utf-8")
    dataset = case.load()
    assert codes(dataset) == [(case.line("value: 120"), "quote_value_mismatch")]
    assert "1.00000e+50" in dataset.problems[0].render()


@pytest.mark.parametrize("digits", [300, 5000])
def test_the_command_exits_1_with_located_lines(case: Case, digits: int) -> None:
    case.replace("    value: 120\n", "    value: " + "9" * digits + "\n")
    # The installed command's entry point, in a process of its own.
    result = run_command("check", str(case.path), entry="reports.cli", cwd=case.folder)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    located = [line for line in result.stderr.splitlines() if "indicators.yaml:" in line]
    assert located and all(
        f"indicators.yaml:{case.line('value: 999')}: " in line for line in located
    ), result.stderr
