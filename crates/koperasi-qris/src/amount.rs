//! Amounts (tags 54 and 56), fee percentages (57) and the tip/fee choice (55).

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::Error;

/// Shape of a number in the `EMVCo` amount grammar: digits, at most one `.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scanned {
    /// Digits after the `.` (0 when there is no `.`).
    pub(crate) decimals: usize,
    /// A `.` with nothing after it (`98.`).
    pub(crate) trailing_dot: bool,
    /// All digits are zero.
    pub(crate) zero: bool,
}

/// Scans `digits[.digits]` (`EMVCo`: `98.73`, `98`, `98.`). `None` when the text has anything
/// else, no digit before the `.`, or two dots.
pub(crate) fn scan_number(s: &str) -> Option<Scanned> {
    let b = s.as_bytes();
    let mut int_digits = 0usize;
    let mut decimals = 0usize;
    let mut dot = false;
    let mut zero = true;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                if c != b'0' {
                    zero = false;
                }
                if dot {
                    decimals = decimals.saturating_add(1);
                } else {
                    int_digits = int_digits.saturating_add(1);
                }
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if int_digits == 0 {
        return None;
    }
    Some(Scanned {
        decimals,
        trailing_dot: dot && decimals == 0,
        zero,
    })
}

/// Exact value of a scanned number (at most 28 significant digits are representable; values
/// of QRIS fields are at most 13 characters).
pub(crate) fn to_decimal(s: &str) -> Option<Decimal> {
    let t = s.strip_suffix('.').unwrap_or(s);
    Decimal::from_str_exact(t).ok()
}

/// A transaction amount or fixed fee as written in tags 54 and 56: a positive number of at
/// most 13 characters with at most two decimals (`"25000"`, `"39000.00"`).
///
/// # Invariants
/// The text matches `[0-9]+(\.[0-9]{1,2})?`, is at most 13 characters and is not zero; the
/// decimal value is exact.
///
/// ```
/// use koperasi_qris::Amount;
/// use rust_decimal::Decimal;
///
/// let a: Amount = "25000".parse()?;
/// assert_eq!(a.to_decimal(), Decimal::from(25_000));
/// let b = Amount::from_decimal(Decimal::new(1_250_050, 2))?;
/// assert_eq!(b.as_str(), "12500.50");
/// assert!("1.000".parse::<Amount>().is_err());
/// # Ok::<(), koperasi_qris::Error>(())
/// ```
#[doc(alias = "nominal")]
#[doc(alias = "jumlah")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Amount {
    text: String,
    value: Decimal,
}

impl Amount {
    /// Parses the tag-54 form.
    ///
    /// # Errors
    /// [`Error::InvalidAmount`] when the text is empty, longer than 13 characters, not
    /// `digits[.digits]`, has more than two decimals, ends with `.` or is zero.
    pub fn parse(s: &str) -> Result<Amount, Error> {
        let bad = |reason| Error::InvalidAmount {
            value: s.to_owned(),
            reason,
        };
        if s.is_empty() {
            return Err(bad("empty"));
        }
        if s.len() > 13 {
            return Err(bad("longer than 13 characters"));
        }
        let n = scan_number(s).ok_or_else(|| bad("not digits with at most one \".\""))?;
        if n.trailing_dot {
            return Err(bad("\".\" without decimals"));
        }
        if n.decimals > 2 {
            return Err(bad("more than two decimals"));
        }
        if n.zero {
            return Err(bad("zero"));
        }
        let value = to_decimal(s).ok_or_else(|| bad("not a number"))?;
        Ok(Amount {
            text: s.to_owned(),
            value,
        })
    }

    /// Writes a positive decimal: whole amounts without decimals (`25000`), others with
    /// exactly two (`12500.50`).
    ///
    /// # Errors
    /// [`Error::InvalidAmount`] when the value is not positive, has more than two decimals
    /// or needs more than 13 characters.
    pub fn from_decimal(d: Decimal) -> Result<Amount, Error> {
        let n = d.normalize();
        let text = if n.scale() == 0 {
            n.to_string()
        } else {
            format!("{n:.2}")
        };
        if n.scale() > 2 {
            return Err(Error::InvalidAmount {
                value: n.to_string(),
                reason: "more than two decimals",
            });
        }
        if n.is_sign_negative() && !n.is_zero() {
            return Err(Error::InvalidAmount {
                value: text,
                reason: "negative",
            });
        }
        Amount::parse(&text)
    }

    /// The text written in the payload.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact value.
    pub fn to_decimal(&self) -> Decimal {
        self.value
    }
}

impl FromStr for Amount {
    type Err = Error;
    fn from_str(s: &str) -> Result<Amount, Error> {
        Amount::parse(s)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.text)
    }
}

/// A convenience fee percentage as written in tag 57: between `00.01` and `99.99`, at most
/// five characters, no `%` (`"0.7"`, `"2.5"`, `"10"`).
///
/// ```
/// use koperasi_qris::Percentage;
/// assert_eq!("0.7".parse::<Percentage>()?.as_str(), "0.7");
/// assert!("100".parse::<Percentage>().is_err());
/// assert!("0".parse::<Percentage>().is_err());
/// # Ok::<(), koperasi_qris::Error>(())
/// ```
#[doc(alias = "persentase biaya layanan")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Percentage {
    text: String,
    value: Decimal,
}

/// Checks the tag-57 rules; the reason of the first failure.
pub(crate) fn check_percentage(s: &str) -> Result<Decimal, (&'static str, bool)> {
    // (reason, is_range_problem)
    if s.is_empty() || s.len() > 5 {
        return Err(("not 1 to 5 characters", false));
    }
    let n = scan_number(s).ok_or(("not digits with at most one \".\"", false))?;
    if n.decimals > 2 {
        return Err(("more than two decimals", false));
    }
    let v = to_decimal(s).ok_or(("not a number", false))?;
    if v < Decimal::new(1, 2) || v > Decimal::new(9999, 2) {
        return Err(("outside 00.01-99.99", true));
    }
    Ok(v)
}

impl Percentage {
    /// Parses the tag-57 form.
    ///
    /// # Errors
    /// [`Error::InvalidPercentage`] when the text is not a number of at most 5 characters
    /// with at most two decimals between 00.01 and 99.99.
    pub fn parse(s: &str) -> Result<Percentage, Error> {
        match check_percentage(s) {
            Ok(value) if !s.ends_with('.') => Ok(Percentage {
                text: s.to_owned(),
                value,
            }),
            Ok(_) => Err(Error::InvalidPercentage {
                value: s.to_owned(),
                reason: "\".\" without decimals",
            }),
            Err((reason, _)) => Err(Error::InvalidPercentage {
                value: s.to_owned(),
                reason,
            }),
        }
    }

    /// The text written in the payload.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact value (`2.5` for 2.5%).
    pub fn to_decimal(&self) -> Decimal {
        self.value
    }
}

impl FromStr for Percentage {
    type Err = Error;
    fn from_str(s: &str) -> Result<Percentage, Error> {
        Percentage::parse(s)
    }
}

impl fmt::Display for Percentage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Percentage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Percentage({})", self.text)
    }
}

/// Tip or convenience fee of a payment (tags 55, 56, 57).
#[doc(alias = "tip")]
#[doc(alias = "biaya layanan")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fee {
    /// 55 = `01`: the paying app asks the customer for a tip.
    TipPrompt,
    /// 55 = `02` + 56: a fixed convenience fee (biaya layanan tetap).
    Fixed(Amount),
    /// 55 = `03` + 57: a percentage convenience fee.
    Percent(Percentage),
}

impl Fee {
    /// The tag-55 indicator (`"01"`, `"02"`, `"03"`).
    pub fn indicator(&self) -> &'static str {
        match self {
            Fee::TipPrompt => "01",
            Fee::Fixed(_) => "02",
            Fee::Percent(_) => "03",
        }
    }
}

/// The tip or convenience fee as found in a parsed payload (values borrowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tip<'a> {
    /// 55 = `01`.
    Prompt,
    /// 55 = `02`, with the value of 56 (if present).
    Fixed(Option<&'a str>),
    /// 55 = `03`, with the value of 57 (if present).
    Percent(Option<&'a str>),
    /// Any other indicator value (an error in the report).
    Other(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan() {
        assert_eq!(
            scan_number("98."),
            Some(Scanned {
                decimals: 0,
                trailing_dot: true,
                zero: false
            })
        );
        assert!(scan_number(".5").is_none());
        assert!(scan_number("1.0.0").is_none());
        assert!(scan_number("1,00").is_none());
        assert!(scan_number("-1").is_none());
        assert!(scan_number("0.00").is_some_and(|n| n.zero));
    }

    #[test]
    fn amounts() {
        for ok in ["1000.00", "1000", "1", "9999999999999", "0.01"] {
            assert!(Amount::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1000,00",
            "1.000.",
            "1 000",
            "1000.",
            "0",
            "0.00",
            "1.005",
            "99999999999999",
            "+1",
            "1e3",
        ] {
            assert!(
                matches!(Amount::parse(bad), Err(Error::InvalidAmount { .. })),
                "{bad}"
            );
        }
        let a = Amount::from_decimal(Decimal::new(2_500_000, 2)).unwrap();
        assert_eq!(a.as_str(), "25000");
        let a = Amount::from_decimal(Decimal::new(5, 1)).unwrap();
        assert_eq!(a.as_str(), "0.50");
        assert!(Amount::from_decimal(Decimal::new(1005, 3)).is_err());
        assert!(Amount::from_decimal(Decimal::new(-5, 0)).is_err());
        assert!(Amount::from_decimal(Decimal::ZERO).is_err());
    }

    #[test]
    fn percentages() {
        for ok in ["0.7", "00.01", "99.99", "10", "2.5"] {
            assert!(Percentage::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["0", "00.00", "100", "99.999", "5%", "", "2.", "123456"] {
            assert!(
                matches!(Percentage::parse(bad), Err(Error::InvalidPercentage { .. })),
                "{bad}"
            );
        }
    }
}
