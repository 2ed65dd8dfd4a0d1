"""The schema of ``data/indicators.yaml``: one pydantic model per table.

These models are the single description of the data format. Validation uses them,
and the editor JSON Schema and the curator field reference are generated from them,
so every field carries a description written for curators.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from metrics.model.echo import cut, forbidden_character
from metrics.model.periods import is_partial_date, is_period
from metrics.model.spelling import NUMBER_SPELLING, decimal_size
from metrics.model.vocab import UNITS, DateBound, Family, Level, Qualifier, RelationKind, Theme

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


def is_id(value: Any) -> bool:
    """Whether a value is written as an id must be (``Id``)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _id(value: Any) -> Any:
    if isinstance(value, str) and not _ID.fullmatch(value):
        raise PydanticCustomError("bad_id", "bad id", {"got": value})
    return value


# Every value is stored in a float64 column (``metrics.model.tables``), which holds each
# whole number up to 2**53 exactly and silently changes the last digits of larger ones.
# No governance count or amount comes near it (a trillion yuan is 10**12), so a larger
# value is a typo, refused rather than stored with other digits.
MAX_EXACT = 2**53
_LIMIT = f"{MAX_EXACT:,}"

# What a number-like text was most likely meant as, said in the problem's message.
_SPELLING_NOTES = (
    (re.compile(r"[-+]?[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"), "YAML 1.1 reads ':' as base 60"),
    (re.compile(r"[-+]?0[xX][0-9a-fA-F_]+"), "hexadecimal in YAML"),
    (re.compile(r"[-+]?0[oO][0-7_]+"), "octal in YAML 1.2"),
    (re.compile(r"[-+]?0[bB][01_]+"), "binary in YAML 1.1"),
    (re.compile(r"[-+]?0[0-9_]+"), "a leading 0 makes YAML 1.1 read it as octal"),
    (re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?"), "write it without '_'"),
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "a date"),
    (NUMBER_SPELLING, "written as text: remove the quotes"),
)


def _for_message(value: Any) -> str:
    """A value for a message, as written: texts quoted and cut short."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"'{cut(value)}'"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on, off, true and false so)"
    return repr(value)


def _text_problem(text: str, too_large: str) -> PydanticCustomError:
    """Why a text is not a number: too large (under the code ``too_large``), too close
    to 0, or not a number at all, with a note on what the spelling means to YAML."""
    got = _for_message(text)
    if NUMBER_SPELLING.fullmatch(text):
        size = decimal_size(text)
        if size is not None and (size > 17 or (size > -400 and abs(Decimal(text)) > MAX_EXACT)):
            return PydanticCustomError(too_large, "too large", {"got": got, "limit": _LIMIT})
        if size is not None and float(text) == 0:
            return PydanticCustomError("number_too_small", "too small", {"got": got})
    for pattern, note in _SPELLING_NOTES:
        # Every pattern runs in time linear in the text, however long it is.
        if pattern.fullmatch(text) and ("_" in text or "'_'" not in note):
            got = f"{got}, {note}"
            break
    return PydanticCustomError("not_a_number", "not a number", {"got": got})


def _real(value: Any, too_large: str) -> int | float:
    """A finite real number; True, text and None are refused, and -0.0 is 0.0."""
    if isinstance(value, str):
        raise _text_problem(value, too_large)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("not_a_number", "not a number", {"got": _for_message(value)})
    if not math.isfinite(value):
        raise PydanticCustomError("not_finite", "not finite", {"got": repr(value)})
    return value + 0 if value == 0 else value  # -0.0 + 0 is 0.0


def _number(value: Any) -> Any:
    value = _real(value, "number_too_large")
    if abs(value) > MAX_EXACT:
        raise PydanticCustomError(
            "number_too_large", "too large", {"got": _for_message(value), "limit": _LIMIT}
        )
    if value < 0:
        raise PydanticCustomError("negative_value", "negative", {"got": value})
    return value


def valid_number(value: Any) -> int | float | None:
    """An observation's value as the check accepts it (-0.0 as 0.0), else None."""
    try:
        return _number(value)
    except PydanticCustomError:
        return None


def _coordinate(value: Any) -> Any:
    # The range itself is checked by the field's bounds, which the JSON Schema shows too.
    return _real(value, "out_of_range")


def _not_text_date(value: Any) -> Any:
    """A whole number as its text (YAML reads a bare year such as 2020 as a number);
    true, false or a decimal (2020.04) is refused as a date."""
    if isinstance(value, bool | float):
        got = str(value).lower() if isinstance(value, bool) else repr(value)
        raise PydanticCustomError("bad_date", "bad date", {"got": got})
    return str(value) if isinstance(value, int) else value


def _partial_date(value: Any) -> Any:
    value = _not_text_date(value)
    if isinstance(value, str) and not is_partial_date(value):
        raise PydanticCustomError("bad_date", "bad date", {"got": cut(value)})
    return value


def _period(value: Any) -> Any:
    value = _not_text_date(value)
    if isinstance(value, str) and not is_period(value):
        raise PydanticCustomError("bad_date", "bad period", {"got": cut(value)})
    return value


def _unit(value: Any) -> Any:
    if isinstance(value, str) and value not in UNITS:
        raise PydanticCustomError("unknown_unit", "unknown unit", {"got": value})
    return value


def _url(value: Any) -> Any:
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PydanticCustomError("bad_url", "bad url", {"got": value})
    return value


def _plain(value: str) -> str:
    """Text without control characters (``echo.FORBIDDEN``): only escapes in double
    quotes write them, and a Word brief cannot hold them."""
    character = forbidden_character(value)
    if character is None:
        return value
    raise PydanticCustomError("control_character", "control character", {"character": character})


def _page(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# Each type also says what the editor's JSON Schema should accept: YAML reads a bare
# 2019 or 55 as a number, so dates, periods and pages allow integers there too.
_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
Id = Annotated[
    str,
    BeforeValidator(_id),
    WithJsonSchema({"type": "string", "pattern": f"^{_ID.pattern}$"}),
]
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_plain)]
Latitude = Annotated[float, Field(ge=-90, le=90), BeforeValidator(_coordinate)]
Longitude = Annotated[float, Field(ge=-180, le=180), BeforeValidator(_coordinate)]
Number = Annotated[
    int | float,
    BeforeValidator(_number),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": MAX_EXACT}),
]
PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": _DATE_PATTERN}, {"type": "integer"}]}),
]
Period = Annotated[
    str,
    BeforeValidator(_period),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
UnitId = Annotated[
    str, BeforeValidator(_unit), WithJsonSchema({"type": "string", "enum": list(UNITS)})
]
Url = Annotated[
    str,
    BeforeValidator(_url),
    AfterValidator(_plain),
    WithJsonSchema({"type": "string", "pattern": "^https?://"}),
]
Page = Annotated[
    str,
    BeforeValidator(_page),
    AfterValidator(_plain),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]


# On a page printed as two columns a quote stands within one column, as a reader reads
# it: the text read line by line runs from one column into the other across the gap.
QUOTE_CROSSES_COLUMNS = (
    "True when the quote deliberately joins the two columns of a page printed in two "
    "columns, reading a line across the gap between them; leave it out otherwise: a quote "
    "must stand within one column (where it may run down over several lines)."
)


class Entry(BaseModel):
    """Base of every table entry: unknown fields are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Entry):
    """One report or article that numbers and practices are taken from."""

    id: Id = Field(description="Short unique id of the source, e.g. 'kzzq-jiajian'.")
    title: Text = Field(description="Title as printed, in the original language.")
    title_supplied: bool = Field(
        False,
        description="True when the article has no title and the curator wrote a descriptive "
        "one; citations then show it in square brackets.",
    )
    publisher: Text | None = Field(
        None, description="Outlet: journal, newspaper or website name. Leave out when unknown."
    )
    issue: Text | None = Field(None, description="Journal issue as printed, e.g. '2020年第1期'.")
    page: Page | None = Field(None, description="Printed page number(s), e.g. '55' or '12-13'.")
    date: PartialDate = Field(
        description="Publication date as precisely as known: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    date_bound: DateBound = Field(
        DateBound.exact,
        description="'exact' when 'date' is the publication date (to its precision); "
        "'not_before' or 'not_after' when the article only implies a bound.",
    )
    date_basis: Text | None = Field(
        None, description="How the date was worked out, when it is not printed on the article."
    )
    authors: list[Text] = Field(
        default_factory=list,
        description="Authors or contributors as they should be cited: people, or the "
        "contributing office when no person is named.",
    )
    affiliation: Text | None = Field(
        None, description="The office the authors write for, as printed (e.g. '宁城县委组织部')."
    )
    url: Url | None = Field(None, description="Web address of the original, http(s) only.")
    archive: Text = Field(
        description="File name of the archived article text inside data/sources/."
    )
    region: Id = Field(description="Id of the region whose work the source reports.")
    notes: Text | None = Field(None, description="Anything a reader of the citation should know.")
    no_derived: list[Id] = Field(
        default_factory=list,
        description="Ids of the derived measures not to compute for this article, because "
        "the numbers they would combine are about different things (e.g. "
        "'investment_per_project' when the money was not spent on the projects counted). "
        "The ids and what each combines are listed in docs/data.md (Derived measures).",
    )


class Region(Entry):
    """An administrative region named in a source."""

    id: Id = Field(description="Short unique id of the region, e.g. 'kezuozhong'.")
    name_zh: Text = Field(description="Official Chinese name, e.g. '科尔沁左翼中旗'.")
    name_en: Text = Field(description="English name, e.g. 'Horqin Left Middle Banner'.")
    short_zh: Text | None = Field(
        None, description="Short Chinese name used in the articles, e.g. '科左中旗'."
    )
    level: Level = Field(
        description="Administrative level: province, prefecture, county (县/旗/区), "
        "township (镇/乡/苏木) or village (村/嘎查)."
    )
    parent: Id | None = Field(
        None, description="Id of the region one level up; leave out only for a province."
    )
    lat: Latitude | None = Field(
        None,
        description="Latitude of the seat of government in degrees north, to about 0.01°; "
        "only places the region on the overview map. Give it together with 'lon'.",
    )
    lon: Longitude | None = Field(
        None,
        description="Longitude of the seat of government in degrees east; give it together "
        "with 'lat'. Leave both out when the seat is not known: the map then lists the "
        "region by name instead.",
    )

    @model_validator(mode="after")
    def _both_coordinates(self) -> Region:
        if (self.lat is None) != (self.lon is None):
            raise PydanticCustomError("half_location", "only one coordinate", {})
        return self


class Indicator(Entry):
    """A kind of number that regions report."""

    id: Id = Field(description="Short unique id of the indicator, e.g. 'grid_cells'.")
    name_zh: Text = Field(description="Chinese name shown on the dashboard.")
    name_en: Text = Field(description="English name shown on the dashboard.")
    aliases_zh: list[Text] = Field(
        default_factory=list,
        description="Other Chinese wordings of the same thing, as local articles write it: "
        "short words a sentence would contain, e.g. 受理诉求 and 群众反映问题 beside "
        "收集群众问题. Drafts of new articles match them, so that each local wording lands "
        "on this indicator and regions stay comparable. An alias belongs to one indicator "
        "only and is never another indicator's name_zh.",
    )
    unit: UnitId = Field(
        description=f"Base unit of every value of the indicator: one of {', '.join(UNITS)}."
    )
    family: Family = Field(description="Kind of governance work the indicator belongs to.")
    definition_zh: Text | None = Field(None, description="What is counted, in Chinese.")
    definition_en: Text | None = Field(None, description="What is counted, in English.")


class Observation(Entry):
    """One number that one source reported for one region."""

    region: Id = Field(description="Id of the region the number is about.")
    indicator: Id = Field(description="Id of the indicator the number measures.")
    value: Number = Field(
        description="The number in the indicator's base unit: 8000余万元 is 80000000 (yuan). "
        "Written in digits, with a fraction or exponent if need be (12.5, 8e7), at most "
        '9007199254740992; 0x10, 017, 1_000, 1:20 and "100" in quotes are refused.'
    )
    unit: UnitId = Field(
        description="Base unit of the value; must be the indicator's unit (written out so "
        "that the file shows what the value counts)."
    )
    qualifier: Qualifier = Field(
        Qualifier.exact,
        description="exact; more_than (余, 多, 超过); at_least (以上); about (左右, 约); "
        "nearly (近). Must agree with the quote.",
    )
    period: Period | None = Field(
        None,
        description="Time the number covers when the article dates it: '2019', or a range "
        "'2019-01/2019-12'.",
    )
    period_note: Text | None = Field(
        None, description="The article's own words about the time, e.g. '去年以来' or '累计'."
    )
    source: Id = Field(description="Id of the source that reports the number.")
    quote: Text = Field(
        description="The words of the archived article that carry the number, copied exactly."
    )
    quote_crosses_columns: bool = Field(False, description=QUOTE_CROSSES_COLUMNS)
    note: Text | None = Field(
        None, description="What exactly was counted, when the indicator name alone is too broad."
    )


class Practice(Entry):
    """A named way of working that a source describes."""

    id: Id = Field(description="Short unique id of the practice.")
    region: Id = Field(description="Id of the region that uses the practice.")
    name_zh: Text = Field(description="The practice's name as the article gives it.")
    name_en: Text = Field(description="An English rendering of the name.")
    summary_zh: Text = Field(description="One sentence, in the curator's own words, in Chinese.")
    summary_en: Text = Field(description="The same sentence in English.")
    themes: list[Theme] = Field(min_length=1, description="One or more theme tags.")
    source: Id = Field(description="Id of the source that describes the practice.")
    quote: Text = Field(description="Words of the archived article that name the practice.")
    quote_crosses_columns: bool = Field(False, description=QUOTE_CROSSES_COLUMNS)


class Relation(Entry):
    """A consistency rule between indicators reported in the same article."""

    id: Id = Field(description="Short unique id of the rule.")
    kind: RelationKind = Field(
        description="'sum': the total equals the sum of the parts; 'at_most': the parts "
        "together are at most the total."
    )
    total: Id = Field(description="Id of the indicator that is the total or superset.")
    parts: list[Id] = Field(min_length=1, description="Ids of the indicators that are the parts.")
    sources: list[Id] | None = Field(
        None,
        description="Ids of the sources the rule holds for; leave out when it holds everywhere.",
    )
    description_zh: Text = Field(description="The rule in words, in Chinese.")
    description_en: Text = Field(description="The rule in words, in English.")


class SetAside(Entry):
    """A quantity in an article that is deliberately not curated, and why."""

    source: Id = Field(description="Id of the source whose archived article contains the mention.")
    mention: Text = Field(
        description="The mention exactly as 'metrics extract' lists it, e.g. '五项'. Every "
        "occurrence of it in the article is set aside."
    )
    reason: Text = Field(description="Why it is not an indicator, in a few words.")


class IndicatorsFile(BaseModel):
    """The whole curated file: seven tables, each a list of entries."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(default_factory=list, description="Articles and reports.")
    regions: list[Region] = Field(default_factory=list, description="Administrative regions.")
    indicators: list[Indicator] = Field(default_factory=list, description="Kinds of numbers.")
    observations: list[Observation] = Field(
        default_factory=list, description="Reported numbers, one per region, indicator, source."
    )
    practices: list[Practice] = Field(default_factory=list, description="Named practices.")
    relations: list[Relation] = Field(
        default_factory=list, description="Consistency rules between indicators."
    )
    set_aside: list[SetAside] = Field(
        default_factory=list,
        description="Quantities in the articles that are not indicators, each with a reason.",
    )


# Table name -> entry model, in the order tables are checked and shown.
TABLES: dict[str, type[Entry]] = {
    name: field.annotation.__args__[0]  # type: ignore[union-attr]
    for name, field in IndicatorsFile.model_fields.items()
}


def editor_json_schema() -> dict[str, Any]:
    """JSON Schema of the whole file, for editors (yaml-language-server) and tools."""
    schema = IndicatorsFile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "Grassroots governance indicators (data/indicators.yaml)",
    }
