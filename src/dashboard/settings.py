"""Settings a deployment makes in its environment, read by the Streamlit layer.

The data file's setting (``METRICS_DATA``) lives with what reads it (``dashboard.cache``).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Final

# ``METRICS_WORKBENCH=off`` (or 0, false, no) switches the page off.
WORKBENCH_ENV = "METRICS_WORKBENCH"
_OFF = frozenset({"off", "0", "false", "no", "disabled"})

# ``METRICS_ALLOWED_HOSTS=dashboard.example.org,dashboard``: the names readers use.
HOSTS_ENV: Final = "METRICS_ALLOWED_HOSTS"
# Always allowed: a browser only sends one of these as Host when it loaded the page from
# this very machine, so no other site's page can make it send one (DNS rebinding sends
# the attacker's own name). The health check, a local browser and the tests use them.
LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})
# A DNS name: letters, digits and hyphens in dot-separated labels.
_NAME = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")


def workbench_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this deployment offers the workbench: on unless ``METRICS_WORKBENCH``
    says off."""
    return environ.get(WORKBENCH_ENV, "").strip().lower() not in _OFF


def host_name(entry: str) -> str | None:
    """``entry`` as a host name to compare with a request's (lower case, no trailing
    dot, an IPv6 address without brackets); None when it is not a plain name or address."""
    name = entry.strip().lower().rstrip(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name if _NAME.match(name) else None


def allowed_hosts(environ: Mapping[str, str] = os.environ) -> frozenset[str]:
    """The host names the dashboard answers to: the loopback names and every name in
    ``METRICS_ALLOWED_HOSTS`` (comma-separated). Raises ``ValueError`` naming each entry
    that is not a plain host name (a URL, a port), so a replica never starts on a list
    that does not say what the deployment meant."""
    entries = [e.strip() for e in environ.get(HOSTS_ENV, "").split(",") if e.strip()]
    names = {entry: host_name(entry) for entry in entries}
    wrong = [entry for entry, name in names.items() if name is None]
    if wrong:
        raise ValueError(
            f"{HOSTS_ENV}: not a host name: {', '.join(repr(e) for e in wrong)} "
            "(write each name alone, without scheme or port: dashboard.example.org)"
        )
    return LOOPBACK_HOSTS | {name for name in names.values() if name}
