"""Shared page furniture: what every page draws besides its own picture.

Pages and the app's entry point call it as ``ui.<name>`` (``ui.t(...)``, ``ui.table(...)``,
``ui.dataset_banner()``, …): every name below is re-exported here, so that one import is the whole
page-facing surface and a page never has to know which module draws what. The modules, by what they
draw (each imports its siblings directly, never this package):

- :mod:`~sinergi.ui.language` — the interface language, ``t(key)``, ``md(text)`` (inert Markdown);
- :mod:`~sinergi.ui.presentation` — presentation mode (``?mode=presentasi``), the map's height in it, the
  CSS; :mod:`~sinergi.ui.styles` holds the CSS and the presentation script;
- :mod:`~sinergi.ui.sidebar_panel` — language switch, presentation toggle, the "save to agenda" form;
- :mod:`~sinergi.ui.agenda_controls` — this session's agenda, opening a view, the presenter bar;
- :mod:`~sinergi.ui.slides` — an agenda as a PDF slide pack;
- :mod:`~sinergi.ui.faults` — the data's faults, the first-run demo build, the page guard;
- :mod:`~sinergi.ui.banner` — the demo banner, the source note, the legend;
- :mod:`~sinergi.ui.regions_picker` — the cascaded region picker;
- :mod:`~sinergi.ui.tables` — tables on screen and their CSV/XLSX downloads;
- :mod:`~sinergi.ui.exports` — the "Ekspor" popover.

Kept small: page-specific logic lives in the pages' own modules, the agenda's data and validation in
:mod:`sinergi.agenda`, the files in :mod:`sinergi.export`.

Presentation mode (``?mode=presentasi``, or the sidebar toggle) hides the sidebar, the header and the
toolbar and every widget of the page, enlarges the text and keeps only the page's title, its map or
chart, the legend and the source. Pages help with three calls: ``ui.map_height(normal)`` for the map's
height, ``ui.presenting()`` to skip what a presenter does not show, ``ui.stop_if_presenting()`` after the
main picture.
"""

from __future__ import annotations

from sinergi import mapframe
from sinergi.ui.agenda_controls import (
    AGENDA_KEY,
    DEFAULT_PAGE,
    PAGES_KEY,
    agenda_json_bytes,
    get_agenda,
    link_target,
    open_view,
    page_id,
    presenter_bar,
    register_pages,
    set_agenda,
    view_query,
)
from sinergi.ui.banner import classes_note, dataset_banner, map_legend, source_note, source_text
from sinergi.ui.exports import export_menu, map_table
from sinergi.ui.faults import database_fault, database_guard, show_fault
from sinergi.ui.language import lang, md, t
from sinergi.ui.presentation import (
    MODE_PARAM,
    POS_KEY,
    PRESENT,
    PRESENT_CHART_HEIGHT,
    PRESENT_MAP_HEIGHT,
    inject_css,
    map_height,
    presenting,
    set_presenting,
    stop_if_presenting,
)
from sinergi.ui.regions_picker import first_level, region_picker, region_popover
from sinergi.ui.sidebar_panel import sidebar
from sinergi.ui.slides import agenda_slides, slide_pack_maker
from sinergi.ui.styles import BASE_CSS, MAP_SIZE_JS, PRESENT_CSS, PRESENT_JS
from sinergi.ui.tables import TABLE_ROWS, download_csv, table

mapframe.install()  # st_folium's per-rerun string work on a cached map, remembered (see sinergi/mapframe.py)

__all__ = [
    # language and texts
    "lang", "t", "md",
    # presentation mode
    "MODE_PARAM", "PRESENT", "PRESENT_MAP_HEIGHT", "PRESENT_CHART_HEIGHT", "POS_KEY", "BASE_CSS", "PRESENT_CSS",
    "PRESENT_JS", "MAP_SIZE_JS", "presenting", "set_presenting", "map_height", "stop_if_presenting", "inject_css",
    # sidebar and agenda
    "sidebar", "DEFAULT_PAGE", "AGENDA_KEY", "PAGES_KEY", "page_id", "register_pages", "get_agenda",
    "set_agenda", "view_query", "open_view", "presenter_bar", "agenda_json_bytes", "link_target",
    "agenda_slides", "slide_pack_maker",
    # the data: faults, banner, notes, legend, region picker
    "database_fault", "show_fault", "database_guard", "dataset_banner", "source_text", "source_note",
    "map_legend", "classes_note", "region_picker", "region_popover", "first_level",
    # tables, downloads, exports
    "TABLE_ROWS", "table", "download_csv", "export_menu", "map_table",
]
