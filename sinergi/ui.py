"""Shared page furniture: language, presentation mode, the agenda controls, the dataset banner, the
first-run build, exports, common CSS.

Kept small: it draws what every page shows; page-specific logic lives in the pages' own modules, the
agenda's data and validation in :mod:`sinergi.agenda`, the files in :mod:`sinergi.export`.

Presentation mode (``?mode=presentasi``, or the sidebar toggle) hides the sidebar, the header and the
toolbar and every widget of the page, enlarges the text and keeps only the page's title, its map or
chart, the legend and the source. Pages help with three calls: ``ui.map_height(normal)`` for the map's
height, ``ui.presenting()`` to skip what a presenter does not show, ``ui.stop_if_presenting()`` after the
main picture.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from sinergi import agenda as ag
from sinergi import build, db, folders, i18n, mapframe, safe
from sinergi import data as sd

mapframe.install()  # st_folium's per-rerun string work on a cached map, remembered (see sinergi/mapframe.py)

MODE_PARAM = "mode"
PRESENT = "presentasi"
DEFAULT_PAGE = "beranda"  # url_path of the default page (Streamlit reports "" for it)
# Map height in presentation mode as drawn by the server; the presentation script then fits the map to
# the screen (tests/browser/test_presentation_browser.py checks 1280×720 and 1920×1080).
PRESENT_MAP_HEIGHT = 400
# A tall chart (e.g. the profile's percentiles) in presentation mode, below a title and two text lines.
PRESENT_CHART_HEIGHT = 500
AGENDA_KEY = "_agenda"
POS_KEY = "_agenda_pos"
PAGES_KEY = "_pages"

BASE_CSS = """
<style>
html, body, [class*="css"] { font-size: 16px; }
.sd-banner { background: #fff3cd; border: 2px solid #e0a800; color: #4a3b00; padding: .5rem .9rem;
             border-radius: .4rem; font-weight: 700; font-size: 1rem; margin-bottom: .6rem; }
.sd-source { color: #444; font-size: 14px; line-height: 1.4; }
.sd-legend { font-size: 15px; line-height: 1.5; }
.sd-legend .sw { display: inline-block; width: 1.1em; height: 1.1em; vertical-align: -0.15em;
                 margin-right: .45em; border: 1px solid #555; }
.sd-legend .nd { background: #b0b0b0; opacity: .7; border-style: dashed; }
</style>
"""

# Presentation mode: no app chrome, no widgets, large high-contrast text; the picture, its title,
# legend and source only. Widgets stay in the page (they hold the view's state) but are not shown.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
header, [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stExpandSidebarButton"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: .6rem 1.6rem .4rem 1.6rem !important;
    max-width: 100% !important; }
[data-testid="stMain"] { color: #000; font-size: 19px; }
[data-testid="stMain"] h1 { font-size: 1.75rem !important; padding: 0 0 .2rem 0 !important; color: #000; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 1.45rem !important; padding: .1rem 0 !important;
    color: #000; }
[data-testid="stMain"] p { font-size: 19px; }
[data-testid="stMain"] [data-testid="stElementContainer"]:has(
    [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stNumberInput"],
    [data-testid="stRadio"], [data-testid="stTextInput"], [data-testid="stCheckbox"], [data-testid="stToggle"],
    [data-testid="stDownloadButton"], [data-testid="stCaptionContainer"], [data-testid="stMetric"],
    [data-testid="stDataFrame"], [data-testid="stPopover"], [data-testid="stSegmentedControl"],
    [data-testid="stSlider"], [data-testid="stAlert"]) { display: none !important; }
[data-testid="stMain"] [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]):not(
    :has(iframe, .stPlotlyChart, .sd-legend, .sd-source, [data-testid="stHeading"], .st-key-sd_presenter)) {
    display: none !important; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"]:not(
    :has(iframe, .stPlotlyChart, .sd-legend, .sd-source, [data-testid="stHeading"])):not(.st-key-sd_presenter) {
    display: none !important; }
[data-testid="stMain"] [data-testid="stColumn"]:not(
    :has(iframe, .stPlotlyChart, .sd-legend, .sd-source, [data-testid="stHeading"])) { display: none !important; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:not(
    :has(iframe, .stPlotlyChart, .sd-legend, .sd-source, [data-testid="stHeading"]))) > [data-testid="stColumn"] {
    flex-grow: 1 !important; }
[data-testid="stMain"] [data-testid="stExpander"] { display: none; }
.sd-banner { position: fixed; top: .4rem; right: .6rem; z-index: 1000; margin: 0; padding: .15rem .6rem;
             font-size: 14px; max-width: 34rem; }
.sd-legend { display: flex; flex-wrap: wrap; gap: 0 1.3rem; font-size: 17px; color: #000; line-height: 1.35; }
.sd-legend > div:first-child { flex-basis: 100%; }
.sd-source { color: #111; font-size: 16px; }
.st-key-sd_presenter { position: fixed; bottom: .5rem; right: .8rem; z-index: 1001; width: auto !important;
    background: rgba(255,255,255,.92); border: 1px solid #999; border-radius: .5rem; padding: .2rem .4rem; }
.st-key-sd_presenter p { font-size: 16px; margin: 0; }
</style>
"""

# Presentation mode script, run in the app's own document (st.html, not an iframe):
# 1. keyboard shortcuts: → / PageDown next view, ← / PageUp previous, Esc leaves the mode; a key clicks the
#    presenter bar's button, so it does exactly what a click does; keys typed into a field are ignored;
# 2. the maps fill the screen: the page is measured and the map frames are made as tall as the screen
#    allows — smaller when the page would scroll, larger on a big screen — and Leaflet refits the regions. The map document is the app's own (same origin), so its map div
#    can follow the frame's height. Runs a few times a second: Streamlit may reset the frame's height.
PRESENT_JS = """
<script>
(function () {
  var doc = document;
  if (doc.sdKeyHandler) { doc.removeEventListener("keydown", doc.sdKeyHandler); }
  doc.sdKeyHandler = function (e) {
    var el = e.target || {};
    var tag = (el.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable) { return; }
    var target = null;
    if (e.key === "ArrowRight" || e.key === "PageDown") { target = ".st-key-sd_next"; }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { target = ".st-key-sd_prev"; }
    else if (e.key === "Escape") { target = ".st-key-sd_exit"; }
    if (!target) { return; }
    // while a page changes, the previous page's bar may linger (marked stale): use the current one
    var button = doc.querySelector(target + ':not([data-stale="true"]) button');
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  };
  doc.addEventListener("keydown", doc.sdKeyHandler);

  function fitFrame(frame, change) {
    var inner;
    try { inner = frame.contentDocument; } catch (err) { return; }
    if (!inner || !inner.head || !inner.getElementById("map_div")) { return; }
    if (!inner.getElementById("sd-fit")) {
      var style = inner.createElement("style");
      style.id = "sd-fit";
      style.textContent = "#map_div { height: 100vh !important; }";
      inner.head.appendChild(style);
    }
    var height = frame.getBoundingClientRect().height;
    var wanted = Math.round(Math.max(220, Math.min(height + change, 1600)));
    if (Math.abs(wanted - height) < 2) { return; }
    frame.style.setProperty("height", wanted + "px", "important");
    var win = frame.contentWindow;
    setTimeout(function () {
      try {
        win.map.invalidateSize();
        if (win.sdLayer) { win.map.fitBounds(win.sdLayer.getBounds()); }
      } catch (err) { /* the map is still loading: the next round refits it */ }
    }, 150);
  }
  function fitMap() {
    var frames = Array.from(doc.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'))
      .filter(function (f) { return f.getClientRects().length > 0; });
    var main = doc.querySelector('[data-testid="stMain"]');
    var block = doc.querySelector('[data-testid="stMainBlockContainer"]');
    if (!frames.length || !main || !block) { return; }
    // maps side by side share a row; stacked maps share the change
    var rows = new Set(frames.map(function (f) { return Math.round(f.getBoundingClientRect().top / 40); })).size;
    var overflow = main.scrollHeight - main.clientHeight;
    var slack = main.clientHeight - block.getBoundingClientRect().bottom;
    // shrink when the page scrolls; grow into free space with a margin (hysteresis: no oscillation)
    var change = overflow > 0 ? -(overflow + 4) : (slack > 24 ? slack - 18 : 0);
    if (change === 0) { return; }
    frames.forEach(function (f) { fitFrame(f, change / rows); });
  }
  if (doc.sdFitTimer) { clearInterval(doc.sdFitTimer); }
  doc.sdFitTimer = setInterval(fitMap, 300);
})();
</script>
"""


# --------------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------------

def lang() -> str:
    """Interface language: the URL's ``?lang=en`` first, then this session's choice, else Indonesian."""
    value = st.query_params.get("lang") or st.session_state.get("_lang", "id")
    return value if value in i18n.LANGS else "id"


def _set_lang() -> None:
    choice = st.session_state["_lang_choice"]
    st.session_state["_lang"] = choice
    if choice == "id":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = choice


def t(key: str) -> str:
    return i18n.t(key, lang())


# --------------------------------------------------------------------------------------------------
# Presentation mode
# --------------------------------------------------------------------------------------------------

def presenting() -> bool:
    """True in presentation mode: ``?mode=presentasi`` in the URL (any other value means normal)."""
    return st.query_params.get(MODE_PARAM) == PRESENT


def set_presenting(on: bool) -> None:
    if on:
        st.query_params[MODE_PARAM] = PRESENT
    else:
        st.query_params.pop(MODE_PARAM, None)
        st.session_state[POS_KEY] = None
    st.session_state["_mode"] = PRESENT if on else ""


def _toggle_mode() -> None:
    set_presenting(bool(st.session_state.get("_mode_toggle")))


def map_height(normal: int) -> int:
    """The map's height in CSS pixels for the current mode (``normal`` outside presentation mode)."""
    return min(normal, PRESENT_MAP_HEIGHT) if presenting() else normal


def stop_if_presenting() -> None:
    """End the page here in presentation mode (after its main picture); otherwise do nothing."""
    if presenting():
        st.stop()


def inject_css() -> None:
    """The shared CSS, and the presentation CSS and keys in presentation mode (no space taken)."""
    st.html(BASE_CSS + (PRESENT_CSS if presenting() else ""))
    if presenting():
        st.html(PRESENT_JS, unsafe_allow_javascript=True)


# --------------------------------------------------------------------------------------------------
# Sidebar: language, presentation mode, "save to agenda"
# --------------------------------------------------------------------------------------------------

def page_id(page=None) -> str:
    """The url_path of a page object from ``st.navigation`` (the default page's name for "")."""
    return (getattr(page, "url_path", "") or DEFAULT_PAGE) if page is not None else DEFAULT_PAGE


def register_pages(pages: dict) -> None:
    """Remember this run's pages by url_path (for ``st.switch_page`` when presenting an agenda)."""
    found = {}
    for section in pages.values():
        for p in section:
            found[page_id(p) if getattr(p, "_default", False) else p.url_path] = p
    st.session_state[PAGES_KEY] = found


def sidebar(page=None) -> None:
    """Language switch and presentation toggle (both kept in the URL) and the "save to agenda" form,
    shared by every page. ``page`` is the page object ``st.navigation`` returned."""
    current = lang()
    st.session_state["_lang"] = current
    # a language or mode the app does not know is dropped from the URL (so shared links stay clean)
    if st.query_params.get("lang") not in (None, *i18n.LANGS):
        del st.query_params["lang"]
    if st.query_params.get(MODE_PARAM) not in (None, PRESENT):
        del st.query_params[MODE_PARAM]
    if current != "id" and st.query_params.get("lang") != current:
        st.query_params["lang"] = current  # keep the language in the URL after page changes
    if st.session_state.get("_mode") == PRESENT and MODE_PARAM not in st.query_params:
        st.query_params[MODE_PARAM] = PRESENT  # and the mode, when the presenter changes page
    inject_css()
    with st.sidebar:
        st.selectbox(
            t("language"), options=list(i18n.LANGS), index=list(i18n.LANGS).index(current),
            format_func=lambda c: {"id": "Bahasa Indonesia", "en": "English"}[c],
            key="_lang_choice", on_change=_set_lang,
        )
        st.session_state["_mode_toggle"] = presenting()
        st.toggle(t("present_mode"), key="_mode_toggle", on_change=_toggle_mode, help=t("present_help"))
        _save_form(page_id(page))


def get_agenda() -> ag.Agenda:
    return st.session_state.get(AGENDA_KEY) or ag.Agenda(t("ag_default_name"))


def set_agenda(value: ag.Agenda) -> None:
    st.session_state[AGENDA_KEY] = value


def _save_form(current_page: str) -> None:
    if current_page not in ag.PAGE_PARAMS:
        return  # e.g. the agenda page itself, or a page that does not describe its URL state yet
    with st.expander(t("ag_save"), icon=":material/bookmark_add:"):
        with st.form("sd_save_view", clear_on_submit=True, border=False):
            title = st.text_input(t("ag_title"), max_chars=ag.MAX_TITLE, key="_ag_title")
            note = st.text_area(t("ag_note"), max_chars=ag.MAX_NOTE, key="_ag_note", height=90)
            saved = st.form_submit_button(t("ag_save_button"), icon=":material/add:")
        if saved:
            try:
                view = ag.make_view(current_page, st.query_params.to_dict(), title, note)
                set_agenda(ag.add(get_agenda(), view))
            except ag.AgendaError as e:
                st.error(md(e))
            else:
                st.success(t("ag_saved").format(n=len(get_agenda().views)))
        st.page_link("pages/agenda.py", label=t("nav_agenda"), icon=":material/slideshow:")


# --------------------------------------------------------------------------------------------------
# Presenting an agenda
# --------------------------------------------------------------------------------------------------

def view_query(view: ag.View, presenting_: bool = True) -> dict[str, str]:
    """Query parameters that open ``view`` in this session's language (and presentation mode)."""
    q = dict(view.params)
    if lang() != "id":
        q["lang"] = lang()
    if presenting_:
        q[MODE_PARAM] = PRESENT
    return q


def open_view(index: int, presenting_: bool = True) -> None:
    """Go to the agenda's view ``index`` (its page with its URL state); stops the current run."""
    agenda = get_agenda()
    if not 0 <= index < len(agenda.views):
        return
    view = agenda.views[index]
    pages = st.session_state.get(PAGES_KEY, {})
    target = pages.get(view.page)
    if target is None:
        st.error(t("ag_unknown_page").format(page=view.page))
        return
    st.session_state[POS_KEY] = index if presenting_ else None
    st.session_state["_mode"] = PRESENT if presenting_ else ""
    st.switch_page(target, query_params=view_query(view, presenting_))


def presenter_bar() -> None:
    """In presentation mode: a small fixed bar with ◀ n/N ▶ while an agenda is presented, and ✕ to
    leave the mode (keys: ←/→, PageUp/PageDown, Esc). Nothing outside presentation mode."""
    if not presenting():
        return
    agenda = get_agenda()
    pos = st.session_state.get(POS_KEY)
    showing = pos is not None and 0 <= pos < len(agenda.views)
    with st.container(key="sd_presenter", horizontal=True, vertical_alignment="center", gap="small",
                      width="content"):
        if showing:
            prev = st.button("◀", key="sd_prev", disabled=pos == 0, help=t("ag_prev"))
            st.markdown(f"**{pos + 1} / {len(agenda.views)}**", help=md(agenda.views[pos].title))
            nxt = st.button("▶", key="sd_next", disabled=pos >= len(agenda.views) - 1, help=t("ag_next"))
        else:
            prev = nxt = False
        leave = st.button("✕", key="sd_exit", help=t("present_exit"))
    if leave:
        set_presenting(False)
        st.rerun()
    if prev:
        open_view(pos - 1)
    if nxt:
        open_view(pos + 1)


# --------------------------------------------------------------------------------------------------
# Data banner, first run, notes, legends
# --------------------------------------------------------------------------------------------------

def database_fault() -> db.DataError | None:
    """Why the active dataset cannot be shown (None when it can).

    On the first run the demo database is built with a progress bar — after checking that the data
    folder is writable, so a read-only folder is said at once instead of after half a minute of
    generating. Leftovers of interrupted writes are removed once per process (:func:`_clean_once`).
    """
    _clean_once(str(db.data_dir()))
    path = None
    try:
        path = db.dataset_path()
        if not path.exists() and not os.path.lexists(path) and db.active_dataset() == "demo":
            if not folders.bisa_ditulis(path.parent):
                return db.gangguan("tulis", path, folder=path.parent)
            bar = st.progress(0.0, text=t("building_db"))

            def progress(f: float, msg: str) -> None:
                bar.progress(min(max(f, 0.0), 1.0), text=f"{t('building_db')} {msg}")

            try:
                build.ensure_demo(progress=progress)
            except OSError as e:
                return db.gangguan("tulis", path, folder=path.parent, detail=e.strerror or str(e))
            finally:
                bar.empty()
        sd.database()
        seen = db.seen_damaged(path)  # a page already met damage in this very file: say so up front
        if seen is not None:
            return seen
        sd.dataset_info()  # the first read of every page (banner, sidebar line)
    except db.DataError as e:
        return e
    except (duckdb.IOException, duckdb.FatalException) as e:
        return db.mark_damaged(path, e)
    return None


@st.cache_resource(max_entries=16, show_spinner=False)
def _clean_once(folder: str) -> tuple[str, ...]:
    """Remove what interrupted imports or builds left in ``folder`` when the app starts (once per
    process and folder; only while no write holds the folder's lock). Returns what was removed."""
    return tuple(str(p) for p in folders.bersihkan_sisa(folder))


def show_fault(fault: db.DataError, link: bool = True) -> None:
    """A fault of the data in the user's language: what is wrong, how to repair it, DuckDB's own words
    as a technical detail, and (``link``) a link to Kelola Data, where an admin repairs it. Names from
    the file system are escaped."""
    from sinergi import datasets

    lg = lang()
    if fault.jenis == "tulis" and fault.dataset == "demo":  # no database, and none can be built
        text = f"{t('db_error')}: {t('db_not_writable')} ({md(fault.folder)})."
    elif fault.jenis in db.JENIS_GANGGUAN:
        text = t(f"fault_{fault.jenis}").format(dataset=md(fault.dataset), berkas=md(fault.berkas),
                                                folder=md(fault.folder))
    else:
        text = f"{t('db_error')}: {md(str(fault))}"
    text = f"{text}\n\n{datasets.perbaikan(fault, lg)}"
    if presenting():  # presentation mode hides alerts and captions: the fault must not leave a blank screen
        st.markdown(f"**{text}**")
        return
    st.error(text, icon=":material/error:")
    if fault.detail:
        st.caption(f"{t('fault_detail')}: {md(fault.detail)}")
    if link:
        st.page_link("pages/kelola_data.py", label=t("fault_open_kelola"), icon=":material/database:")


@contextmanager
def database_guard() -> Iterator[None]:
    """Run a page inside this: a fault met only while the page reads (a damaged block behind a readable
    catalog, the file gone since the start of the run) ends the page with the fault's message and the
    repair path, not a traceback, and the app keeps serving."""
    try:
        yield
    except db.DataError as e:
        st.error(t("fault_page_damaged"))
        show_fault(e)
    except (duckdb.IOException, duckdb.FatalException) as e:
        st.error(t("fault_page_damaged"))
        try:
            path = db.dataset_path()
        except db.DataError as f:
            show_fault(f)
        else:
            show_fault(db.mark_damaged(path, e))


def dataset_banner() -> dict:
    """Show the demo label (demo data only) and return the dataset's metadata.

    Every page calls this first. When the active dataset cannot be read, it shows why and how to repair
    it and ends the page: ``app.py`` says so before a page runs, this keeps a page run on its own (as
    ``AppTest.switch_page`` runs pages: without ``app.py``) from ending in a traceback.
    """
    from sinergi import signin

    signin.tutup_bila_tidak_boleh()  # a restricted active dataset, or sign-in required: stop before reading
    fault = database_fault()
    if fault is not None:
        show_fault(fault)
        st.stop()
    info = sd.dataset_info()
    if info.get("demo"):
        st.markdown(f'<div class="sd-banner" role="status">{html.escape(t("demo_banner"))}</div>',
                    unsafe_allow_html=True)
    return info


def source_text(info: dict, extra: str = "") -> str:
    """"Sumber: … · Lisensi: … · extra" as plain text (for notes, exports and slides)."""
    parts = [f"{t('source')}: {info.get('sumber', '–')}"]
    if info.get("lisensi"):
        parts.append(f"{t('licence')}: {info['lisensi']}")
    if extra:
        parts.append(extra)
    return " · ".join(parts)


def source_note(info: dict, extra: str = "") -> None:
    """A note naming the dataset's source and licence (escaped; kept visible in presentation mode)."""
    st.markdown(f'<div class="sd-source">{safe.html_text(source_text(info, extra))}</div>', unsafe_allow_html=True)


def legend_html(legend, title: str) -> str:
    """Legend as escaped HTML: a swatch, range and count per class, then "no data"."""
    rows = [f"<div><b>{safe.html_text(title)}</b></div>"]
    for col, label, n in zip(legend.colors, legend.labels, legend.counts):
        rows.append(
            f'<div><span class="sw" style="background:{html.escape(col)}"></span>'
            f"{safe.html_text(label)} <span style='color:#444'>({i18n.fmt_num(n, 0, lang())})</span></div>"
        )
    rows.append(
        f'<div><span class="sw nd"></span>{html.escape(t("no_data"))} '
        f"<span style='color:#444'>({i18n.fmt_num(legend.n_missing, 0, lang())})</span></div>"
    )
    return '<div class="sd-legend">' + "".join(rows) + "</div>"


def region_picker(key: str, max_level: int = 3, param: str = "wil", container=None) -> str:
    """Cascaded selectboxes provinsi → kabupaten/kota → kecamatan (→ desa/kelurahan with ``max_level=4``).

    The chosen region (dotted Kemendagri code, '' = the whole dataset) is read from and written to the
    URL parameter ``param``; a code from the URL that does not exist falls back level by level to its
    nearest existing ancestor. Each child box is keyed by its parent, so changing the province never
    leaves a stale kabupaten selected. (Added for the theme pages, issue 5.)
    """
    from sinergi import regions, state

    qp = st.query_params
    wanted = state.kode(qp, param)
    chain = []
    if wanted:
        parts = wanted.split(".")
        chain = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    names = {**regions.LEVEL_NAMES_EN} if lang() == "en" else {**regions.LEVEL_NAMES}
    cols = (container or st).columns(max_level)
    chosen, parent = "", ""
    for level in range(1, max_level + 1):
        opts = sd.query("region_list", level=level, induk=parent)
        if opts.empty:
            break
        codes = [""] + opts["kode"].tolist()
        label_of = dict(zip(opts["kode"], opts["nama"]))
        default = chain[level - 1] if len(chain) >= level and chain[level - 1] in label_of else ""
        value = cols[level - 1].selectbox(
            names[level].capitalize(), codes, index=codes.index(default),
            format_func=lambda c, m=label_of: m.get(c, t("all_regions")) if c else t("all_regions"),
            key=f"{key}_l{level}_{parent or 'root'}",
        )
        if not value:
            break
        chosen = parent = value
    state.write(qp, {param: chosen}, {param: ""})
    return chosen


# --------------------------------------------------------------------------------------------------
# Tables and exports
# --------------------------------------------------------------------------------------------------

TABLE_ROWS = 5_000  # rows a displayed table shows at most; downloads hold every row


def table(frame, max_rows: int | None = None, **kwargs) -> None:
    """``st.dataframe`` with numbers written the way the interface language writes them (1.234,5 or
    1,234.5). Display only: downloads take the numeric frame.

    At most ``max_rows`` (default :data:`TABLE_ROWS`) rows are shown, with a note saying how many there
    are: a national list of 85,000 villages cost ~0.3 s of formatting and serialising on every rerun and
    several MB to every browser, and no one reads it on screen (its downloads have every row)."""
    limit = TABLE_ROWS if max_rows is None else max_rows
    total = len(frame)
    if total > limit:
        frame = frame.head(limit)
    lg = lang()
    shown, config = i18n.display_frame(frame, lg)
    kwargs.setdefault("hide_index", True)
    for col, given in (kwargs.pop("column_config", None) or {}).items():
        # a plain label keeps the right alignment of a formatted number column
        config[col] = {**config[col], "label": given} if isinstance(given, str) and col in config else given
    st.dataframe(shown, column_config=config, **kwargs)
    if total > limit:
        st.caption(t("table_capped").format(shown=i18n.fmt_num(limit, 0, lg), total=i18n.fmt_num(total, 0, lg)))


def download_csv(frame, label: str, file_name: str, key: str) -> None:
    """CSV and XLSX downloads of a table (numbers stay numeric; CSV in UTF-8 with BOM so spreadsheet
    programs read the accents right). Both files are made only when clicked (a national village table's
    CSV took about a quarter of a second of every rerun)."""
    from sinergi import export

    if presenting():
        return
    stem = safe.file_part(file_name.rsplit(".", 1)[0])  # callers may build it from names
    with st.container(horizontal=True, gap="small"):
        # Made when clicked, like every download here: for a file given as bytes, Streamlit 1.67 stores it
        # in memory and the browser fetches all of it on each rerun just to check it (bench/load_bench.py
        # saw those fetches 404 once a faster rerun had dropped the file).
        st.download_button(f"⬇ {label}", lambda: export.table_csv(frame), file_name=f"{stem}.csv",
                           mime="text/csv", key=key, on_click="ignore")
        st.download_button(f"⬇ {t('download_xlsx')}", lambda: export.table_xlsx(frame, sheet=stem),
                           file_name=f"{stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def export_menu(key: str, *, view=None, indikator: str = "", tahun: int | None = None, title: str = "",
                legend_title: str = "", source: str = "", figures: dict | None = None, table_frame=None,
                file_stem: str = "sinergi") -> None:
    """An "Ekspor" popover for the page's current picture: the map as PNG (server-rendered, 16:9, with
    title, legend, source and date) and the regions with values as GeoJSON (when ``view`` — an
    ``explore.MapView`` — is given); each of ``figures`` (name → plotly figure) as PNG and SVG; the table
    as CSV and XLSX. Files are made only when clicked. Hidden in presentation mode."""
    from sinergi import export

    if presenting():
        return
    lg = lang()
    file_stem = safe.file_part(file_stem)  # callers may build it from names
    if table_frame is None and view is not None:
        table_frame = map_table(view, indikator)
    with st.popover(t("export"), icon=":material/download:"):
        if view is not None:
            pic = export.MapPicture(view.table, view.geo, view.legend, title, legend_title, source)
            st.download_button(t("export_map_png"), lambda: export.map_png(pic, lg), file_name=f"{file_stem}.png",
                               mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/map:")
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
        if table_frame is not None:
            st.download_button(t("download_csv"), lambda: export.table_csv(table_frame),  # made when clicked
                               file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
                               icon=":material/table:")
            st.download_button(t("download_xlsx"), lambda: export.table_xlsx(table_frame, sheet=file_stem),
                               file_name=f"{file_stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/table:")


def map_table(view, indikator: str = ""):
    """A map view's regions as a table for CSV/XLSX: code, name, parent code, value (numeric), class."""
    import pandas as pd

    from sinergi import catalog

    ind = catalog.get(indikator) if catalog.exists(indikator) else None
    value_col = f"{ind.nama(lang())} ({ind.unit(lang())})" if ind else t("value")
    tb = view.table
    return pd.DataFrame({t("code"): tb["kode"], t("name"): tb["nama"], t("parent"): tb.get("kode_induk"),
                         value_col: tb["nilai"], t("class"): tb["kelas"]})


def agenda_json_bytes(value: ag.Agenda) -> bytes:
    return ag.to_json(value).encode("utf-8")


def md(text: object) -> str:
    """Text from users or data made inert for Markdown (see ``themes.md``)."""
    from sinergi import themes

    return themes.md(text)


def link_target(view: ag.View, lang_: str | None = None) -> str:
    """The view's relative link for a Markdown link (the default page lives at the app's root)."""
    link = view.link(lang_ or lang())
    return "./" + link[len(DEFAULT_PAGE):] if view.page == DEFAULT_PAGE else link


def agenda_slides(value: ag.Agenda, info: dict):
    """One :class:`export.Slide` per view: the view's map (resolved like its page does, drawn from the
    same classified data) or, for views without a map, its title, note and link."""
    from sinergi import catalog, explore, export
    from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

    lg = lang()
    avail = set(sd.available_indicators()["id"])
    level_names = LEVEL_NAMES_EN if lg == "en" else LEVEL_NAMES
    slides = []
    for view in value.views:
        spec = export.view_map_spec(view.page, view.params, avail, sd.years)
        pic = None
        if spec is not None:
            mv = explore.choropleth_view(spec.indikator, spec.tahun, spec.level, spec.induk, spec.metode, spec.k,
                                         spec.palet, lg)
            ind = catalog.get(spec.indikator)
            where = t("all_regions") if not spec.induk else _region_name(spec.induk)
            pic = export.MapPicture(
                mv.table, mv.geo, mv.legend, view.title,
                f"{ind.nama(lg)} ({ind.unit(lg)}), {level_names[spec.level]}",
                source_text(info, ind.sumber), subtitle=f"{ind.nama(lg)} {spec.tahun} · {where}")
        slides.append(export.Slide(view.title, view.note, view.link(lg), pic))
    return slides


def _region_name(kode: str) -> str:
    df = sd.query("region", kode=kode)
    return str(df.iloc[0]["nama"]) if len(df) else kode


def slide_pack_maker(value: ag.Agenda, info: dict):
    """A no-argument function making the agenda's slide pack (PDF bytes), for a deferred download:
    the data is gathered now (in the page's run), the drawing happens only when clicked."""
    from sinergi import export

    slides = agenda_slides(value, info)
    lg, source, name = lang(), source_text(info), value.name
    return lambda: export.slide_pack_pdf(slides, lg, source, name)
