-- Sinergi Desa data model (DuckDB). One database file per dataset, built by our code.
-- Region codes are Kemendagri codes in dotted form ('32.01.01.2001'); see sinergi/regions.py.

-- One row per region at every level (1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan).
create table regions (
    kode          varchar primary key,   -- dotted Kemendagri code
    level         tinyint not null,      -- 1..4
    nama          varchar not null,
    kode_induk    varchar,               -- parent code; null for provinces
    kode_prov     varchar not null,      -- ancestors, for filtering without recursion
    kode_kab      varchar,
    kode_kec      varchar,
    jenis         varchar not null,      -- provinsi | kabupaten | kota | kecamatan | desa | kelurahan | lainnya
    luas_km2      double,                -- area in km², computed on an equal-area projection
    penduduk      bigint,                -- population where known
    lon           double,                -- centroid (point on surface), WGS84
    lat           double,
    geom          geometry,              -- WGS84 (EPSG:4326), as built or imported
    geom_display  geometry               -- simplified per level for maps (topology-preserving), rounded
);

-- Every region's name folded for search (sinergi/search.py, queries/search_regions.sql): lower case without
-- spaces and dots, with (penuh_lipat) and without (nama_lipat) the prefix words "Desa", "Kab." … Written
-- by sinergi/build.py (the folding SQL is in sinergi/db.py DERIVED_TABLES), so a search does not fold
-- 90,000 names with regular expressions each time.
create table nama_lipat (
    kode          varchar not null,
    nama_lipat    varchar not null,
    penuh_lipat   varchar not null
);

-- The dataset's indicator catalog: the built-in entries of sinergi/catalog.py, then the indicators the
-- dataset's owner described on import (impor = true; sinergi/importers/meta.py). Pages read it through
-- sinergi.catalog.dari_tabel (built-ins always as the code defines them).
create table indicators (
    id            varchar primary key,   -- safe identifier: [a-z][a-z0-9_]*
    nama_id       varchar not null,
    nama_en       varchar not null,
    tema          varchar not null,      -- ketahanan_sosial | kapasitas_sdm | jaringan_sosial | sinergi_program | idm
                                         -- | a theme the dataset's metadata declared (tema_nama_id/en)
    satuan        varchar,
    arah          tinyint not null,      -- +1 higher is better, -1 higher is worse
    min_valid     double,
    max_valid     double,
    agregasi      varchar not null,      -- wmean_pop | sum | share | mean
    sumber        varchar,
    deskripsi_id  varchar,
    deskripsi_en  varchar,
    kelas_resmi   varchar,               -- 'idm' when the official IDM status classes apply
    -- Added for indicators described by their owner (issue 14). A file built before has only the columns
    -- above; sinergi/db.py ADDED_COLUMNS gives it these as nulls.
    impor         boolean,               -- true: described by the dataset's owner, not built in
    urut          integer,               -- catalog order
    satuan_en     varchar,
    lisensi       varchar,
    desimal       tinyint,               -- decimals shown
    kelas_batas   varchar,               -- official class breaks, JSON list of increasing upper bounds
    tema_nama_id  varchar,               -- the theme's names (a theme the metadata declared)
    tema_nama_en  varchar
);

-- Values in long form, at every level (levels 1..3 are aggregated up from villages at build time).
-- flag: null = observed; 'missing' = not collected; 'suppressed' = withheld (e.g. too few cases).
-- pct_*: share (0..1) of regions of the same level, indicator and year whose value is <= this one
-- (cume_dist), nationally, within the province and within the kabupaten; computed at build time so
-- a region's profile is a lookup. Sorted by kode, so one region's rows are contiguous.
create table nilai (
    kode          varchar not null,
    tahun         smallint not null,
    indikator     varchar not null,
    nilai         double,
    flag          varchar,
    pct_nasional  double,
    pct_provinsi  double,
    pct_kabupaten double
);

-- The same values (without percentiles) ordered by indicator, year and code instead of by region: the
-- questions asked of one indicator in one year for every region of a level (maps, counts, rankings,
-- targeting lists) read one contiguous block here, where in nilai the indicator is in every row group
-- and the whole table is scanned (84,000 villages x 6 years x 23 indicators nationally: 12 million
-- rows). Per-region lookups (profiles, trends) stay on nilai. Written by sinergi/build.py from nilai.
create table nilai_indikator (
    indikator     varchar not null,
    tahun         smallint not null,
    kode          varchar not null,
    nilai         double,
    flag          varchar
);

-- The same values once more, keyed by each region's position in its level (urut: 0, 1, … in code order, the
-- order of queries/region_attributes.sql) instead of by its code, ordered by indicator, year, level and
-- position: a national map's values (84,000 villages) read as one contiguous block of numbers and put in
-- place by position, without joining or sorting 84,000 codes for every indicator and year. Values of codes
-- that are not regions are left out. Written by sinergi/build.py from nilai and regions.
create table nilai_urut (
    indikator     varchar not null,
    tahun         smallint not null,
    level         tinyint not null,
    urut          integer not null,
    nilai         double,
    flag          varchar
);

-- Which indicator has how many values (not null) in which year, over every level: the years and
-- indicators a page offers, without counting 12 million rows. Written by sinergi/build.py from nilai.
-- (For these tables a file built before them gets a view with the same rows: sinergi/db.py.)
create table indikator_tahun (
    indikator     varchar not null,
    tahun         smallint not null,
    n             bigint not null
);

-- Which ministry's or agency's programme reaches which village in which year.
-- anggaran/penerima: optional budget (rupiah) and beneficiaries (people) of the programme in the village
-- (added with the programme importer; a file built before them gets null columns, sinergi/db.py).
create table program (
    kode_desa     varchar not null,
    tahun         smallint not null,
    kementerian   varchar not null,      -- e.g. Kemensos, Kemendesa PDTT, BRIN, Kemenkes (normalised names)
    program       varchar not null,
    anggaran      double,
    penerima      bigint
);

-- The dataset's own ministry/agency alias table (sinergi/importers/programs.py): a spelling in a
-- programme file (alias) and the name it stands for (nama). The repository's default table
-- (sinergi/alias_kementerian.csv) applies first; this one adds to it and overrides it.
create table alias_kementerian (
    alias         varchar not null,
    nama          varchar not null
);

-- Nodes of the social network: villages, local institutions and outside partners.
create table simpul (
    id            varchar primary key,
    tipe          varchar not null,      -- desa | lembaga | mitra
    jenis         varchar not null,      -- e.g. karang_taruna, pkk, bumdes, universitas, lsm
    nama          varchar not null,
    kode_desa     varchar                -- home village (desa and lembaga); null for mitra
);

-- Ties between nodes (undirected).
create table ikatan (
    dari          varchar not null,
    ke            varchar not null,
    jenis         varchar not null,      -- anggota | kerja_sama_antardesa | kemitraan | pendampingan
    tahun         smallint
);

-- Where the data came from.
create table dataset (
    id            varchar primary key,
    nama          varchar not null,
    sumber        varchar not null,
    lisensi       varchar,
    tahun         varchar,
    dibangun_pada timestamp not null,
    demo          boolean not null,
    catatan       varchar
);

-- Provenance of imported datasets (written by sinergi/importers; empty in generated datasets).
-- One row per file imported into this dataset, in order.
create table sumber_impor (
    urut          integer not null,      -- 1, 2, … in import order
    jenis         varchar not null,      -- batas | indikator | program | lembaga | ikatan | penduduk
    berkas        varchar not null,      -- file name as given
    format        varchar,               -- e.g. geojson, gpkg, shp, csv, xlsx; layout idm_nasional, idm_rumusan
    tingkat       tinyint,               -- region level of the file's codes (1..4)
    baris         integer,               -- rows/features read
    cocok         integer,               -- rows/features taken into the dataset
    tahun         varchar,               -- years found
    sumber        varchar,
    lisensi       varchar,
    diimpor_pada  timestamp not null
);

-- Imported values as read (before aggregation up the hierarchy): what the next import rebuilds from.
create table nilai_impor (
    kode          varchar not null,
    tahun         smallint not null,
    indikator     varchar not null,
    nilai         double
);

-- Where an imported region's geometry and name came from.
-- geom_asal: 'berkas' (a boundary file) | 'gabungan' (union of its children) | null (none);
-- nama_asal: 'berkas' | 'daftar_kode' | 'tabel' | 'kode' (placeholder made from the code).
create table wilayah_impor (
    kode          varchar primary key,
    geom_asal     varchar,
    nama_asal     varchar
);
