"""Network measures on small hand-made graphs whose answers are counted by hand."""

import pandas as pd
import pytest

from sinergi import charts, network

# Two kecamatan: 97.01.01 (villages A, B) and 97.01.02 (village C).
SIMPUL = pd.DataFrame(
    [
        ("desa:A", "desa", "desa", "A", "97.01.01.2001"),
        ("desa:B", "desa", "desa", "B", "97.01.01.2002"),
        ("desa:C", "desa", "kelurahan", "C", "97.01.02.1001"),
        ("lembaga:A:1", "lembaga", "karang_taruna", "KT A", "97.01.01.2001"),
        ("lembaga:A:2", "lembaga", "bumdes", "BUMDes A", "97.01.01.2001"),
        ("lembaga:C:1", "lembaga", "pkk", "PKK C", "97.01.02.1001"),
        ("mitra:1", "mitra", "perguruan_tinggi", "Univ", None),
        ("mitra:2", "mitra", "lsm", "LSM", None),
        ("mitra:3", "mitra", "lsm", "LSM 2", None),
    ],
    columns=["id", "tipe", "jenis", "nama", "kode_desa"],
)
IKATAN = pd.DataFrame(
    [
        ("desa:A", "lembaga:A:1", "anggota", 2019),
        ("desa:A", "lembaga:A:2", "anggota", 2021),
        ("desa:C", "lembaga:C:1", "anggota", 2019),
        ("desa:A", "desa:B", "kerja_sama_antardesa", 2020),       # same kecamatan: not bridging
        ("desa:B", "desa:C", "kerja_sama_antardesa", 2022),       # crosses kecamatan: bridging for B and C
        ("lembaga:A:2", "lembaga:C:1", "kemitraan", 2023),        # crosses via institutions: A and C
        ("lembaga:A:1", "mitra:1", "pendampingan", 2019),         # partner type 1 for A (via institution)
        ("desa:A", "mitra:2", "pendampingan", 2020),              # partner type 2 for A (direct)
        ("lembaga:A:2", "mitra:3", "kemitraan", 2021),            # another LSM: same type, not counted twice
        ("desa:A", "desa:B", "kerja_sama_antardesa", 2019),       # duplicate tie, earlier year wins
        ("desa:A", "desa:X", "kerja_sama_antardesa", 2019),       # unknown node: dropped
        ("desa:B", "desa:B", "kerja_sama_antardesa", 2019),       # self-loop: dropped
    ],
    columns=["dari", "ke", "jenis", "tahun"],
)


def _m(df, kode, tahun):
    return df.set_index(["kode", "tahun"]).loc[(kode, tahun)].to_dict()


def test_graph_drops_unknown_nodes_and_keeps_earliest_duplicate():
    g = network.build_graph(SIMPUL, IKATAN)
    assert g.number_of_nodes() == 9
    assert g.number_of_edges() == 9
    assert g.edges["desa:A", "desa:B"]["tahun"] == 2019
    assert "desa:X" not in g and not g.has_edge("desa:B", "desa:B")
    assert network.build_graph(SIMPUL, IKATAN, tahun=2020).number_of_edges() == 5


def test_measures_in_the_latest_year():
    df = network.village_measures(network.build_graph(SIMPUL, IKATAN), [2024])
    # A: KT, BUMDes, B, mitra:2 -> degree 4; partner types {perguruan_tinggi, lsm}; bridging BUMDes A–PKK C
    assert _m(df, "97.01.01.2001", 2024) == {
        "jejaring_derajat": 4, "jejaring_jenis_mitra": 2, "jejaring_penghubung": 1}
    # B: A, C -> degree 2; no partners; bridging B–C
    assert _m(df, "97.01.01.2002", 2024) == {
        "jejaring_derajat": 2, "jejaring_jenis_mitra": 0, "jejaring_penghubung": 1}
    # C: PKK C, B -> degree 2; bridging B–C and PKK C–BUMDes A
    assert _m(df, "97.01.02.1001", 2024) == {
        "jejaring_derajat": 2, "jejaring_jenis_mitra": 0, "jejaring_penghubung": 2}


def test_ties_count_from_their_start_year():
    df = network.village_measures(network.build_graph(SIMPUL, IKATAN), [2019, 2020, 2022])
    assert _m(df, "97.01.01.2001", 2019) == {
        "jejaring_derajat": 2, "jejaring_jenis_mitra": 1, "jejaring_penghubung": 0}  # KT, B (2019 duplicate)
    assert _m(df, "97.01.01.2001", 2020)["jejaring_jenis_mitra"] == 2
    assert _m(df, "97.01.01.2002", 2020)["jejaring_penghubung"] == 0
    assert _m(df, "97.01.01.2002", 2022)["jejaring_penghubung"] == 1
    assert _m(df, "97.01.02.1001", 2022)["jejaring_penghubung"] == 1


def test_ties_without_a_year_always_count():
    ik = pd.DataFrame([("desa:A", "desa:C", "kerja_sama_antardesa", None)], columns=["dari", "ke", "jenis", "tahun"])
    df = network.village_measures(network.build_graph(SIMPUL, ik), [2019])
    assert _m(df, "97.01.01.2001", 2019)["jejaring_penghubung"] == 1
    assert _m(df, "97.01.02.1001", 2019)["jejaring_derajat"] == 1


def test_indicator_rows_are_long_form_for_the_build():
    rows = network.indicator_rows(SIMPUL, IKATAN, [2023, 2024])
    assert set(rows.columns) == {"kode", "tahun", "indikator", "nilai", "flag"}
    assert len(rows) == 3 * 2 * 3  # villages x years x measures
    v = rows.set_index(["kode", "tahun", "indikator"])["nilai"]
    assert v[("97.01.02.1001", 2023, "jejaring_penghubung")] == 2.0
    assert v[("97.01.01.2001", 2023, "jejaring_penghubung")] == 1.0


def test_measures_from_the_tables_are_those_of_the_graph():
    """The build counts the measures from the tables (a national network as a graph of Python objects took
    ~1 GB): the same frame as village_measures on build_graph's graph, also where the tables are untidy."""
    simpul = pd.concat([SIMPUL, pd.DataFrame([
        ("desa:A", "desa", "desa", "A lagi", "97.01.01.2001"),            # id again: its last row's attributes
        ("desa:A2", "desa", "desa", "A kembar", "97.01.01.2001"),         # a second node of A: the last is A's own
        ("lembaga:D:1", "lembaga", "pkk", "PKK D", "97.01.03.2001"),      # its village has no node of its own
        ("mitra:4", "mitra", None, "tanpa jenis", None),
        ("lain:1", "lain", "x", "kode tidak lengkap", "97.01"),
        ("desa:E", "desa", "desa", "", ""),                                # no home village: not a village
    ], columns=SIMPUL.columns)], ignore_index=True)
    ikatan = pd.concat([IKATAN, pd.DataFrame([
        ("desa:C", "desa:A", "kerja_sama_antardesa", None),              # the reverse pair, no year: always
        ("desa:A", "desa:C", "kerja_sama_antardesa", 2024),
        ("desa:A2", "lembaga:D:1", "kemitraan", 2020),
        ("lembaga:C:1", "mitra:4", "pendampingan", 2021),
        ("lembaga:A:1", "mitra:4", "pendampingan", 2023),
        ("desa:B", "lain:1", "x", 2019),
        ("lembaga:D:1", "desa:B", "x", 2022),
        ("desa:E", "desa:B", "x", 2019),
        ("desa:Y", "desa:Z", "x", 2019),
    ], columns=IKATAN.columns)], ignore_index=True)
    for years in ([2018, 2019, 2021, 2024], [2024, 2020, 2020], []):
        pd.testing.assert_frame_equal(network.village_measures_from_tables(simpul, ikatan, years),
                                      network.village_measures(network.build_graph(simpul, ikatan), years))
    from sinergi import demo

    d = demo.generate("kecil")
    pd.testing.assert_frame_equal(network.village_measures_from_tables(d.simpul, d.ikatan, demo.TAHUN),
                                  network.village_measures(network.build_graph(d.simpul, d.ikatan), demo.TAHUN))


def test_build_adds_measures_as_indicators(tiny_con):
    """The tiny fixture: Alfa is tied to its Karang Taruna and to Bravo (2024); the Karang Taruna works
    with a university."""
    df = tiny_con.execute(
        "select kode, tahun, indikator, nilai from nilai where indikator like 'jejaring_%' order by all"
    ).df()
    v = df.set_index(["kode", "tahun", "indikator"])["nilai"]
    assert v[("97.01.01.2001", 2024, "jejaring_derajat")] == 2
    assert v[("97.01.01.2001", 2024, "jejaring_jenis_mitra")] == 1
    assert v[("97.01.01.2002", 2024, "jejaring_derajat")] == 1
    assert v[("97.01.01.2001", 2023, "jejaring_derajat")] == 0
    # aggregated like any indicator: kecamatan Satu = mean of Alfa (2) and Bravo (1)
    assert v[("97.01.01", 2024, "jejaring_derajat")] == pytest.approx(1.5)


def test_layout_puts_villages_at_their_centroid_and_is_deterministic():
    nodes = SIMPUL.assign(lon=[100.0, 101.0, 100.5, 100.0, 100.0, 100.5, None, None, None],
                          lat=[-11.0, -11.0, -10.0, -11.0, -11.0, -10.0, None, None, None])
    g = network.build_graph(SIMPUL, IKATAN)
    edges = pd.DataFrame([(a, b) for a, b in g.edges()], columns=["dari", "ke"])
    p1 = network.layout(nodes, edges)
    assert p1 == network.layout(nodes, edges)
    assert p1["desa:B"][1] == pytest.approx(-11.0)
    assert set(p1) == set(nodes["id"])
    # institutions sit on a ring around their village, closer to it than to any other village
    ax, ay = p1["desa:A"]
    kx, ky = p1["lembaga:A:1"]
    bx, by = p1["desa:B"]
    assert 0 < ((kx - ax) ** 2 + (ky - ay) ** 2) < ((kx - bx) ** 2 + (ky - by) ** 2)


def test_network_figure_colours_types_marks_bridges_and_escapes_names():
    nodes = SIMPUL.assign(lon=[100.0, 101.0, 100.5, 100.0, 100.0, 100.5, None, None, None],
                          lat=[-11.0, -11.0, -10.0, -11.0, -11.0, -10.0, None, None, None],
                          nama_desa=["A", "B", "C", "A", "A", "C", None, None, None])
    nodes.loc[nodes["id"] == "mitra:2", "nama"] = "<script>x</script>"
    edges = IKATAN.iloc[:9]
    fig = charts.network_figure(nodes, edges, "97.01.01", "id", title="Jejaring", source="Sumber: uji")
    names = [tr.name for tr in fig.data]
    assert any("lintas kecamatan" in n for n in names)
    bridge = next(tr for tr in fig.data if "lintas kecamatan" in tr.name)
    assert bridge.line.color == network.BRIDGE_STYLE[0]
    assert len([x for x in bridge.x if x is None]) == 2  # B–C and BUMDes A–PKK C
    desa = next(tr for tr in fig.data if tr.name == "Desa/kelurahan")
    assert len(desa.x) == 2  # A and B; C is outside 97.01.01 and drawn grey
    outside = next(tr for tr in fig.data if tr.name == "Di luar wilayah")
    assert len(outside.x) == 2  # C and PKK C
    hover = " ".join(" ".join(tr.text) for tr in fig.data if tr.text is not None)
    assert "<script>" not in hover and "&lt;script&gt;" in hover
    # size grows with degree: A (degree 4 in the drawing) is larger than B (2)
    sizes = dict(zip([t.split("<br>")[0] for t in desa.text], desa.marker.size))
    assert sizes["A"] > sizes["B"]
    assert all(a.font.size >= 14 for a in fig.layout.annotations)


def test_networkx_is_imported_only_when_a_graph_is_built():
    """Every page imports sinergi.network (through sinergi.charts); networkx waits for a graph to be built."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; import pandas as pd; import sinergi.charts; from sinergi import network; "
            "print('networkx' in sys.modules); "
            "network.build_graph(pd.DataFrame(columns=['id', 'tipe', 'jenis', 'nama', 'kode_desa']), "
            "pd.DataFrame(columns=['dari', 'ke', 'jenis', 'tahun'])); print('networkx' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["False", "True"]
