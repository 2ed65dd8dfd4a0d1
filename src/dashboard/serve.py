"""``dashboard``: start the dashboard with its data already loaded.

``streamlit run app.py`` runs nothing of the app until the first reader arrives, who
then waits for the imports, the data and the Overview's tables (seconds at 100,000
observations). This command does that work first and only then starts Streamlit's
server, so the port opens with everything the first page needs in memory. Options
after the command are passed to ``streamlit run`` (``--server.port 8502``).

It also puts ``dashboard.guard`` in front of Streamlit's server: only the host names of
``METRICS_ALLOWED_HOSTS`` (and the loopback names) are answered, and only the
``/_stcore/`` endpoints the page uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard import guard, settings

APP = Path(__file__).resolve().parents[2] / "app.py"


def preload() -> None:
    """Import the pages' modules, load the data and compute the Overview in each language."""
    import logging

    # Streamlit warns that no app is running yet; here that is the point.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from dashboard import cache, ui  # noqa: F401 - imported for the first reader
    from present.i18n import LANGS
    from present.pages import overview

    data = cache.current_data()
    for lang in LANGS:
        # The very call app_pages/overview.py makes, so its first run finds it cached.
        cache.view(overview.page_content, data.dataset, data.derived, lang)
    logging.getLogger("streamlit").setLevel(logging.INFO)


def host_options(hosts: frozenset[str]) -> list[str]:
    """Streamlit's own check of the websocket's Host, on the same names: it still holds
    should the guard ever not be in place."""
    return [option for host in sorted(hosts) for option in ("--server.allowedHosts", host)]


def main() -> None:
    """Check the settings, tune memory, preload, put the guard in place, then hand the
    command line over to ``streamlit run app.py``, whose server ends the sessions of
    readers who have gone (``dashboard.sessions``) and gives back the memory they freed
    (``dashboard.memory``)."""
    try:
        hosts = settings.allowed_hosts()
    except ValueError as wrong:
        sys.exit(f"dashboard: {wrong}")
    from dashboard import memory

    memory.tune()
    preload()
    from streamlit.web import cli

    from dashboard import sessions

    guard.install(hosts)
    sessions.install()
    sys.argv = ["streamlit", "run", *host_options(hosts), str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
