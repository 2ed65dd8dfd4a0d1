"""Dashboard entry point: `uv run streamlit run app.py`.

For now a single page that shows whether the bundled data is valid and lists every
curated number with its source and quote. The full multipage dashboard builds on it.
"""

import streamlit as st

from metrics.dataset import load_dataset

st.set_page_config(page_title="基层治理指标 · Governance indicators", layout="wide")
st.title("基层治理指标 · Reported governance indicators")

dataset = load_dataset()
if dataset.problems:
    st.error(f"数据校验发现 {len(dataset.problems)} 个问题 · The data has problems")
    st.code("\n".join(problem.render() for problem in dataset.problems), language=None)
else:
    st.caption(dataset.summary())

st.dataframe(
    dataset.observations[
        ["region_id", "indicator_id", "value", "unit", "qualifier", "period", "source_id", "quote"]
    ],
    hide_index=True,
)
