//! Loan terms: amount, rate, tenor, method, dates, grace and rounding.

use chrono::NaiveDate;
use koperasi_core::{Rate, RateUnit, RoundingMode, Rupiah};

use crate::money::{Ratio, percent_ratio};
use crate::{Error, Result};

/// The largest number of installments accepted (50 years of monthly installments).
pub const MAX_INSTALLMENTS: u32 = 600;

/// How principal and interest are spread over the installments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Method {
    /// Bunga flat: interest every period on the original principal, equal principal parts.
    #[doc(alias = "bunga flat")]
    Flat,
    /// Anuitas: declining balance, equal installments (principal grows, interest shrinks).
    #[doc(alias = "anuitas")]
    #[default]
    Annuity,
    /// Efektif / menurun / sliding: declining balance, equal principal parts.
    #[doc(alias = "efektif")]
    #[doc(alias = "menurun")]
    #[doc(alias = "sliding rate")]
    EqualPrincipal,
}

impl core::str::FromStr for Method {
    type Err = &'static str;

    /// `flat`, `annuity` (or `anuitas`), `equal-principal` (or `efektif`, `menurun`, `sliding`).
    fn from_str(s: &str) -> core::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "flat" => Ok(Method::Flat),
            "annuity" | "anuitas" => Ok(Method::Annuity),
            "equal-principal" | "efektif" | "menurun" | "sliding" => Ok(Method::EqualPrincipal),
            _ => Err("expected flat, annuity or equal-principal"),
        }
    }
}

/// Day-count convention for daily interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum DayCount {
    /// Actual days over 365.
    #[default]
    Actual365,
    /// Actual days, each calendar year's days over that year's length (ISDA actual/actual).
    ActualActual,
    /// 30/360 (US bond basis): every month 30 days, a year 360.
    Thirty360,
}

impl core::str::FromStr for DayCount {
    type Err = &'static str;

    /// `actual/365`, `actual/actual`, `30/360`.
    fn from_str(s: &str) -> core::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "actual/365" | "act/365" => Ok(DayCount::Actual365),
            "actual/actual" | "act/act" => Ok(DayCount::ActualActual),
            "30/360" => Ok(DayCount::Thirty360),
            _ => Err("expected actual/365, actual/actual or 30/360"),
        }
    }
}

/// The period interest is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum InterestPeriod {
    /// One repayment period = `every_months / 12` of the annual rate, whatever the days.
    #[default]
    Repayment,
    /// The actual days between due dates under a day count.
    Daily(DayCount),
}

/// When the first installment falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum FirstDue {
    /// One repayment period after disbursement, then every period (dates clamped to the end
    /// of shorter months; never drifting, always counted from the disbursement).
    #[default]
    AfterDisbursement,
    /// On a fixed day of the month ("tanggal 12"), starting in the month one repayment period
    /// after the disbursement month; clamped to the month's end.
    DayOfMonth(u32),
}

/// Amount precision of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Precision {
    /// Whole rupiah (0 decimals): the default.
    #[default]
    WholeRupiah,
    /// Sen (2 decimals).
    Sen,
}

impl Precision {
    /// The precision for `decimals` (0 or 2).
    pub fn from_decimals(decimals: u32) -> Option<Precision> {
        match decimals {
            0 => Some(Precision::WholeRupiah),
            2 => Some(Precision::Sen),
            _ => None,
        }
    }

    /// The step: Rp1 or Rp0,01.
    pub fn step(self) -> Rupiah {
        match self {
            Precision::WholeRupiah => Rupiah::ONE,
            Precision::Sen => Rupiah::SEN,
        }
    }

    pub(crate) fn step_sen(self) -> i128 {
        match self {
            Precision::WholeRupiah => 100,
            Precision::Sen => 1,
        }
    }
}

/// How an installment is rounded to its multiple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum InstallmentRounding {
    /// To the nearest multiple (half up).
    #[default]
    Nearest,
    /// Up to the next multiple ("dibulatkan ke atas", the usual cooperative practice).
    Up,
}

impl InstallmentRounding {
    pub(crate) fn mode(self) -> RoundingMode {
        match self {
            InstallmentRounding::Nearest => RoundingMode::HalfUp,
            InstallmentRounding::Up => RoundingMode::Up,
        }
    }
}

/// Rounding of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ScheduleRounding {
    /// Precision of every amount (whole rupiah by default).
    pub precision: Precision,
    /// Rounding mode of interest and principal parts (half-up by default).
    pub mode: RoundingMode,
    /// Round each installment to this multiple (e.g. Rp1.000); the last one absorbs the rest.
    pub installment_multiple: Option<Rupiah>,
    /// Direction of the multiple rounding.
    pub installment_rounding: InstallmentRounding,
}

/// Grace periods, counted in installments from the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Grace {
    /// Grace on principal: the first N installments are interest only ("masa tenggang pokok").
    pub principal: u32,
    /// Grace on interest: the interest of the first N periods is deferred and collected with
    /// the first installment after the grace.
    pub interest: u32,
    /// Interest-free periods: no interest at all for the first N periods.
    pub interest_free: u32,
}

impl Grace {
    /// No grace.
    pub const NONE: Grace = Grace {
        principal: 0,
        interest: 0,
        interest_free: 0,
    };

    /// A grace of `principal`, `interest` and `interest_free` periods.
    pub fn new(principal: u32, interest: u32, interest_free: u32) -> Grace {
        Grace {
            principal,
            interest,
            interest_free,
        }
    }
}

/// The terms of a loan (pinjaman): everything [`schedule`](LoanTerms::schedule) needs.
///
/// Build with [`LoanTerms::new`] and the `with_*` methods; every field is public for reading
/// and persisting, and [`validate`](LoanTerms::validate) checks them all.
///
/// ```
/// use koperasi_core::{chrono::NaiveDate, Rate, Rupiah, Decimal};
/// use koperasi_savings_loans::{LoanTerms, Method};
///
/// let terms = LoanTerms::new(
///     Rupiah::from_rupiah(10_000_000),
///     Rate::per_year(Decimal::from(12))?,
///     12,
///     Method::Annuity,
///     NaiveDate::from_ymd_opt(2025, 1, 15).unwrap(),
/// );
/// let s = terms.schedule()?;
/// assert_eq!(s.installments()[0].installment, Rupiah::from_rupiah(888_488));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "pinjaman")]
#[doc(alias = "syarat pinjaman")]
pub struct LoanTerms {
    /// Loan amount (pokok pinjaman).
    pub principal: Rupiah,
    /// Nominal interest rate (bunga / jasa), per year or per month.
    pub rate: Rate,
    /// Number of installments (tenor in repayments).
    pub installments: u32,
    /// Repayment every N months (1 = monthly).
    pub every_months: u32,
    /// Interest method.
    pub method: Method,
    /// Disbursement date (tanggal pencairan).
    pub disbursement: NaiveDate,
    /// When the first installment falls due.
    pub first_due: FirstDue,
    /// The interest period.
    pub interest_period: InterestPeriod,
    /// Grace periods.
    pub grace: Grace,
    /// Rounding.
    pub rounding: ScheduleRounding,
}

impl LoanTerms {
    /// Monthly installments, first due one month after disbursement, interest per repayment
    /// period, no grace, whole rupiah half-up.
    pub fn new(
        principal: Rupiah,
        rate: Rate,
        installments: u32,
        method: Method,
        disbursement: NaiveDate,
    ) -> LoanTerms {
        LoanTerms {
            principal,
            rate,
            installments,
            every_months: 1,
            method,
            disbursement,
            first_due: FirstDue::AfterDisbursement,
            interest_period: InterestPeriod::Repayment,
            grace: Grace::NONE,
            rounding: ScheduleRounding::default(),
        }
    }

    /// Repayment every `months` months.
    #[must_use]
    pub fn with_every_months(mut self, months: u32) -> Self {
        self.every_months = months;
        self
    }

    /// The first due date rule.
    #[must_use]
    pub fn with_first_due(mut self, first_due: FirstDue) -> Self {
        self.first_due = first_due;
        self
    }

    /// The interest period.
    #[must_use]
    pub fn with_interest_period(mut self, period: InterestPeriod) -> Self {
        self.interest_period = period;
        self
    }

    /// Grace periods.
    #[must_use]
    pub fn with_grace(mut self, grace: Grace) -> Self {
        self.grace = grace;
        self
    }

    /// Amount precision.
    #[must_use]
    pub fn with_precision(mut self, precision: Precision) -> Self {
        self.rounding.precision = precision;
        self
    }

    /// Rounding mode of interest and principal parts.
    #[must_use]
    pub fn with_rounding_mode(mut self, mode: RoundingMode) -> Self {
        self.rounding.mode = mode;
        self
    }

    /// Round installments to a multiple (the last installment absorbs the difference).
    #[must_use]
    pub fn with_installment_multiple(mut self, multiple: Rupiah, how: InstallmentRounding) -> Self {
        self.rounding.installment_multiple = Some(multiple);
        self.rounding.installment_rounding = how;
        self
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`Error::InvalidPrincipal`], [`Error::InvalidTenor`], [`Error::InvalidFrequency`],
    /// [`Error::InvalidDueDay`], [`Error::RateOutOfRange`], [`Error::InvalidGrace`],
    /// [`Error::InvalidInstallmentMultiple`].
    pub fn validate(&self) -> Result<()> {
        self.params().map(|_| ())
    }

    /// The validated numeric parameters.
    pub(crate) fn params(&self) -> Result<Params> {
        let step = self.rounding.precision.step_sen();
        let p = self.principal.to_sen();
        if p <= 0 || p.checked_rem(step) != Some(0) {
            return Err(Error::InvalidPrincipal {
                principal: self.principal,
                precision: self.rounding.precision.step(),
            });
        }
        if self.installments == 0 || self.installments > MAX_INSTALLMENTS {
            return Err(Error::InvalidTenor {
                installments: self.installments,
                max: MAX_INSTALLMENTS,
            });
        }
        if !(1..=12).contains(&self.every_months) {
            return Err(Error::InvalidFrequency {
                every_months: self.every_months,
            });
        }
        if let FirstDue::DayOfMonth(day) = self.first_due
            && !(1..=31).contains(&day)
        {
            return Err(Error::InvalidDueDay { day });
        }
        let annual = annual_ratio(self.rate)?;
        let g = self.grace;
        let n = self.installments;
        for (what, periods, ok) in [
            ("grace on principal", g.principal, g.principal < n),
            ("grace on interest", g.interest, g.interest < n),
            (
                "interest-free period",
                g.interest_free,
                g.interest_free <= n,
            ),
        ] {
            if !ok {
                return Err(Error::InvalidGrace {
                    what,
                    periods,
                    installments: n,
                });
            }
        }
        let multiple = match self.rounding.installment_multiple {
            None => None,
            Some(m) => {
                let ms = m.to_sen();
                if ms <= 0 || ms.checked_rem(step) != Some(0) {
                    return Err(Error::InvalidInstallmentMultiple {
                        multiple: m,
                        precision: self.rounding.precision.step(),
                    });
                }
                Some((ms, self.rounding.installment_rounding.mode()))
            }
        };
        let periodic = annual.mul(Ratio {
            num: i128::from(self.every_months),
            den: 12,
        })?;
        Ok(Params {
            annual,
            periodic,
            step,
            mode: self.rounding.mode,
            multiple,
            method: self.method,
            interest_period: self.interest_period,
        })
    }
}

/// The annual rate as an exact fraction (percent / 100, × 12 for a monthly quote).
pub(crate) fn annual_ratio(rate: Rate) -> Result<Ratio> {
    let out_of_range = Error::RateOutOfRange {
        percent: rate.percent(),
    };
    let r = percent_ratio(rate.percent(), 10).ok_or(out_of_range.clone())?;
    let r = match rate.unit() {
        RateUnit::Month => r.mul(Ratio { num: 12, den: 1 })?,
        RateUnit::Year => r,
    };
    // at most 10.000% a year: num / den ≤ 100
    if r.num > r.den.saturating_mul(100) {
        return Err(out_of_range);
    }
    Ok(r)
}

/// Validated numeric parameters of a schedule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    pub(crate) annual: Ratio,
    pub(crate) periodic: Ratio,
    pub(crate) step: i128,
    pub(crate) mode: RoundingMode,
    pub(crate) multiple: Option<(i128, RoundingMode)>,
    pub(crate) method: Method,
    pub(crate) interest_period: InterestPeriod,
}
