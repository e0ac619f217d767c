//! The scoring engine: profiles, bands, formulas, inputs and [`assess`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use koperasi_core::{RoundingMode, RoundingPolicy, Rupiah};
use rust_decimal::Decimal;

use super::InputTrace;
use crate::error::{Error, ProfileProblem, Result};

/// One end of a band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Bound {
    /// No bound on this side.
    Unbounded,
    /// The value itself belongs to the band.
    Inclusive(Decimal),
    /// The value itself does not belong to the band.
    Exclusive(Decimal),
}

/// One row of a band table: ratios within `lower..upper` get `nilai`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Band {
    /// Lower end.
    pub lower: Bound,
    /// Upper end.
    pub upper: Bound,
    /// The nilai for a ratio in this band.
    pub nilai: Decimal,
}

impl Band {
    /// A band.
    pub fn new(lower: Bound, upper: Bound, nilai: i64) -> Band {
        Band {
            lower,
            upper,
            nilai: Decimal::from(nilai),
        }
    }

    /// `true` if `x` lies in the band.
    pub fn contains(&self, x: Decimal) -> bool {
        let lo = match self.lower {
            Bound::Unbounded => true,
            Bound::Inclusive(b) => x >= b,
            Bound::Exclusive(b) => x > b,
        };
        let hi = match self.upper {
            Bound::Unbounded => true,
            Bound::Inclusive(b) => x <= b,
            Bound::Exclusive(b) => x < b,
        };
        lo && hi
    }

    /// The band in interval notation with Indonesian decimals, e.g. `[7,5; 10)`.
    pub fn interval(&self) -> String {
        let n = crate::report::decimal_id;
        let lo = match self.lower {
            Bound::Unbounded => "(−∞".to_owned(),
            Bound::Inclusive(b) => format!("[{}", n(b)),
            Bound::Exclusive(b) => format!("({}", n(b)),
        };
        let hi = match self.upper {
            Bound::Unbounded => "+∞)".to_owned(),
            Bound::Inclusive(b) => format!("{}]", n(b)),
            Bound::Exclusive(b) => format!("{})", n(b)),
        };
        format!("{lo}; {hi}")
    }
}

/// Rounding of a ratio, nilai or skor: a mode and a number of decimals (0, 1 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Precision {
    /// Rounding mode.
    pub mode: RoundingMode,
    /// Decimals kept (0..=2).
    pub decimals: u32,
}

impl Precision {
    /// Half-up to two decimals.
    pub const TWO_HALF_UP: Precision = Precision {
        mode: RoundingMode::HalfUp,
        decimals: 2,
    };
    /// Down (toward zero) to a whole number.
    pub const WHOLE_DOWN: Precision = Precision {
        mode: RoundingMode::Down,
        decimals: 0,
    };

    fn policy(self) -> Result<RoundingPolicy> {
        let step = match self.decimals {
            0 => Rupiah::ONE,
            1 => Rupiah::from_sen(10),
            2 => Rupiah::SEN,
            d => {
                return Err(Error::InvalidProfile {
                    profile: String::new(),
                    problem: ProfileProblem::PrecisionTooFine { decimals: d },
                });
            }
        };
        Ok(RoundingPolicy::new(self.mode, step)?)
    }

    /// `numerator × multiplier / denominator`, rounded exactly (one integer division).
    ///
    /// # Errors
    /// [`Error::Core`] on overflow or a zero denominator.
    pub fn divide(
        self,
        numerator: Decimal,
        multiplier: Decimal,
        denominator: Decimal,
    ) -> Result<Decimal> {
        let policy = self.policy()?;
        let product = numerator
            .checked_mul(multiplier)
            .ok_or(koperasi_core::Error::Overflow { op: "health ratio" })?;
        Ok(Rupiah::ONE
            .mul_div(product, denominator, policy)?
            .to_decimal()
            .normalize())
    }

    /// Rounds an exact value.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn round(self, value: Decimal) -> Result<Decimal> {
        Ok(self
            .policy()?
            .round_decimal(value)?
            .to_decimal()
            .normalize())
    }
}

/// How a ratio becomes a nilai.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Scoring {
    /// A band table; the ratio must fall in exactly one band.
    Bands(Vec<Band>),
    /// `nilai = clamp(intercept + slope × ratio, min, max)`, rounded with `precision`.
    Linear {
        /// Nilai at ratio 0.
        intercept: Decimal,
        /// Nilai per percentage point.
        slope: Decimal,
        /// Lowest nilai.
        min: Decimal,
        /// Highest nilai.
        max: Decimal,
        /// Rounding of the nilai.
        precision: Precision,
    },
}

/// A weighted input in a formula: `coefficient × inputs[input]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Term {
    /// The input key.
    pub input: String,
    /// Its coefficient (1 for a plain sum).
    pub coefficient: Decimal,
}

impl Term {
    /// `1 × input`.
    pub fn of(input: &str) -> Term {
        Term {
            input: input.to_owned(),
            coefficient: Decimal::ONE,
        }
    }

    /// `coefficient × input`.
    pub fn weighted(input: &str, coefficient: Decimal) -> Term {
        Term {
            input: input.to_owned(),
            coefficient,
        }
    }
}

/// `Σ numerator / Σ denominator × multiplier` (multiplier 100 gives a percentage).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Formula {
    /// Terms of the numerator.
    pub numerator: Vec<Term>,
    /// Terms of the denominator.
    pub denominator: Vec<Term>,
    /// Usually 100.
    pub multiplier: Decimal,
}

impl Formula {
    /// A percentage `Σ num / Σ den × 100`.
    pub fn percent(numerator: Vec<Term>, denominator: Vec<Term>) -> Formula {
        Formula {
            numerator,
            denominator,
            multiplier: Decimal::ONE_HUNDRED,
        }
    }

    /// The input keys the formula reads, in order.
    pub fn inputs(&self) -> impl Iterator<Item = &str> {
        self.numerator
            .iter()
            .chain(self.denominator.iter())
            .map(|t| t.input.as_str())
    }
}

/// One scored component.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Indicator {
    /// Stable key, e.g. `rasio_kas`.
    pub code: String,
    /// Indonesian name.
    pub name: String,
    /// Weight (*bobot*).
    pub bobot: Decimal,
    /// How the ratio is computed.
    pub formula: Formula,
    /// How the ratio becomes a nilai.
    pub scoring: Scoring,
    /// Nilai when the denominator is zero (`None`: an error).
    pub zero_denominator_nilai: Option<Decimal>,
    /// Source and ambiguity notes (which reading of the regulation this encodes).
    pub note: String,
}

/// A group of indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Aspect {
    /// Stable key, e.g. `permodalan`.
    pub code: String,
    /// Indonesian name.
    pub name: String,
    /// The components.
    pub indicators: Vec<Indicator>,
}

/// The four predicates of a health assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[doc(alias = "predikat")]
#[doc(alias = "sehat")]
pub enum Predikat {
    /// *Sehat* (healthy): score ≥ 80.
    #[doc(alias = "sehat")]
    Sehat,
    /// *Cukup Sehat*: 66 ≤ score < 80.
    #[doc(alias = "cukup sehat")]
    CukupSehat,
    /// *Dalam Pengawasan* (under supervision): 51 ≤ score < 66.
    #[doc(alias = "dalam pengawasan")]
    DalamPengawasan,
    /// *Dalam Pengawasan Khusus* (under special supervision): score < 51.
    #[doc(alias = "dalam pengawasan khusus")]
    DalamPengawasanKhusus,
}

impl Predikat {
    /// All four, best first.
    pub const ALL: [Predikat; 4] = [
        Predikat::Sehat,
        Predikat::CukupSehat,
        Predikat::DalamPengawasan,
        Predikat::DalamPengawasanKhusus,
    ];

    /// The Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            Predikat::Sehat => "Sehat",
            Predikat::CukupSehat => "Cukup Sehat",
            Predikat::DalamPengawasan => "Dalam Pengawasan",
            Predikat::DalamPengawasanKhusus => "Dalam Pengawasan Khusus",
        }
    }

    /// A stable machine key (`sehat`, `cukup_sehat`, `dalam_pengawasan`,
    /// `dalam_pengawasan_khusus`).
    pub fn key(self) -> &'static str {
        match self {
            Predikat::Sehat => "sehat",
            Predikat::CukupSehat => "cukup_sehat",
            Predikat::DalamPengawasan => "dalam_pengawasan",
            Predikat::DalamPengawasanKhusus => "dalam_pengawasan_khusus",
        }
    }

    /// The predicate of a score under the standard bands (≥ 80 Sehat, 66–<80 Cukup Sehat,
    /// 51–<66 Dalam Pengawasan, < 51 Dalam Pengawasan Khusus).
    ///
    /// ```
    /// use koperasi_reporting::health::Predikat;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Predikat::from_score(Decimal::from(80))?, Predikat::Sehat);
    /// assert_eq!(Predikat::from_score(Decimal::new(7999, 2))?, Predikat::CukupSehat);
    /// assert_eq!(Predikat::from_score(Decimal::from(51))?, Predikat::DalamPengawasan);
    /// assert_eq!(Predikat::from_score(Decimal::new(5099, 2))?, Predikat::DalamPengawasanKhusus);
    /// # Ok::<(), koperasi_reporting::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::ScoreOutOfRange`] if the score is below 0 or above 100.
    pub fn from_score(score: Decimal) -> Result<Predikat> {
        predikat_for(&PredikatBand::standard(), score)
    }
}

impl core::fmt::Display for Predikat {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(self.label())
    }
}

/// A predicate band: scores `≥ min` (and below the previous band) get `predikat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PredikatBand {
    /// Lowest score of the band, inclusive.
    pub min: Decimal,
    /// The predicate.
    pub predikat: Predikat,
}

impl PredikatBand {
    /// ≥ 80 Sehat; ≥ 66 Cukup Sehat; ≥ 51 Dalam Pengawasan; otherwise Dalam Pengawasan Khusus.
    pub fn standard() -> Vec<PredikatBand> {
        vec![
            PredikatBand {
                min: Decimal::from(80),
                predikat: Predikat::Sehat,
            },
            PredikatBand {
                min: Decimal::from(66),
                predikat: Predikat::CukupSehat,
            },
            PredikatBand {
                min: Decimal::from(51),
                predikat: Predikat::DalamPengawasan,
            },
            PredikatBand {
                min: Decimal::ZERO,
                predikat: Predikat::DalamPengawasanKhusus,
            },
        ]
    }
}

pub(crate) fn predikat_for(bands: &[PredikatBand], score: Decimal) -> Result<Predikat> {
    if score < Decimal::ZERO || score > Decimal::ONE_HUNDRED {
        return Err(Error::ScoreOutOfRange { score });
    }
    bands
        .iter()
        .find(|b| score >= b.min)
        .map(|b| b.predikat)
        .ok_or(Error::ScoreOutOfRange { score })
}

/// A versioned, dated set of scoring rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Profile {
    /// Stable id, e.g. `perdep-06-2016`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Version of this encoding of the rules (bump when a band or weight changes).
    pub version: u32,
    /// First date the rules apply to.
    pub effective_from: Option<NaiveDate>,
    /// The aspects.
    pub aspects: Vec<Aspect>,
    /// Rounding of every computed ratio before the band lookup.
    pub ratio_precision: Precision,
    /// Rounding of every skor before summing.
    pub score_precision: Precision,
    /// Predicate bands, highest first.
    pub predikat_bands: Vec<PredikatBand>,
}

impl Profile {
    /// Every indicator code, in profile order.
    pub fn indicator_codes(&self) -> impl Iterator<Item = &str> {
        self.indicators().map(|(_, i)| i.code.as_str())
    }

    /// Every (aspect, indicator) pair in order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Aspect, &Indicator)> {
        self.aspects
            .iter()
            .flat_map(|a| a.indicators.iter().map(move |i| (a, i)))
    }

    /// Every input key any formula reads, sorted.
    pub fn input_keys(&self) -> BTreeSet<&str> {
        self.indicators()
            .flat_map(|(_, i)| i.formula.inputs())
            .collect()
    }

    /// Checks the profile: weights sum to 100; band tables are non-empty and ordered without
    /// overlaps or gaps; denominators are non-empty; codes unique; predicate bands descending.
    ///
    /// # Errors
    /// [`Error::InvalidProfile`] naming the first problem.
    pub fn validate(&self) -> Result<()> {
        let bad = |problem| Error::InvalidProfile {
            profile: self.id.clone(),
            problem,
        };
        let mut total = Decimal::ZERO;
        let mut seen = BTreeSet::new();
        for (_, ind) in self.indicators() {
            total = total
                .checked_add(ind.bobot)
                .ok_or(koperasi_core::Error::Overflow {
                    op: "profile weights",
                })?;
            if !seen.insert(ind.code.as_str()) {
                return Err(bad(ProfileProblem::DuplicateIndicator {
                    indicator: ind.code.clone(),
                }));
            }
            if ind.formula.denominator.is_empty() {
                return Err(bad(ProfileProblem::EmptyDenominator {
                    indicator: ind.code.clone(),
                }));
            }
            if let Scoring::Bands(bands) = &ind.scoring
                && !bands_are_contiguous(bands)
            {
                return Err(bad(ProfileProblem::BadBands {
                    indicator: ind.code.clone(),
                }));
            }
        }
        if total != Decimal::ONE_HUNDRED {
            return Err(bad(ProfileProblem::WeightsDoNotSum { total }));
        }
        if self
            .predikat_bands
            .windows(2)
            .any(|w| matches!(w, [a, b] if a.min <= b.min))
            || self.predikat_bands.is_empty()
        {
            return Err(bad(ProfileProblem::PredikatBandsUnordered));
        }
        for p in [self.ratio_precision, self.score_precision] {
            if p.decimals > 2 {
                return Err(bad(ProfileProblem::PrecisionTooFine {
                    decimals: p.decimals,
                }));
            }
        }
        Ok(())
    }
}

/// Bands must be given in ascending order, the first unbounded below, the last unbounded
/// above, and each band must start exactly where the previous ends (one side inclusive, the
/// other exclusive), so every ratio falls in exactly one band.
fn bands_are_contiguous(bands: &[Band]) -> bool {
    let (Some(first), Some(last)) = (bands.first(), bands.last()) else {
        return false;
    };
    if first.lower != Bound::Unbounded || last.upper != Bound::Unbounded {
        return false;
    }
    bands.windows(2).all(|w| match w {
        [a, b] => matches!(
            (a.upper, b.lower),
            (Bound::Inclusive(x), Bound::Exclusive(y)) | (Bound::Exclusive(x), Bound::Inclusive(y)) if x == y
        ),
        _ => false,
    })
}

/// The inputs of an assessment: named amounts or counts, and ratios given directly.
///
/// A ratio given for an indicator takes precedence over its formula.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HealthInputs {
    /// Named inputs (amounts in rupiah, or counts).
    pub inputs: BTreeMap<String, Decimal>,
    /// Ratios (percent) given directly, by indicator code.
    pub ratios: BTreeMap<String, Decimal>,
    /// Where each input came from, by input key (inputs derived from books; none for inputs
    /// typed by hand). A trace's value equals its input's.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub traces: BTreeMap<String, InputTrace>,
}

impl HealthInputs {
    /// Sets a named input.
    pub fn set_input(&mut self, key: &str, value: Decimal) -> &mut Self {
        self.inputs.insert(key.to_owned(), value);
        self
    }

    /// Sets a ratio (percent) for an indicator.
    pub fn set_ratio(&mut self, indicator: &str, ratio: Decimal) -> &mut Self {
        self.ratios.insert(indicator.to_owned(), ratio);
        self
    }

    /// Sets a named input to the value of its trace, and keeps the trace.
    pub fn set_traced(&mut self, key: &str, trace: InputTrace) -> &mut Self {
        self.inputs.insert(key.to_owned(), trace.value);
        self.traces.insert(key.to_owned(), trace);
        self
    }

    /// Removes a directly given ratio.
    pub fn remove_ratio(&mut self, indicator: &str) -> &mut Self {
        self.ratios.remove(indicator);
        self
    }

    /// Inputs that are balances or flows which cannot be negative in any set of books.
    pub const NON_NEGATIVE: [&'static str; 22] = [
        "kas",
        "bank",
        "kewajiban_lancar",
        "total_aset",
        "pinjaman_anggota",
        "pinjaman_berisiko",
        "pinjaman_diberikan",
        "pinjaman_kurang_lancar",
        "pinjaman_diragukan",
        "pinjaman_macet",
        "volume_pinjaman",
        "simpanan_pokok",
        "simpanan_wajib",
        "cadangan_risiko",
        "biaya_karyawan",
        "beban_usaha",
        "beban_perkoperasian",
        "beban_operasi_anggota",
        "partisipasi_bruto",
        "pendapatan",
        "atmr",
        "mepp",
    ];

    /// Checks inputs typed by hand (the stand-alone `health assess`), before scoring:
    ///
    /// * every amount of [`NON_NEGATIVE`](Self::NON_NEGATIVE) is ≥ 0;
    /// * every `*_pertanyaan` (number of questions) is a whole number ≥ 1 and every `*_ya`
    ///   (questions answered *ya*) a whole number ≥ 0 and at most its `*_pertanyaan`;
    /// * a management ratio given directly (`manajemen_*`) lies in 0..=100.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first key that fails, the value and why.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: &str, value: Decimal, reason: &str| Error::InvalidInput {
            key: key.to_owned(),
            value,
            reason: reason.to_owned(),
        };
        for (k, v) in &self.inputs {
            if Self::NON_NEGATIVE.contains(&k.as_str()) && v.is_sign_negative() && !v.is_zero() {
                return Err(bad(k, *v, "cannot be negative"));
            }
            if let Some(base) = k.strip_suffix("_pertanyaan") {
                if !v.fract().is_zero() || *v < Decimal::ONE {
                    return Err(bad(
                        k,
                        *v,
                        "the number of questions must be a whole number ≥ 1",
                    ));
                }
                let yes_key = format!("{base}_ya");
                if let Some(yes) = self.inputs.get(&yes_key)
                    && yes > v
                {
                    return Err(bad(
                        &yes_key,
                        *yes,
                        &format!("more ya answers than the {v} questions of {k}"),
                    ));
                }
            }
            if k.ends_with("_ya") && (!v.fract().is_zero() || v.is_sign_negative() && !v.is_zero())
            {
                return Err(bad(
                    k,
                    *v,
                    "the number of ya answers must be a whole number ≥ 0",
                ));
            }
        }
        for (k, v) in &self.ratios {
            if k.starts_with("manajemen_") && (*v < Decimal::ZERO || *v > Decimal::ONE_HUNDRED) {
                return Err(bad(
                    k,
                    *v,
                    "a share of questions answered ya must lie in 0..=100",
                ));
            }
        }
        Ok(())
    }
}

/// Where a ratio came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "kind"))]
#[non_exhaustive]
pub enum RatioSource {
    /// Given directly in the inputs.
    Given,
    /// Computed from named inputs.
    Computed {
        /// Σ numerator terms.
        numerator: Decimal,
        /// Σ denominator terms.
        denominator: Decimal,
        /// Every input read, with its value.
        inputs: Vec<(String, Decimal)>,
    },
    /// The denominator was zero; the profile's nilai for that case was used.
    ZeroDenominator {
        /// Every input read, with its value.
        inputs: Vec<(String, Decimal)>,
    },
}

/// The score of one indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ComponentScore {
    /// Aspect code.
    pub aspect: String,
    /// Indicator code.
    pub indicator: String,
    /// Indicator name.
    pub name: String,
    /// The ratio (percent), rounded per the profile (zero when the denominator was zero).
    pub ratio: Decimal,
    /// Where the ratio came from.
    pub source: RatioSource,
    /// The band that matched, in interval notation (empty for linear scoring).
    pub band: String,
    /// Nilai (0–100).
    pub nilai: Decimal,
    /// Weight.
    pub bobot: Decimal,
    /// `nilai × bobot / 100`, rounded per the profile.
    pub skor: Decimal,
}

/// The score of one aspect: the sum of its components.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AspectScore {
    /// Aspect code.
    pub code: String,
    /// Aspect name.
    pub name: String,
    /// Σ bobot.
    pub bobot: Decimal,
    /// Σ skor.
    pub skor: Decimal,
}

/// A complete health assessment.
///
/// # Invariants
/// `total` = Σ component `skor` = Σ aspect `skor`; `predikat` follows from `total` under the
/// profile's bands (`prop_total_is_sum_of_components`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Assessment {
    /// Profile id.
    pub profile: String,
    /// Profile version.
    pub profile_version: u32,
    /// Per component.
    pub components: Vec<ComponentScore>,
    /// Per aspect.
    pub aspects: Vec<AspectScore>,
    /// Total score.
    pub total: Decimal,
    /// Predicate.
    pub predikat: Predikat,
    /// Where each input read by the profile came from (the inputs' traces, when they were
    /// derived from books), by input key.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub traces: BTreeMap<String, InputTrace>,
}

impl Assessment {
    /// The component with this indicator code.
    pub fn component(&self, code: &str) -> Option<&ComponentScore> {
        self.components.iter().find(|c| c.indicator == code)
    }
}

/// Scores `inputs` under `profile`.
///
/// Validates the whole profile and all inputs first (unknown keys are rejected as typos).
///
/// # Errors
/// [`Error::InvalidProfile`], [`Error::UnknownInput`], [`Error::MissingInput`],
/// [`Error::ZeroDenominator`], [`Error::NoBand`], [`Error::Core`] on overflow.
pub fn assess(profile: &Profile, inputs: &HealthInputs) -> Result<Assessment> {
    profile.validate()?;
    let keys = profile.input_keys();
    let codes: BTreeSet<&str> = profile.indicator_codes().collect();
    if let Some(k) = inputs.inputs.keys().find(|k| !keys.contains(k.as_str())) {
        return Err(Error::UnknownInput {
            profile: profile.id.clone(),
            key: k.clone(),
        });
    }
    if let Some(k) = inputs.ratios.keys().find(|k| !codes.contains(k.as_str())) {
        return Err(Error::UnknownInput {
            profile: profile.id.clone(),
            key: k.clone(),
        });
    }
    let mut components = Vec::new();
    let mut aspects = Vec::new();
    let mut total = Decimal::ZERO;
    let overflow = || koperasi_core::Error::Overflow { op: "health score" };
    for aspect in &profile.aspects {
        let mut a_bobot = Decimal::ZERO;
        let mut a_skor = Decimal::ZERO;
        for ind in &aspect.indicators {
            let c = score_indicator(profile, aspect, ind, inputs)?;
            a_bobot = a_bobot.checked_add(c.bobot).ok_or_else(overflow)?;
            a_skor = a_skor.checked_add(c.skor).ok_or_else(overflow)?;
            components.push(c);
        }
        total = total.checked_add(a_skor).ok_or_else(overflow)?;
        aspects.push(AspectScore {
            code: aspect.code.clone(),
            name: aspect.name.clone(),
            bobot: a_bobot.normalize(),
            skor: a_skor.normalize(),
        });
    }
    let total = total.normalize();
    let predikat = predikat_for(&profile.predikat_bands, total)?;
    Ok(Assessment {
        profile: profile.id.clone(),
        profile_version: profile.version,
        components,
        aspects,
        total,
        predikat,
        traces: inputs
            .traces
            .iter()
            .filter(|(k, _)| keys.contains(k.as_str()))
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect(),
    })
}

fn sum_terms(
    ind: &Indicator,
    terms: &[Term],
    inputs: &HealthInputs,
    used: &mut Vec<(String, Decimal)>,
) -> Result<Decimal> {
    let mut sum = Decimal::ZERO;
    for t in terms {
        let v = *inputs
            .inputs
            .get(&t.input)
            .ok_or_else(|| Error::MissingInput {
                indicator: ind.code.clone(),
                input: t.input.clone(),
            })?;
        if !used.iter().any(|(k, _)| k == &t.input) {
            used.push((t.input.clone(), v));
        }
        let term = v
            .checked_mul(t.coefficient)
            .ok_or(koperasi_core::Error::Overflow {
                op: "health formula",
            })?;
        sum = sum
            .checked_add(term)
            .ok_or(koperasi_core::Error::Overflow {
                op: "health formula",
            })?;
    }
    Ok(sum)
}

pub(crate) fn score_indicator(
    profile: &Profile,
    aspect: &Aspect,
    ind: &Indicator,
    inputs: &HealthInputs,
) -> Result<ComponentScore> {
    let (ratio, source, fixed_nilai) = if let Some(r) = inputs.ratios.get(&ind.code) {
        (profile.ratio_precision.round(*r)?, RatioSource::Given, None)
    } else {
        let mut used = Vec::new();
        let num = sum_terms(ind, &ind.formula.numerator, inputs, &mut used)?;
        let den = sum_terms(ind, &ind.formula.denominator, inputs, &mut used)?;
        if den.is_zero() {
            let nilai = ind
                .zero_denominator_nilai
                .ok_or_else(|| Error::ZeroDenominator {
                    indicator: ind.code.clone(),
                })?;
            (
                Decimal::ZERO,
                RatioSource::ZeroDenominator { inputs: used },
                Some(nilai),
            )
        } else {
            let ratio = profile
                .ratio_precision
                .divide(num, ind.formula.multiplier, den)?;
            (
                ratio,
                RatioSource::Computed {
                    numerator: num,
                    denominator: den,
                    inputs: used,
                },
                None,
            )
        }
    };
    let (nilai, band) = match (fixed_nilai, &ind.scoring) {
        (Some(n), _) => (n, String::new()),
        (None, Scoring::Bands(bands)) => {
            let b = bands
                .iter()
                .find(|b| b.contains(ratio))
                .ok_or_else(|| Error::NoBand {
                    indicator: ind.code.clone(),
                    ratio,
                })?;
            (b.nilai, b.interval())
        }
        (
            None,
            Scoring::Linear {
                intercept,
                slope,
                min,
                max,
                precision,
            },
        ) => {
            let raw = slope
                .checked_mul(ratio)
                .and_then(|x| x.checked_add(*intercept))
                .ok_or(koperasi_core::Error::Overflow { op: "linear nilai" })?;
            let clamped = raw.max(*min).min(*max);
            (precision.round(clamped)?, String::new())
        }
    };
    let skor = profile
        .score_precision
        .divide(nilai, ind.bobot, Decimal::ONE_HUNDRED)?;
    Ok(ComponentScore {
        aspect: aspect.code.clone(),
        indicator: ind.code.clone(),
        name: ind.name.clone(),
        ratio: ratio.normalize(),
        source,
        band,
        nilai: nilai.normalize(),
        bobot: ind.bobot.normalize(),
        skor: skor.normalize(),
    })
}
