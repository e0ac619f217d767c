//! Exact arithmetic helpers: amounts in integer sen (`i128`), percentages as exact integer
//! ratios, ratios rounded half-up at a stated number of decimals.

use koperasi_core::{Decimal, Rupiah};
use rust_decimal::RoundingStrategy;

use crate::{Error, Result};

/// An amount in sen.
pub(crate) type Sen = i128;

/// One rupiah in sen.
pub(crate) const RUPIAH: Sen = 100;

pub(crate) fn add(a: Sen, b: Sen) -> Result<Sen> {
    a.checked_add(b).ok_or(Error::Overflow { op: "sum" })
}

pub(crate) fn sub(a: Sen, b: Sen) -> Result<Sen> {
    a.checked_sub(b).ok_or(Error::Overflow { op: "difference" })
}

pub(crate) fn sum<I: IntoIterator<Item = Sen>>(it: I) -> Result<Sen> {
    it.into_iter().try_fold(0, add)
}

pub(crate) fn rp(sen: Sen) -> Result<Rupiah> {
    Ok(Rupiah::try_from_sen_i128(sen)?)
}

/// `n / d` rounded half-up (away from zero at the midpoint) to an integer; `d > 0`.
pub(crate) fn div_half_up(n: i128, d: i128) -> Result<i128> {
    let ov = Error::Overflow { op: "division" };
    if d <= 0 {
        return Err(ov);
    }
    // Fast path: 64-bit division when both fit (the common case: amounts times percentages).
    if let (Ok(n64), Ok(d64)) = (i64::try_from(n), i64::try_from(d)) {
        let q = n64.checked_div(d64).ok_or(ov.clone())?;
        let r = n64.checked_rem(d64).ok_or(ov.clone())?;
        let twice = r.unsigned_abs().checked_mul(2).ok_or(ov.clone())?;
        let q = if r != 0 && twice >= d64.unsigned_abs() {
            if n64 < 0 {
                q.checked_sub(1)
            } else {
                q.checked_add(1)
            }
            .ok_or(ov)?
        } else {
            q
        };
        return Ok(i128::from(q));
    }
    let q = n.checked_div(d).ok_or(ov.clone())?;
    let r = n.checked_rem(d).ok_or(ov.clone())?;
    let twice = r.unsigned_abs().checked_mul(2).ok_or(ov.clone())?;
    if twice >= d.unsigned_abs() && r != 0 {
        if n < 0 {
            q.checked_sub(1).ok_or(ov)
        } else {
            q.checked_add(1).ok_or(ov)
        }
    } else {
        Ok(q)
    }
}

/// `n / d` rounded up (away from zero) to an integer; `d > 0`, `n ≥ 0`.
pub(crate) fn div_up(n: i128, d: i128) -> Result<i128> {
    let ov = Error::Overflow { op: "division" };
    if d <= 0 || n < 0 {
        return Err(ov);
    }
    let q = n.checked_div(d).ok_or(ov.clone())?;
    if n.checked_rem(d).ok_or(ov.clone())? == 0 {
        Ok(q)
    } else {
        q.checked_add(1).ok_or(ov)
    }
}

/// An exact non-negative rational factor `num / den`, from a decimal (e.g. a percentage / 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub(crate) num: i128,
    pub(crate) den: i128,
}

impl Ratio {
    pub(crate) const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `value / divisor` exactly (`divisor` a positive integer such as 100 or 30).
    pub(crate) fn of(value: Decimal, divisor: i128) -> Result<Ratio> {
        let ov = Error::Overflow { op: "ratio" };
        let scale = 10_i128.checked_pow(value.scale()).ok_or(ov.clone())?;
        Ok(Ratio {
            num: value.mantissa(),
            den: scale.checked_mul(divisor).ok_or(ov)?,
        })
    }

    /// `percent / 100`.
    pub(crate) fn percent(p: Decimal) -> Result<Ratio> {
        Ratio::of(p, 100)
    }

    /// `self × other`.
    pub(crate) fn times(self, other: Ratio) -> Result<Ratio> {
        let ov = Error::Overflow { op: "ratio" };
        Ok(Ratio {
            num: self.num.checked_mul(other.num).ok_or(ov.clone())?,
            den: self.den.checked_mul(other.den).ok_or(ov)?,
        })
    }

    /// `sen × self`, rounded half-up to the whole rupiah.
    pub(crate) fn apply(self, sen: Sen) -> Result<Sen> {
        let ov = Error::Overflow {
            op: "amount × ratio",
        };
        let n = sen.checked_mul(self.num).ok_or(ov.clone())?;
        let d = self.den.checked_mul(RUPIAH).ok_or(ov.clone())?;
        div_half_up(n, d)?.checked_mul(RUPIAH).ok_or(ov)
    }
}

/// A decimal ratio rounded half-up to `dp` decimals (ratios, not money: DSCR, IRR).
pub(crate) fn ratio_dp(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `a / b` for amounts in sen, as a decimal rounded half-up to `dp` decimals; `None` if `b` is
/// zero.
pub(crate) fn quotient(a: Sen, b: Sen, dp: u32) -> Result<Option<Decimal>> {
    if b == 0 {
        return Ok(None);
    }
    let ov = Error::Overflow { op: "ratio" };
    let scale = 10_i128.checked_pow(dp).ok_or(ov.clone())?;
    let (a, b) = if b < 0 {
        (
            a.checked_neg().ok_or(ov.clone())?,
            b.checked_neg().ok_or(ov.clone())?,
        )
    } else {
        (a, b)
    };
    let q = div_half_up(a.checked_mul(scale).ok_or(ov.clone())?, b)?;
    Decimal::try_from_i128_with_scale(q, dp)
        .map(Some)
        .map_err(|_| ov)
}

#[cfg(feature = "serde")]
pub(crate) mod de {
    //! Deserializers: amounts and decimals as decimal strings or JSON integers, never floats
    //! (a float cannot carry an amount exactly); months as `YYYY-MM` or `YYYY-MM-01`.

    use core::fmt;

    use chrono::NaiveDate;
    use koperasi_core::{Decimal, Rupiah};
    use serde::de::{self, Deserializer, Visitor};

    struct DecimalVisitor;

    impl Visitor<'_> for DecimalVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal string such as \"1250000.50\" or an integer")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::custom(format!(
                "{v} is a floating-point number; write decimals as strings, e.g. \"{v}\""
            )))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            let t = v.trim();
            if t.is_empty()
                || !t
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            {
                return Err(E::custom(format!("{v:?} is not a plain decimal number")));
            }
            Decimal::from_str_exact(t)
                .map_err(|e| E::custom(format!("{v:?} is not a decimal number: {e}")))
        }
    }

    /// A decimal.
    pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }

    /// An optional decimal.
    pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        decimal(d).map(Some)
    }

    /// An amount in rupiah (at most 2 decimals).
    pub(crate) fn rupiah<'de, D: Deserializer<'de>>(d: D) -> Result<Rupiah, D::Error> {
        let v = decimal(d)?;
        Rupiah::new(v).map_err(de::Error::custom)
    }

    /// An optional amount.
    pub(crate) fn opt_rupiah<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rupiah>, D::Error> {
        rupiah(d).map(Some)
    }

    /// A list of decimals.
    pub(crate) fn decimals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
        struct Wrap(Decimal);
        impl<'de> serde::Deserialize<'de> for Wrap {
            fn deserialize<D2: Deserializer<'de>>(d: D2) -> Result<Wrap, D2::Error> {
                decimal(d).map(Wrap)
            }
        }
        let v: Vec<Wrap> = serde::Deserialize::deserialize(d)?;
        Ok(v.into_iter().map(|w| w.0).collect())
    }

    /// A month: `YYYY-MM` or the first day of it, `YYYY-MM-01`.
    pub(crate) fn month<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        let full = if s.len() == 7 {
            format!("{s}-01")
        } else {
            s.clone()
        };
        let date = NaiveDate::parse_from_str(&full, "%Y-%m-%d")
            .map_err(|_| de::Error::custom(format!("{s:?} is not a month (YYYY-MM)")))?;
        if chrono::Datelike::day(&date) != 1 {
            return Err(de::Error::custom(format!(
                "{s:?} must be the first day of a month"
            )));
        }
        Ok(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_division() {
        assert_eq!(div_half_up(5, 2).unwrap(), 3);
        assert_eq!(div_half_up(-5, 2).unwrap(), -3);
        assert_eq!(div_half_up(4, 3).unwrap(), 1);
        assert_eq!(div_half_up(-4, 3).unwrap(), -1);
        assert_eq!(div_up(7, 2).unwrap(), 4);
    }

    #[test]
    fn ratio_applies_to_the_rupiah() {
        let r = Ratio::percent(Decimal::new(705, 1)).unwrap(); // 70,5 %
        // Rp1.001 × 70,5 % = Rp705,705 → Rp706
        assert_eq!(r.apply(100_100).unwrap(), 70_600);
        assert_eq!(quotient(3, 2, 2).unwrap(), Some(Decimal::new(150, 2)));
        assert_eq!(quotient(-1, 3, 4).unwrap(), Some(Decimal::new(-3333, 4)));
        assert_eq!(quotient(1, 0, 4).unwrap(), None);
    }
}
