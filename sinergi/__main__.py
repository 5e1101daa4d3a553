"""Command line (a local admin tool; messages in Indonesian).

    python -m sinergi build-demo [--size kecil|demo|nasional] [--seed N] [--out FILE]
    python -m sinergi status [NAME]            the active dataset (or NAME): sources, counts, years, indicators
    python -m sinergi datasets                 every dataset file, the active one marked
    python -m sinergi use NAME                 make NAME the active dataset
    python -m sinergi set-aside NAME           move NAME's damaged file aside (kept, not deleted)
    python -m sinergi tiles [NAME]             build the map's vector tiles into a file built before them
    python -m sinergi import boundaries FILE   GeoJSON, GPKG or zipped Shapefile
    python -m sinergi import indicators FILE   CSV or XLSX (wide, long, IDM national, IDM detail)
        [--meta datapackage.json|kamus.csv|kamus.xlsx]   new indicators described by their owner
    python -m sinergi import programs FILE     programmes per village, year, ministry/agency (budget, beneficiaries)
    python -m sinergi import institutions FILE local institutions: a list, or counts per village (PODES-style)
    python -m sinergi import ties FILE         ties between villages, institutions and outside partners
    python -m sinergi import population FILE  population per region and year
    python -m sinergi audit [--last N]         the audit trail: checks, imports, switches, access changes
    python -m sinergi restrict NAME [--lift]   mark dataset NAME restricted (or lift the mark)
    python -m sinergi grant WHO ROLE           grant viewer|steward|admin (or none) to an e-mail or subject

An import prints the validation report and changes nothing until confirmed (``--yes``, or answering
``y`` at the prompt). Exit codes: 0 done (or nothing to do), 1 not applied, 2 the file cannot be imported.
A dataset that cannot be read (missing, damaged, a read-only data folder for a change) is said plainly with
its repair command: ``status`` and ``datasets`` exit 1 then (when it is the active one), ``use``,
``set-aside``, ``build-demo`` and ``import`` exit 2.

Every change (and every import check) is recorded in the audit trail (``sinergi.audit``) as done by the
"command line" with the OS account's name; a change whose record cannot be written does not happen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sinergi import audit, auth, build, datasets, db, tindakan


def _progress(f: float, msg: str) -> None:
    print(f"\r[{f * 100:5.1f}%] {msg:<60}", end="", file=sys.stderr, flush=True)


def _gangguan(e: db.DataError, prefix: str = "") -> None:
    """A fault on stderr: what is wrong, DuckDB's or the OS's own words, and the repair command."""
    print(f"{prefix}{e}", file=sys.stderr)
    if e.detail:
        print(f"Rincian: {e.detail}", file=sys.stderr)
    if e.jenis != "lain":
        print(datasets.perbaikan(e), file=sys.stderr)


def _jejak_gagal(e: Exception) -> int:
    print(f"Gagal: {e}", file=sys.stderr)
    return 2


def _lakukan(fn, *args):
    """A data change for the command line (``sinergi.tindakan``, as the "command line" user): its result and
    exit code 0, or None and 2 with the fault and its repair said."""
    try:
        return fn(*args, auth.baris_perintah()), 0
    except db.DataError as e:
        _gangguan(e, "Gagal: ")
    except (audit.AuditGagal, auth.AturanSalah) as e:
        _jejak_gagal(e)
    return None, 2


def cmd_build_demo(args) -> int:
    path = Path(args.out) if args.out else db.dataset_path("demo")
    kwargs = {"path": path, "size": args.size, "seed": args.seed, "progress": _progress}
    try:  # a file elsewhere (--out) is no change of the data folder: not recorded
        out, aside = build.rebuild_demo(**kwargs) if args.out else tindakan.bangun_demo(auth.baris_perintah(), **kwargs)
    except db.DataError as e:
        _gangguan(e, "Gagal: ")
        return 2
    except audit.AuditGagal as e:
        return _jejak_gagal(e)
    print(file=sys.stderr)
    if aside is not None:
        print(f"Berkas lama yang rusak disimpan sebagai {aside}")
    print(f"Basis data demo ditulis ke {out}")
    return 0


def cmd_status(args) -> int:
    try:
        st = datasets.status(args.name)  # without a name: the active dataset
    except db.DataError as e:
        _gangguan(e)
        return 1
    print(datasets.status_teks(st))
    return 0


def cmd_datasets(args) -> int:
    print(datasets.daftar_teks(datasets.daftar()))
    try:
        datasets.status()  # the active dataset: does it read?
    except db.DataError as e:
        return 0 if e.jenis == "hilang" and db.active_dataset() == "demo" else 1  # a missing demo is built on start
    return 0


def cmd_use(args) -> int:
    info, rc = _lakukan(tindakan.ganti, args.name)
    if rc:
        return rc
    print(f"Dataset aktif sekarang: {info.id} — {info.nama}")
    return 0


def cmd_set_aside(args) -> int:
    aside, rc = _lakukan(tindakan.sisihkan, args.name)
    if rc:
        return rc
    print(f"Berkas dataset {args.name} disimpan sebagai {aside}. Impor ulang berkas sumbernya dengan "
          f"python -m sinergi import … --dataset {args.name}")
    return 0


def cmd_tiles(args) -> int:
    import time

    t0 = time.perf_counter()
    try:
        path = db.dataset_path(args.name)  # without a name: the active dataset
        written = build.add_tiles(path, progress=_progress)
    except db.DataError as e:
        _gangguan(e, "Gagal: ")
        return 2
    print(file=sys.stderr)
    for t in written:
        print(f"Tingkat {t['level']}: {t['n_fitur']:,} wilayah, zoom {t['zmin']}–{t['zmax']}, {t['n_tiles']:,} ubin, "
              f"{t['bytes'] / 1e6:.1f} MB")
    print(f"Ubin peta ditulis ke {path} ({time.perf_counter() - t0:.0f} s)")
    return 0


def _peta(items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise SystemExit(f"--map harus berbentuk KOLOM=INDIKATOR, bukan {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _kolom(items: list[str] | None) -> list[str] | None:
    """``--columns A,B --columns C`` → ``[A, B, C]`` (None when not given)."""
    out = [c.strip() for item in items or [] for c in item.split(",") if c.strip()]
    return out or None


def _konfirmasi(args) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return False
    try:
        return input("Terapkan impor ini? [y/N] ").strip().lower() in ("y", "ya", "yes")
    except EOFError:
        return False


def cmd_import(args) -> int:
    from sinergi.importers import ImporGagal, apply, kinds, plan

    try:
        apply.periksa_folder()  # a read-only data folder: refuse before reading the file
    except ImporGagal as e:
        print(f"Gagal: {e} Data lama tidak berubah.", file=sys.stderr)
        print(datasets.perbaikan(db.gangguan("tulis")), file=sys.stderr)
        return 2
    common = {"kolom_kode": args.code_column, "kolom_nama": args.name_column, "sistem": args.code_system,
              "crosswalk": args.crosswalk, "kode_wilayah": args.codes, "sumber": args.source,
              "lisensi": args.licence, "batas_mb": args.max_mb}
    if args.kind == "boundaries":
        def buat():
            return plan.siapkan_batas(args.file, args.dataset, tingkat=args.level, crs=args.crs, **common)
    elif args.kind in kinds.PERINTAH:  # programs, institutions, ties, population
        def buat():
            return kinds.dari_cli(args, common)
    else:
        def buat():
            return plan.siapkan_indikator(args.file, args.dataset, tahun=args.year, peta_kolom=_peta(args.map),
                                          tambah=args.add_regions, lembar=args.sheet, metadata=args.meta,
                                          tema_bawaan=args.theme, kolom_pilih=_kolom(args.columns), **common)
    oleh = auth.baris_perintah()
    try:
        berkas = audit.info_berkas(args.file) if Path(args.file).is_file() else {"nama": Path(args.file).name}
    except OSError:  # unreadable: the plan says why
        berkas = {"nama": Path(args.file).name}
    try:
        rencana = tindakan.periksa(oleh, args.dataset, berkas, buat)
    except audit.AuditGagal as e:
        return _jejak_gagal(e)
    print(rencana.laporan.teks())
    if not rencana.boleh_diterapkan:
        print("Tidak ada perubahan: data aktif tetap seperti semula.")
        return 2
    if not _konfirmasi(args):
        try:
            tindakan.batal(rencana, oleh)
        except audit.AuditGagal as e:
            return _jejak_gagal(e)
        print("Tidak diterapkan: tidak ada perubahan. Jalankan ulang dengan --yes untuk menerapkan.")
        return 1
    try:
        path = tindakan.terapkan(rencana, oleh, progress=_progress, aktifkan=args.activate,
                                 terbatas=args.restricted)
    except (ImporGagal, db.DataError) as e:
        print(file=sys.stderr)
        print(f"Gagal: {e} Data lama tidak berubah.", file=sys.stderr)
        return 2
    except audit.AuditGagal as e:  # the import was written; its last record was not
        print(file=sys.stderr)
        print(f"Dataset {args.dataset} ditulis, tetapi {e}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    if rencana.laporan.pesan_celah():
        print(f"[INFO] {rencana.laporan.pesan_celah()}")
    print(f"Dataset {args.dataset} ditulis ke {path}.")
    if args.activate:
        print(f"Dataset aktif sekarang: {args.dataset}")
    elif db.active_dataset() != args.dataset:
        print(f"Aktifkan dengan: python -m sinergi use {args.dataset}")
    return 0


def _umum(p) -> None:
    """The options every import kind takes."""
    p.add_argument("file", help="berkas yang diimpor")
    p.add_argument("--dataset", default="impor", help="nama dataset tujuan (default: impor)")
    p.add_argument("--code-column", help="nama kolom kode wilayah (default: dideteksi)")
    p.add_argument("--name-column", help="nama kolom nama wilayah (default: dideteksi)")
    p.add_argument("--code-system", choices=["kemendagri", "bps"],
                   help="sistem kode (default: dideteksi; BPS perlu --crosswalk)")
    p.add_argument("--crosswalk", help="berkas crosswalk BPS–Kemendagri (mis. bps_dagri_crosswalk.csv)")
    p.add_argument("--codes", "--kode-wilayah", dest="codes",
                   help="daftar kode resmi untuk nama wilayah induk (mis. kode_wilayah.csv)")
    p.add_argument("--source", help="keterangan sumber data")
    p.add_argument("--licence", "--license", dest="licence", help="lisensi data")
    p.add_argument("--max-mb", type=float, default=50, help="batas ukuran berkas dalam MB (default 50)")
    p.add_argument("--yes", "-y", action="store_true", help="terapkan tanpa bertanya")
    p.add_argument("--activate", action="store_true", help="jadikan dataset aktif setelah impor")
    p.add_argument("--restricted", action="store_true",
                   help="tandai dataset tujuan terbatas (sebelum berkasnya ditulis)")
    p.set_defaults(func=cmd_import)


def _import_parser(sub) -> None:
    from sinergi.importers import kinds as jenis_lain

    imp = sub.add_parser("import", help="impor batas wilayah, tabel indikator, program, lembaga, ikatan atau "
                                        "penduduk ke sebuah dataset")
    kinds = imp.add_subparsers(dest="kind", required=True)
    for kind, help_ in (("boundaries", "batas wilayah: GeoJSON, GPKG atau Shapefile dalam ZIP"),
                        ("indicators", "tabel indikator: CSV atau XLSX")):
        p = kinds.add_parser(kind, help=help_)
        _umum(p)
        if kind == "boundaries":
            p.add_argument("--level", type=int, choices=[1, 2, 3, 4], help="tingkat wilayah (default: dari panjang kode)")
            p.add_argument("--crs", help="CRS bila berkas tidak menyebutkannya, mis. EPSG:32749")
        else:
            p.add_argument("--year", type=int, help="tahun data bila tidak ada di nama kolom atau kolom 'tahun'")
            p.add_argument("--map", action="append", metavar="KOLOM=INDIKATOR",
                           help="petakan kolom ke indikator katalog (boleh diulang)")
            p.add_argument("--add-regions", action="store_true",
                           help="tambahkan kode yang belum ada di dataset sebagai wilayah baru")
            p.add_argument("--sheet", help="lembar XLSX (default: lembar pertama yang berisi data)")
            p.add_argument("--meta", help="metadata indikator baru: datapackage.json (Frictionless Data Package) "
                                          "atau kamus CSV/XLSX (satu baris per indikator)")
            p.add_argument("--theme", help="tema untuk indikator yang metadatanya tidak menyebut tema "
                                           "(mis. jaringan_sosial)")
            p.add_argument("--columns", action="append", metavar="KOLOM,KOLOM",
                           help="hanya kolom ini yang diimpor sebagai indikator (boleh diulang)")
        p.set_defaults(func=cmd_import)
    jenis_lain.tambah_parser(kinds, _umum)


def cmd_audit(args) -> int:
    j = audit.baca(terakhir=args.last)
    if args.json:
        for rec in j.entri:
            print(json.dumps(rec, ensure_ascii=False))
    else:
        print(audit.teks(j))
    return 0


def cmd_restrict(args) -> int:
    _, rc = _lakukan(tindakan.tandai_terbatas, args.name, not args.lift)
    if rc:
        return rc
    rules = auth.aturan_dari({}, auth.baca_akses())
    print(f"Dataset {args.name} {'terbatas' if args.name in rules.terbatas else 'tidak terbatas'} "
          f"(daftar terbatas di folder data: {', '.join(sorted(rules.terbatas)) or '–'}).")
    return 0


def cmd_grant(args) -> int:
    peran = None if args.role == "none" else args.role
    _, rc = _lakukan(tindakan.beri_peran, args.who, peran)
    if rc:
        return rc
    print(f"Peran {args.who}: {peran or 'dicabut'}.")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line's parser, built without running anything (the docs test reads it)."""
    p = argparse.ArgumentParser(prog="python -m sinergi", description="Sinergi Desa: data")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build-demo", help="bangun basis data demo")
    b.add_argument("--size", choices=["kecil", "demo", "nasional"], default="demo")
    b.add_argument("--seed", type=int, default=2024)
    b.add_argument("--out", help="berkas keluaran (default data/demo.duckdb)")
    b.set_defaults(func=cmd_build_demo)
    s = sub.add_parser("status", help="dataset aktif (atau NAMA) dan isinya")
    s.add_argument("name", nargs="?", help="nama dataset (default: yang aktif)")
    s.set_defaults(func=cmd_status)
    d = sub.add_parser("datasets", help="semua dataset; yang aktif ditandai")
    d.set_defaults(func=cmd_datasets)
    u = sub.add_parser("use", help="jadikan dataset NAMA aktif")
    u.add_argument("name")
    u.set_defaults(func=cmd_use)
    a = sub.add_parser("set-aside", help="sisihkan berkas dataset NAMA yang rusak (disimpan, tidak dihapus)")
    a.add_argument("name")
    a.set_defaults(func=cmd_set_aside)
    t = sub.add_parser("tiles", help="bangun ubin peta (vektor) ke berkas dataset yang dibangun sebelum ada ubin")
    t.add_argument("name", nargs="?", help="nama dataset (default: yang aktif)")
    t.set_defaults(func=cmd_tiles)
    _import_parser(sub)
    j = sub.add_parser("audit", help="jejak audit: pemeriksaan, impor, penggantian dataset, perubahan akses")
    j.add_argument("--last", type=int, help="hanya N catatan terakhir")
    j.add_argument("--json", action="store_true", help="satu objek JSON per baris, apa adanya")
    j.set_defaults(func=cmd_audit)
    r = sub.add_parser("restrict", help="tandai dataset NAMA terbatas (hanya untuk peran yang berhak)")
    r.add_argument("name")
    r.add_argument("--lift", action="store_true", help="cabut tanda terbatas yang dipasang lewat aplikasi/CLI")
    r.set_defaults(func=cmd_restrict)
    g = sub.add_parser("grant", help="berikan peran kepada e-mail atau subjek token (none: cabut)")
    g.add_argument("who")
    g.add_argument("role", choices=[*auth.PERAN, "none"])
    g.set_defaults(func=cmd_grant)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
