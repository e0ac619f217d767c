//! The Perdep 06/Per/Dep.6/IV/2016 profile as data, and the catalogue of shipped profiles.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    Aspect, Band, Bound, Formula, Indicator, Precision, PredikatBand, Profile, Scoring, Term,
};
use crate::error::{Error, Result};

/// The profiles shipped with the crate, by id.
///
/// # Errors
/// [`Error::UnknownProfile`] for any other id.
pub fn profile(id: &str) -> Result<Profile> {
    match id {
        "perdep-06-2016" => Ok(perdep_06_2016()),
        _ => Err(Error::UnknownProfile { id: id.to_owned() }),
    }
}

pub(super) fn d(x: i64) -> Decimal {
    Decimal::from(x)
}

fn dd(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

/// `(-∞; a)`, `[a; b)`, …, `[z; +∞)` from the cut points and the nilai of each band
/// (`nilai.len() == cuts.len() + 1`): lower ends inclusive.
fn half_open_up(cuts: &[Decimal], nilai: &[i64]) -> Vec<Band> {
    build_bands(cuts, nilai, true)
}

/// `(-∞; a]`, `(a; b]`, …, `(z; +∞)`: upper ends inclusive.
fn half_open_down(cuts: &[Decimal], nilai: &[i64]) -> Vec<Band> {
    build_bands(cuts, nilai, false)
}

fn build_bands(cuts: &[Decimal], nilai: &[i64], lower_inclusive: bool) -> Vec<Band> {
    let mut out = Vec::with_capacity(nilai.len());
    let mut lower = Bound::Unbounded;
    for (i, n) in nilai.iter().enumerate() {
        let upper = match cuts.get(i) {
            None => Bound::Unbounded,
            Some(c) if lower_inclusive => Bound::Exclusive(*c),
            Some(c) => Bound::Inclusive(*c),
        };
        out.push(Band::new(lower, upper, *n));
        lower = match upper {
            Bound::Exclusive(c) => Bound::Inclusive(c),
            Bound::Inclusive(c) => Bound::Exclusive(c),
            Bound::Unbounded => Bound::Unbounded,
        };
    }
    out
}

fn ind(
    code: &str,
    name: &str,
    bobot: i64,
    formula: Formula,
    scoring: Scoring,
    note: &str,
) -> Indicator {
    Indicator {
        code: code.to_owned(),
        name: name.to_owned(),
        bobot: d(bobot),
        formula,
        scoring,
        zero_denominator_nilai: None,
        note: note.to_owned(),
    }
}

fn terms(keys: &[&str]) -> Vec<Term> {
    keys.iter().map(|k| Term::of(k)).collect()
}

fn questionnaire(code: &str, name: &str) -> Indicator {
    ind(
        &format!("manajemen_{code}"),
        name,
        3,
        Formula::percent(
            terms(&[&format!("manajemen_{code}_ya")]),
            terms(&[&format!("manajemen_{code}_pertanyaan")]),
        ),
        Scoring::Linear {
            intercept: Decimal::ZERO,
            slope: Decimal::ONE,
            min: Decimal::ZERO,
            max: Decimal::ONE_HUNDRED,
            precision: Precision::TWO_HALF_UP,
        },
        "nilai = share of 'ya' answers × 100 (skor = ya/pertanyaan × 3). The question lists are \
         not encoded (G): give the count of 'ya' and the number of questions (Permen 14/2009 \
         worksheets: umum 12, kelembagaan 6, permodalan 5, aktiva 10, likuiditas 5).",
    )
}

/// The legacy seven-aspect KSP/USP health profile (Permen 14/2009 as carried into Perdep
/// Pengawasan 06/Per/Dep.6/IV/2016), `perdep-06-2016`, version 1.
///
/// Encoded from the secondary sources of domain.md §5.1; each indicator's
/// [`note`](Indicator::note) states the reading chosen where the copies disagree or are
/// incomplete. Summary of the choices:
///
/// * ratios are percentages rounded half-up to 2 decimals before the band lookup; skor are
///   rounded half-up to 2 decimals; the total is the sum of the rounded skor;
/// * where a table says `a–b`, the band is `[a; b)` (lower end inclusive) unless the table
///   itself writes `≤ a` for its first band, then `(a; b]`;
/// * *risiko pinjaman bermasalah*: the banded table (0 → 100, ≤ 10 → 80, … > 45 → 0), not the
///   "+2 per 1 %" prose;
/// * *cadangan risiko*: +1 per 1 %, floored to a whole nilai, capped at 100; nilai 100 when
///   there is no problem-loan risk (denominator zero);
/// * *modal sendiri / pinjaman berisiko*: the 10-point band table; nilai 100 when there is no
///   risky loan;
/// * bands marked G in domain.md (pinjaman berisiko above 21 %, the three efficiency
///   indicators, pinjaman / dana diterima at 90 % and above) use the tables most often printed
///   in published worksheets and are flagged in the note: pin the profile version and
///   override them if your Dinas uses another table.
pub fn perdep_06_2016() -> Profile {
    let rpm = vec![
        Term::weighted("pinjaman_kurang_lancar", dd(50, 2)),
        Term::weighted("pinjaman_diragukan", dd(75, 2)),
        Term::weighted("pinjaman_macet", Decimal::ONE),
    ];
    let mut cadangan = ind(
        "cadangan_risiko",
        "Rasio cadangan risiko terhadap risiko pinjaman bermasalah",
        5,
        Formula::percent(terms(&["cadangan_risiko"]), rpm.clone()),
        Scoring::Linear {
            intercept: Decimal::ZERO,
            slope: Decimal::ONE,
            min: Decimal::ZERO,
            max: Decimal::ONE_HUNDRED,
            precision: Precision::WHOLE_DOWN,
        },
        "0 → 0, +1 per 1 %, max 100 (floored to a whole nilai); the alternative reading \
         'banded to the next 10' is not used (G). No problem-loan risk → nilai 100.",
    );
    cadangan.zero_denominator_nilai = Some(Decimal::ONE_HUNDRED);
    let mut ms_berisiko = ind(
        "modal_sendiri_pinjaman_berisiko",
        "Rasio modal sendiri terhadap pinjaman diberikan yang berisiko",
        6,
        Formula::percent(terms(&["modal_sendiri"]), terms(&["pinjaman_berisiko"])),
        Scoring::Bands(half_open_up(
            &[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map(d),
            &[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
        )),
        "10-point band table: < 10 → 0 (incl. ≤ 0), [10; 20) → 10 … [90; 100) → 90, ≥ 100 → 100. \
         No risky loans → nilai 100.",
    );
    ms_berisiko.zero_denominator_nilai = Some(Decimal::ONE_HUNDRED);
    let aspects = vec![
        Aspect {
            code: "permodalan".into(),
            name: "Permodalan".into(),
            indicators: vec![
                ind(
                    "modal_sendiri_total_aset",
                    "Rasio modal sendiri terhadap total aset",
                    6,
                    Formula::percent(terms(&["modal_sendiri"]), terms(&["total_aset"])),
                    Scoring::Bands(half_open_up(
                        &[0, 20, 40, 60, 80].map(d),
                        &[0, 25, 50, 100, 50, 25],
                    )),
                    "Permen 14/2009 table: [0; 20) → 25, [20; 40) → 50, [40; 60) → 100, \
                     [60; 80) → 50, ≥ 80 → 25; negative modal sendiri → 0 (our choice). The older \
                     20/2008 '+5 per 4 %' rule is not used.",
                ),
                ms_berisiko,
                ind(
                    "kecukupan_modal",
                    "Rasio kecukupan modal sendiri (modal tertimbang / ATMR)",
                    3,
                    Formula::percent(terms(&["modal_tertimbang"]), terms(&["atmr"])),
                    Scoring::Bands(half_open_up(&[4, 6, 8].map(d), &[0, 50, 75, 100])),
                    "< 4 → 0, [4; 6) → 50, [6; 8) → 75, ≥ 8 → 100. Modal tertimbang and ATMR are \
                     inputs (the ATMR asset weights are not fully published, G).",
                ),
            ],
        },
        Aspect {
            code: "kualitas_aktiva_produktif".into(),
            name: "Kualitas Aktiva Produktif".into(),
            indicators: vec![
                ind(
                    "volume_pinjaman_anggota",
                    "Rasio volume pinjaman pada anggota terhadap volume pinjaman diberikan",
                    10,
                    Formula::percent(terms(&["pinjaman_anggota"]), terms(&["pinjaman_diberikan"])),
                    Scoring::Bands(half_open_down(&[25, 50, 75].map(d), &[0, 50, 75, 100])),
                    "≤ 25 → 0, (25; 50] → 50, (50; 75] → 75, > 75 → 100.",
                ),
                ind(
                    "risiko_pinjaman_bermasalah",
                    "Rasio risiko pinjaman bermasalah terhadap pinjaman diberikan",
                    5,
                    Formula::percent(rpm, terms(&["pinjaman_diberikan"])),
                    Scoring::Bands(half_open_down(
                        &[0, 10, 20, 30, 40, 45].map(d),
                        &[100, 80, 60, 40, 20, 10, 0],
                    )),
                    "RPM = 50 % KL + 75 % D + 100 % M. Ambiguous in the sources (G): the banded \
                     table is used — 0 → 100, (0; 10] → 80, (10; 20] → 60, (20; 30] → 40, \
                     (30; 40] → 20, (40; 45] → 10, > 45 → 0 — not the '+2 per 1 % below 45' prose \
                     nor 100 − 2 × ratio.",
                ),
                cadangan,
                ind(
                    "pinjaman_berisiko",
                    "Rasio pinjaman yang berisiko terhadap pinjaman diberikan",
                    5,
                    Formula::percent(
                        terms(&["pinjaman_berisiko"]),
                        terms(&["pinjaman_diberikan"]),
                    ),
                    Scoring::Bands(half_open_up(&[21, 26, 31].map(d), &[100, 75, 50, 25])),
                    "< 21 → 100 (domain.md); the other bands are G: [21; 26) → 75, [26; 31) → 50, \
                     ≥ 31 → 25, as printed in published Permen 14/2009 worksheets (> 30 → 25, \
                     26–30 → 50, 21–25 → 75).",
                ),
            ],
        },
        Aspect {
            code: "manajemen".into(),
            name: "Manajemen".into(),
            indicators: vec![
                questionnaire("umum", "Manajemen umum"),
                questionnaire("kelembagaan", "Manajemen kelembagaan"),
                questionnaire("permodalan", "Manajemen permodalan"),
                questionnaire("aktiva", "Manajemen aktiva"),
                questionnaire("likuiditas", "Manajemen likuiditas"),
            ],
        },
        Aspect {
            code: "efisiensi".into(),
            name: "Efisiensi".into(),
            indicators: vec![
                ind(
                    "beban_operasi_anggota",
                    "Rasio beban operasi anggota terhadap partisipasi bruto",
                    4,
                    Formula::percent(
                        terms(&["beban_operasi_anggota"]),
                        terms(&["partisipasi_bruto"]),
                    ),
                    Scoring::Bands(half_open_down(&[70, 85, 100].map(d), &[100, 75, 50, 25])),
                    "> 100 → 25 (domain.md); the other bands are G: (85; 100] → 50, (70; 85] → 75, \
                     ≤ 70 → 100, as printed in published worksheets.",
                ),
                ind(
                    "beban_usaha_shu_kotor",
                    "Rasio beban usaha terhadap SHU kotor",
                    4,
                    Formula::percent(terms(&["beban_usaha"]), terms(&["shu_kotor"])),
                    Scoring::Bands(half_open_down(&[40, 60, 80].map(d), &[100, 75, 50, 25])),
                    "Bands G: ≤ 40 → 100, (40; 60] → 75, (60; 80] → 50, > 80 → 25, as printed in \
                     published worksheets.",
                ),
                ind(
                    "efisiensi_pelayanan",
                    "Rasio efisiensi pelayanan (biaya karyawan / volume pinjaman)",
                    2,
                    Formula::percent(terms(&["biaya_karyawan"]), terms(&["volume_pinjaman"])),
                    Scoring::Bands(half_open_up(&[5, 10, 15].map(d), &[100, 75, 50, 25])),
                    "Bands G: < 5 → 100, [5; 10) → 75, [10; 15) → 50, ≥ 15 → 25, as printed in \
                     published worksheets.",
                ),
            ],
        },
        Aspect {
            code: "likuiditas".into(),
            name: "Likuiditas".into(),
            indicators: vec![
                ind(
                    "rasio_kas",
                    "Rasio kas (kas + bank terhadap kewajiban lancar)",
                    10,
                    Formula::percent(terms(&["kas", "bank"]), terms(&["kewajiban_lancar"])),
                    Scoring::Bands(half_open_down(&[10, 15, 20].map(d), &[25, 100, 50, 25])),
                    "≤ 10 → 25, (10; 15] → 100, (15; 20] → 50, > 20 → 25 (idle cash is penalised).",
                ),
                ind(
                    "pinjaman_dana_diterima",
                    "Rasio pinjaman diberikan terhadap dana yang diterima",
                    5,
                    Formula::percent(terms(&["pinjaman_diberikan"]), terms(&["dana_diterima"])),
                    Scoring::Bands(half_open_up(&[60, 70, 80].map(d), &[25, 50, 75, 100])),
                    "< 60 → 25, [60; 70) → 50, [70; 80) → 75, [80; 90) → 100 as quoted; ≥ 90 is \
                     not shown in the sources (G): the last band is extended, ≥ 80 → 100.",
                ),
            ],
        },
        Aspect {
            code: "kemandirian_pertumbuhan".into(),
            name: "Kemandirian dan Pertumbuhan".into(),
            indicators: vec![
                ind(
                    "rentabilitas_aset",
                    "Rentabilitas aset (SHU sebelum pajak / total aset)",
                    3,
                    Formula::percent(terms(&["shu_sebelum_pajak"]), terms(&["total_aset"])),
                    Scoring::Bands(half_open_up(&[d(5), dd(75, 1), d(10)], &[25, 50, 75, 100])),
                    "< 5 → 25, [5; 7,5) → 50, [7,5; 10) → 75, ≥ 10 → 100.",
                ),
                ind(
                    "rentabilitas_modal_sendiri",
                    "Rentabilitas modal sendiri (SHU bagian anggota / modal sendiri)",
                    3,
                    Formula::percent(terms(&["shu_bagian_anggota"]), terms(&["modal_sendiri"])),
                    Scoring::Bands(half_open_up(&[3, 4, 5].map(d), &[25, 50, 75, 100])),
                    "< 3 → 25, [3; 4) → 50, [4; 5) → 75, ≥ 5 → 100.",
                ),
                ind(
                    "kemandirian_operasional",
                    "Kemandirian operasional pelayanan",
                    4,
                    Formula::percent(
                        terms(&["partisipasi_neto"]),
                        terms(&["beban_usaha", "beban_perkoperasian"]),
                    ),
                    Scoring::Bands(half_open_down(&[d(100)], &[0, 100])),
                    "≤ 100 → 0, > 100 → 100.",
                ),
            ],
        },
        Aspect {
            code: "jatidiri".into(),
            name: "Jatidiri Koperasi".into(),
            indicators: vec![
                ind(
                    "partisipasi_bruto",
                    "Rasio partisipasi bruto",
                    7,
                    Formula::percent(
                        terms(&["partisipasi_bruto"]),
                        terms(&["partisipasi_bruto", "pendapatan"]),
                    ),
                    Scoring::Bands(half_open_up(&[25, 50, 75].map(d), &[25, 50, 75, 100])),
                    "PB / (PB + pendapatan): < 25 → 25, [25; 50) → 50, [50; 75) → 75, ≥ 75 → 100.",
                ),
                ind(
                    "promosi_ekonomi_anggota",
                    "Rasio promosi ekonomi anggota",
                    3,
                    Formula::percent(
                        terms(&["mepp", "shu_bagian_anggota"]),
                        terms(&["simpanan_pokok", "simpanan_wajib"]),
                    ),
                    Scoring::Bands(half_open_up(&[d(5), dd(75, 1), d(10)], &[0, 50, 75, 100])),
                    "(MEPPP + SHU bagian anggota) / (pokok + wajib): < 5 → 0, [5; 7,5) → 50, \
                     [7,5; 10) → 75, ≥ 10 → 100.",
                ),
            ],
        },
    ];
    Profile {
        id: "perdep-06-2016".into(),
        name: "Penilaian kesehatan KSP/USP koperasi — Perdep Pengawasan 06/Per/Dep.6/IV/2016 (7 aspek)"
            .into(),
        version: 1,
        effective_from: NaiveDate::from_ymd_opt(2016, 4, 1),
        aspects,
        ratio_precision: Precision::TWO_HALF_UP,
        score_precision: Precision::TWO_HALF_UP,
        predikat_bands: PredikatBand::standard(),
    }
}
