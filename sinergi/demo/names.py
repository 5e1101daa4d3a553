"""Place names: syllable-built, clearly fictional, Indonesian-sounding names for provinces, kabupaten/kota,
kecamatan, villages and partners (never a real place name)."""

from __future__ import annotations

from typing import Callable

import numpy as np

_SUKU_AWAL = ("ba", "bi", "bu", "ca", "da", "di", "ga", "gu", "ja", "ka", "ke", "ki", "ku", "la", "le", "li",
              "lo", "ma", "me", "mu", "na", "pa", "pe", "pu", "ra", "ri", "sa", "se", "si", "su", "ta", "te",
              "ti", "to", "wa", "wi", "ya", "ro")
_SUKU_TENGAH = ("ba", "da", "di", "ga", "ka", "la", "li", "lo", "ma", "mo", "na", "ni", "nda", "ngga", "mba",
                "ra", "ri", "ro", "sa", "ta", "ti", "wa", "ja", "ru", "nta", "mpa", "ye", "lu")
_SUKU_AKHIR = ("", "", "", "", "n", "ng", "r", "s", "t", "k", "h", "m")
_AWALAN_PANTAI = ("Tanjung", "Teluk", "Pasir", "Muara", "Pantai", "Pulau", "Karang")
_AWALAN_DARAT = ("Bukit", "Batu", "Talang", "Lubuk", "Sumber", "Rawa", "Sungai", "Padang", "Karang", "Air",
                 "Kampung", "Tanah")
_AWALAN_GABUNG = ("Suka", "Sido", "Mekar", "Tirta", "Harja", "Karya")
_AKHIRAN = ("Jaya", "Makmur", "Baru", "Indah", "Sari", "Mulya", "Lestari", "Raya", "Asri", "Hilir", "Hulu",
            "Tengah", "Utara", "Selatan", "Timur", "Barat")
_ARAH = ("Barat", "Timur", "Utara", "Selatan", "Tengah", "Tenggara", "Barat Daya")
# Real place names the syllables could spell: never used, so every name stays clearly fictional.
_NAMA_NYATA = frozenset({
    "Bali", "Banda", "Bara", "Batam", "Bima", "Datar", "Garut", "Jawa", "Karo", "Kediri", "Landak", "Lawas",
    "Lebak", "Malaka", "Malang", "Medan", "Muna", "Padang", "Palu", "Pati", "Sabang", "Serang", "Tarakan",
    "Toraja",
})


class Penama:
    """Syllable-built, clearly fictional, Indonesian-sounding names, unique within a parent."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def pilih(self, pilihan: tuple[str, ...]) -> str:
        return pilihan[int(self.rng.integers(len(pilihan)))]

    def kata(self) -> str:
        """One word of 2-3 syllables, e.g. "Lemora", "Katinggar"."""
        while True:
            suku = [self.pilih(_SUKU_AWAL), self.pilih(_SUKU_TENGAH)]
            if self.rng.random() < 0.45:
                suku.append(self.pilih(_SUKU_TENGAH))
            kata = ("".join(suku) + self.pilih(_SUKU_AKHIR)).capitalize()
            if kata not in _NAMA_NYATA:
                return kata

    def tempat(self, pantai: bool, gabung: bool = True) -> str:
        r = self.rng.random()
        awalan = _AWALAN_PANTAI if pantai else _AWALAN_DARAT
        if r < 0.35:
            return f"{self.pilih(awalan)} {self.kata()}"
        if r < 0.55:
            return f"{self.kata()} {self.pilih(_AKHIRAN)}"
        if r < 0.70 and gabung:
            return self.pilih(_AWALAN_GABUNG) + self.kata().lower()
        if r < 0.78:
            return f"{self.pilih(awalan)} {self.kata()} {self.pilih(_AKHIRAN)}"
        return self.kata()

    @staticmethod
    def unik(buat: Callable[[], str], dipakai: set[str]) -> str:
        """First generated name not yet used in this parent (membership only, no set iteration)."""
        for _ in range(50):
            nama = buat()
            if nama not in dipakai:
                break
        else:  # pragma: no cover - practically unreachable with this many syllables
            k = 2
            while f"{nama} {k}" in dipakai:
                k += 1
            nama = f"{nama} {k}"
        dipakai.add(nama)
        return nama


def buat_nama_provinsi(rng: np.random.Generator, n: int) -> list[str]:
    penama, dipakai, nama = Penama(rng), set(), []
    while len(nama) < n:
        dasar = penama.kata()
        r = rng.random()
        if r < 0.3:  # a family of provinces: "X Barat", "X Timur", …
            k = int(rng.integers(2, 4))
            arah = rng.permutation(len(_ARAH))[:k]
            calon = [f"Nusa {dasar} {_ARAH[a]}" if r < 0.12 else f"{dasar} {_ARAH[a]}" for a in arah]
        elif r < 0.5:
            calon = [f"Kepulauan {dasar}"]
        elif r < 0.65:
            calon = [f"{dasar} Raya"]
        else:
            calon = [f"Nusa {dasar}" if r < 0.8 else dasar]
        for c in calon:
            if c not in dipakai and len(nama) < n:
                dipakai.add(c)
                nama.append(c)
    return nama
