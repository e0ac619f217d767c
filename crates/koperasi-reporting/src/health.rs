//! Cooperative health assessment (*penilaian kesehatan koperasi*): a generic scoring engine
//! whose rules are data, and the legacy Perdep 06/Per/Dep.6/IV/2016 profile.
//!
//! A [`Profile`] lists [`Aspect`]s; each aspect lists [`Indicator`]s. An indicator has a
//! [`Formula`] over named inputs (a ratio of two weighted sums, times 100), a [`Scoring`] rule
//! (a band table with explicit inclusive/exclusive bounds, or a clamped linear rule) giving the
//! *nilai* (0–100), and a weight (*bobot*). The *skor* of an indicator is
//! `nilai × bobot / 100`; the total is the sum of the skor; the [`Predikat`] follows from the
//! total. Every figure of an [`Assessment`] carries the inputs it came from.
//!
//! ```
//! use koperasi_reporting::health::{assess, perdep_06_2016, HealthInputs, Predikat};
//! use rust_decimal::Decimal;
//!
//! let profile = perdep_06_2016();
//! let mut inputs = HealthInputs::default();
//! // Give every indicator's ratio directly (percent)…
//! for code in profile.indicator_codes() {
//!     inputs.set_ratio(code, Decimal::from(50));
//! }
//! // …except the cash ratio, computed from its inputs: (kas + bank) / kewajiban lancar × 100.
//! inputs.remove_ratio("rasio_kas");
//! inputs.set_input("kas", Decimal::from(60_000_000));
//! inputs.set_input("bank", Decimal::from(40_000_000));
//! inputs.set_input("kewajiban_lancar", Decimal::from(800_000_000));
//! let a = assess(&profile, &inputs)?;
//! let kas = a.component("rasio_kas").ok_or("no component")?;
//! assert_eq!(kas.ratio, Decimal::new(1250, 2)); // 12,50 % → nilai 100
//! assert_eq!(kas.nilai, Decimal::from(100));
//! assert_eq!(kas.skor, Decimal::from(10));
//! assert!(a.total <= Decimal::from(100));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use koperasi_core::{RoundingMode, RoundingPolicy, Rupiah};
use rust_decimal::Decimal;

use crate::error::{Error, ProfileProblem, Result};
use crate::report::{Block, Cell, Document, Table};

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

fn predikat_for(bands: &[PredikatBand], score: Decimal) -> Result<Predikat> {
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
}

impl Assessment {
    /// The component with this indicator code.
    pub fn component(&self, code: &str) -> Option<&ComponentScore> {
        self.components.iter().find(|c| c.indicator == code)
    }
}

impl Assessment {
    /// The assessment as a renderer-neutral document: a component table (rasio, nilai, bobot,
    /// skor, band), an aspect table, and the total with its predikat.
    pub fn document(&self) -> Document {
        let mut doc = Document::new("Penilaian Kesehatan Koperasi");
        doc.subtitle.push(format!(
            "Profil: {} (versi {})",
            self.profile, self.profile_version
        ));
        let mut t = Table::new(
            "Komponen",
            &[
                ("aspect", "Aspek"),
                ("indicator", "Komponen"),
                ("ratio", "Rasio (%)"),
                ("band", "Rentang"),
                ("nilai", "Nilai"),
                ("bobot", "Bobot"),
                ("skor", "Skor"),
            ],
        );
        for c in &self.components {
            let ratio = match c.source {
                RatioSource::ZeroDenominator { .. } => Cell::Percent(None),
                _ => Cell::Number(c.ratio),
            };
            t.push(vec![
                c.aspect.as_str().into(),
                c.indicator.as_str().into(),
                ratio,
                c.band.as_str().into(),
                Cell::Number(c.nilai),
                Cell::Number(c.bobot),
                Cell::Number(c.skor),
            ]);
        }
        t.total = Some(vec![
            "Jumlah".into(),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Number(
                self.aspects
                    .iter()
                    .map(|a| a.bobot)
                    .fold(Decimal::ZERO, |x, y| x.checked_add(y).unwrap_or(x)),
            ),
            Cell::Number(self.total),
        ]);
        let mut a = Table::new(
            "Aspek",
            &[("aspect", "Aspek"), ("bobot", "Bobot"), ("skor", "Skor")],
        );
        for x in &self.aspects {
            a.push(vec![
                x.name.as_str().into(),
                Cell::Number(x.bobot),
                Cell::Number(x.skor),
            ]);
        }
        doc.blocks.push(Block::Table(t));
        doc.blocks.push(Block::Table(a));
        doc.blocks.push(Block::Note(format!(
            "Skor total {} — predikat {}",
            crate::report::decimal_id(self.total),
            self.predikat.label()
        )));
        doc
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

fn score_indicator(
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

fn d(x: i64) -> Decimal {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    /// The worked example "KSP Sukamaju" (testdata/koperasi-reporting/health-sukamaju.json),
    /// every figure computed by hand in the test comments.
    pub(crate) fn sukamaju() -> HealthInputs {
        let mut i = HealthInputs::default();
        for (k, v) in [
            ("modal_sendiri", 450_000_000),
            ("total_aset", 1_000_000_000),
            ("pinjaman_berisiko", 600_000_000),
            ("modal_tertimbang", 90_000_000),
            ("atmr", 1_000_000_000),
            ("pinjaman_anggota", 700_000_000),
            ("pinjaman_diberikan", 800_000_000),
            ("pinjaman_kurang_lancar", 40_000_000),
            ("pinjaman_diragukan", 20_000_000),
            ("pinjaman_macet", 10_000_000),
            ("cadangan_risiko", 30_000_000),
            ("manajemen_umum_ya", 10),
            ("manajemen_umum_pertanyaan", 12),
            ("manajemen_kelembagaan_ya", 6),
            ("manajemen_kelembagaan_pertanyaan", 6),
            ("manajemen_permodalan_ya", 4),
            ("manajemen_permodalan_pertanyaan", 5),
            ("manajemen_aktiva_ya", 7),
            ("manajemen_aktiva_pertanyaan", 10),
            ("manajemen_likuiditas_ya", 5),
            ("manajemen_likuiditas_pertanyaan", 5),
            ("beban_operasi_anggota", 80_000_000),
            ("partisipasi_bruto", 100_000_000),
            ("beban_usaha", 30_000_000),
            ("shu_kotor", 60_000_000),
            ("biaya_karyawan", 12_000_000),
            ("volume_pinjaman", 800_000_000),
            ("kas", 60_000_000),
            ("bank", 40_000_000),
            ("kewajiban_lancar", 800_000_000),
            ("dana_diterima", 1_000_000_000),
            ("shu_sebelum_pajak", 60_000_000),
            ("shu_bagian_anggota", 18_000_000),
            ("partisipasi_neto", 50_000_000),
            ("beban_perkoperasian", 10_000_000),
            ("pendapatan", 20_000_000),
            ("mepp", 5_000_000),
            ("simpanan_pokok", 100_000_000),
            ("simpanan_wajib", 200_000_000),
        ] {
            i.set_input(k, Decimal::from(v));
        }
        i
    }

    fn skor(a: &Assessment, code: &str) -> (Decimal, Decimal, Decimal) {
        let c = a.component(code).unwrap();
        (c.ratio, c.nilai, c.skor)
    }

    /// Issue 19: health ranges in Indonesian decimal form.
    #[test]
    fn interval_uses_decimal_commas() {
        let b = Band {
            lower: Bound::Inclusive(dec!(7.5)),
            upper: Bound::Exclusive(dec!(10)),
            nilai: dec!(50),
        };
        assert_eq!(b.interval(), "[7,5; 10)");
        let b = Band {
            lower: Bound::Exclusive(dec!(1000.25)),
            upper: Bound::Unbounded,
            nilai: dec!(0),
        };
        assert_eq!(b.interval(), "(1.000,25; +∞)");
    }

    #[test]
    fn validate_rejects_impossible_inputs() {
        let mut ok = HealthInputs::default();
        ok.set_input("kas", d(0))
            .set_input("manajemen_umum_pertanyaan", d(12))
            .set_input("manajemen_umum_ya", d(12))
            .set_input("shu_sebelum_pajak", d(-5)); // a loss is possible
        assert_eq!(ok.validate(), Ok(()));
        let kind = |h: &HealthInputs| match h.validate() {
            Err(Error::InvalidInput { key, .. }) => key,
            other => panic!("{other:?}"),
        };
        // Issue 19: "20 yes answers out of 12 questions".
        let mut h = ok.clone();
        h.set_input("manajemen_umum_ya", d(20));
        assert_eq!(kind(&h), "manajemen_umum_ya");
        let mut h = ok.clone();
        h.set_input("kas", d(-1));
        assert_eq!(kind(&h), "kas");
        let mut h = ok.clone();
        h.set_input("manajemen_umum_pertanyaan", d(0));
        assert_eq!(kind(&h), "manajemen_umum_pertanyaan");
        let mut h = ok.clone();
        h.set_input("manajemen_umum_ya", Decimal::new(25, 1));
        assert_eq!(kind(&h), "manajemen_umum_ya");
        let mut h = ok;
        h.set_ratio("manajemen_aktiva", d(120));
        assert_eq!(kind(&h), "manajemen_aktiva");
    }

    #[test]
    fn perdep_profile_is_valid_and_weighs_100() {
        let p = perdep_06_2016();
        p.validate().unwrap();
        assert_eq!(p.aspects.len(), 7);
        assert_eq!(p.indicators().count(), 22);
        let bobot: Vec<Decimal> = p
            .aspects
            .iter()
            .map(|a| a.indicators.iter().map(|i| i.bobot).sum())
            .collect();
        assert_eq!(bobot, [15, 25, 15, 10, 15, 10, 10].map(Decimal::from));
    }

    #[test]
    fn sukamaju_hand_computed() {
        let a = assess(&perdep_06_2016(), &sukamaju()).unwrap();
        // Permodalan: 45 % → 100 → 6; 75 % → 70 → 4,2; 9 % → 100 → 3.
        assert_eq!(
            skor(&a, "modal_sendiri_total_aset"),
            (dec!(45), dec!(100), dec!(6))
        );
        assert_eq!(
            skor(&a, "modal_sendiri_pinjaman_berisiko"),
            (dec!(75), dec!(70), dec!(4.2))
        );
        assert_eq!(skor(&a, "kecukupan_modal"), (dec!(9), dec!(100), dec!(3)));
        // KAP: 87,5 % → 100 → 10; RPM 45 jt / 800 jt = 5,625 → 5,63 → 80 → 4;
        // 30/45 = 66,67 → 66 → 3,3; 75 % → 25 → 1,25.
        assert_eq!(
            skor(&a, "volume_pinjaman_anggota"),
            (dec!(87.5), dec!(100), dec!(10))
        );
        assert_eq!(
            skor(&a, "risiko_pinjaman_bermasalah"),
            (dec!(5.63), dec!(80), dec!(4))
        );
        assert_eq!(
            skor(&a, "cadangan_risiko"),
            (dec!(66.67), dec!(66), dec!(3.3))
        );
        assert_eq!(
            skor(&a, "pinjaman_berisiko"),
            (dec!(75), dec!(25), dec!(1.25))
        );
        // Manajemen: 10/12 = 83,33 → skor 2,4999 → 2,50.
        assert_eq!(
            skor(&a, "manajemen_umum"),
            (dec!(83.33), dec!(83.33), dec!(2.5))
        );
        assert_eq!(
            skor(&a, "manajemen_aktiva"),
            (dec!(70), dec!(70), dec!(2.1))
        );
        // Efisiensi: 80 → 75 → 3; 50 → 75 → 3; 1,5 → 100 → 2.
        assert_eq!(
            skor(&a, "beban_operasi_anggota"),
            (dec!(80), dec!(75), dec!(3))
        );
        assert_eq!(
            skor(&a, "beban_usaha_shu_kotor"),
            (dec!(50), dec!(75), dec!(3))
        );
        assert_eq!(
            skor(&a, "efisiensi_pelayanan"),
            (dec!(1.5), dec!(100), dec!(2))
        );
        // Likuiditas: 12,5 → 100 → 10; 80 → 100 → 5.
        assert_eq!(skor(&a, "rasio_kas"), (dec!(12.5), dec!(100), dec!(10)));
        assert_eq!(
            skor(&a, "pinjaman_dana_diterima"),
            (dec!(80), dec!(100), dec!(5))
        );
        // Kemandirian: 6 → 50 → 1,5; 4 → 75 → 2,25; 125 → 100 → 4.
        assert_eq!(
            skor(&a, "rentabilitas_aset"),
            (dec!(6), dec!(50), dec!(1.5))
        );
        assert_eq!(
            skor(&a, "rentabilitas_modal_sendiri"),
            (dec!(4), dec!(75), dec!(2.25))
        );
        assert_eq!(
            skor(&a, "kemandirian_operasional"),
            (dec!(125), dec!(100), dec!(4))
        );
        // Jatidiri: 100/120 = 83,33 → 100 → 7; 23/300 = 7,67 → 75 → 2,25.
        assert_eq!(
            skor(&a, "partisipasi_bruto"),
            (dec!(83.33), dec!(100), dec!(7))
        );
        assert_eq!(
            skor(&a, "promosi_ekonomi_anggota"),
            (dec!(7.67), dec!(75), dec!(2.25))
        );
        let aspects: Vec<Decimal> = a.aspects.iter().map(|x| x.skor).collect();
        assert_eq!(
            aspects,
            [
                dec!(13.2),
                dec!(18.55),
                dec!(13),
                dec!(8),
                dec!(15),
                dec!(7.75),
                dec!(9.25)
            ]
        );
        assert_eq!(a.total, dec!(84.75));
        assert_eq!(a.predikat, Predikat::Sehat);
        // Traceable: the cash ratio names its inputs.
        match &a.component("rasio_kas").unwrap().source {
            RatioSource::Computed {
                numerator,
                denominator,
                inputs,
            } => {
                assert_eq!(*numerator, dec!(100000000));
                assert_eq!(*denominator, dec!(800000000));
                assert_eq!(inputs.len(), 3);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn given_ratio_overrides_formula_and_band_edges() {
        let p = perdep_06_2016();
        let mut i = sukamaju();
        for (r, n) in [
            (dec!(10), 25),
            (dec!(10.01), 100),
            (dec!(15), 100),
            (dec!(15.01), 50),
            (dec!(20.01), 25),
        ] {
            i.set_ratio("rasio_kas", r);
            let a = assess(&p, &i).unwrap();
            assert_eq!(
                a.component("rasio_kas").unwrap().nilai,
                Decimal::from(n),
                "ratio {r}"
            );
            assert_eq!(a.component("rasio_kas").unwrap().source, RatioSource::Given);
        }
    }

    #[test]
    fn zero_denominator_uses_profile_nilai_or_fails() {
        let p = perdep_06_2016();
        let mut i = sukamaju();
        for k in [
            "pinjaman_kurang_lancar",
            "pinjaman_diragukan",
            "pinjaman_macet",
        ] {
            i.set_input(k, Decimal::ZERO);
        }
        let a = assess(&p, &i).unwrap();
        assert_eq!(a.component("cadangan_risiko").unwrap().nilai, dec!(100));
        assert_eq!(
            a.component("risiko_pinjaman_bermasalah").unwrap().nilai,
            dec!(100)
        );
        i.set_input("kewajiban_lancar", Decimal::ZERO);
        assert_eq!(
            assess(&p, &i),
            Err(Error::ZeroDenominator {
                indicator: "rasio_kas".into()
            })
        );
    }

    #[test]
    fn every_error_variant_of_the_engine() {
        let p = perdep_06_2016();
        let mut i = sukamaju();
        i.inputs.remove("kas");
        assert_eq!(
            assess(&p, &i),
            Err(Error::MissingInput {
                indicator: "rasio_kas".into(),
                input: "kas".into()
            })
        );
        let mut i = sukamaju();
        i.set_input("kass", Decimal::ONE);
        assert!(matches!(assess(&p, &i), Err(Error::UnknownInput { key, .. }) if key == "kass"));
        let mut i = sukamaju();
        i.set_ratio("rasio_kass", Decimal::ONE);
        assert!(matches!(assess(&p, &i), Err(Error::UnknownInput { .. })));
        assert!(matches!(
            profile("permenkop-9-2020"),
            Err(Error::UnknownProfile { .. })
        ));
        assert!(matches!(
            Predikat::from_score(dec!(100.01)),
            Err(Error::ScoreOutOfRange { .. })
        ));
        assert!(matches!(
            Predikat::from_score(dec!(-1)),
            Err(Error::ScoreOutOfRange { .. })
        ));

        let mut bad = perdep_06_2016();
        bad.aspects[0].indicators[0].bobot = dec!(7);
        assert!(matches!(
            bad.validate(),
            Err(Error::InvalidProfile {
                problem: ProfileProblem::WeightsDoNotSum { .. },
                ..
            })
        ));
        let mut bad = perdep_06_2016();
        bad.aspects[0].indicators[0].scoring = Scoring::Bands(vec![
            Band::new(Bound::Unbounded, Bound::Exclusive(dec!(5)), 1),
            Band::new(Bound::Exclusive(dec!(5)), Bound::Unbounded, 2),
        ]);
        assert!(matches!(
            bad.validate(),
            Err(Error::InvalidProfile {
                problem: ProfileProblem::BadBands { .. },
                ..
            })
        ));
        let mut bad = perdep_06_2016();
        bad.aspects[0].indicators[0].formula.denominator.clear();
        assert!(matches!(
            bad.validate(),
            Err(Error::InvalidProfile {
                problem: ProfileProblem::EmptyDenominator { .. },
                ..
            })
        ));
        let mut bad = perdep_06_2016();
        let dup = bad.aspects[0].indicators[0].clone();
        bad.aspects[0].indicators[1].code = dup.code;
        assert!(matches!(
            bad.validate(),
            Err(Error::InvalidProfile {
                problem: ProfileProblem::DuplicateIndicator { .. },
                ..
            })
        ));
        let mut bad = perdep_06_2016();
        bad.predikat_bands.reverse();
        assert!(matches!(
            bad.validate(),
            Err(Error::InvalidProfile {
                problem: ProfileProblem::PredikatBandsUnordered,
                ..
            })
        ));
        let mut bad = perdep_06_2016();
        bad.ratio_precision.decimals = 3;
        assert!(matches!(
            bad.validate(),
            Err(Error::InvalidProfile {
                problem: ProfileProblem::PrecisionTooFine { decimals: 3 },
                ..
            })
        ));
        // A profile whose bands do not cover the ratio (validation skipped by building the
        // band table with a hole is impossible through validate, so score directly):
        let p = perdep_06_2016();
        let mut holey = p.aspects[4].indicators[0].clone();
        holey.scoring = Scoring::Bands(vec![Band::new(
            Bound::Inclusive(dec!(0)),
            Bound::Inclusive(dec!(1)),
            1,
        )]);
        let mut i = sukamaju();
        i.set_ratio("rasio_kas", dec!(50));
        assert!(matches!(
            score_indicator(&p, &p.aspects[4], &holey, &i),
            Err(Error::NoBand { .. })
        ));
    }

    #[test]
    fn predikat_bands() {
        for (s, p) in [
            (dec!(100), Predikat::Sehat),
            (dec!(80), Predikat::Sehat),
            (dec!(79.99), Predikat::CukupSehat),
            (dec!(66), Predikat::CukupSehat),
            (dec!(65.99), Predikat::DalamPengawasan),
            (dec!(51), Predikat::DalamPengawasan),
            (dec!(50.99), Predikat::DalamPengawasanKhusus),
            (dec!(0), Predikat::DalamPengawasanKhusus),
        ] {
            assert_eq!(Predikat::from_score(s).unwrap(), p, "{s}");
        }
    }

    proptest! {
        #[test]
        fn prop_total_is_sum_of_components(ratios in proptest::collection::vec(0_i64..=20_000, 22)) {
            let p = perdep_06_2016();
            let mut i = HealthInputs::default();
            for (code, r) in p.indicator_codes().zip(ratios) {
                i.set_ratio(code, Decimal::new(r, 2));
            }
            let a = assess(&p, &i).unwrap();
            let sum: Decimal = a.components.iter().map(|c| c.skor).sum();
            let asum: Decimal = a.aspects.iter().map(|c| c.skor).sum();
            prop_assert_eq!(sum, a.total);
            prop_assert_eq!(asum, a.total);
            prop_assert!(a.total >= Decimal::ZERO && a.total <= Decimal::ONE_HUNDRED);
            prop_assert_eq!(Predikat::from_score(a.total).unwrap(), a.predikat);
        }

        #[test]
        fn prop_every_ratio_falls_in_exactly_one_band(r in -100_000_i64..=100_000) {
            let x = Decimal::new(r, 2);
            for (_, ind) in perdep_06_2016().indicators() {
                if let Scoring::Bands(b) = &ind.scoring {
                    prop_assert_eq!(b.iter().filter(|b| b.contains(x)).count(), 1);
                }
            }
        }
    }
}

/// The inputs of [`perdep_06_2016`] that a ledger on the standard KKMP chart
/// (`ChartOfAccounts::standard_kkmp`) knows, as of the end of `year`: `total_aset`, `kas`,
/// `bank`, `kewajiban_lancar`, `simpanan_pokok`, `simpanan_wajib` (equity or liability
/// accounts), `modal_sendiri` (pokok + wajib + hibah + cadangan + SHU belum dibagi + 50 % of
/// modal penyertaan, domain.md §5.1), `pinjaman_diberikan` (loans to members and other
/// cooperatives), `pinjaman_anggota`, `cadangan_risiko` (the PPAP balance),
/// `shu_sebelum_pajak` (the PHU of `year`), `pendapatan` (non-member and other revenue of
/// `year`) and `partisipasi_bruto` (member revenue of `year`).
///
/// Merge the result with what the books cannot know (collectibility classes, questionnaires,
/// ATMR, …) before calling [`assess`]; the ratios then trace back to ledger balances.
///
/// # Errors
/// [`Error::Ledger`] if the chart lacks a standard account; [`Error::Core`] on overflow.
pub fn inputs_from_ledger(
    ledger: &koperasi_ledger::Ledger,
    year: koperasi_core::Period,
) -> Result<HealthInputs> {
    use koperasi_ledger::kkmp;
    let end = year.end();
    let bal = |code: &str| -> Result<Decimal> { Ok(ledger.balance(code, end)?.to_decimal()) };
    let sum = |codes: &[&str]| -> Result<Decimal> {
        let mut t = Decimal::ZERO;
        for c in codes {
            t = t
                .checked_add(bal(c)?)
                .ok_or(koperasi_core::Error::Overflow {
                    op: "health inputs",
                })?;
        }
        Ok(t)
    };
    let s = crate::statements::statements(
        ledger,
        year,
        None,
        &crate::statements::StatementPolicy::standard_kkmp(),
    )?;
    let phu = &s.income_statement;
    let pokok = sum(&[kkmp::SIMPANAN_POKOK, kkmp::SIMPANAN_POKOK_LIABILITAS])?;
    let wajib = sum(&[kkmp::SIMPANAN_WAJIB, kkmp::SIMPANAN_WAJIB_LIABILITAS])?;
    let half_penyertaan =
        Precision::TWO_HALF_UP.divide(bal(kkmp::MODAL_PENYERTAAN)?, Decimal::ONE, Decimal::TWO)?;
    let modal_sendiri = [
        pokok,
        wajib,
        sum(&[kkmp::HIBAH, kkmp::CADANGAN, kkmp::SHU_BELUM_DIBAGI])?,
        half_penyertaan,
    ]
    .iter()
    .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))
    .ok_or(koperasi_core::Error::Overflow {
        op: "health inputs",
    })?;
    let rev = |i: usize| {
        phu.sections
            .get(i)
            .map_or(Decimal::ZERO, |x| x.total.current.to_decimal())
    };
    let mut h = HealthInputs::default();
    h.set_input("total_aset", bal("1")?)
        .set_input("kas", bal(kkmp::KAS)?)
        .set_input("bank", bal(kkmp::BANK)?)
        .set_input("kewajiban_lancar", bal("2-1")?)
        .set_input("simpanan_pokok", pokok)
        .set_input("simpanan_wajib", wajib)
        .set_input("modal_sendiri", modal_sendiri)
        .set_input(
            "pinjaman_diberikan",
            sum(&[kkmp::PIUTANG_PINJAMAN, kkmp::PIUTANG_PINJAMAN_KOPERASI])?,
        )
        .set_input("pinjaman_anggota", bal(kkmp::PIUTANG_PINJAMAN)?)
        .set_input("cadangan_risiko", bal(kkmp::PPAP)?)
        .set_input("shu_sebelum_pajak", phu.shu_before_tax.current.to_decimal())
        .set_input("partisipasi_bruto", rev(0))
        .set_input(
            "pendapatan",
            rev(1)
                .checked_add(rev(2))
                .ok_or(koperasi_core::Error::Overflow {
                    op: "health inputs",
                })?,
        );
    Ok(h)
}

#[cfg(test)]
mod ledger_tests {
    use super::*;
    use chrono::NaiveDate;
    use koperasi_core::{ActorId, EntryId, Period, Rupiah};
    use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};

    #[test]
    fn ratios_from_a_ledger() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        let rp = Rupiah::from_rupiah;
        let mut id = 0;
        let mut post = |dr: &str, cr: &str, amt| {
            id += 1;
            l.post(
                &JournalEntry::new(EntryId::from_u128(id), d(3, 1), ActorId::from_u128(1))
                    .debit(dr, amt)
                    .unwrap()
                    .credit(cr, amt)
                    .unwrap(),
            )
            .unwrap();
        };
        post(kkmp::KAS, kkmp::SIMPANAN_POKOK, rp(10_000_000));
        post(kkmp::KAS, kkmp::SIMPANAN_SUKARELA, rp(80_000_000));
        post(kkmp::PIUTANG_PINJAMAN, kkmp::KAS, rp(40_000_000));
        post(kkmp::KAS, &kkmp::member_revenue("01"), rp(6_000_000));
        let year = Period::new(d(1, 1), d(12, 31)).unwrap();
        let i = inputs_from_ledger(&l, year).unwrap();
        assert_eq!(i.inputs["total_aset"], Decimal::from(96_000_000));
        assert_eq!(i.inputs["kas"], Decimal::from(56_000_000));
        assert_eq!(i.inputs["kewajiban_lancar"], Decimal::from(80_000_000));
        assert_eq!(i.inputs["modal_sendiri"], Decimal::from(10_000_000));
        assert_eq!(i.inputs["shu_sebelum_pajak"], Decimal::from(6_000_000));
        // The cash ratio from the books: 56 jt / 80 jt = 70 % → nilai 25.
        let mut all = i.clone();
        for code in perdep_06_2016().indicator_codes() {
            if code != "rasio_kas" {
                all.set_ratio(code, Decimal::from(50));
            }
        }
        let a = assess(&perdep_06_2016(), &all).unwrap();
        let kas = a.component("rasio_kas").unwrap();
        assert_eq!(
            (kas.ratio, kas.nilai),
            (Decimal::from(70), Decimal::from(25))
        );
    }
}
