"""The part of a dataset that failed the check which still holds together.

Every row of a loaded dataset passed its own entry's validation, so its vocabulary
values are known ones; what a failed check leaves are rows that disagree with each
other: an id used twice, or a reference to an entry that was refused (a region whose
level has a typo takes every number about it along). The pages look ids up and expect
each to be there once, so they are given only the rows that hold together: the first
row of each id, and rows whose every reference leads to a row that is kept. The rows
left out are those the check's problems are about, and those problems are listed on
every page; a number left out is shown as "not reported", never invented.

Valid data never comes here: it holds together by definition of the check.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import CURATED, DATASET_TABLES, LIST_SEPARATOR, ForeignKey

# The tables the pipeline computes from the curated ones (relation results, derived
# measures): their keys are declared beside the curated tables' in ``metrics.model.tables``.
_COMPUTED = {name: table for name, table in DATASET_TABLES.items() if name not in CURATED}


def _first_of_each_key(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """The first row of every key: the check reports the later ones as repeats."""
    repeated = frame.duplicated(list(key), keep="first")
    return frame[~repeated] if repeated.any() else frame


def _resolves(
    frame: pd.DataFrame, keys: tuple[ForeignKey, ...], tables: dict[str, pd.DataFrame]
) -> pd.Series:
    """Whether each row's references all lead to a kept row (an empty optional one does)."""
    keep = pd.Series(True, index=frame.index)
    for key in keys:
        named = frame[key.column]
        keep &= named.isna() | named.isin(tables[key.table][key.target])
    return keep


def _made_of_kept(frame: pd.DataFrame, observations: pd.DataFrame) -> pd.Series:
    """Whether every observation a computed row lists is kept."""
    kept = set(observations["observation_id"])
    return frame["observation_ids"].map(
        lambda ids: (
            not isinstance(ids, str) or kept.issuperset(filter(None, ids.split(LIST_SEPARATOR)))
        )
    )


def _curated_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The curated tables, each id once, cut until every reference resolves.

    One pass may leave a reference to a row the same pass removed (a county whose
    province was refused), so passes repeat until none removes a row."""
    tables = {
        name: _first_of_each_key(getattr(dataset, name), table.primary_key)
        for name, table in CURATED.items()
    }
    removed = True
    while removed:
        removed = False
        for name, table in CURATED.items():
            keep = _resolves(tables[name], table.foreign_keys, tables)
            if not keep.all():
                tables[name] = tables[name][keep]
                removed = True
    return tables


def consistent_part(dataset: Dataset) -> Dataset:
    """The rows of ``dataset`` that hold together (see the module's docstring).

    The problems and the archives stay as they are, so a page still lists every
    problem; the content key is marked, so no view of the whole is taken for a view of
    the part. This and ``load.load_dataset`` are the only makers of a ``Dataset``."""
    if dataset.ok:
        return dataset
    tables = _curated_tables(dataset)
    for name, table in _COMPUTED.items():
        frame = getattr(dataset, name)
        keep = _resolves(frame, table.foreign_keys, tables) & _made_of_kept(
            frame, tables["observations"]
        )
        tables[name] = frame[keep]
    return replace(
        dataset,
        **{name: frame.reset_index(drop=True) for name, frame in tables.items()},
        key=f"{dataset.key}:shown-part",
    )
