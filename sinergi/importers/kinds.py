"""The import kinds beyond boundaries and indicator tables: programmes, institutions, ties and population.

Each kind reads a CSV/XLSX table and makes a :class:`~sinergi.importers.plan.Rencana` like the indicator
import does (nothing is written; ``sinergi.importers.apply.terapkan`` applies it): the same size limits,
code columns (Kemendagri or BPS through a crosswalk), region matching and validation report.

- ``programs`` (:mod:`.programs`): ``program`` rows (village, year, ministry/agency, programme, budget,
  beneficiaries) and the dataset's ministry alias table;
- ``institutions`` (:mod:`.network_import`): a list of institutions into ``simpul``/``ikatan``, or
  PODES-style counts per village into the ``lembaga_<jenis>`` values;
- ``ties`` (:mod:`.network_import`): ``ikatan`` between villages, institutions and outside partners;
- ``population`` (:mod:`.population`): ``penduduk`` values by year (the weight of weighted means).

Values derived from them (programme counts, institution counts and density, network measures) are
computed when the plan is applied (:mod:`.derived`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sinergi.importers import ImporGagal, network_import, plan, population, programs
from sinergi.importers.report import GALAT, Laporan

JENIS = ("program", "lembaga", "ikatan", "penduduk")
PERINTAH = {"programs": "program", "institutions": "lembaga", "ties": "ikatan", "population": "penduduk"}


def siapkan(jenis: str, path: Path | str, dataset: str, /, **opsi) -> plan.Rencana:
    """The plan of an import of kind ``jenis`` (one of :data:`JENIS`) with that kind's options."""
    fungsi = {"program": programs.siapkan_program, "lembaga": network_import.siapkan_lembaga,
              "ikatan": network_import.siapkan_ikatan, "penduduk": population.siapkan_penduduk}[jenis]
    return fungsi(path, dataset, **opsi)


def pasangan(items: list[str] | None, contoh: str) -> dict[str, str]:
    """``KOLOM=NILAI`` pairs of the command line or the form (blank lines and items ignored)."""
    out = {}
    for item in items or []:
        if not item.strip():
            continue
        if "=" not in item:
            raise ImporGagal(f"Pemetaan harus berbentuk {contoh}, bukan {item!r}.")
        k, v = item.split("=", 1)
        if k.strip() and v.strip():
            out[k.strip()] = v.strip()
    return out


# --- command line ------------------------------------------------------------------------------------


def tambah_parser(kinds, umum: Callable[[argparse.ArgumentParser], None]) -> None:
    """``import programs|institutions|ties|population`` with the common options (``umum``) and their own."""
    bantuan = {"programs": "program K/L per desa: CSV atau XLSX",
               "institutions": "lembaga lokal (daftar atau jumlah per desa): CSV atau XLSX",
               "ties": "ikatan jejaring antardesa, lembaga dan mitra: CSV atau XLSX",
               "population": "penduduk desa per tahun: CSV atau XLSX"}
    for perintah, help_ in bantuan.items():
        p = kinds.add_parser(perintah, help=help_)
        umum(p)
        p.add_argument("--year", type=int, help="tahun bila berkas tidak punya kolom 'tahun'")
        p.add_argument("--sheet", help="lembar XLSX (default: lembar pertama yang berisi data)")
        if perintah != "ties":
            p.add_argument("--add-regions", action="store_true",
                           help="tambahkan kode yang belum ada di dataset sebagai wilayah baru")
        if perintah == "programs":
            p.add_argument("--map", action="append", metavar="KOLOM=K/L:PROGRAM",
                           help="tabel lebar: kolom berisi anggaran satu program (nilai > 0 = desa dijangkau)")
            p.add_argument("--aliases", help="tabel alias K/L (kolom alias,nama) milik dataset ini")
        elif perintah == "institutions":
            p.add_argument("--map", action="append", metavar="KOLOM=JENIS",
                           help="jumlah per desa: kolom berisi jumlah lembaga jenis JENIS (mis. R705A=posyandu)")
            p.add_argument("--type", dest="jenis", help="daftar lembaga tanpa kolom jenis: jenis semua baris")
        elif perintah == "population":
            p.add_argument("--column", help="kolom jumlah penduduk (default: dideteksi, mis. 'penduduk')")


def dari_cli(args, umum: dict) -> plan.Rencana:
    """The plan of ``python -m sinergi import programs|institutions|ties|population FILE``."""
    jenis = PERINTAH[args.kind]
    opsi = dict(umum, tahun=args.year, lembar=args.sheet)
    if jenis != "ikatan":
        opsi["tambah"] = args.add_regions
    try:
        if jenis == "program":
            opsi.update(peta_kolom=pasangan(args.map, "KOLOM=K/L:PROGRAM"), alias=args.aliases)
        elif jenis == "lembaga":
            opsi.update(peta_kolom=pasangan(args.map, "KOLOM=JENIS"), jenis=args.jenis)
        elif jenis == "penduduk":
            opsi["kolom"] = args.column
    except ImporGagal as e:
        lap = Laporan(jenis, Path(args.file).name, args.dataset)
        lap.tambah(GALAT, str(e))
        return plan.Rencana(lap, args.dataset, None)
    return siapkan(jenis, args.file, args.dataset, **opsi)
