"""Settings a deployment makes in its environment, read by the Streamlit layer.

The data file's setting (``METRICS_DATA``) lives with what reads it (``dashboard.cache``).
"""

from __future__ import annotations

# ``METRICS_WORKBENCH=off`` (or 0, false, no) switches the page off.
WORKBENCH_ENV = "METRICS_WORKBENCH"
_OFF = frozenset({"off", "0", "false", "no", "disabled"})


def workbench_enabled(setting: str | None) -> bool:
    """Whether the workbench is offered, given the value of ``METRICS_WORKBENCH``."""
    return (setting or "").strip().lower() not in _OFF
