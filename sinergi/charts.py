"""plotly chart builders: data in, Figure out (no Streamlit calls).

One visual language with the maps: the same status colours, text no smaller than 14 px.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sinergi import catalog, classify
from sinergi.i18n import fmt_num, t

FONT = dict(family="Source Sans Pro, Segoe UI, sans-serif", size=16, color="#1b1b1b")


def _layout(fig: go.Figure, title: str, source: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=19)), font=FONT, height=height,
        margin=dict(l=10, r=10, t=60, b=70), plot_bgcolor="white", paper_bgcolor="white",
    )
    if source:
        fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=-0.22, showarrow=False,
                           xanchor="left", font=dict(size=14, color="#444"))
    return fig


def status_bars(counts: pd.DataFrame, lang: str = "id", title: str | None = None, source: str = "") -> go.Figure:
    """Bar chart of villages per IDM status. ``counts`` has ``status`` (1..5) and ``n``."""
    full = pd.DataFrame({"status": range(1, 6)}).merge(counts, on="status", how="left").fillna({"n": 0})
    total = max(int(full["n"].sum()), 1)
    names = [catalog.nama_status(s, lang) for s in full["status"]]
    text = [f"{fmt_num(n, 0, lang)} ({fmt_num(100 * n / total, 1, lang)}%)" for n in full["n"]]
    fig = go.Figure(go.Bar(
        x=names, y=full["n"], marker_color=list(classify.STATUS_COLORS), marker_line_color="#333",
        marker_line_width=1, text=text, textposition="outside", textfont=dict(size=15),
        hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    fig.update_yaxes(title_text=t("count", lang) + " " + t("villages", lang), gridcolor="#ddd",
                     range=[0, full["n"].max() * 1.2 + 1])
    return _layout(fig, title or t("villages_per_status", lang), source)
