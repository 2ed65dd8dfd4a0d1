"""What an editor's column is, apart from how Streamlit draws it: the page that shapes
the editor (``present.pages.curate``) describes its columns, the Streamlit layer
(``dashboard.ui.editors``) draws them, and neither needs the other to do so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of an editor: how it is shown and whether it may be changed."""

    name: str
    label: str
    kind: str = "text"  # text, number, select, multiselect
    options: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)  # option -> what is shown
    editable: bool = False
    width: str | None = None
    pinned: bool = False

    def label_of(self, option: str) -> str:
        """What the editor shows for ``option``."""
        return self.labels.get(option, option)
