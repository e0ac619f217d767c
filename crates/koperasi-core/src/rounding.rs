//! Rounding as an explicit, named policy.
//!
//! `rust_decimal`'s `Decimal::round`/`round_dp` use banker's rounding (half-even), which is not
//! the Indonesian convention; they are banned in this workspace (`clippy.toml`). Every place that
//! rounds goes through a [`RoundingPolicy`]: a [`RoundingMode`] and a step (Rp0,01, Rp1, Rp100,
//! Rp1.000 …).
//!
//! The arithmetic is exact: the value and the step are brought to one decimal scale and divided
//! as integers, so a midpoint is recognised exactly (no binary or truncated-decimal quotient).

use rust_decimal::Decimal;

use crate::{Error, Result, Rupiah};

/// How a value between two multiples of the step is resolved.
///
/// All modes are symmetric around zero: `-x` rounds to `-(x rounded)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
#[doc(alias = "pembulatan")]
pub enum RoundingMode {
    /// Half away from zero: ≥ 0,50 naik, < 0,50 turun. The Indonesian convention
    /// (PER-11/PJ/2025 Pasal 129 ayat (3): Rp100.499,49 → Rp100.499; Rp100.499,50 → Rp100.500).
    #[default]
    HalfUp,
    /// Half to even (banker's rounding), for embedders who need it explicitly.
    HalfEven,
    /// Toward zero ("dibulatkan ke bawah"), e.g. per-member SHU amounts.
    Down,
    /// Away from zero ("dibulatkan ke atas"), e.g. an installment rounded up to Rp1.000.
    Up,
}

impl RoundingMode {
    /// Rounds the integer quotient `q` with remainder `r` (same sign as the dividend,
    /// `|r| < d`, `d > 0`) to an integer. Returns the adjustment (0 or ±1) to add to `q`.
    fn adjust(self, q: i128, r: i128, d: i128) -> i128 {
        if r == 0 {
            return 0;
        }
        let sign = if r < 0 { -1 } else { 1 };
        let twice = r.unsigned_abs().saturating_mul(2);
        let d = d.unsigned_abs();
        let away = match self {
            RoundingMode::Down => false,
            RoundingMode::Up => true,
            RoundingMode::HalfUp => twice >= d,
            RoundingMode::HalfEven => twice > d || (twice == d && q % 2 != 0),
        };
        if away { sign } else { 0 }
    }
}

impl core::str::FromStr for RoundingMode {
    type Err = Error;

    /// Reads `half-up`, `half-even`, `down` or `up` (also with `_`).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "half-up" => Ok(RoundingMode::HalfUp),
            "half-even" => Ok(RoundingMode::HalfEven),
            "down" => Ok(RoundingMode::Down),
            "up" => Ok(RoundingMode::Up),
            _ => Err(Error::UnknownRoundingMode {
                input: s.to_owned(),
            }),
        }
    }
}

impl core::fmt::Display for RoundingMode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            RoundingMode::HalfUp => "half-up",
            RoundingMode::HalfEven => "half-even",
            RoundingMode::Down => "down",
            RoundingMode::Up => "up",
        })
    }
}

/// A rounding policy: a [`RoundingMode`] and a positive step.
///
/// ```
/// use koperasi_core::{RoundingMode, RoundingPolicy, Rupiah};
/// use rust_decimal::Decimal;
///
/// // PER-11/PJ/2025: half-up to the whole rupiah.
/// let policy = RoundingPolicy::WHOLE_RUPIAH;
/// assert_eq!(policy.round("100499.49".parse()?)?, "100499".parse::<Rupiah>()?);
/// assert_eq!(policy.round("100499.50".parse()?)?, "100500".parse::<Rupiah>()?);
///
/// // An installment rounded up to the next Rp1.000.
/// let up = RoundingPolicy::new(RoundingMode::Up, Rupiah::from_rupiah(1_000))?;
/// assert_eq!(up.round_decimal(Decimal::new(8_562_501, 2))?, Rupiah::from_rupiah(86_000));
/// # Ok::<(), koperasi_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RoundingPolicy {
    mode: RoundingMode,
    step: Rupiah,
}

impl Default for RoundingPolicy {
    /// Half-up to the whole rupiah.
    fn default() -> Self {
        RoundingPolicy::WHOLE_RUPIAH
    }
}

impl RoundingPolicy {
    /// Half-up to the whole rupiah: the default.
    pub const WHOLE_RUPIAH: RoundingPolicy = RoundingPolicy {
        mode: RoundingMode::HalfUp,
        step: Rupiah::ONE,
    };
    /// Half-up to the sen (Rp0,01).
    pub const SEN: RoundingPolicy = RoundingPolicy {
        mode: RoundingMode::HalfUp,
        step: Rupiah::SEN,
    };
    /// Down (toward zero) to the whole rupiah: the usual rule for per-member SHU.
    pub const FLOOR_RUPIAH: RoundingPolicy = RoundingPolicy {
        mode: RoundingMode::Down,
        step: Rupiah::ONE,
    };

    /// A policy with the given mode and step.
    ///
    /// # Errors
    /// [`Error::InvalidStep`] if `step` is zero or negative.
    pub fn new(mode: RoundingMode, step: Rupiah) -> Result<Self> {
        if step.is_positive() {
            Ok(RoundingPolicy { mode, step })
        } else {
            Err(Error::InvalidStep {
                step: step.to_decimal(),
            })
        }
    }

    /// The mode.
    pub fn mode(&self) -> RoundingMode {
        self.mode
    }

    /// The step.
    pub fn step(&self) -> Rupiah {
        self.step
    }

    /// The same step with another mode.
    #[must_use]
    pub fn with_mode(self, mode: RoundingMode) -> Self {
        RoundingPolicy { mode, ..self }
    }

    /// Rounds an amount to a multiple of the step.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the rounded amount does not fit.
    pub fn round(&self, amount: Rupiah) -> Result<Rupiah> {
        self.round_decimal(amount.to_decimal())
    }

    /// Rounds any exact decimal (e.g. an unrounded interest amount) to a multiple of the step.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the value and the step cannot be brought to one scale in 128 bits,
    /// or the result does not fit.
    pub fn round_decimal(&self, value: Decimal) -> Result<Rupiah> {
        let (q, _) = self.quotient(value)?;
        self.step.checked_mul_int(q)
    }

    /// Rounds `value / step` to a whole number of steps under this policy's mode.
    ///
    /// Returns the number of steps and the exact remainder `value − steps × step` (a decimal,
    /// possibly with more than 2 places).
    ///
    /// # Errors
    /// [`Error::Overflow`] as for [`round_decimal`](Self::round_decimal).
    pub fn quotient(&self, value: Decimal) -> Result<(i128, Decimal)> {
        div_round(self.mode, value, self.step.to_decimal())
    }
}

/// Rounds `value / divisor` (divisor > 0) to a whole number under `mode`, exactly.
///
/// Returns the whole number and the remainder `value − q × divisor`.
pub(crate) fn div_round(
    mode: RoundingMode,
    value: Decimal,
    divisor: Decimal,
) -> Result<(i128, Decimal)> {
    let overflow = Error::Overflow { op: "rounding" };
    if divisor.is_zero() || divisor.is_sign_negative() {
        return Err(Error::InvalidStep { step: divisor });
    }
    let scale = value.scale().max(divisor.scale());
    let v = rescaled_mantissa(value, scale).ok_or(overflow.clone())?;
    let d = rescaled_mantissa(divisor, scale).ok_or(overflow.clone())?;
    let q = v.checked_div(d).ok_or(overflow.clone())?;
    let r = v.checked_rem(d).ok_or(overflow.clone())?;
    let q = q
        .checked_add(mode.adjust(q, r, d))
        .ok_or(overflow.clone())?;
    let used = q
        .checked_mul(d)
        .and_then(|u| Decimal::try_from_i128_with_scale(u, scale).ok())
        .ok_or(overflow.clone())?;
    let rem = value.checked_sub(used).ok_or(overflow)?;
    Ok((q, rem))
}

/// The mantissa of `value` at `scale` (≥ its own scale), as an `i128`.
fn rescaled_mantissa(value: Decimal, scale: u32) -> Option<i128> {
    let extra = scale.checked_sub(value.scale())?;
    let factor = 10_i128.checked_pow(extra)?;
    value.mantissa().checked_mul(factor)
}

#[cfg(test)]
#[allow(
    clippy::comparison_chain,
    reason = "the definitions read best as if-chains"
)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn p(mode: RoundingMode, step: i64) -> RoundingPolicy {
        RoundingPolicy::new(mode, Rupiah::from_rupiah(step)).unwrap()
    }

    #[test]
    fn per_11_pj_2025_examples() {
        let r = RoundingPolicy::WHOLE_RUPIAH;
        assert_eq!(
            r.round_decimal(dec!(100499.49)).unwrap(),
            Rupiah::from_rupiah(100_499)
        );
        assert_eq!(
            r.round_decimal(dec!(100499.50)).unwrap(),
            Rupiah::from_rupiah(100_500)
        );
    }

    #[test]
    fn modes_at_midpoints() {
        let cases = [
            (RoundingMode::HalfUp, dec!(2.5), 3),
            (RoundingMode::HalfUp, dec!(-2.5), -3),
            (RoundingMode::HalfEven, dec!(2.5), 2),
            (RoundingMode::HalfEven, dec!(3.5), 4),
            (RoundingMode::HalfEven, dec!(-2.5), -2),
            (RoundingMode::Down, dec!(2.99), 2),
            (RoundingMode::Down, dec!(-2.99), -2),
            (RoundingMode::Up, dec!(2.01), 3),
            (RoundingMode::Up, dec!(-2.01), -3),
            (RoundingMode::Up, dec!(2.00), 2),
        ];
        for (mode, v, want) in cases {
            assert_eq!(
                p(mode, 1).round_decimal(v).unwrap(),
                Rupiah::from_rupiah(want),
                "{mode} {v}"
            );
        }
    }

    #[test]
    fn step_of_thousand_and_long_scale() {
        assert_eq!(
            p(RoundingMode::Up, 1000)
                .round_decimal(dec!(85625.01))
                .unwrap(),
            Rupiah::from_rupiah(86_000)
        );
        assert_eq!(
            p(RoundingMode::HalfUp, 100)
                .round_decimal(dec!(149.9999999999999999999999))
                .unwrap(),
            Rupiah::from_rupiah(100)
        );
        assert_eq!(
            RoundingPolicy::SEN
                .round_decimal(dec!(0.3333333333333333333333333333))
                .unwrap(),
            Rupiah::from_sen(33)
        );
    }

    #[test]
    fn zero_or_negative_step_is_rejected() {
        assert!(matches!(
            RoundingPolicy::new(RoundingMode::HalfUp, Rupiah::ZERO),
            Err(Error::InvalidStep { .. })
        ));
        assert!(matches!(
            RoundingPolicy::new(RoundingMode::HalfUp, Rupiah::from_rupiah(-1)),
            Err(Error::InvalidStep { .. })
        ));
    }

    #[test]
    fn mode_from_str() {
        assert_eq!(
            "half-up".parse::<RoundingMode>().unwrap(),
            RoundingMode::HalfUp
        );
        assert_eq!(
            "HALF_EVEN".parse::<RoundingMode>().unwrap(),
            RoundingMode::HalfEven
        );
        assert!(matches!(
            "nearest".parse::<RoundingMode>(),
            Err(Error::UnknownRoundingMode { .. })
        ));
    }

    fn mode() -> impl Strategy<Value = RoundingMode> {
        prop_oneof![
            Just(RoundingMode::HalfUp),
            Just(RoundingMode::HalfEven),
            Just(RoundingMode::Down),
            Just(RoundingMode::Up),
        ]
    }

    proptest! {
        /// Each mode against its definition: the result is a multiple of the step, within one
        /// step of the value, and on the side/midpoint the mode prescribes.
        #[test]
        fn prop_rounding_mode_matches_definition(
            mantissa in -10_000_000_000_000_i64..10_000_000_000_000,
            scale in 0_u32..6,
            step_sen in prop_oneof![Just(1_i64), Just(100), Just(10_000), Just(100_000), 1..1_000_000_i64],
            mode in mode(),
        ) {
            let value = Decimal::new(mantissa, scale);
            let step = Rupiah::from_sen(step_sen);
            let policy = RoundingPolicy::new(mode, step).unwrap();
            let got = policy.round_decimal(value).unwrap().to_decimal();
            let s = step.to_decimal();
            // a multiple of the step
            prop_assert_eq!((got / s).fract(), Decimal::ZERO);
            let lo = (value / s).floor() * s;
            let hi = lo + if (value / s).fract().is_zero() { Decimal::ZERO } else { s };
            prop_assert!(got == lo || got == hi, "{got} not in [{lo}, {hi}]");
            if lo == hi { prop_assert_eq!(got, value); }
            else {
                let toward_zero = if value.is_sign_negative() { hi } else { lo };
                let away = if value.is_sign_negative() { lo } else { hi };
                let dist_lo = value - lo;
                let dist_hi = hi - value;
                match mode {
                    RoundingMode::Down => prop_assert_eq!(got, toward_zero),
                    RoundingMode::Up => prop_assert_eq!(got, away),
                    RoundingMode::HalfUp => {
                        if dist_lo < dist_hi { prop_assert_eq!(got, lo) }
                        else if dist_hi < dist_lo { prop_assert_eq!(got, hi) }
                        else { prop_assert_eq!(got, away) }
                    }
                    RoundingMode::HalfEven => {
                        if dist_lo < dist_hi { prop_assert_eq!(got, lo) }
                        else if dist_hi < dist_lo { prop_assert_eq!(got, hi) }
                        else { prop_assert_eq!((got / s) % Decimal::TWO, Decimal::ZERO) }
                    }
                }
            }
        }

        /// `quotient` returns an exact decomposition: steps × step + remainder = value.
        #[test]
        fn prop_quotient_is_exact(
            mantissa in -10_000_000_000_000_i64..10_000_000_000_000,
            scale in 0_u32..10,
            step_sen in 1..1_000_000_i64,
            mode in mode(),
        ) {
            let value = Decimal::new(mantissa, scale);
            let policy = RoundingPolicy::new(mode, Rupiah::from_sen(step_sen)).unwrap();
            let (q, rem) = policy.quotient(value).unwrap();
            let steps = Decimal::from_i128_with_scale(q, 0) * Rupiah::from_sen(step_sen).to_decimal();
            prop_assert_eq!(steps + rem, value);
        }
    }
}
