"""Dates and periods as the data writes them, and their order in time.

A date is partial (``2019``, ``2019-06``, ``2019-06-15``); a period is a date or a range
of two (``2019/2020``). The schema checks them with ``is_partial_date`` and
``is_period``; every table and chart that sorts by time uses ``period_key``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the schema checks dates without loading pandas
    import pandas as pd

_PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_WHOLE_YEAR = re.compile(r"\d{4}")
_WHOLE_MONTH = re.compile(r"\d{4}-\d{2}")


def is_partial_date(text: str) -> bool:
    """YYYY, YYYY-MM or a real calendar day YYYY-MM-DD."""
    if not _PARTIAL_DATE.fullmatch(text):
        return False
    if len(text) == 10:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
    return True


def is_period(text: str) -> bool:
    """A partial date, or two joined by ``/``."""
    return all(is_partial_date(part) for part in text.split("/"))


def period_start(period: str) -> pd.Timestamp:
    """Where a period starts: ``2019`` -> 2019-01-01, ``2019-06/2020`` -> 2019-06-01."""
    import pandas as pd

    first = period.split("/")[0]
    year, month, day = [*first.split("-"), "01", "01"][:3]
    return pd.Timestamp(year=int(year), month=int(month), day=int(day))


def period_key(period: str) -> tuple[pd.Timestamp, str]:
    """A sortable key of a period: its start, then the period as written, so that
    ``2019`` comes before ``2019/2020`` and both before ``2019-06``."""
    return period_start(period), period


def period_order(periods: pd.Series) -> pd.Series:
    """``period_key`` of each of ``periods``."""
    return periods.map(period_key)


def missing_periods(periods: list[str]) -> list[str]:
    """The whole years (or whole months) between the first and last of ``periods`` that
    are not among them; none when the periods are not all years or all months."""
    if all(_WHOLE_YEAR.fullmatch(p) for p in periods):
        years = sorted(int(p) for p in periods)
        return [str(y) for y in range(years[0], years[-1] + 1) if str(y) not in periods]
    if all(_WHOLE_MONTH.fullmatch(p) for p in periods):
        import pandas as pd

        months = pd.period_range(min(periods), max(periods), freq="M").strftime("%Y-%m")
        return [m for m in months if m not in periods]
    return []
