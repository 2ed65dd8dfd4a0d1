"""The derived measures a draft's accepted rows would give."""

from __future__ import annotations

import pandas as pd

from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.tools.draft.proposal import ACCEPT, DERIVED_COLUMNS


def derived_that_apply(rows: pd.DataFrame) -> pd.DataFrame:
    """The derived measures the accepted rows would give, one per region and period."""
    accepted = rows[rows["action"] == ACCEPT]
    found = []
    for (region, period), group in accepted.groupby(
        [accepted["region"].fillna(""), accepted["period"].fillna("")], sort=True
    ):
        by_indicator = dict(zip(group["indicator"], group["n"], strict=False))
        for measure in DERIVED_MEASURES:
            needed = [*measure.inputs, *measure.denominator]
            if all(i in by_indicator for i in needed):
                found.append(
                    {
                        "measure_id": measure.id,
                        "name_zh": measure.name.zh,
                        "name_en": measure.name.en,
                        "region": region or None,
                        "period": period or None,
                        "rows": ", ".join(f"#{by_indicator[i]}" for i in needed),
                        "applies": True,
                    }
                )
    return pd.DataFrame(found, columns=DERIVED_COLUMNS)
