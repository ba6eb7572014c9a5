"""The demo history's story: how each unit of the demo office does over the weeks.

Most units get faster and serve more requests within their SOP time; BINAPENTA and PPTKA
improve the most. DIT-BINRIKSA gets worse: its claims slow down and its complaints overrun
the SOP. The rest hold steady. The text is the office's own (Indonesian): customers'
subjects, officers' reasons and answers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Trend:
    """A unit's figures at the start of the history and at its end, in between a straight line.

    `claim_minutes`: median office minutes from offer to claim (the claim SLA is 30 min);
    `service_ratio`: median P2 service time as a share of the service's SOP days.
    """

    claim_minutes: tuple[float, float]
    service_ratio: tuple[float, float] = (0.75, 0.75)

    def claim_at(self, progress: float) -> float:
        return _between(self.claim_minutes, progress)

    def ratio_at(self, progress: float) -> float:
        return _between(self.service_ratio, progress)


def _between(ends: tuple[float, float], progress: float) -> float:
    first, last = ends
    return first + (last - first) * progress


STEADY = Trend((15.0, 14.0), (0.75, 0.72))
WORSENING_UNIT = "DIT-BINRIKSA"
TRENDS: dict[str, Trend] = {
    "FO": Trend((12.0, 8.0)),
    "BINAPENTA": Trend((30.0, 5.0)),
    "PPTKA": Trend((40.0, 6.0), (1.1, 0.55)),  # its claim SLA is 45 min
    "PTKLN": Trend((20.0, 10.0), (0.95, 0.65)),
    "PHI-JSK": Trend((22.0, 9.0)),
    "DIT-SYARKER": Trend((18.0, 8.0), (1.0, 0.6)),
    "BINALAVOTAS": Trend((20.0, 11.0)),
    "BIRO-UMUM": Trend((16.0, 8.0), (0.9, 0.5)),
    WORSENING_UNIT: Trend((8.0, 40.0), (0.6, 1.35)),
}

CLAIM_SPREAD = 0.4  # sigma of the log of a claim delay around its median
SERVICE_SPREAD = 0.3  # the same for a service time

# Requests per working day across the office, drawn uniformly (the seed's volume).
DAILY_REQUESTS = (6, 12)
# How often a request takes a side path, per request (or per hop where it says so).
ON_THE_SPOT = 0.12  # the front office answers at the counter
SURVEYED = 0.6  # customers who fill in the SKM survey after the close
SURVEY_ON_PAPER = 0.2  # of them, on a paper form the front office types in
SURVEY_QUICK, SURVEY_SLOW = 3.5, 2.9  # the scores' centre for a service within its SOP, or not
P1_RETURN = 0.015  # echelon 1 sends it back to the front office: the customer must complete it
MISDISPATCH = 0.03  # dispatched to a sibling unit, which transfers it to the service's owner
P2_RETURN = 0.02  # echelon 2 sends it back to echelon 1 for a better disposition
RELEASE = 0.03  # per hop, in units with more than one desk: the holder gives the claim back
ASSIGN_LATE = 0.4  # a claim later than ASSIGN_AFTER is, this often, a supervisor's assignment
ASSIGN_AFTER = 45.0  # office minutes
PAUSE = 0.07  # the P2 desk waits on the customer for missing documents
MESSAGE = 0.1  # the P2 desk leaves a note on the request

# How much each service is asked for, relative to the others.
SERVICE_WEIGHTS: dict[str, float] = {
    "RPTKA-PENGESAHAN": 4.0,
    "NORMA-PENGADUAN": 4.0,
    "DOKUMEN-LEGALISIR": 3.0,
    "DATA-INFO": 2.0,
    "PKB-PENCATATAN": 2.0,
    "PMI-REKOMENDASI": 2.0,
    "PP-PENGESAHAN": 1.5,
}

CHANNELS = ("walk-in", "walk-in", "walk-in", "phone", "email", "letter", "web", "web")

FIRST_NAMES = (
    "Agus", "Budi", "Dewi", "Eko", "Fitri", "Hendra", "Indah", "Joko", "Kartika", "Lina",
    "Maya", "Nur", "Putri", "Rahmat", "Sari", "Teguh", "Wahyu", "Yuni", "Bambang", "Ratna",
)  # fmt: skip
LAST_NAMES = (
    "Prasetyo", "Lestari", "Wijaya", "Rahmawati", "Santoso", "Hidayat", "Kusuma", "Saputra",
    "Nugroho", "Siregar", "Simanjuntak", "Hasibuan", "Wulandari", "Pratama", "Setiawan",
)  # fmt: skip
COMPANIES = (
    "PT Sinar Abadi Tekstil", "CV Karya Mandiri", "PT Nusantara Logistik",
    "Yayasan Pelatihan Kerja Bina Insani", "PT Mitra Konstruksi Utama", "PT Samudra Perikanan",
    "PT Garuda Mas Elektronik", "CV Sejahtera Garmen", "PT Borneo Sawit Lestari",
    "LPK Cipta Kompetensi", "PT Andalas Tambang Persada", "PT Cahaya Retail Indonesia",
)  # fmt: skip

SUBJECTS: dict[str, tuple[str, ...]] = {
    "DATA-INFO": (
        "Permohonan data penduduk bekerja per provinsi",
        "Data pengangguran terbuka untuk penelitian",
    ),
    "RTK-PERENCANAAN": ("Bahan penyusunan RTK daerah", "Konsultasi RTK mikro perusahaan"),
    "RPTKA-PENGESAHAN": (
        "Pengesahan RPTKA tenaga ahli",
        "Perpanjangan RPTKA",
        "Perubahan jabatan dalam RPTKA",
    ),
    "PMI-REKOMENDASI": ("Rekomendasi penempatan PMI ke Taiwan", "Rekomendasi P3MI baru"),
    "PKB-PENCATATAN": ("Pendaftaran PKB periode baru", "Perpanjangan PKB"),
    "PP-PENGESAHAN": ("Pengesahan peraturan perusahaan", "Perubahan peraturan perusahaan"),
    "LPK-LISENSI": ("Lisensi LPK baru", "Akreditasi ulang LPK"),
    "NORMA-PENGADUAN": (
        "Pengaduan upah lembur tidak dibayar",
        "Pengaduan PHK sepihak",
        "Pengaduan upah di bawah minimum",
    ),
    "PHI-PERSELISIHAN": ("Mediasi perselisihan PHK", "Perselisihan hak cuti"),
    "KOMPETENSI-SERTIFIKASI": ("Sertifikasi kompetensi operator", "Uji kompetensi ulang"),
    "DOKUMEN-LEGALISIR": (
        "Legalisir salinan keputusan",
        "Legalisir surat keterangan kerja",
    ),
    "PPID-INFO": ("Permohonan informasi publik anggaran", "Permohonan salinan regulasi"),
    "HUKUM-KONSULTASI": ("Konsultasi kontrak kerja waktu tertentu", "Konsultasi pesangon"),
    "DUMAS-PENGADUAN": ("Pengaduan pelayanan petugas", "Laporan dugaan pungutan liar"),
    "K3-LISENSI": ("Lisensi ahli K3 umum", "Penunjukan PJK3 baru"),
}

DETAILS = "Permohonan dari riwayat contoh untuk demo."
TODAY_DETAILS = "Permohonan contoh hari ini untuk demo."  # today's overdue ones
ON_THE_SPOT_ANSWERS = ("Informasi diberikan langsung di loket.", "Dijawab langsung di loket.")
ANSWERS = (
    "Dokumen telah diproses dan dapat diambil.",
    "Permohonan disetujui; salinan terlampir.",
    "Hasil layanan telah disiapkan.",
)
DISPATCH_NOTES = ("Mohon ditindaklanjuti.", "Mohon diproses sesuai SOP.", "Untuk diproses.")
MISDISPATCH_REASON = "Bukan kewenangan unit ini; diteruskan ke unit pemilik layanan."
P1_RETURN_REASON = "Berkas belum lengkap; mohon pemohon melengkapi persyaratan."
REDISPATCH_NOTE = "Berkas sudah dilengkapi pemohon."
P2_RETURN_REASON = "Disposisi kurang lengkap; mohon dilengkapi."
RELEASE_REASONS = ("Petugas dinas luar.", "Dialihkan ke rekan karena cuti.")
PAUSE_REASONS = (
    "Menunggu fotokopi KTP dan NPWP dari pemohon.",
    "Menunggu surat kuasa dari pemohon.",
    "Menunggu kelengkapan dokumen pendukung.",
)
MESSAGES = (
    "Mohon pemohon dihubungi untuk konfirmasi data.",
    "Berkas sedang diverifikasi.",
    "Pemohon sudah dihubungi melalui telepon.",
)
