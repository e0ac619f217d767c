//! [`Rate`]: an interest (or other) percentage per year or per month.

use core::fmt;

use rust_decimal::Decimal;

use crate::{Error, Result, RoundingPolicy, Rupiah};

/// The time unit a [`Rate`] is quoted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum RateUnit {
    /// Per year (per annum, "per tahun", p.a.).
    Year,
    /// Per month ("per bulan"), the usual quote of cooperative loans.
    Month,
}

/// A non-negative percentage per year or per month, kept exactly as quoted.
///
/// Conversions multiply or divide by 12. Multiplying is exact; dividing is exact whenever the
/// result terminates (6% p.a. → 0,5% per month) and otherwise carries 28 significant digits.
/// To avoid that intermediate altogether, compute interest with
/// [`interest`](Rate::interest), which multiplies first and divides once, in integers, under an
/// explicit [`RoundingPolicy`].
///
/// ```
/// use koperasi_core::{Rate, RoundingPolicy, Rupiah};
/// use rust_decimal::Decimal;
///
/// let himbara = Rate::per_year(Decimal::from(6))?; // 6% p.a.
/// assert_eq!(himbara.monthly_percent()?, Decimal::new(5, 1));
/// let kredit = Rate::per_month(Decimal::new(15, 1))?; // 1,5% per bulan
/// assert_eq!(kredit.annual_percent()?, Decimal::from(18));
///
/// // One month of interest on Rp1.000.000 at 1,5% per month
/// let bunga = kredit.interest(Rupiah::from_rupiah(1_000_000), 1, 12, RoundingPolicy::WHOLE_RUPIAH)?;
/// assert_eq!(bunga, Rupiah::from_rupiah(15_000));
/// # Ok::<(), koperasi_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "suku bunga")]
#[doc(alias = "bunga")]
pub struct Rate {
    percent: Decimal,
    unit: RateUnit,
}

impl Rate {
    /// A rate of `percent` per year.
    ///
    /// # Errors
    /// [`Error::NegativeRate`] if `percent` is negative.
    pub fn per_year(percent: Decimal) -> Result<Rate> {
        Rate::new(percent, RateUnit::Year)
    }

    /// A rate of `percent` per month.
    ///
    /// # Errors
    /// [`Error::NegativeRate`] if `percent` is negative.
    pub fn per_month(percent: Decimal) -> Result<Rate> {
        Rate::new(percent, RateUnit::Month)
    }

    /// A rate of `percent` per `unit`.
    ///
    /// # Errors
    /// [`Error::NegativeRate`] if `percent` is negative.
    pub fn new(percent: Decimal, unit: RateUnit) -> Result<Rate> {
        if percent.is_sign_negative() && !percent.is_zero() {
            return Err(Error::NegativeRate { percent });
        }
        Ok(Rate {
            percent: percent.normalize(),
            unit,
        })
    }

    /// Zero percent.
    pub const ZERO: Rate = Rate {
        percent: Decimal::ZERO,
        unit: RateUnit::Year,
    };

    /// The percentage as quoted.
    pub fn percent(&self) -> Decimal {
        self.percent
    }

    /// The unit as quoted.
    pub fn unit(&self) -> RateUnit {
        self.unit
    }

    /// `true` for a zero rate.
    pub fn is_zero(&self) -> bool {
        self.percent.is_zero()
    }

    /// The percentage per year (a monthly rate × 12, exact).
    ///
    /// # Errors
    /// [`Error::Overflow`] if the product does not fit.
    pub fn annual_percent(&self) -> Result<Decimal> {
        match self.unit {
            RateUnit::Year => Ok(self.percent),
            RateUnit::Month => self
                .percent
                .checked_mul(Decimal::from(12))
                .map(|d| d.normalize())
                .ok_or(Error::Overflow {
                    op: "Rate::annual_percent",
                }),
        }
    }

    /// The percentage per month (a yearly rate ÷ 12: exact when it terminates, else 28
    /// significant digits).
    ///
    /// # Errors
    /// [`Error::Overflow`] never in practice; kept for symmetry.
    pub fn monthly_percent(&self) -> Result<Decimal> {
        match self.unit {
            RateUnit::Month => Ok(self.percent),
            RateUnit::Year => self
                .percent
                .checked_div(Decimal::from(12))
                .map(|d| d.normalize())
                .ok_or(Error::Overflow {
                    op: "Rate::monthly_percent",
                }),
        }
    }

    /// The same rate expressed per year (exact: monthly × 12).
    ///
    /// # Errors
    /// [`Error::Overflow`] if the product does not fit.
    pub fn to_annual(self) -> Result<Rate> {
        Ok(Rate {
            percent: self.annual_percent()?,
            unit: RateUnit::Year,
        })
    }

    /// Interest on `principal` for `numerator / denominator` of a year, e.g. one month is
    /// `(1, 12)` and 31 days at actual/365 is `(31, 365)`. Computed as one exact integer
    /// division and rounded once by `policy`.
    ///
    /// # Errors
    /// [`Error::DivisionByZero`] if `denominator` is 0; [`Error::Overflow`] if an intermediate
    /// does not fit.
    pub fn interest(
        &self,
        principal: Rupiah,
        numerator: i64,
        denominator: i64,
        policy: RoundingPolicy,
    ) -> Result<Rupiah> {
        let annual = match self.unit {
            RateUnit::Year => self.percent,
            RateUnit::Month => self.annual_percent()?,
        };
        let num = annual
            .checked_mul(Decimal::from(numerator))
            .ok_or(Error::Overflow {
                op: "Rate::interest",
            })?;
        let den = Decimal::from(denominator)
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or(Error::Overflow {
                op: "Rate::interest",
            })?;
        principal.mul_div(num, den, policy)
    }
}

impl fmt::Display for Rate {
    /// `1.5% per bulan`, `6% per tahun`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            RateUnit::Year => "per tahun",
            RateUnit::Month => "per bulan",
        };
        write!(f, "{}% {unit}", self.percent.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn conversions() {
        let y = Rate::per_year(dec!(6)).unwrap();
        assert_eq!(y.monthly_percent().unwrap(), dec!(0.5));
        assert_eq!(y.annual_percent().unwrap(), dec!(6));
        let m = Rate::per_month(dec!(1.5)).unwrap();
        assert_eq!(m.annual_percent().unwrap(), dec!(18));
        assert_eq!(m.to_annual().unwrap().unit(), RateUnit::Year);
        assert_eq!(m.to_string(), "1.5% per bulan");
    }

    #[test]
    fn negative_rate_rejected() {
        assert_eq!(
            Rate::per_year(dec!(-1)),
            Err(Error::NegativeRate { percent: dec!(-1) })
        );
        assert!(Rate::per_year(dec!(-0)).is_ok());
    }

    #[test]
    fn interest_monthly_and_daily() {
        let r = Rate::per_year(dec!(6)).unwrap();
        let p = Rupiah::from_rupiah(3_000_000_000);
        assert_eq!(
            r.interest(p, 1, 12, RoundingPolicy::WHOLE_RUPIAH).unwrap(),
            Rupiah::from_rupiah(15_000_000)
        );
        // 31 days actual/365 of Rp10.000.000 at 12%: 101.917,808… → 101.918
        let r = Rate::per_year(dec!(12)).unwrap();
        assert_eq!(
            r.interest(
                Rupiah::from_rupiah(10_000_000),
                31,
                365,
                RoundingPolicy::WHOLE_RUPIAH
            )
            .unwrap(),
            Rupiah::from_rupiah(101_918)
        );
    }

    proptest! {
        /// Monthly → annual → monthly is the identity (multiplying by 12 then dividing is exact).
        #[test]
        fn prop_rate_conversion_round_trip(m in 0_i64..100_000, s in 0_u32..4) {
            let r = Rate::per_month(Decimal::new(m, s)).unwrap();
            let back = r.to_annual().unwrap().monthly_percent().unwrap();
            prop_assert_eq!(back, Decimal::new(m, s).normalize());
        }
    }
}
