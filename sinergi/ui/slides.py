"""An agenda as a slide pack: one slide per view (its map, or its title, note and link), as a PDF made
when the download is clicked."""

from __future__ import annotations

from sinergi import agenda as ag
from sinergi import data as sd
from sinergi.ui.banner import source_text
from sinergi.ui.language import lang, t


def agenda_slides(value: ag.Agenda, info: dict):
    """One :class:`export.Slide` per view: the view's map (resolved like its page does, drawn from the
    same classified data, as Peta's grid of squares where the view shows it) or, for views without a map, its
    title, note and link."""
    from sinergi import catalog, explore, export
    from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN

    lg = lang()
    avail = set(sd.available_indicators()["id"])
    level_names = LEVEL_NAMES_EN if lg == "en" else LEVEL_NAMES
    slides, home = [], explore.home_view()
    for view in value.views:
        spec = export.view_map_spec(view.page, view.params, avail, sd.years, home)
        pic = None
        if spec is not None:
            mv = explore.choropleth_view(spec.indikator, spec.tahun, spec.level, spec.induk, spec.metode, spec.k,
                                         spec.palet, lg)
            ind = catalog.get(spec.indikator)
            where = t("all_regions") if not spec.induk else _region_name(spec.induk)
            grid = spec.grid and explore.grid_allowed(spec.level, spec.induk)
            pic = export.MapPicture(
                mv.table, explore.grid_geometry(spec.level, spec.induk) if grid else mv.geo, mv.legend, view.title,
                f"{ind.nama(lg)} ({ind.unit(lg)}), {level_names[spec.level]}",
                source_text(info, ind.sumber), subtitle=f"{ind.nama(lg)} {spec.tahun} · {where}", grid=grid)
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
