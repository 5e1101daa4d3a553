"""The CSS every page shares, and the presentation mode's CSS and script (injected by
:func:`sinergi.ui.presentation.inject_css`)."""

BASE_CSS = """
<style>
html, body, [class*="css"] { font-size: 16px; }
/* map first: less room above the page's first line and a one-line title (Streamlit's own top padding is
   6rem under a 3.75rem header) */
[data-testid="stMainBlockContainer"], .block-container { padding-top: 3.6rem !important; }
[data-testid="stMain"] h1 { font-size: 2rem; padding: .2rem 0 .3rem 0; }
[data-testid="stMain"] h3 { font-size: 1.3rem; }
/* the demo label rides in Streamlit's header bar: on screen on every page and at every scroll, taking no
   room from the map */
.sd-banner { background: #fff3cd; border: 2px solid #e0a800; color: #4a3b00; padding: .2rem .8rem;
             border-radius: .4rem; font-weight: 700; font-size: 15px; margin: 0; position: fixed; top: .55rem;
             left: 50%; transform: translateX(-50%); z-index: 999991; max-width: min(46rem, 60vw);
             white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sd-source { color: #444; font-size: 14px; line-height: 1.4; }
/* a map frame sized by the page's script (MAP_SIZE_JS, PRESENT_JS): a custom property Streamlit never resets */
iframe[title="streamlit_folium.st_folium"][style*="--sd-h"] { height: var(--sd-h) !important; }
</style>
"""

# Presentation mode: no app chrome, no widgets, large high-contrast text; the picture, its title,
# legend and source only. Widgets stay in the page (they hold the view's state) but are not shown, except
# Peta's switch between the map and the grid view (a presenter shows either).
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
[data-testid="stMain"] [data-testid="stElementContainer"]:not(.st-key-peta_tampilan):has(
    [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stNumberInput"],
    [data-testid="stRadio"], [data-testid="stTextInput"], [data-testid="stCheckbox"], [data-testid="stToggle"],
    [data-testid="stDownloadButton"], [data-testid="stCaptionContainer"], [data-testid="stMetric"],
    [data-testid="stDataFrame"], [data-testid="stPopover"], [data-testid="stSegmentedControl"],
    [data-testid="stSlider"], [data-testid="stAlert"]) { display: none !important; }
[data-testid="stMain"] [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]):not(
    :has(iframe, .stPlotlyChart, .sd-source, [data-testid="stHeading"], .st-key-sd_presenter)) {
    display: none !important; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"]:not(
    :has(iframe, .stPlotlyChart, .sd-source, [data-testid="stHeading"])):not(.st-key-sd_presenter) {
    display: none !important; }
[data-testid="stMain"] [data-testid="stColumn"]:not(
    :has(iframe, .stPlotlyChart, .sd-source, [data-testid="stHeading"], .st-key-peta_tampilan)) {
    display: none !important; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:not(
    :has(iframe, .stPlotlyChart, .sd-source, [data-testid="stHeading"]))) > [data-testid="stColumn"] {
    flex-grow: 1 !important; }
[data-testid="stMain"] [data-testid="stExpander"] { display: none; }
.sd-banner { position: fixed; top: .4rem; right: .6rem; z-index: 1000; margin: 0; padding: .15rem .6rem;
             font-size: 14px; max-width: 34rem; }
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
#    allows — smaller when the page would scroll, larger on a big screen; the map inside follows its frame
#    and refits the regions. Runs a few times a second: the page's layout changes as it loads.
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

  // the map inside fills its frame and refits its regions on the resize (static/sinergi/choropleth.js)
  function fitFrame(frame, change) {
    var height = frame.getBoundingClientRect().height;
    var wanted = Math.round(Math.max(220, Math.min(height + change, 1600)));
    if (Math.abs(wanted - height) < 2) { return; }
    frame.style.setProperty("--sd-h", wanted + "px");
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

# Outside presentation mode: every map frame is sized to the screen, so the whole map (its legend drawn on
# it) is in sight without scrolling: from its top to the bottom of the window, at least MIN px; a map
# further down the page (less room than that below its top) gets a screen's height. The map inside follows
# its frame and refits its regions (static/sinergi/choropleth.js). Runs a few times a second: the page's
# layout changes as it loads, and on a resize or the sidebar's toggle.
MAP_SIZE_JS = """
<script>
(function () {
  var doc = document, MIN = 280, MAX = 1400, GAP = 14;
  function sizeMaps() {
    var main = doc.querySelector('[data-testid="stMain"]');
    var scrolled = (main ? main.scrollTop : 0) + (window.scrollY || 0), screen = window.innerHeight;
    doc.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach(function (f) {
      if (!f.getClientRects().length) { return; }
      var top = f.getBoundingClientRect().top + scrolled, room = screen - top - GAP;
      var wanted = Math.round(Math.min(MAX, room >= MIN ? room : screen - 100));
      var now = parseFloat(f.style.getPropertyValue("--sd-h")) || 0;
      if (Math.abs(wanted - now) >= 2) { f.style.setProperty("--sd-h", wanted + "px"); }
    });
  }
  if (doc.sdFitTimer) { clearInterval(doc.sdFitTimer); }
  doc.sdFitTimer = setInterval(sizeMaps, 250);
  sizeMaps();
})();
</script>
"""
