"""A hostile dataset: every name the app shows carries a payload that records itself if it ever runs.

Built from the small demo (``demo.generate("kecil")``: 1 province, 5 kabupaten/kota, 21 kecamatan, 286
villages, every theme's indicators for 2019–2024) with region names at every level, institution and
partner names and types, ministry and programme names, the dataset's name, source, licence and notes
replaced by payloads, plus an indicator in the file's own catalog that the app's catalog does not know, and one
described by the dataset's owner (imported with its metadata) whose every text is a payload.

A payload that runs calls ``alert(N)`` and sets ``window.__xss = N`` (and ``top.__xss``), ``N`` being its
number, so a browser test sees which one ran; the others are Markdown, LaTeX, Streamlit directives,
plotly HTML, templates and entities that must be shown as the characters they are.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def run(n: int) -> str:
    """JavaScript that records payload ``n`` (no quotes, so it survives any attribute context)."""
    return f"alert({n});window.__xss={n};top.__xss={n}"


# number -> payload text. Each holds its marker "Pnn" so its text can be found on the page.
PAYLOADS: dict[int, str] = {
    1: f"<script>{run(1)}</script>P01",
    2: f"<img src=x onerror={run(2)}>P02",
    3: f'"><svg onload={run(3)}>P03',
    4: f"' onmouseover={run(4)} data-x='P04",
    5: f"[klikP05](javascript:{run(5)})",
    6: "**P06**_miring_`kode`",
    7: r"$\frac{P}{07}$:red[P07]:material/home:",
    8: f'<b>P08</b><a href="javascript:{run(8)}">tautan</a><a href="https://example.invalid/P08">luar</a>',
    9: "{{7*7}}P09${7*7}{%raw%}%{x}",
    10: f"</script><script>{run(10)}</script>P10",
    11: f'<iframe srcdoc="<script>{run(11)}</script>"></iframe>P11',
    12: "![P12](https://example.invalid/P12.png)www.example.invalid/P12",
    13: "&lt;b&gt;P13&amp;",
    14: "<style>*{display:none}</style>P14",
    15: f"<details open ontoggle={run(15)}>P15",
    # for types: the app shows an unknown type with "_" as spaces, so this one has no "_"
    16: "<b>P16</b><img src=x onerror=alert(16)>",
}
# payloads that can execute script if they reach HTML; the rest can only change how text looks
SCRIPTED = (1, 2, 3, 4, 5, 8, 10, 11, 15, 16)

PROVINCE = 2  # the province is seen on most pages: the payload that runs on mere insertion as HTML
KABUPATEN = (1, 3, 5, 8, 11)


def marker(n: int) -> str:
    return f"P{n:02d}"


def named(original: str, n: int) -> str:
    """A hostile name: a readable prefix (so lists stay distinguishable) and payload ``n``."""
    return f"{original} {PAYLOADS[n]}"


def _cycle(i: int) -> int:
    return (i % 15) + 1  # names cycle through payloads 1–15


DATASET = {
    "id": "serangan",
    "nama": f"Uji serangan {PAYLOADS[5]} {PAYLOADS[2]}",
    "sumber": f"Sumber {PAYLOADS[1]} {PAYLOADS[6]}",
    "lisensi": f"Lisensi {PAYLOADS[7]} {PAYLOADS[3]}",
    "tahun": "2019–2024",
    "demo": False,
    "catatan": f"Catatan {PAYLOADS[9]} {PAYLOADS[11]}",
}
# An indicator in the file's own catalog table that sinergi.catalog does not know (a hand-edited file).
ROGUE_INDICATOR = f"rogue {PAYLOADS[2]}"
# Institution type and region type that no label exists for (shown through network.jenis_label).
ROGUE_JENIS = f"jenis {PAYLOADS[16]}"
# An indicator described by the dataset's owner (issue 14: imported with its metadata), in a theme of its own,
# every text of it hostile: names, unit, description, source, licence and the theme's names.
IMPORTED_INDICATOR = "serangan_ind"
IMPORTED_THEME = "serangan_tema"


def hostile_katalog():
    """The built-in catalog plus :data:`IMPORTED_INDICATOR` (official class breaks 0.4 and 0.6)."""
    from sinergi import catalog

    ind = catalog.Indikator(
        IMPORTED_INDICATOR, f"Indikator {PAYLOADS[1]} {PAYLOADS[7]}", f"Indicator {PAYLOADS[8]}", IMPORTED_THEME,
        f"satuan {PAYLOADS[5]}", 1, 0.0, 1.0, "mean", f"sumber {PAYLOADS[2]}", f"deskripsi {PAYLOADS[6]} {PAYLOADS[12]}",
        f"description {PAYLOADS[9]}", None, 2, (), f"unit {PAYLOADS[3]}", f"lisensi {PAYLOADS[4]}", (0.4, 0.6), True)
    return catalog.BAWAAN.dengan([ind], {IMPORTED_THEME: (f"Tema {PAYLOADS[10]} {PAYLOADS[13]}",
                                                          f"Theme {PAYLOADS[11]} {PAYLOADS[14]}")})


def hostile_dataset() -> dict:
    """Keyword arguments for ``sinergi.build.write_database``: the small demo with hostile text."""
    from sinergi import demo

    d = demo.generate("kecil")
    r = d.regions.copy().sort_values(["level", "kode"]).reset_index(drop=True)
    seen = {1: 0, 2: 0, 3: 0, 4: 0}
    names = []
    for level, nama in zip(r["level"], r["nama"]):
        i = seen[level]
        seen[level] += 1
        n = PROVINCE if level == 1 else KABUPATEN[i % len(KABUPATEN)] if level == 2 else _cycle(i)
        names.append(named(nama, n))
    r["nama"] = names
    # one village whose type is unknown to the app (as in a hand-edited file)
    r.loc[r.index[-1], "jenis"] = ROGUE_JENIS

    simpul = d.simpul.copy()
    is_desa = simpul["tipe"] == "desa"
    by_kode = dict(zip(r["kode"], r["nama"]))
    simpul.loc[is_desa, "nama"] = simpul.loc[is_desa, "kode_desa"].map(by_kode)
    other = simpul.index[~is_desa]
    simpul.loc[other, "nama"] = [named(simpul.at[i, "nama"], _cycle(j)) for j, i in enumerate(other)]
    mitra = simpul.index[simpul["tipe"] == "mitra"]
    simpul.loc[mitra[:3], "jenis"] = ROGUE_JENIS  # a partner type no label exists for
    lembaga = simpul.index[simpul["tipe"] == "lembaga"]
    simpul.loc[lembaga[:5], "jenis"] = ROGUE_JENIS

    program = d.program.copy()
    ministries = sorted(program["kementerian"].unique())
    programmes = sorted(program["program"].unique())
    program["kementerian"] = program["kementerian"].map(
        {m: named(m, _cycle(i)) for i, m in enumerate(ministries)})
    program["program"] = program["program"].map({p: named(p, _cycle(i + 3)) for i, p in enumerate(programmes)})
    iks = d.nilai[d.nilai["indikator"] == "iks"]
    nilai = pd.concat([d.nilai, iks.assign(indikator=IMPORTED_INDICATOR)], ignore_index=True)
    return dict(regions=r, nilai=nilai, program=program, simpul=simpul, ikatan=d.ikatan, dataset=dict(DATASET),
                katalog=hostile_katalog())


def write_hostile_database(path: Path | str) -> Path:
    """Build the hostile dataset at ``path`` and add the rogue indicator to the file's own catalog."""
    from sinergi import build, db

    path = build.write_database(path, **hostile_dataset())
    con = db.connect(path, read_only=False)
    try:
        con.execute(
            "insert into indicators (id, nama_id, nama_en, tema, satuan, arah, agregasi, sumber, deskripsi_id,"
            " deskripsi_en) values ($id, $nama, $nama, 'ketahanan_sosial', $nama, 1, 'mean', $nama, $nama, $nama)",
            {"id": ROGUE_INDICATOR, "nama": f"nama {PAYLOADS[1]}"})
        rows = con.execute("select kode, tahun from nilai where indikator = 'iks'").df()
        extra = pd.DataFrame({"kode": rows["kode"], "tahun": rows["tahun"], "indikator": ROGUE_INDICATOR,
                              "nilai": 0.5})
        con.register("extra_df", extra)
        con.execute("insert into nilai (kode, tahun, indikator, nilai) select * from extra_df")
        con.execute("checkpoint")
    finally:
        con.close()
    return path
