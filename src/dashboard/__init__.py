"""The Streamlit layer of the dashboard: caching and the widgets the pages share.

Everything here may import streamlit; ``metrics`` never does.
"""
