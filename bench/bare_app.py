"""A bare one-chart Streamlit page: the baseline for ``bench/render.py``."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
