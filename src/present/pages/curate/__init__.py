"""What the workbench (Curate an article) shows: a new article read from a paste or an
upload, its draft (``metrics.tools.draft``) as tables a curator edits row by row, and
the draft checked against the current data after every edit.

The page keeps no state of its own: the draft is made once per article and data
(``dashboard.cache.draft``), and each rerun applies the curator's edits, which
Streamlit keeps in the editors' session state, to that draft (``edited_draft``). The
draft is then written and checked in memory (``check``); nothing here writes a file.

One module per concern: ``article_input`` (reading the paste or upload), ``columns``
(the editors' columns and the tables' titles), ``edits`` (applying the curator's
edits), ``review`` (the check, its messages, the marked article and the counts) and
``package`` (the zip). The page script imports this package only.
"""

from present.pages.curate.article_input import (
    MAX_PASTE_CHARS,
    Given,
    Refusal,
    read_input,
    uploader_css,
)
from present.pages.curate.columns import (
    INDICATOR_EDITABLE,
    PRACTICE_EDITABLE,
    PROBLEMS,
    REGION_EDITABLE,
    ROW_EDITABLE,
    indicator_columns,
    label,
    practice_columns,
    region_columns,
    region_labels,
    row_columns,
    titled,
)
from present.pages.curate.edits import (
    Keys,
    apply_edits,
    derived_label,
    derived_of,
    edited_draft,
    edits_of,
)
from present.pages.curate.package import zip_bytes, zip_name
from present.pages.curate.review import (
    MARK_COLOURS,
    Checked,
    check,
    counts,
    indicator_editor,
    marked_article,
    practice_editor,
    region_editor,
    row_editor,
    source_messages,
    source_table,
)

__all__ = [
    "INDICATOR_EDITABLE",
    "MARK_COLOURS",
    "MAX_PASTE_CHARS",
    "PRACTICE_EDITABLE",
    "PROBLEMS",
    "REGION_EDITABLE",
    "ROW_EDITABLE",
    "Checked",
    "Given",
    "Keys",
    "Refusal",
    "apply_edits",
    "check",
    "counts",
    "derived_label",
    "derived_of",
    "edited_draft",
    "edits_of",
    "indicator_columns",
    "indicator_editor",
    "label",
    "marked_article",
    "practice_columns",
    "practice_editor",
    "read_input",
    "region_columns",
    "region_editor",
    "region_labels",
    "row_columns",
    "row_editor",
    "source_messages",
    "source_table",
    "titled",
    "uploader_css",
    "zip_bytes",
    "zip_name",
]
