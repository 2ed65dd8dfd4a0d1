"""Settings a deployment makes in its environment, read by the Streamlit layer.

The data file's setting (``METRICS_DATA``) lives with what reads it (``dashboard.cache``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# ``METRICS_WORKBENCH=off`` (or 0, false, no) switches the page off.
WORKBENCH_ENV = "METRICS_WORKBENCH"
_OFF = frozenset({"off", "0", "false", "no", "disabled"})


def workbench_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this deployment offers the workbench: on unless ``METRICS_WORKBENCH``
    says off."""
    return environ.get(WORKBENCH_ENV, "").strip().lower() not in _OFF
