//! [`Rupiah`]: an exact amount of Indonesian rupiah.

use core::fmt;
use core::fmt::Write as _;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::error::ParseAmountErrorKind;
use crate::{Error, Result, RoundingPolicy};

/// The most digits an amount text may have (the 96-bit mantissa holds 28 digits).
const MAX_DIGITS: usize = 28;

/// An exact amount of Indonesian rupiah, in whole sen (at most two decimals).
///
/// # Invariants
/// * the inner decimal always has scale 2, so equal amounts have equal `Hash`, `Eq` and
///   `Display` (`Decimal` says `1.0 == 1.00` but prints them differently);
/// * every value was validated on construction (no more than two decimals).
///
/// # No operators
/// `Rupiah` deliberately implements no `+`, `-` or `*`: `Decimal`'s operators panic on
/// overflow. Use [`checked_add`](Rupiah::checked_add), [`checked_sub`](Rupiah::checked_sub),
/// [`checked_mul_int`](Rupiah::checked_mul_int), [`mul_decimal`](Rupiah::mul_decimal)
/// (unrounded, round it with a [`RoundingPolicy`]) and [`try_sum`](Rupiah::try_sum).
///
/// # Text forms
/// * `Display`: Indonesian style, `Rp1.234.567`, `Rp1.234.567,50`, `-Rp5.000` (sen shown only
///   when non-zero).
/// * [`plain`](Rupiah::plain): the machine form, `1234567.50`, always two decimals. This is
///   also the serde form (a JSON string, never a float).
/// * `FromStr`: strict machine grammar `-?[0-9]+(\.[0-9]{1,2})?`. It rejects `1e3`, `1_000`,
///   `+5`, `1,000`, `.5`, `5.` and the empty string.
///
/// ```
/// use koperasi_core::Rupiah;
///
/// let wajib: Rupiah = "50000".parse()?;            // simpanan wajib
/// let pokok = Rupiah::from_rupiah(100_000);       // simpanan pokok
/// let total = wajib.checked_add(pokok)?;
/// assert_eq!(total.to_string(), "Rp150.000");
/// assert_eq!(total.plain().to_string(), "150000.00");
/// assert_eq!("1234567.5".parse::<Rupiah>()?.to_string(), "Rp1.234.567,50");
/// assert!("1e3".parse::<Rupiah>().is_err());
/// # Ok::<(), koperasi_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RupiahRepr", into = "String"))]
#[doc(alias = "uang")]
#[doc(alias = "nominal")]
pub struct Rupiah(Decimal);

impl Rupiah {
    /// Zero rupiah.
    pub const ZERO: Rupiah = Rupiah(Decimal::from_parts(0, 0, 0, false, 2));
    /// One sen (Rp0,01), the smallest amount.
    pub const SEN: Rupiah = Rupiah(Decimal::from_parts(1, 0, 0, false, 2));
    /// One rupiah.
    pub const ONE: Rupiah = Rupiah(Decimal::from_parts(100, 0, 0, false, 2));

    /// An amount from a decimal with at most two decimals (trailing zeros beyond are fine:
    /// `1.500` is accepted as `1.50`).
    ///
    /// # Errors
    /// [`Error::TooPrecise`] if `amount` has non-zero digits beyond the second decimal.
    pub fn new(amount: Decimal) -> Result<Rupiah> {
        let mut d = amount.normalize();
        if d.scale() > 2 {
            return Err(Error::TooPrecise { value: amount });
        }
        d.rescale(2);
        if d.scale() == 2 {
            Ok(Rupiah(d))
        } else {
            // rescale could not reach scale 2 without losing digits (mantissa too large)
            Err(Error::Overflow { op: "Rupiah::new" })
        }
    }

    /// An amount in sen (1/100 rupiah). Infallible: every `i64` count of sen fits.
    pub fn from_sen(sen: i64) -> Rupiah {
        Rupiah(Decimal::new(sen, 2))
    }

    /// `±magnitude` sen, without the checks of `Decimal::new` (every `u64` fits the 96-bit
    /// mantissa); negative zero is zero.
    #[inline]
    pub(crate) const fn from_sen_magnitude(magnitude: u64, negative: bool) -> Rupiah {
        // Low and high 32 bits: the casts keep exactly the bits they are meant to.
        #[expect(
            clippy::cast_possible_truncation,
            reason = "splitting a u64 into its halves"
        )]
        let (lo, mid) = (magnitude as u32, (magnitude >> 32) as u32);
        Rupiah(Decimal::from_parts(lo, mid, 0, negative, 2))
    }

    /// A whole number of rupiah. Infallible: every `i64` fits (as sen in 96 bits).
    pub fn from_rupiah(rupiah: i64) -> Rupiah {
        // |i64| × 100 < 2⁷¹ fits the 96-bit mantissa.
        Rupiah(Decimal::from_i128_with_scale(
            i128::from(rupiah).saturating_mul(100),
            2,
        ))
    }

    /// An amount from a count of sen as `i128`.
    ///
    /// # Errors
    /// [`Error::Overflow`] if it exceeds the 96-bit mantissa.
    pub fn try_from_sen_i128(sen: i128) -> Result<Rupiah> {
        Decimal::try_from_i128_with_scale(sen, 2)
            .map(Rupiah)
            .map_err(|_| Error::Overflow {
                op: "Rupiah::try_from_sen_i128",
            })
    }

    /// The amount in sen, exactly (the mantissa at scale 2).
    pub fn to_sen(self) -> i128 {
        self.0.mantissa()
    }

    /// The amount as a `Decimal` with scale 2.
    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// `true` if the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `true` if the amount is greater than zero.
    pub fn is_positive(self) -> bool {
        !self.0.is_zero() && self.0.is_sign_positive()
    }

    /// `true` if the amount is less than zero.
    pub fn is_negative(self) -> bool {
        !self.0.is_zero() && self.0.is_sign_negative()
    }

    /// `true` if the amount is a whole number of rupiah (no sen).
    pub fn is_whole_rupiah(self) -> bool {
        self.0.mantissa() % 100 == 0
    }

    /// The absolute value (cannot overflow: the mantissa is sign-magnitude).
    #[must_use]
    pub fn abs(self) -> Rupiah {
        Rupiah(self.0.abs())
    }

    /// The negated amount (cannot overflow).
    #[must_use]
    pub fn negated(self) -> Rupiah {
        if self.0.is_zero() {
            self
        } else {
            let mut d = self.0;
            d.set_sign_negative(!d.is_sign_negative());
            Rupiah(d)
        }
    }

    /// `self + rhs`.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the sum does not fit.
    pub fn checked_add(self, rhs: Rupiah) -> Result<Rupiah> {
        self.0
            .checked_add(rhs.0)
            .and_then(Self::exact)
            .ok_or(Error::Overflow {
                op: "Rupiah::checked_add",
            })
    }

    /// `self − rhs`.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the difference does not fit.
    pub fn checked_sub(self, rhs: Rupiah) -> Result<Rupiah> {
        self.0
            .checked_sub(rhs.0)
            .and_then(Self::exact)
            .ok_or(Error::Overflow {
                op: "Rupiah::checked_sub",
            })
    }

    /// `self × n` for a whole number `n` (exact).
    ///
    /// # Errors
    /// [`Error::Overflow`] if the product does not fit.
    pub fn checked_mul_int(self, n: i128) -> Result<Rupiah> {
        self.to_sen()
            .checked_mul(n)
            .ok_or(Error::Overflow {
                op: "Rupiah::checked_mul_int",
            })
            .and_then(Rupiah::try_from_sen_i128)
    }

    /// `self × factor`, **unrounded** (may carry more than two decimals). Round the result with
    /// a [`RoundingPolicy`], or use [`mul_rounded`](Rupiah::mul_rounded).
    ///
    /// # Errors
    /// [`Error::Overflow`] if the product does not fit in a `Decimal`.
    pub fn mul_decimal(self, factor: Decimal) -> Result<Decimal> {
        self.0.checked_mul(factor).ok_or(Error::Overflow {
            op: "Rupiah::mul_decimal",
        })
    }

    /// `self × factor`, rounded by `policy`.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the product does not fit.
    pub fn mul_rounded(self, factor: Decimal, policy: RoundingPolicy) -> Result<Rupiah> {
        policy.round_decimal(self.mul_decimal(factor)?)
    }

    /// `self × numerator / denominator`, computed exactly in integers and rounded once by
    /// `policy` (e.g. an interest `principal × percent × months / 1200`).
    ///
    /// # Errors
    /// [`Error::DivisionByZero`] if `denominator` is zero; [`Error::Overflow`] if an
    /// intermediate does not fit.
    pub fn mul_div(
        self,
        numerator: Decimal,
        denominator: Decimal,
        policy: RoundingPolicy,
    ) -> Result<Rupiah> {
        if denominator.is_zero() {
            return Err(Error::DivisionByZero {
                op: "Rupiah::mul_div",
            });
        }
        let product = self.mul_decimal(numerator)?;
        // product / denominator rounded to multiples of step: one exact integer division of
        // the product by step × denominator (sign moved to the dividend).
        let overflow = Error::Overflow {
            op: "Rupiah::mul_div",
        };
        let divisor = policy
            .step()
            .to_decimal()
            .checked_mul(denominator)
            .ok_or(overflow.clone())?;
        let (dividend, divisor) = if divisor.is_sign_negative() {
            (
                product.checked_mul(Decimal::NEGATIVE_ONE).ok_or(overflow)?,
                divisor.abs(),
            )
        } else {
            (product, divisor)
        };
        let (q, _) = crate::rounding::div_round(policy.mode(), dividend, divisor)?;
        policy.step().checked_mul_int(q)
    }

    /// Sums amounts, failing on overflow.
    ///
    /// # Errors
    /// [`Error::Overflow`] if a partial sum does not fit.
    pub fn try_sum<I: IntoIterator<Item = Rupiah>>(iter: I) -> Result<Rupiah> {
        let mut sen: i128 = 0;
        for r in iter {
            sen = sen.checked_add(r.to_sen()).ok_or(Error::Overflow {
                op: "Rupiah::try_sum",
            })?;
        }
        Rupiah::try_from_sen_i128(sen)
    }

    /// A display adapter for the plain machine form, `1234567.50` (always two decimals).
    pub fn plain(self) -> Plain {
        Plain(self)
    }

    fn exact(d: Decimal) -> Option<Rupiah> {
        // Sums and differences of scale-2 values stay at scale 2 unless the mantissa overflowed
        // into rescaling; reject anything else.
        (d.scale() == 2).then_some(Rupiah(d))
    }
}

/// The plain machine form of a [`Rupiah`]: `1234567.50`, `-5000.00`.
#[derive(Debug, Clone, Copy)]
pub struct Plain(Rupiah);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Decimal's Display prints the value at its scale, which is always 2.
        fmt::Display::fmt(&(self.0).0, f)
    }
}

impl fmt::Debug for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rupiah({})", self.0)
    }
}

impl fmt::Display for Rupiah {
    /// Indonesian style: `Rp1.234.567`, `Rp1.234.567,50`, `-Rp5.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sen = self.to_sen().unsigned_abs();
        let whole = sen / 100;
        let frac = sen % 100;
        let digits = whole.to_string();
        let mut out = String::with_capacity(digits.len().saturating_mul(2));
        if self.is_negative() {
            out.push('-');
        }
        out.push_str("Rp");
        let n = digits.len();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && n.saturating_sub(i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        if frac != 0 {
            // Writing to a String cannot fail.
            let _ = write!(out, ",{frac:02}");
        }
        f.pad(&out)
    }
}

impl FromStr for Rupiah {
    type Err = Error;

    /// Strict machine grammar: `-?[0-9]+(\.[0-9]{1,2})?`.
    fn from_str(s: &str) -> Result<Rupiah> {
        let err = |offset: usize, kind| Error::ParseAmount {
            input: s.to_owned(),
            offset,
            kind,
        };
        let bytes = s.as_bytes();
        let (negative, start) = match bytes.first() {
            None => return Err(err(0, ParseAmountErrorKind::Empty)),
            Some(b'-') => (true, 1),
            Some(_) => (false, 0),
        };
        if start == bytes.len() {
            return Err(err(start, ParseAmountErrorKind::Empty));
        }
        let mut mantissa: i128 = 0;
        let mut int_digits = 0usize;
        let mut frac_digits = 0usize;
        let mut dot: Option<usize> = None;
        for (i, &b) in bytes.iter().enumerate().skip(start) {
            match b {
                b'0'..=b'9' => {
                    if dot.is_some() {
                        frac_digits = frac_digits.saturating_add(1);
                        if frac_digits > 2 {
                            return Err(err(i, ParseAmountErrorKind::TooManyDecimals));
                        }
                    } else {
                        int_digits = int_digits.saturating_add(1);
                    }
                    if int_digits.saturating_add(frac_digits) > MAX_DIGITS {
                        return Err(err(i, ParseAmountErrorKind::TooLarge));
                    }
                    mantissa = mantissa
                        .checked_mul(10)
                        .and_then(|m| m.checked_add(i128::from(b.wrapping_sub(b'0'))))
                        .ok_or_else(|| err(i, ParseAmountErrorKind::TooLarge))?;
                }
                b'.' => {
                    if dot.is_some() {
                        return Err(err(i, ParseAmountErrorKind::SecondDecimalPoint));
                    }
                    if int_digits == 0 {
                        return Err(err(i, ParseAmountErrorKind::MissingDigits));
                    }
                    dot = Some(i);
                }
                _ => return Err(err(i, ParseAmountErrorKind::InvalidCharacter)),
            }
        }
        if let Some(d) = dot
            && frac_digits == 0
        {
            return Err(err(d, ParseAmountErrorKind::MissingDigits));
        }
        for _ in frac_digits..2 {
            mantissa = mantissa
                .checked_mul(10)
                .ok_or_else(|| err(0, ParseAmountErrorKind::TooLarge))?;
        }
        if negative {
            mantissa = mantissa.checked_neg().unwrap_or(0);
        }
        Rupiah::try_from_sen_i128(mantissa).map_err(|_| err(0, ParseAmountErrorKind::TooLarge))
    }
}

impl Default for Rupiah {
    /// [`Rupiah::ZERO`] (at scale 2, like every amount).
    fn default() -> Rupiah {
        Rupiah::ZERO
    }
}

impl TryFrom<Decimal> for Rupiah {
    type Error = Error;
    fn try_from(value: Decimal) -> Result<Rupiah> {
        Rupiah::new(value)
    }
}

impl From<Rupiah> for Decimal {
    fn from(value: Rupiah) -> Decimal {
        value.0
    }
}

impl From<Rupiah> for String {
    fn from(value: Rupiah) -> String {
        value.plain().to_string()
    }
}

/// What serde accepts for a [`Rupiah`]: an exact string (`"1500.00"`) or a JSON integer.
/// Floats are rejected: they cannot carry money exactly.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum RupiahRepr {
    Text(String),
    Int(i64),
}

#[cfg(feature = "serde")]
impl TryFrom<RupiahRepr> for Rupiah {
    type Error = Error;
    fn try_from(value: RupiahRepr) -> Result<Rupiah> {
        match value {
            RupiahRepr::Text(s) => s.parse(),
            RupiahRepr::Int(i) => Ok(Rupiah::from_rupiah(i)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn display_indonesian_style() {
        assert_eq!(Rupiah::from_rupiah(1_234_567).to_string(), "Rp1.234.567");
        assert_eq!(Rupiah::from_sen(123_456_750).to_string(), "Rp1.234.567,50");
        assert_eq!(Rupiah::from_rupiah(-5_000).to_string(), "-Rp5.000");
        assert_eq!(Rupiah::ZERO.to_string(), "Rp0");
        assert_eq!(Rupiah::from_sen(5).to_string(), "Rp0,05");
        assert_eq!(Rupiah::from_rupiah(100).to_string(), "Rp100");
        assert_eq!(Rupiah::from_rupiah(1000).to_string(), "Rp1.000");
        assert_eq!(format!("{:>10}", Rupiah::from_rupiah(1000)), "   Rp1.000");
    }

    #[test]
    fn default_is_zero_at_scale_two() {
        let d = Rupiah::default();
        assert_eq!(d, Rupiah::ZERO);
        assert_eq!(d.to_decimal().scale(), 2);
        assert_eq!(d.checked_add(Rupiah::ONE).unwrap(), Rupiah::ONE);
        assert_eq!(d.plain().to_string(), "0.00");
    }

    #[test]
    fn plain_form() {
        assert_eq!(
            Rupiah::from_sen(123_456_750).plain().to_string(),
            "1234567.50"
        );
        assert_eq!(Rupiah::from_rupiah(-5_000).plain().to_string(), "-5000.00");
        assert_eq!(Rupiah::ZERO.plain().to_string(), "0.00");
    }

    #[test]
    fn parse_accepts_the_grammar() {
        assert_eq!("0".parse::<Rupiah>().unwrap(), Rupiah::ZERO);
        assert_eq!("-0".parse::<Rupiah>().unwrap(), Rupiah::ZERO);
        assert_eq!("-0.00".parse::<Rupiah>().unwrap().to_string(), "Rp0");
        assert_eq!("007".parse::<Rupiah>().unwrap(), Rupiah::from_rupiah(7));
        assert_eq!("1.5".parse::<Rupiah>().unwrap(), Rupiah::from_sen(150));
        assert_eq!("-12.34".parse::<Rupiah>().unwrap(), Rupiah::from_sen(-1234));
    }

    #[test]
    fn parse_rejects_each_malformation() {
        use ParseAmountErrorKind as K;
        let cases = [
            ("", 0, K::Empty),
            ("-", 1, K::Empty),
            ("1e3", 1, K::InvalidCharacter),
            ("1_000", 1, K::InvalidCharacter),
            ("+5", 0, K::InvalidCharacter),
            ("1,000", 1, K::InvalidCharacter),
            (" 1", 0, K::InvalidCharacter),
            ("1.2.3", 3, K::SecondDecimalPoint),
            (".5", 0, K::MissingDigits),
            ("5.", 1, K::MissingDigits),
            ("1.005", 4, K::TooManyDecimals),
            ("99999999999999999999999999999", 28, K::TooLarge),
        ];
        for (input, offset, kind) in cases {
            assert_eq!(
                input.parse::<Rupiah>(),
                Err(Error::ParseAmount {
                    input: input.to_owned(),
                    offset,
                    kind
                }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn new_normalizes_and_rejects_sub_sen() {
        assert_eq!(Rupiah::new(dec!(1.500)).unwrap(), Rupiah::from_sen(150));
        assert_eq!(Rupiah::new(dec!(1.0)).unwrap().to_decimal().scale(), 2);
        assert_eq!(
            Rupiah::new(dec!(1.005)),
            Err(Error::TooPrecise { value: dec!(1.005) })
        );
        assert!(matches!(
            Rupiah::new(Decimal::MAX),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn arithmetic_overflow_is_an_error() {
        let max = Rupiah::try_from_sen_i128(i128::from(u64::MAX) * i128::from(u32::MAX)).unwrap();
        assert!(matches!(max.checked_add(max), Err(Error::Overflow { .. })));
        assert!(matches!(
            max.negated().checked_sub(max),
            Err(Error::Overflow { .. })
        ));
        assert!(matches!(
            max.checked_mul_int(1 << 40),
            Err(Error::Overflow { .. })
        ));
        assert!(matches!(
            Rupiah::try_sum([max, max]),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn mul_div_rounds_once() {
        // 1.000.000 × 1,5% / 12 = 1.250 exactly
        let p = Rupiah::from_rupiah(1_000_000);
        assert_eq!(
            p.mul_div(dec!(1.5), dec!(1200), RoundingPolicy::WHOLE_RUPIAH)
                .unwrap(),
            Rupiah::from_rupiah(1_250)
        );
        // 100 × 1 / 3 = 33,33… → 33
        assert_eq!(
            Rupiah::from_rupiah(100)
                .mul_div(Decimal::ONE, dec!(3), RoundingPolicy::WHOLE_RUPIAH)
                .unwrap(),
            Rupiah::from_rupiah(33)
        );
        // 5 / 2 = 2,5 → 3 half-up
        assert_eq!(
            Rupiah::from_rupiah(5)
                .mul_div(Decimal::ONE, dec!(2), RoundingPolicy::WHOLE_RUPIAH)
                .unwrap(),
            Rupiah::from_rupiah(3)
        );
        assert!(matches!(
            p.mul_div(Decimal::ONE, Decimal::ZERO, RoundingPolicy::WHOLE_RUPIAH),
            Err(Error::DivisionByZero { .. })
        ));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_exact_string() {
        let r = Rupiah::from_sen(150_000);
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"1500.00\"");
        assert_eq!(
            serde_json::from_str::<Rupiah>("\"1500.5\"").unwrap(),
            Rupiah::from_sen(150_050)
        );
        assert_eq!(
            serde_json::from_str::<Rupiah>("1500").unwrap(),
            Rupiah::from_rupiah(1500)
        );
        assert!(serde_json::from_str::<Rupiah>("\"1.005\"").is_err());
        assert!(serde_json::from_str::<Rupiah>("1.5").is_err());
    }

    fn any_rupiah() -> impl Strategy<Value = Rupiah> {
        crate::strategy::rupiah()
    }

    proptest! {
        /// Every amount keeps scale 2.
        #[test]
        fn prop_scale_is_two(a in any_rupiah(), b in any_rupiah()) {
            prop_assert_eq!(a.to_decimal().scale(), 2);
            if let Ok(s) = a.checked_add(b) { prop_assert_eq!(s.to_decimal().scale(), 2); }
            if let Ok(s) = a.checked_sub(b) { prop_assert_eq!(s.to_decimal().scale(), 2); }
        }

        /// Parsing the plain form and the Indonesian display (converted back) gives the amount.
        #[test]
        fn prop_parse_display_round_trip(a in any_rupiah()) {
            prop_assert_eq!(a.plain().to_string().parse::<Rupiah>().unwrap(), a);
            let shown = a.to_string().replace("Rp", "").replace('.', "").replace(',', ".");
            prop_assert_eq!(shown.parse::<Rupiah>().unwrap(), a);
        }

        /// Checked arithmetic never panics, for any operands (including extremes); when it
        /// succeeds it agrees with exact integer arithmetic on sen.
        #[test]
        fn prop_checked_arithmetic_never_panics(
            a in prop_oneof![any_rupiah(), (any::<i64>()).prop_map(Rupiah::from_sen),
                             (-(1_i128 << 95)..(1_i128 << 95)).prop_map(|s| Rupiah::try_from_sen_i128(s).unwrap())],
            b in prop_oneof![any_rupiah(), (any::<i64>()).prop_map(Rupiah::from_sen),
                             (-(1_i128 << 95)..(1_i128 << 95)).prop_map(|s| Rupiah::try_from_sen_i128(s).unwrap())],
            n in any::<i128>(),
        ) {
            if let Ok(s) = a.checked_add(b) { prop_assert_eq!(Some(s.to_sen()), a.to_sen().checked_add(b.to_sen())); }
            if let Ok(s) = a.checked_sub(b) { prop_assert_eq!(Some(s.to_sen()), a.to_sen().checked_sub(b.to_sen())); }
            if let Ok(s) = a.checked_mul_int(n) { prop_assert_eq!(Some(s.to_sen()), a.to_sen().checked_mul(n)); }
            let _ = a.mul_decimal(b.to_decimal());
            let _ = a.mul_div(b.to_decimal(), Decimal::from_i128_with_scale(n % 1_000_000_007, 0), RoundingPolicy::WHOLE_RUPIAH);
            let _ = Rupiah::try_sum([a, b, a, b]);
        }

        /// `checked_add` commutes.
        #[test]
        fn prop_checked_add_commutes(a in any_rupiah(), b in any_rupiah()) {
            prop_assert_eq!(a.checked_add(b), b.checked_add(a));
        }

        /// Arbitrary text never panics the parser, and what it accepts re-prints to itself.
        #[test]
        fn prop_parse_never_panics(s in "\\PC{0,40}") {
            if let Ok(r) = s.parse::<Rupiah>() {
                prop_assert_eq!(r.plain().to_string().parse::<Rupiah>().unwrap(), r);
            }
        }
    }
}
