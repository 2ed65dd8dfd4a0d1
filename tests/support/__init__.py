"""Helpers that the tests and the benchmarks share, as a package of its own.

``live`` starts the dashboard, nginx and Chromium; ``readers`` is a client of
Streamlit's websocket protocol that replays what Chromium sends; ``made_up_articles``
drafts the made-up articles and compares the drafts with their curation;
``real_articles`` scores a draft of a real article against a curator's answer key. The tests
import them as ``support.<module>`` (pytest puts ``tests/`` on the path); the
benchmarks, run from the project's root as ``python -m bench.<name>``, as
``tests.support.<module>``. The modules import each other relatively, so both work.
"""
