"""The "Ekspor" popover of a page's picture (map PNG and GeoJSON, chart PNG/SVG, table CSV/XLSX) and a
map view as a table."""

from __future__ import annotations

import streamlit as st

from sinergi import safe
from sinergi.ui.language import lang, md, t
from sinergi.ui.presentation import presenting


def export_menu(key: str, *, view=None, indikator: str = "", tahun: int | None = None, title: str = "",
                legend_title: str = "", source: str = "", figures: dict | None = None, table_frame=None,
                file_stem: str = "sinergi", grid: bool = False) -> None:
    """An "Ekspor" popover for the page's current picture: the map as PNG (server-rendered, 16:9, with
    title, legend, source and date) and the regions with values as GeoJSON (when ``view`` — an
    ``explore.MapView`` — is given); each of ``figures`` (name → plotly figure) as PNG and SVG; the table
    as CSV and XLSX. Files are made only when clicked. Hidden in presentation mode. ``grid``: the map is shown
    as the grid view (``explore.grid_geometry``), so the PNG draws those squares (the GeoJSON keeps the regions'
    boundaries: it is the data, not the picture)."""
    from sinergi import export

    if presenting():
        return
    lg = lang()
    file_stem = safe.file_part(file_stem)  # callers may build it from names
    if table_frame is not None:
        def make_table(frame=table_frame):
            return frame
    elif view is not None:  # the map's table is made when a file is asked for, not on every rerun
        make_table = map_table_maker(view, indikator)
    else:
        make_table = None
    with st.popover(t("export"), icon=":material/download:"):
        if view is not None:
            # the view's stored geometry is read only when a file is asked for (a national village map is
            # drawn from vector tiles and never needs it on screen)
            def picture():
                from sinergi import explore

                geo = explore.grid_geometry(view.level, view.induk) if grid else view.geo
                return export.MapPicture(view.table, geo, view.legend, title, legend_title, source, grid=grid)

            st.download_button(t("export_map_png"), lambda: export.map_png(picture(), lg),
                file_name=f"{file_stem}.png", mime="image/png", key=f"{key}_png", on_click="ignore",
                icon=":material/map:")
            satuan = ""
            if indikator:
                from sinergi import catalog

                satuan = catalog.get(indikator).unit(lg) if catalog.exists(indikator) else ""
            st.download_button(t("export_geojson"),
                               lambda: export.regions_geojson(view.table, view.geo, indikator, int(tahun or 0), satuan),
                               file_name=f"{file_stem}.geojson", mime="application/geo+json", key=f"{key}_geojson",
                               on_click="ignore", icon=":material/public:")
        for i, (name, fig) in enumerate((figures or {}).items()):
            if not export.chart_export_available():
                st.caption(t("export_no_chromium"))
                break
            cols = st.columns(2)
            cols[0].download_button(f"{md(name)} (PNG)", lambda f=fig: export.figure_image(f, "png"),
                                    file_name=f"{file_stem}_{i + 1}.png", mime="image/png", key=f"{key}_fig{i}_png",
                                    on_click="ignore", icon=":material/bar_chart:")
            cols[1].download_button(f"{md(name)} (SVG)", lambda f=fig: export.figure_image(f, "svg"),
                                    file_name=f"{file_stem}_{i + 1}.svg", mime="image/svg+xml",
                                    key=f"{key}_fig{i}_svg", on_click="ignore", icon=":material/bar_chart:")
        if make_table is not None:
            st.download_button(t("download_csv"), lambda: export.table_csv(make_table()),  # made when clicked
                               file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
                               icon=":material/table:")
            st.download_button(t("download_xlsx"), lambda: export.table_xlsx(make_table(), sheet=file_stem),
                               file_name=f"{file_stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/table:")


def map_table(view, indikator: str = ""):
    """A map view's regions as a table for CSV/XLSX: code, name, parent code, value (numeric), class."""
    return map_table_maker(view, indikator)()


def map_table_maker(view, indikator: str = ""):
    """:func:`map_table` as a function to call later: the column names (in the page's language) are taken
    now, the table (tens of thousands of rows on a national map) is made only when called."""
    import pandas as pd

    from sinergi import catalog

    ind = catalog.get(indikator) if catalog.exists(indikator) else None
    value_col = f"{ind.nama(lang())} ({ind.unit(lang())})" if ind else t("value")
    names = (t("code"), t("name"), t("parent"), value_col, t("class"))

    def make():
        tb = view.table
        return pd.DataFrame(dict(zip(names, (tb["kode"], tb["nama"], tb.get("kode_induk"), tb["nilai"],
                                             tb["kelas"]))))

    return make
