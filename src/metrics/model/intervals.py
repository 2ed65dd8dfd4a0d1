"""What a qualified number allows: 2000余 is any value from 2000 up.

Relations and derived measures compute with these ranges, so that a "more than"
value turns an equality into a bound instead of a failure, and a derived measure
carries the qualifier its inputs force on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from metrics.model.vocab import Qualifier

# 左右 / 约 are read as within ten per cent; 近 as up to ten per cent below.
APPROXIMATE_TOLERANCE = 0.10
# Rounding room for comparing computed sums of exact values.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Interval:
    """The closed range of values a reported number allows."""

    low: float
    high: float

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __mul__(self, other: Interval) -> Interval:
        # Every value here is zero or more, so the ends multiply directly.
        return Interval(_times(self.low, other.low), _times(self.high, other.high))

    def __truediv__(self, other: Interval) -> Interval:
        low = self.low / other.high if other.high not in (0, math.inf) else 0.0
        high = self.high / other.low if other.low > 0 else math.inf
        return Interval(low, high)

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high + _slack(other.high) and other.low <= self.high + _slack(
            self.high
        )

    def at_most(self, other: Interval) -> bool:
        """Whether some value of self can be at most some value of other."""
        return self.low <= other.high + _slack(other.high)


def _times(a: float, b: float) -> float:
    return 0.0 if 0 in (a, b) else a * b


def _slack(value: float) -> float:
    return 0.0 if math.isinf(value) else _EPSILON * max(1.0, abs(value))


def interval_of(value: float, qualifier: Qualifier | str) -> Interval:
    """The range of true values that a reported value with its qualifier allows."""
    qualifier = Qualifier(qualifier)
    if qualifier in (Qualifier.more_than, Qualifier.at_least):
        return Interval(value, math.inf)
    if qualifier is Qualifier.about:
        return Interval(value * (1 - APPROXIMATE_TOLERANCE), value * (1 + APPROXIMATE_TOLERANCE))
    if qualifier is Qualifier.nearly:
        return Interval(value * (1 - APPROXIMATE_TOLERANCE), value)
    return Interval(value, value)


def qualifier_from(point: float, interval: Interval, inputs: list[Qualifier]) -> Qualifier:
    """The qualifier a computed value carries, given the range its inputs allow."""
    if all(q is Qualifier.exact for q in inputs):
        return Qualifier.exact
    if math.isinf(interval.high) and math.isclose(interval.low, point, rel_tol=1e-9):
        # Only lower bounds went in: the result is a lower bound of the same kind.
        return Qualifier.more_than if Qualifier.more_than in inputs else Qualifier.at_least
    below_by_tolerance = point * (1 - APPROXIMATE_TOLERANCE) * (1 - 1e-9)
    if math.isclose(interval.high, point, rel_tol=1e-9) and interval.low >= below_by_tolerance:
        # Bounded above by the value and close below it, as 近 is.
        return Qualifier.nearly
    return Qualifier.about
