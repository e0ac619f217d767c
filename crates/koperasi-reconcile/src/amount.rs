//! Reading amounts written with a configurable decimal mark and thousands separator.

use crate::error::FieldErrorKind;

/// How a statement writes amounts: the decimal mark and the thousands separator.
/// Indonesian bank exports write `1.500.000,00` (decimal `,`, thousands `.`); some write
/// `1,500,000.00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NumberFormat {
    /// The decimal mark.
    pub decimal: char,
    /// The thousands separator, if any.
    pub thousands: Option<char>,
}

impl NumberFormat {
    /// `1.500.000,00`.
    pub const INDONESIAN: NumberFormat = NumberFormat {
        decimal: ',',
        thousands: Some('.'),
    };
    /// `1500000.00` (no thousands separator).
    pub const PLAIN: NumberFormat = NumberFormat {
        decimal: '.',
        thousands: None,
    };

    /// Reads an amount in sen. Accepts surrounding spaces, an optional `Rp`/`IDR` prefix, a
    /// leading or trailing `-` or parentheses for a negative amount, and thousands
    /// separators only between groups of exactly three digits. Returns `Ok(None)` for an
    /// empty cell.
    ///
    /// # Errors
    /// [`FieldErrorKind::BadAmount`] for anything else, [`FieldErrorKind::TooPrecise`] for more
    /// than two (non-zero) decimals, [`FieldErrorKind::TooLarge`] beyond `i64` sen.
    pub fn parse_sen(&self, text: &str) -> Result<Option<i64>, FieldErrorKind> {
        let mut s = text.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let mut negative = false;
        if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            negative = true;
            s = inner.trim();
        }
        if let Some(rest) = s.strip_prefix('-') {
            negative = !negative;
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_suffix('-') {
            negative = !negative;
            s = rest.trim_end();
        }
        for prefix in ["Rp.", "Rp", "IDR"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.trim_start();
                break;
            }
        }
        if s.is_empty() {
            return Err(FieldErrorKind::BadAmount);
        }
        let (int_part, frac_part) = match s.split_once(self.decimal) {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let mut value: i64 = 0;
        let push = |value: i64, c: char| -> Result<i64, FieldErrorKind> {
            let d = i64::from(c.to_digit(10).ok_or(FieldErrorKind::BadAmount)?);
            value
                .checked_mul(10)
                .and_then(|v| v.checked_add(d))
                .ok_or(FieldErrorKind::TooLarge)
        };
        // integer part, with grouping checked
        let n_groups = match self.thousands {
            Some(t) => int_part.split(t).count(),
            None => 1,
        };
        let groups = int_part.split(|c| Some(c) == self.thousands);
        for (i, g) in groups.enumerate() {
            let ok_len = if i == 0 {
                !g.is_empty() && (n_groups == 1 || g.len() <= 3)
            } else {
                g.len() == 3
            };
            if !ok_len {
                return Err(FieldErrorKind::BadAmount);
            }
            for c in g.chars() {
                value = push(value, c)?;
            }
        }
        // fraction: up to two digits, more only when they are zeros
        let mut frac_digits = 0u32;
        if let Some(f) = frac_part {
            for (i, c) in f.chars().enumerate() {
                if i < 2 {
                    value = push(value, c)?;
                    frac_digits = frac_digits.saturating_add(1);
                } else if c != '0' {
                    return Err(if c.is_ascii_digit() {
                        FieldErrorKind::TooPrecise
                    } else {
                        FieldErrorKind::BadAmount
                    });
                }
            }
        }
        for _ in frac_digits..2 {
            value = value.checked_mul(10).ok_or(FieldErrorKind::TooLarge)?;
        }
        if negative {
            value = value.checked_neg().ok_or(FieldErrorKind::TooLarge)?;
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_amounts() {
        let f = NumberFormat::INDONESIAN;
        assert_eq!(f.parse_sen("1.500.000,00"), Ok(Some(150_000_000)));
        assert_eq!(f.parse_sen("1.500.000"), Ok(Some(150_000_000)));
        assert_eq!(f.parse_sen(" 2.500,5 "), Ok(Some(250_050)));
        assert_eq!(f.parse_sen("-7.000,00"), Ok(Some(-700_000)));
        assert_eq!(f.parse_sen("(7.000,00)"), Ok(Some(-700_000)));
        assert_eq!(f.parse_sen("Rp 12.345"), Ok(Some(1_234_500)));
        assert_eq!(f.parse_sen(""), Ok(None));
        assert_eq!(f.parse_sen("1.50"), Err(FieldErrorKind::BadAmount));
        assert_eq!(f.parse_sen("1.5000.000"), Err(FieldErrorKind::BadAmount));
        assert_eq!(f.parse_sen("1,505"), Err(FieldErrorKind::TooPrecise));
        assert_eq!(f.parse_sen("1,500"), Ok(Some(150)));
        assert_eq!(f.parse_sen("abc"), Err(FieldErrorKind::BadAmount));
        assert_eq!(
            f.parse_sen("99999999999999999999"),
            Err(FieldErrorKind::TooLarge)
        );
    }

    #[test]
    fn plain_and_english_amounts() {
        assert_eq!(
            NumberFormat::PLAIN.parse_sen("1500000.5"),
            Ok(Some(150_000_050))
        );
        let en = NumberFormat {
            decimal: '.',
            thousands: Some(','),
        };
        assert_eq!(en.parse_sen("1,500,000.00"), Ok(Some(150_000_000)));
        assert_eq!(en.parse_sen("1.500.000"), Err(FieldErrorKind::BadAmount));
    }
}
