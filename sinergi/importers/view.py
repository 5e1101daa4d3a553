"""Streamlit parts of the Kelola Data page: dataset status, the admin gate, the import form, the report.

Everything from files or data shown here goes through ``st.dataframe`` (plain text cells) or is
Markdown-escaped (``sinergi.themes.md``) before ``st.markdown``/alerts, so names such as
``<script>…`` or ``[x](javascript:…)`` stay inert text. Report messages are Indonesian (the report is
the same text the command line prints); the page's own labels follow the interface language.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from sinergi import audit, auth, catalog, datasets, db, folders, signin, tindakan, ui
from sinergi.i18n import fmt_num
from sinergi.importers import ImporGagal, access, files, form, kinds, plan
from sinergi.importers.report import GALAT, INFO, PERINGATAN, Laporan
from sinergi.regions import LEVEL_NAMES, LEVEL_NAMES_EN
from sinergi.themes import md

JENIS = ("indikator", "batas", *kinds.JENIS)
TIPE = {"batas": ["geojson", "json", "gpkg", "zip"], "indikator": ["csv", "txt", "tsv", "xlsx"],
        **{j: form.TIPE for j in kinds.JENIS}}
_RENCANA, _PESAN, _ADMIN, _PERIKSA = "kd_rencana", "kd_pesan", "kd_admin", "kd_periksa"
MAKS_FORMULIR = 30  # undescribed columns offered in the description form (more: a kamus file)


def _pesan(kind: str, text: str) -> None:
    """A message to show after the next rerun (actions end with ``st.rerun``); values from data in
    ``text`` must already be Markdown-escaped."""
    st.session_state[_PESAN] = (kind, text)


def tampilkan_pesan() -> None:
    kind, text = st.session_state.pop(_PESAN, (None, None))
    if kind:
        {"success": st.success, "info": st.info, "error": st.error}[kind](text)


def baris_dataset_aktif() -> None:
    """A small sidebar line on every page: the active dataset with its sources and licences."""
    from sinergi import data as sd

    info = sd.dataset_info()
    if not info:
        return
    parts = [f"**{ui.t('active_dataset_line')}:** {md(info.get('nama', ''))} (`{db.active_dataset()}`)",
             f"{ui.t('source')}: {md(info.get('sumber') or '–')}"]
    if info.get("lisensi"):
        parts.append(f"{ui.t('licence')}: {md(info['lisensi'])}")
    st.sidebar.caption("  \n".join(parts))


def _kunci_data() -> tuple:
    """Identity of the data folder's contents: every dataset file's name and mtime, the active name, and
    how many files pages found damaged (so the list shows what they saw)."""
    folder = db.data_dir()
    files_ = sorted(folder.glob("*.duckdb")) if folder.is_dir() else []

    def mtime(p: Path) -> int:
        try:
            return p.stat().st_mtime_ns
        except OSError:  # a dangling link: listed with its fault
            return -1

    return (str(folder.resolve()), db.active_dataset(), db.seen_damaged_count(),
            *((p.name, mtime(p)) for p in files_))


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _daftar(kunci: tuple) -> list[datasets.InfoDataset]:
    return datasets.daftar()


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _status(kunci: tuple) -> datasets.StatusDataset:
    return datasets.status()


# --- what is there -----------------------------------------------------------------------------------


def dataset_aktif(lang: str, fault: db.DataError | None = None) -> None:
    """The active dataset: name, sources, licences, regions per level, years, indicators, imported files;
    or, when it cannot be read (``fault``, or a fault found now), why and how to repair it."""
    st.subheader(ui.t("kd_active"))
    if fault is not None:
        ui.show_fault(fault, link=False)
        return
    try:
        s = _status(_kunci_data())
    except db.DataError as e:
        ui.show_fault(e, link=False)
        return
    i = s.info
    st.markdown(f"**{md(i.nama)}** (`{i.id}`)")
    st.caption(f"{ui.t('source')}: {md(i.sumber)} · {ui.t('licence')}: {md(i.lisensi or '–')}")
    names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES
    cols = st.columns(5)
    for col, r in zip(cols, s.wilayah.itertuples(index=False)):
        col.metric(names[int(r.level)].capitalize(), fmt_num(int(r.n), 0, lang))
    cols[4].metric(ui.t("kd_years"), ", ".join(map(str, s.tahun)) or "–")
    if len(s.indikator):
        ind = s.indikator.assign(
            nama=s.indikator["id"].map(lambda x: catalog.get(x).nama(lang) if catalog.exists(x) else x),
            tahun=[f"{a}" if a == b else f"{a}–{b}" for a, b in zip(s.indikator["tahun_min"], s.indikator["tahun_max"])],
        )[["id", "nama", "tahun", "n"]]
        st.dataframe(ind, hide_index=True, width="stretch",
                     column_config={"id": ui.t("indicator"), "nama": ui.t("name"), "tahun": ui.t("year"),
                                    "n": ui.t("count")})
    if len(s.sumber):
        st.markdown(f"**{ui.t('kd_sources')}**")
        src = s.sumber[["urut", "jenis", "berkas", "baris", "cocok", "tahun", "sumber", "lisensi", "diimpor_pada"]]
        st.dataframe(src, hide_index=True, width="stretch")


def daftar_dataset(lang: str) -> None:
    """Every dataset file side by side, the active one marked."""
    st.subheader(ui.t("kd_datasets"))
    items = _daftar(_kunci_data())
    seen, restricted = set(signin.boleh_lihat([i.id for i in items])), signin.terbatas()  # none other is named
    rows = [{"id": i.id, "aktif": "✔" if i.aktif else "", "nama": _keadaan(i, lang) or i.nama, "sumber": i.sumber,
             "lisensi": i.lisensi or "", "tahun": i.tahun, "demo": i.demo, "MB": round(i.ukuran_mb, 1),
             "terbatas": "🔒" if i.id in restricted else ""}
            for i in items if i.id in seen]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"aktif": ui.t("kd_active_col"), "nama": ui.t("name"),
                                "sumber": ui.t("source"), "lisensi": ui.t("licence"), "tahun": ui.t("year"),
                                "terbatas": ui.t("kd_restricted_col")})


def _keadaan(i: datasets.InfoDataset, lang: str) -> str:
    """Why a listed file cannot be read, in the interface language ('' when it reads fine)."""
    e = i.gangguan
    if e is None:
        return i.galat or ""
    if e.jenis not in db.JENIS_GANGGUAN:
        return str(e)
    return ui.t(f"fault_{e.jenis}").format(dataset=e.dataset, berkas=e.berkas, folder=e.folder)


# --- the admin gate ----------------------------------------------------------------------------------


def gerbang_admin() -> bool:
    """True when this session may change data: with ``[auth]``, a signed-in steward or admin
    (``sinergi.signin.gerbang``); without it, the admin password (none configured: read-only)."""
    if signin.oidc():
        return signin.gerbang(auth.IMPOR)
    sandi = access.sandi_admin()
    if not sandi:
        st.info(ui.t("kd_readonly"))
        return False
    if signin.boleh(auth.IMPOR):
        if st.button(ui.t("kd_logout"), key="kd_logout"):
            st.session_state.pop(_ADMIN, None)
            st.session_state.pop(_RENCANA, None)
            st.session_state.pop(_PERIKSA, None)
            st.rerun()
        return True
    with st.form("kd_login_form"):
        masukan = st.text_input(ui.t("kd_password"), type="password", key="kd_password")
        kirim = st.form_submit_button(ui.t("kd_login"))
    if kirim:
        if access.cocok(masukan, sandi):
            st.session_state[_ADMIN] = signin.tanda_sandi(sandi)
            st.rerun()
        st.error(ui.t("kd_wrong_password"))
    st.caption(ui.t("kd_login_needed"))
    return False


def perbaikan(fault: db.DataError | None) -> None:
    """Repairs for the admin. The demo, generated by our code, is rebuilt when its file is damaged or
    missing (the damaged file is moved aside, not deleted); an imported dataset's damaged file is set
    aside so it can be imported again from its source files. Nothing is offered while every file reads, nor
    to anyone but an admin."""
    if not signin.boleh(auth.KELOLA):
        return
    seen = set(signin.boleh_lihat([i.id for i in _daftar(_kunci_data())]))
    items = [i for i in _daftar(_kunci_data()) if i.gangguan is not None and i.gangguan.jenis != "hilang"
             and i.id in seen]
    demo = next((i.gangguan for i in items if i.id == "demo"), None)
    if demo is None and fault is not None and fault.dataset == "demo" and fault.jenis != "aktif":
        demo = fault
    others = [i for i in items if i.id != "demo"]
    if demo is None and not others:
        return
    st.subheader(ui.t("kd_repair"))
    if not folders.bisa_ditulis():
        ui.show_fault(db.gangguan("tulis", folder=db.data_dir()), link=False)
        return
    if demo is not None:
        help_ = ui.t("kd_rebuild_demo_help").format(berkas=md(db.dataset_path("demo").name))
        if st.button(ui.t("kd_rebuild_demo"), key="kd_rebuild_demo", help=help_, icon=":material/build:"):
            bar = st.progress(0.0, text=ui.t("kd_rebuilding_demo"))
            try:
                _, aside = tindakan.bangun_demo(signin.pengguna(), progress=lambda f, m: bar.progress(
                    min(max(f, 0.0), 1.0), text=f"{ui.t('kd_rebuilding_demo')} {m}"), tunggu=False)
            except folders.FolderSibuk:
                bar.empty()
                st.error(ui.t("kd_busy"))
                return
            except db.DataError as e:
                bar.empty()
                ui.show_fault(e, link=False)
                return
            except (tindakan.TidakBerhak, audit.AuditGagal) as e:
                bar.empty()
                st.error(md(e))
                return
            kept = f" {ui.t('kd_kept_aside').format(md(aside.name))}" if aside else ""
            _pesan("success", ui.t("kd_rebuilt_demo") + kept)
            st.rerun()
    for i in others:
        help_ = ui.t("kd_set_aside_help").format(berkas=md(i.path.name), dataset=md(i.id))
        if st.button(ui.t("kd_set_aside").format(berkas=md(i.path.name)), key=f"kd_set_aside_{i.id}", help=help_,
                     icon=":material/move_item:"):
            try:
                aside = tindakan.sisihkan(i.id, signin.pengguna())
            except db.DataError as e:
                ui.show_fault(e, link=False)
                return
            except (tindakan.TidakBerhak, audit.AuditGagal) as e:
                st.error(md(e))
                return
            _pesan("success", ui.t("kd_kept_aside").format(md(aside.name)))
            st.rerun()


def ganti_dataset() -> None:
    """Choose the active dataset among the readable files (in a read-only data folder: say why not)."""
    items = [i for i in _daftar(_kunci_data()) if not i.galat]
    ids = signin.boleh_lihat([i.id for i in items])
    if not ids:
        return
    current = db.active_dataset()
    if current in signin.terbatas() and current in ids:
        st.warning(ui.t("kd_restricted_active_warning"))
    writable = folders.bisa_ditulis()
    c1, c2 = st.columns([3, 1])
    pilih = c1.selectbox(ui.t("kd_switch"), ids, index=ids.index(current) if current in ids else 0,
                         format_func=lambda x: f"{x} — {next(i.nama for i in items if i.id == x)}", key="kd_pilih")
    if not writable:
        reason = ui.t("fault_tulis").format(folder=md(db.data_dir()), dataset="", berkas="")
        st.warning(ui.t("kd_cannot_switch").format(reason))
    if c2.button(ui.t("kd_activate"), key="kd_activate", disabled=pilih == current or not writable):
        try:
            info = tindakan.ganti(pilih, signin.pengguna())
        except db.DataError as e:
            ui.show_fault(e, link=False)
            return
        except (tindakan.TidakBerhak, audit.AuditGagal) as e:
            st.error(md(e))
            return
        _pesan("success", ui.t("kd_activated").format(f"{info.id} — {md(info.nama)}"))
        st.rerun()


# --- import form -------------------------------------------------------------------------------------


_SUFFIX = {f".{s}" for types in TIPE.values() for s in types} | {".csv", ".xlsx"}


def _simpan(up, folder: Path, nama: str) -> Path:
    """Write an upload to ``folder`` under a fixed name with its extension if it is one the form accepts:
    the user's file name never becomes a path (nor a name too long for the file system)."""
    suffix = Path(up.name).suffix.lower()
    p = folder / f"{nama}{suffix if suffix in _SUFFIX else ''}"
    p.write_bytes(up.getvalue())
    return p


def formulir_impor(jenis: str, lang: str) -> str:
    """The import form; on "Periksa" the file is checked and the plan kept in the session. Returns the kind.
    In a read-only data folder no form is offered: the reason instead, before any upload."""
    st.subheader(ui.t("kd_import"))
    if not folders.bisa_ditulis():
        ui.show_fault(db.gangguan("tulis", folder=db.data_dir()), link=False)
        return jenis
    jenis = st.radio(ui.t("kd_kind"), JENIS, index=JENIS.index(jenis), horizontal=True, key="kd_jenis",
                     format_func=lambda j: ui.t(f"kd_kind_{j}"))
    up = st.file_uploader(ui.t("kd_file"), type=TIPE[jenis], key=f"kd_file_{jenis}")
    meta_up = st.file_uploader(ui.t("kd_meta"), type=["json", "csv", "xlsx"], key="kd_meta",
                               help=ui.t("kd_meta_help")) if jenis == "indikator" else None
    active = db.active_dataset()
    target = st.text_input(ui.t("kd_target"), value=active if active != "demo" else "impor", key="kd_target",
                           help=ui.t("kd_target_help"))
    opsi: dict = {}
    with st.expander(ui.t("kd_options")):
        c1, c2 = st.columns(2)
        opsi["kolom_kode"] = c1.text_input(ui.t("kd_code_col"), key="kd_code_col").strip() or None
        opsi["kolom_nama"] = c2.text_input(ui.t("kd_name_col"), key="kd_name_col").strip() or None
        sistem = c1.selectbox(ui.t("kd_code_system"), ["", "kemendagri", "bps"], key="kd_system",
                              format_func=lambda s: {"": ui.t("kd_auto"), "kemendagri": "Kemendagri",
                                                     "bps": "BPS"}[s])
        opsi["sistem"] = sistem or None
        cw = c2.file_uploader(ui.t("kd_crosswalk"), type=["csv", "xlsx"], key="kd_crosswalk")
        kw = c1.file_uploader(ui.t("kd_codelist"), type=["csv", "xlsx"], key="kd_codelist")
        if jenis == "batas":
            lv = c2.selectbox(ui.t("kd_level"), [0, 1, 2, 3, 4], key="kd_level",
                              format_func=lambda v: ui.t("kd_auto") if v == 0 else
                              f"{v} ({(LEVEL_NAMES_EN if lang == 'en' else LEVEL_NAMES)[v]})")
            opsi["tingkat"] = lv or None
            opsi["crs"] = c2.text_input(ui.t("kd_crs"), key="kd_crs").strip() or None
        elif jenis in kinds.JENIS:  # programmes, institutions, ties, population
            opsi.update(form.opsi(jenis, c1, c2))
        else:
            th = c2.number_input(ui.t("kd_year"), min_value=0, max_value=2100, value=0, step=1, key="kd_year")
            opsi["tahun"] = int(th) or None
            opsi["tambah"] = c2.checkbox(ui.t("kd_add_regions"), key="kd_add")
            peta = st.text_area(ui.t("kd_map"), key="kd_map", help=ui.t("kd_map_help"))
            opsi["peta_kolom"] = _peta(peta)
            temas = ["", *catalog.tema()]
            tb = c1.selectbox(ui.t("kd_theme_default"), temas, key="kd_theme",
                              format_func=lambda k: ui.t("kd_auto") if not k else catalog.nama_tema(k, lang))
            opsi["tema_bawaan"] = tb or None
            kol = c2.text_input(ui.t("kd_columns"), key="kd_columns", help=ui.t("kd_columns_help"))
            opsi["kolom_pilih"] = [c.strip() for c in kol.split(",") if c.strip()] or None
        opsi["sumber"] = c1.text_input(ui.t("kd_source"), key="kd_source").strip() or None
        opsi["lisensi"] = c2.text_input(ui.t("licence"), key="kd_licence").strip() or None
    terbatas = st.checkbox(ui.t("kd_restricted_import"), key="kd_terbatas", help=ui.t("kd_restricted_import_help"))
    if st.button(ui.t("kd_check"), type="primary", key="kd_check"):
        if up is None:
            st.warning(ui.t("kd_no_upload"))
        else:
            args = dict(jenis=jenis, up=up, target=target.strip(), cw=cw, kw=kw, opsi=opsi, meta_up=meta_up)
            st.session_state[_PERIKSA] = args  # kept for a second check with descriptions typed below
            _periksa_dan_simpan(args, terbatas)
    return jenis


def _peta(text: str) -> dict[str, str]:
    out = {}
    for line in (text or "").replace(",", "\n").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            if k.strip() and v.strip():
                out[k.strip()] = v.strip()
    return out


def _periksa_dan_simpan(args: dict, terbatas: bool) -> None:
    """Check an upload with :func:`_periksa` and keep the plan for "Terapkan" (with whether the target is to
    be marked restricted); a refused role or an audit trail that cannot be written is shown, nothing kept."""
    try:
        rencana = _periksa(**args)
    except (tindakan.TidakBerhak, audit.AuditGagal) as e:
        st.error(md(e))
        return
    rencana.jejak["terbatas"] = terbatas
    st.session_state[_RENCANA] = rencana


def _periksa(jenis: str, up, target: str, cw, kw, opsi: dict, meta_up=None,
             deskripsi: list[dict] | None = None) -> plan.Rencana:
    """Check an upload (size first, in code as well as by the server's limit) and make the plan; the check
    is recorded in the audit trail with the file's name, size and SHA-256 (``sinergi.tindakan.periksa``).
    ``meta_up`` is the metadata upload, ``deskripsi`` descriptions typed in :func:`formulir_deskripsi`."""
    with tempfile.TemporaryDirectory(prefix="sinergi-unggah-") as tmp:
        folder = Path(tmp)
        path = _simpan(up, folder, "berkas")

        def buat() -> plan.Rencana:
            for f in (up, cw, kw, meta_up):
                if f is not None and f.size > files.BATAS_UKURAN_MB * files.MB:
                    lap = Laporan(jenis, up.name, target)
                    lap.tambah(GALAT, files.pesan_terlalu_besar(f.name, f.size))
                    return plan.Rencana(lap, target, None)
            extra = {"crosswalk": _simpan(cw, folder, "crosswalk") if cw else None,
                     "kode_wilayah": _simpan(kw, folder, "kode_wilayah") if kw else None}
            with st.spinner(ui.t("kd_checking")):
                if jenis in kinds.JENIS:
                    return form.siapkan(jenis, path, target, up.name, extra, opsi, folder)
                if jenis == "batas":
                    return plan.siapkan_batas(path, target, nama_berkas=up.name, **extra, **opsi)
                if meta_up is not None:
                    extra.update(metadata=_simpan(meta_up, folder, "metadata"), nama_metadata=meta_up.name)
                return plan.siapkan_indikator(path, target, nama_berkas=up.name, deskripsi=deskripsi, **extra,
                                              **opsi)

        return tindakan.periksa(signin.pengguna(), target, audit.info_berkas(path, up.name), buat)


def formulir_deskripsi(lap: Laporan) -> None:
    """The numeric columns nobody described (``lap.kolom_tanpa_deskripsi``), each with a tick to import it
    and its name, theme, unit, direction and aggregation; "Periksa ulang" checks the same upload again with
    these descriptions (``plan.siapkan_indikator(deskripsi=…)``)."""
    args = st.session_state.get(_PERIKSA)
    cols = lap.kolom_tanpa_deskripsi
    if not cols or args is None or args.get("jenis") != "indikator":
        return
    lang = ui.lang()
    st.markdown(f"**{ui.t('kd_describe')}**")
    st.caption(ui.t("kd_describe_help"))
    temas = list(catalog.tema())
    arah = {"1": ui.t("kd_direction_up"), "-1": ui.t("kd_direction_down")}
    with st.form("kd_describe_form"):
        for i, kolom in enumerate(cols[:MAKS_FORMULIR]):  # keys by position: column names come from the file
            c = st.columns([2, 3, 3, 2, 3, 2])
            c[0].checkbox(md(kolom), key=f"kd_d{i}_pakai", help=ui.t("kd_use"))
            c[1].text_input(ui.t("name"), value=str(kolom), key=f"kd_d{i}_nama")
            c[2].selectbox(ui.t("theme"), temas, key=f"kd_d{i}_tema",
                           format_func=lambda k: catalog.nama_tema(k, lang))
            c[3].text_input(ui.t("kd_unit"), key=f"kd_d{i}_satuan")
            c[4].selectbox(ui.t("kd_direction"), list(arah), key=f"kd_d{i}_arah", format_func=arah.get)
            c[5].selectbox(ui.t("kd_aggregation"), list(catalog.AGREGASI), key=f"kd_d{i}_agregasi",
                           index=list(catalog.AGREGASI).index("mean"))
        if len(cols) > MAKS_FORMULIR:
            st.caption(ui.t("kd_describe_more").format(n=len(cols) - MAKS_FORMULIR))
        kirim = st.form_submit_button(ui.t("kd_recheck"))
    if not kirim:
        return
    ss = st.session_state
    rows = [{"kolom": kolom, "nama": ss.get(f"kd_d{i}_nama") or kolom, "tema": ss.get(f"kd_d{i}_tema"),
             "satuan": ss.get(f"kd_d{i}_satuan") or "", "arah": ss.get(f"kd_d{i}_arah"),
             "agregasi": ss.get(f"kd_d{i}_agregasi")}
            for i, kolom in enumerate(cols[:MAKS_FORMULIR]) if ss.get(f"kd_d{i}_pakai")]
    if not rows:
        st.warning(ui.t("kd_describe_none"))
        return
    args = {**args, "deskripsi": [*args.get("deskripsi", []), *rows]}  # descriptions typed earlier stay
    st.session_state[_PERIKSA] = args
    lama = st.session_state.get(_RENCANA)
    _periksa_dan_simpan(args, bool(lama is not None and lama.jejak.get("terbatas")))
    st.rerun()


# --- the report and the confirmation -------------------------------------------------------------------


def laporan(lap: Laporan) -> None:
    """The validation report as widgets (Indonesian messages, the same content as the CLI text)."""
    n = lambda x: fmt_num(x, 0, "id")
    cols = st.columns(5)
    cols[0].metric("Fitur dibaca" if lap.jenis == "batas" else "Baris dibaca", n(lap.baris))
    cols[1].metric("Cocok dengan wilayah yang ada", n(lap.sudah_ada))
    cols[2].metric("Wilayah baru", n(lap.baru))
    cols[3].metric("Tidak cocok", n(len(lap.tidak_cocok)))
    cols[4].metric("Tingkat join", f"{fmt_num(lap.persen_diterima, 1, 'id')} %")
    st.dataframe(pd.DataFrame(lap.ringkasan(), columns=["Ringkasan", "Nilai"]), hide_index=True, width="stretch")
    show = {GALAT: st.error, PERINGATAN: st.warning, INFO: st.info}
    for m in lap.masalah:
        text = md(m.pesan)
        if m.contoh:
            text += "\n\n" + "\n".join(f"- {md(c)}" for c in m.contoh)
        show[m.tingkat](text)
    if len(lap.indikator_baru):
        st.markdown(f"**{ui.t('kd_new_indicators')}**")
        st.dataframe(lap.indikator_baru, hide_index=True, width="stretch")
    if lap.kolom or lap.kolom_diabaikan or lap.kolom_tanpa_deskripsi or lap.kolom_kode:
        with st.expander("Kolom"):
            k = pd.DataFrame([(a, b) for a, b in lap.kolom.items()]
                             + [(c, "angka tanpa deskripsi: tidak diimpor") for c in lap.kolom_tanpa_deskripsi]
                             + [(c, "teks: diabaikan") for c in lap.kolom_diabaikan]
                             + [(c, "kode/nama lain: diabaikan") for c in lap.kolom_kode],
                             columns=["kolom", "dipakai sebagai"])
            st.dataframe(k, hide_index=True, width="stretch")
    if len(lap.teks_angka):
        st.markdown("**Teks di kolom angka (nilai dilewati)**")
        st.dataframe(lap.teks_angka, hide_index=True, width="stretch")
    if len(lap.di_luar_rentang):
        st.markdown("**Nilai di luar rentang sah katalog (dilewati)**")
        st.dataframe(lap.di_luar_rentang, hide_index=True, width="stretch")
    if len(lap.tidak_cocok):
        st.markdown(f"**Kode tidak cocok ({n(len(lap.tidak_cocok))})** — nama terdekat di wilayah induk yang sama")
        st.dataframe(lap.tidak_cocok.head(1000), hide_index=True, width="stretch")
        ui.download_csv(lap.tidak_cocok, "Unduh daftar kode tidak cocok (CSV)", "kode_tidak_cocok.csv",
                        key="kd_unduh_tidak_cocok")
    if len(lap.per_provinsi):
        st.markdown("**Tingkat join per provinsi**")
        st.dataframe(lap.per_provinsi.assign(persen=lap.per_provinsi["persen"].round(1)), hide_index=True,
                     width="stretch")


def rencana_tertunda() -> None:
    """The checked import waiting for confirmation: its report, then apply or cancel."""
    r: plan.Rencana | None = st.session_state.get(_RENCANA)
    if r is None:
        return
    st.subheader(f"{ui.t('kd_report')}: {md(r.laporan.berkas)}")
    laporan(r.laporan)
    formulir_deskripsi(r.laporan)
    c1, c2, c3 = st.columns([2, 2, 3])
    if not r.boleh_diterapkan:
        st.error(ui.t("kd_cannot_apply"))
    else:
        aktifkan = c3.checkbox(ui.t("kd_activate_after"), key="kd_activate_after")
        if c1.button(ui.t("kd_apply"), type="primary", key="kd_apply"):
            bar = st.progress(0.0, text=ui.t("kd_applying"))

            def progress(f: float, m: str) -> None:
                bar.progress(min(max(f, 0.0), 1.0), text=f"{ui.t('kd_applying')} {m}")

            try:
                path = tindakan.terapkan(r, signin.pengguna(), progress=progress, aktifkan=aktifkan,
                                         terbatas=bool(r.jejak.get("terbatas")))
            except (ImporGagal, db.DataError) as e:
                bar.empty()
                st.error(md(f"{e} {ui.t('kd_nothing_changed')}"))
                return
            except (tindakan.TidakBerhak, audit.AuditGagal) as e:
                bar.empty()
                st.error(md(e))
                return
            st.session_state.pop(_RENCANA, None)
            st.session_state.pop(_PERIKSA, None)
            celah = r.laporan.pesan_celah()  # gaps closed where parents were built from children
            _pesan("success", ui.t("kd_applied").format(r.dataset, md(path.name))
                   + (f"\n\n{md(celah)}" if celah else ""))
            st.rerun()
    if c2.button(ui.t("kd_cancel"), key="kd_cancel"):
        try:
            tindakan.batal(r, signin.pengguna())
        except audit.AuditGagal as e:
            st.error(md(e))
            return
        st.session_state.pop(_RENCANA, None)
        st.session_state.pop(_PERIKSA, None)
        _pesan("info", ui.t("kd_cancelled"))
        st.rerun()
