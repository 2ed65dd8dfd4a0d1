"""``dashboard``: start the dashboard with its data already loaded.

``streamlit run app.py`` runs nothing of the app until the first reader arrives, who
then waits for the imports, the data and the Overview's tables (seconds at 100,000
observations). This command does that work first and only then starts Streamlit's
server, so the port opens with everything the first page needs in memory. Options
after the command are passed to ``streamlit run`` (``--server.port 8502``).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def preload() -> None:
    """Import the pages' modules, load the data and compute the Overview's views."""
    import logging

    # Streamlit warns that no app is running yet; here that is the point.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from streamlit.runtime.pages_manager import PagesManager

    from dashboard import cache, ui  # noqa: F401 - imported for the first reader
    from dashboard.views import charts, overview
    from dashboard.views.i18n import LANGS, text

    # app.py navigates with st.navigation: tell Streamlit now, so that the first reader's
    # run does not start in the legacy pages/ mode and rerun (see ui.start_page).
    PagesManager.uses_pages_directory = False

    data = cache.current_data()
    for lang in LANGS:
        # The same calls, with the same arguments, as pages/overview.py makes.
        cache.view(overview.headline_cards, data.dataset, data.derived, lang)
        matrix = cache.view(overview.coverage_matrix, data.dataset)
        missing = text("word.not_reported", lang)
        cache.view(overview.coverage_table, matrix, data.dataset, lang, missing)
        points, unlocated = cache.view(overview.map_points, data.dataset, lang)
        cache.view(charts.region_map, points, lang)
        cache.view(overview.map_notes, points, tuple(unlocated), lang)
    cache.view(overview.dataset_counts, data.dataset)
    logging.getLogger("streamlit").setLevel(logging.INFO)


def main() -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
