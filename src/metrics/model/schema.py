"""The schema of ``data/indicators.yaml``: one pydantic model per table.

These models are the single description of the data format. Validation uses them,
and the editor JSON Schema and the curator field reference are generated from them,
so every field carries a description written for curators.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from metrics.model.vocab import UNITS, DateBound, Family, Level, Qualifier, RelationKind, Theme

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def _id(value: Any) -> Any:
    if isinstance(value, str) and not _ID.fullmatch(value):
        raise PydanticCustomError("bad_id", "bad id", {"got": value})
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("not_a_number", "not a number", {"got": repr(value)})
    if not math.isfinite(value):
        raise PydanticCustomError("not_finite", "not finite", {"got": repr(value)})
    if value < 0:
        raise PydanticCustomError("negative_value", "negative", {"got": value})
    return value


def _is_partial_date(text: str) -> bool:
    """YYYY, YYYY-MM or a real calendar day YYYY-MM-DD."""
    if not _PARTIAL_DATE.fullmatch(text):
        return False
    if len(text) == 10:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
    return True


def _partial_date(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads a bare year such as 2020 as a number
    if isinstance(value, str) and not _is_partial_date(value):
        raise PydanticCustomError("bad_date", "bad date", {"got": value})
    return value


def _period(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not all(_is_partial_date(p) for p in value.split("/")):
        raise PydanticCustomError("bad_date", "bad period", {"got": value})
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
Text = Annotated[str, StringConstraints(min_length=1)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Number = Annotated[
    int | float, BeforeValidator(_number), WithJsonSchema({"type": "number", "minimum": 0})
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
    str, BeforeValidator(_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})
]
Page = Annotated[
    str,
    BeforeValidator(_page),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]


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
        description="The number in the indicator's base unit: 8000余万元 is 80000000 (yuan)."
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
