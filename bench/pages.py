"""Server-side script time of each dashboard page, cold and warm, and its figures.

Run in its own process per dataset: ``python bench/pages.py DATA_YAML [RUNS]``.
Prints one JSON object: page -> {"cold": s, "warm": [s, ...], "figures": [bytes, ...]},
where figures are the sizes of the plotly figures the page sends to the browser.
AppTest runs the page script as the server does; its time includes AppTest's own
reading of the page's elements, so it slightly overstates the server's time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "compare", "region", "practices", "sources", "quality"]


def _run(app: AppTest) -> float:
    start = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - start
    if app.exception:
        raise RuntimeError([e.value for e in app.exception])
    return elapsed


def main() -> None:
    os.environ["METRICS_DATA"] = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    results = {}
    for page in PAGES:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        app.session_state["lang"] = "zh"
        app.switch_page(f"app_pages/{page}.py")
        cold = _run(app)
        warm = [_run(app) for _ in range(runs)]
        figures = [len(element.proto.spec.encode()) for element in app.get("plotly_chart")]
        results[page] = {"cold": cold, "warm": warm, "figures": figures}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
