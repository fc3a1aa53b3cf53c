"""The framework's floor for ``benchmarks.browser``: the smallest Streamlit page with a filter —
one select box and the line it changes — served with the dashboard's own
``.streamlit/config.toml``. A change here costs what Streamlit itself costs per rerun on this
machine (websocket round trip, script run, React update); no page of the dashboard can settle
faster than this."""
import streamlit as st

st.set_page_config(page_title="Sàn đo", layout="wide")
province = st.selectbox("Tỉnh", ["Điện Biên", "Sơn La", "Lai Châu"])
st.markdown(f"Đã chọn: **{province}**")
