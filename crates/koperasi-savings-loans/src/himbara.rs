//! The cooperative as borrower: Himbara financing under PMK 49/2025.

use chrono::NaiveDate;
use koperasi_core::{Decimal, Rate, RateUnit, Rupiah};

use crate::terms::{FirstDue, Grace, InterestPeriod, LoanTerms, Method};
use crate::{Error, Result};

/// Which rule of PMK 49/2025 a set of terms breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HimbaraViolation {
    /// Plafon above Rp3 miliar.
    Ceiling {
        /// Amount asked.
        principal: Rupiah,
        /// Ceiling.
        max: Rupiah,
    },
    /// Operating-expense part above Rp500 juta (or above the loan).
    Operational {
        /// Operating part asked.
        operational: Rupiah,
        /// Its ceiling.
        max: Rupiah,
    },
    /// Rate other than 6% a year.
    Rate {
        /// The rate given, percent per year.
        percent: Decimal,
    },
    /// Tenor above 72 months.
    Tenor {
        /// Months asked.
        months: u32,
        /// Maximum.
        max: u32,
    },
    /// Grace period outside 6–8 months.
    Grace {
        /// Months asked.
        months: u32,
        /// Minimum.
        min: u32,
        /// Maximum.
        max: u32,
    },
    /// Installments not monthly.
    NotMonthly {
        /// Frequency given.
        every_months: u32,
    },
    /// Installments not due on the 12th.
    DueDay,
    /// Another method than annuity after the grace, or daily interest.
    Method,
}

impl core::fmt::Display for HimbaraViolation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            HimbaraViolation::Ceiling { principal, max } => {
                write!(f, "loan {principal} above the ceiling {max}")
            }
            HimbaraViolation::Operational { operational, max } => {
                write!(f, "operating expenses {operational} above {max}")
            }
            HimbaraViolation::Rate { percent } => write!(f, "rate {percent}% a year is not 6%"),
            HimbaraViolation::Tenor { months, max } => {
                write!(f, "tenor {months} months above {max}")
            }
            HimbaraViolation::Grace { months, min, max } => {
                write!(f, "grace {months} months not in {min}..={max}")
            }
            HimbaraViolation::NotMonthly { every_months } => {
                write!(f, "installments every {every_months} months, not monthly")
            }
            HimbaraViolation::DueDay => f.write_str("installments not due on the 12th"),
            HimbaraViolation::Method => {
                f.write_str("not an equal-installment schedule with monthly interest")
            }
        }
    }
}

/// Whether interest is paid during the grace period or deferred to the first installment
/// after it (bank-specific; domain.md §8 open question 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum GraceInterest {
    /// Interest-only installments during the grace.
    #[default]
    Paid,
    /// Interest of the grace collected with the first installment after it.
    Deferred,
}

/// The Himbara financing profile (PMK 49/2025): ceilings, rate, tenor, grace, due day.
///
/// ```
/// use koperasi_core::{chrono::NaiveDate, Holidays, Rupiah};
/// use koperasi_savings_loans::{GraceInterest, HimbaraProfile};
///
/// let p = HimbaraProfile::pmk_49_2025();
/// let terms = p.terms(Rupiah::from_rupiah(3_000_000_000), Rupiah::from_rupiah(500_000_000),
///     72, 6, GraceInterest::Paid, NaiveDate::from_ymd_opt(2025, 8, 20).unwrap())?;
/// let s = terms.schedule_with(&Holidays::weekends())?;
/// // Interest-only during the grace: 0,5% of Rp3 miliar.
/// assert_eq!(s.installments()[0].installment, Rupiah::from_rupiah(15_000_000));
/// assert_eq!(s.installments()[0].due_date, NaiveDate::from_ymd_opt(2025, 9, 12).unwrap());
/// assert!(p.terms(Rupiah::from_rupiah(3_500_000_000), Rupiah::ZERO, 72, 6,
///     GraceInterest::Paid, NaiveDate::from_ymd_opt(2025, 8, 20).unwrap()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "Himbara")]
#[doc(alias = "PMK 49/2025")]
pub struct HimbaraProfile {
    /// Ceiling per cooperative (Rp3 miliar).
    pub max_principal: Rupiah,
    /// Ceiling of the operating-expense part (Rp500 juta).
    pub max_operational: Rupiah,
    /// Rate, percent per year (6).
    pub annual_percent: Decimal,
    /// Maximum tenor in months, grace included (72).
    pub max_tenor_months: u32,
    /// Minimum grace in months (6).
    pub min_grace_months: u32,
    /// Maximum grace in months (8).
    pub max_grace_months: u32,
    /// Day of the month installments are due (12, or the next working day).
    pub due_day: u32,
}

impl HimbaraProfile {
    /// The profile of PMK 49/2025 (in force from 21 July 2025).
    pub fn pmk_49_2025() -> Self {
        HimbaraProfile {
            max_principal: Rupiah::from_rupiah(3_000_000_000),
            max_operational: Rupiah::from_rupiah(500_000_000),
            annual_percent: Decimal::from(6),
            max_tenor_months: 72,
            min_grace_months: 6,
            max_grace_months: 8,
            due_day: 12,
        }
    }

    /// Terms of a Himbara loan: annuity at the profile's rate after `grace_months` of grace
    /// on principal, monthly installments due on the profile's day; validated.
    ///
    /// # Errors
    /// [`Error::Himbara`] for terms outside the profile; the errors of
    /// [`LoanTerms::validate`].
    pub fn terms(
        &self,
        principal: Rupiah,
        operational: Rupiah,
        tenor_months: u32,
        grace_months: u32,
        grace_interest: GraceInterest,
        disbursement: NaiveDate,
    ) -> Result<LoanTerms> {
        let rate = Rate::per_year(self.annual_percent)?;
        let deferred = match grace_interest {
            GraceInterest::Paid => 0,
            GraceInterest::Deferred => grace_months,
        };
        let terms = LoanTerms::new(principal, rate, tenor_months, Method::Annuity, disbursement)
            .with_first_due(FirstDue::DayOfMonth(self.due_day))
            .with_grace(Grace::new(grace_months, deferred, 0));
        self.check(&terms, operational)?;
        Ok(terms)
    }

    /// Checks terms against the profile.
    ///
    /// # Errors
    /// [`Error::Himbara`] naming the first rule broken; the errors of
    /// [`LoanTerms::validate`].
    pub fn check(&self, terms: &LoanTerms, operational: Rupiah) -> Result<()> {
        let v = |x| Err(Error::Himbara(x));
        if terms.principal > self.max_principal {
            return v(HimbaraViolation::Ceiling {
                principal: terms.principal,
                max: self.max_principal,
            });
        }
        if operational > self.max_operational
            || operational > terms.principal
            || operational.is_negative()
        {
            return v(HimbaraViolation::Operational {
                operational,
                max: self.max_operational.min(terms.principal),
            });
        }
        let annual = match terms.rate.unit() {
            RateUnit::Year => terms.rate.percent(),
            RateUnit::Month => terms.rate.annual_percent()?,
        };
        if annual != self.annual_percent {
            return v(HimbaraViolation::Rate { percent: annual });
        }
        if terms.installments > self.max_tenor_months {
            return v(HimbaraViolation::Tenor {
                months: terms.installments,
                max: self.max_tenor_months,
            });
        }
        let g = terms.grace.principal;
        if g < self.min_grace_months || g > self.max_grace_months {
            return v(HimbaraViolation::Grace {
                months: g,
                min: self.min_grace_months,
                max: self.max_grace_months,
            });
        }
        if terms.every_months != 1 {
            return v(HimbaraViolation::NotMonthly {
                every_months: terms.every_months,
            });
        }
        if terms.first_due != FirstDue::DayOfMonth(self.due_day) {
            return v(HimbaraViolation::DueDay);
        }
        if terms.method != Method::Annuity || terms.interest_period != InterestPeriod::Repayment {
            return v(HimbaraViolation::Method);
        }
        terms.validate()
    }
}
