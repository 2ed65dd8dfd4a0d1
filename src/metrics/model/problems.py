"""Problems found in the data, as data: a stable code, a location and message parameters.

Tests compare ``(line, code)``; people read ``file:line: message (hint)``. Each code has
one message template and one hint template here, so wording lives in one place. What a
message echoes from the data is shown through ``echo.visible``: control characters as
escapes, and any text cut after 200 characters, so that a problem is one line on a
terminal, the Quality page and the workbench, whatever the file holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from metrics.model.echo import ECHO_LIMIT, escaped, visible

# Parameters that hold the project's own lists (known units, tables, fields), never
# text from the data: escaped like the rest, but never cut.
_OWN_LISTS = frozenset({"known"})

# code -> (message template, hint template)
CODES: dict[str, tuple[str, str]] = {
    # Reading the file
    "file_missing": ("data file not found", "give the path of an indicators YAML file"),
    "file_unreadable": ("cannot read the file: {detail}", "check the path and its permissions"),
    "file_not_regular": (
        "this is {detail}, not a regular file",
        "keep the entries in a plain .yaml file; nothing else is read",
    ),
    "file_outside_data": (
        "this is a link that leads outside the data folder",
        "copy what it links to into the folder of indicators.yaml instead of linking",
    ),
    "empty_file": (
        "the file is empty",
        "start from the example in docs/data.md or restore the file",
    ),
    "invalid_utf8": (
        "the file is not valid UTF-8 (byte 0x{byte} at column {column})",
        "save the file as UTF-8",
    ),
    "tab": ("tab character", "YAML needs spaces; replace the tab with spaces"),
    "yaml_syntax": ("YAML syntax error: {detail}", "{context}"),
    "alias": (
        "anchors and aliases (&name, *name, <<) are not allowed",
        "write the value out in full where it is used",
    ),
    "too_deep": ("nesting is too deep", "the data needs at most four levels of indentation"),
    "duplicate_key": ("key '{key}' appears twice in one entry", "the first is at line {first}"),
    "bad_key": ("a key must be plain text", "write the key as a plain word such as 'id'"),
    "not_a_mapping": (
        "the file must be a mapping of tables (sources:, regions:, ...)",
        "see docs/data.md for the layout",
    ),
    "unknown_table": ("unknown table '{key}'", "known tables: {known}"),
    "not_a_list": ("table '{key}' must be a list of entries", "start each entry with '- '"),
    "not_an_entry": ("an entry must be a mapping of fields", "write fields as 'name: value'"),
    # One entry's fields
    "missing_field": ("missing required field '{field}'", "add '{field}:' to this entry"),
    "unknown_field": ("unknown field '{field}'", "{suggestion}"),
    "wrong_type": ("field '{field}' {detail}", "see the field reference in docs/curating.md"),
    "not_a_number": (
        "field '{field}' must be a number, got {got}",
        "write digits in base units, e.g. 80000000 for 8000万元",
    ),
    "not_finite": ("field '{field}' must be a finite number, got {got}", "write the number"),
    "negative_value": (
        "field '{field}' is negative ({got})",
        "reported amounts are zero or more",
    ),
    "number_too_large": (
        "field '{field}' is too large to be stored exactly ({got})",
        "values up to {limit} are kept digit for digit; check the digits and the unit",
    ),
    "number_too_small": (
        "field '{field}' is so close to 0 that it would be stored as 0 ({got})",
        "check the digits and the exponent",
    ),
    "unknown_unit": ("unknown unit '{got}'", "known units: {known}"),
    "unknown_qualifier": ("unknown qualifier '{got}'", "known qualifiers: {known}"),
    "invalid_choice": ("field '{field}' has unknown value '{got}'", "known values: {known}"),
    "bad_id": (
        "id '{got}' is not valid",
        "use lower-case letters, digits, '-' and '_', starting with a letter or digit",
    ),
    "bad_date": ("date '{got}' is not valid", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    "out_of_range": (
        "field '{field}' is out of range ({got})",
        "latitude lies between -90 and 90, longitude between -180 and 180 degrees",
    ),
    "half_location": ("only one of 'lat' and 'lon' is given", "give both, or leave both out"),
    "bad_url": ("url '{got}' is not a web address", "only http:// and https:// links are allowed"),
    "control_character": (
        "field '{field}' holds the invisible character {character}",
        "delete it: in double quotes an escape such as \\x07, \\e or \\u0008 writes a "
        "control character, which Word files refuse and terminals obey",
    ),
    # Across entries
    "duplicate_id": ("{table} id '{id}' is used twice", "the first is at line {first}"),
    "duplicate_observation": (
        "observation repeats region '{region}', indicator '{indicator}' of source '{source}'",
        "the first is at line {first}; give a distinct 'period' or another indicator",
    ),
    "unknown_region": ("unknown region '{got}'", "{suggestion}add it under regions: or fix the id"),
    "unknown_indicator": (
        "unknown indicator '{got}'",
        "{suggestion}add it under indicators: or fix the id",
    ),
    "unknown_source": ("unknown source '{got}'", "{suggestion}add it under sources: or fix the id"),
    "parent_level": (
        "region '{id}' ({level}) cannot have parent '{parent}' ({parent_level})",
        "a parent must be of a higher administrative level",
    ),
    "duplicate_alias": (
        "alias '{alias}' is also {what} of indicator '{other}'",
        "an alias must lead to one indicator; the other is at {where}",
    ),
    "unknown_derived_measure": (
        "unknown derived measure '{got}'",
        "known derived measures: {known}",
    ),
    "unit_mismatch": (
        "unit '{got}' differs from indicator '{indicator}' (unit '{expected}')",
        "store the value in the indicator's unit",
    ),
    # Archives and quotes
    "archive_outside": (
        "archive '{got}' is outside data/sources/",
        "give a file name inside data/sources/",
    ),
    "archive_missing": ("archive file '{got}' not found", "copy the article into data/sources/"),
    "archive_not_regular": (
        "archive '{got}' is {detail}, not a regular file",
        "save the article as a plain text file in data/sources/",
    ),
    "archive_outside_data": (
        "archive '{got}' is a link that leads outside the data folder",
        "copy the article into data/sources/ instead of linking to it",
    ),
    "archive_unreadable": (
        "archive file '{got}' cannot be read: {detail}",
        "save the article as UTF-8 text",
    ),
    # ``nearest``: the article's passage closest to the quote and how it differs, or
    # "copy the words exactly from the article; white space may differ".
    "quote_not_in_archive": ("quote not found in the archived article '{archive}'", "{nearest}"),
    "quote_across_columns": (
        "quote found in the archived article '{archive}' only by joining its two columns "
        "(line {at})",
        "quote words that stand within one column (a quote may run down a column over "
        "several lines), or add 'quote_crosses_columns: true' if it joins them on purpose",
    ),
    "quote_no_number": ("the quote contains no number", "quote the words that carry the value"),
    "quote_value_mismatch": (
        "value {value} does not match the quote",
        "the quote reads {found}",
    ),
    "quote_qualifier_mismatch": (
        "qualifier '{qualifier}' does not match the quote '{mention}'",
        "the quote says '{expected}'",
    ),
    "quote_unit_mismatch": (
        "the quote counts in '{measure}' ({found}), the indicator in '{unit}'",
        "pick the indicator that counts in '{found}'",
    ),
    "set_aside_unused": (
        "set-aside mention '{mention}' is not a quantity found in the article",
        "copy it as 'metrics extract' lists it, or remove the entry",
    ),
    # Relations between numbers
    "relation_failed": ("relation '{relation}' fails for {scope}: {detail}", "{hint}"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located in a file."""

    code: str
    line: int | None
    file: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return CODES[self.code][0].format(**self._shown())

    @property
    def hint(self) -> str:
        return CODES[self.code][1].format(**self._shown())

    def _shown(self) -> dict[str, Any]:
        """The parameters as a message shows them: numbers as they are, anything else
        as visible text (escaped, and cut unless it is one of the project's lists)."""
        return {
            name: value
            if isinstance(value, int | float)
            else visible(str(value), None if name in _OWN_LISTS else ECHO_LIMIT)
            for name, value in self.params.items()
        }

    def render(self) -> str:
        """``file:line: message (hint)``, the form editors and terminals can jump to."""
        where = escaped(self.file) + (f":{self.line}" if self.line is not None else "")
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.message}{hint}"


class ProblemLog:
    """Collects problems for one file while it is checked."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, code: str, line: int | None, **params: Any) -> None:
        if code not in CODES:  # a programming error, not a data error
            raise KeyError(f"unknown problem code {code!r}")
        self.problems.append(Problem(code, line, self.file, params))

    def __bool__(self) -> bool:
        return bool(self.problems)
