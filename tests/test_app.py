"""The dashboard page runs on the bundled data and shows its numbers."""

from __future__ import annotations

from conftest import PROJECT
from streamlit.testing.v1 import AppTest

from metrics.dataset import load_dataset


def test_app_shows_every_observation_without_error() -> None:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()
    assert not app.exception
    assert not app.error
    shown = app.dataframe[0].value
    expected = load_dataset().observations
    assert list(shown["quote"]) == list(expected["quote"])
    assert app.caption[0].value.startswith("7 sources, 27 regions")


def test_server_config_makes_no_request_outside() -> None:
    import tomllib

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    # With an explicit address, startup does not look up the external IP on the internet.
    assert config["browser"]["serverAddress"] == "localhost"
