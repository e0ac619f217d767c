//! Where each input of an assessment came from (*jejak angka*): the date of the balances or
//! the period of the flows, how the value was derived, and the parts it is the sum of —
//! posting roles and their accounts, account classes and kinds, loan collectibility classes,
//! SHU allocation lines.
//!
//! # Invariants
//! The value of a trace is the exact sum of its parts' contributions
//! ([`InputTrace::check`]); a trace for an input has the input's value.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::Result;

/// One part of an input: what it is, the account it was read from (if one), its balance or
/// flow, the weight applied and what it contributes to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TracePart {
    /// What the part is, as a stable key: a posting role (`role:cash`), an account class or
    /// kind (`class:asset`, `kind:cost_of_sales`), a loan class
    /// (`collectibility:kurang_lancar`), an SHU line kind (`shu_line:capital_pool`), a
    /// questionnaire (`questionnaire:umum`), another input (`input:kas`).
    pub source: String,
    /// The account code when the part is one account of the chart.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub account: Option<String>,
    /// A human label (the account's name, the loan class…).
    pub label: String,
    /// The balance or flow read (before the weight), signed as it enters the input.
    pub basis: Decimal,
    /// The weight applied, in percent (100: the whole basis).
    pub weight: Decimal,
    /// What the part contributes to the input: `basis × weight / 100`, rounded half-up to the
    /// sen where the weight is not 100.
    pub amount: Decimal,
}

impl TracePart {
    /// A part taken whole (weight 100 %).
    pub fn whole(source: &str, account: Option<&str>, label: &str, basis: Decimal) -> TracePart {
        TracePart {
            source: source.to_owned(),
            account: account.map(str::to_owned),
            label: label.to_owned(),
            basis,
            weight: Decimal::ONE_HUNDRED,
            amount: basis,
        }
    }

    /// A weighted part: `amount` is what `basis` contributes at `weight` percent (computed by
    /// the caller with its rounding).
    pub fn weighted(
        source: &str,
        account: Option<&str>,
        label: &str,
        basis: Decimal,
        weight: Decimal,
        amount: Decimal,
    ) -> TracePart {
        TracePart {
            source: source.to_owned(),
            account: account.map(str::to_owned),
            label: label.to_owned(),
            basis,
            weight,
            amount,
        }
    }
}

/// Where one input came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "jejak angka")]
pub struct InputTrace {
    /// The input's value: Σ of the parts' amounts.
    pub value: Decimal,
    /// The figures are as of this date (inclusive): the balances' date, or the last day of
    /// the flows' period.
    pub as_of: NaiveDate,
    /// For a flow (PHU figures, loans disbursed in the year): the first day of the period;
    /// `None` for a balance.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub from: Option<NaiveDate>,
    /// How the value was derived, in words (Indonesian, for the report).
    pub derivation: String,
    /// The parts, in the order they were read.
    pub parts: Vec<TracePart>,
}

impl InputTrace {
    /// A trace of a balance as of `as_of`, its value the sum of `parts`.
    ///
    /// # Errors
    /// [`Error::Core`](crate::Error::Core) on overflow.
    pub fn balance(as_of: NaiveDate, derivation: &str, parts: Vec<TracePart>) -> Result<Self> {
        Self::build(as_of, None, derivation, parts)
    }

    /// A trace of a flow over `from..=to`, its value the sum of `parts`.
    ///
    /// # Errors
    /// [`Error::Core`](crate::Error::Core) on overflow.
    pub fn flow(
        from: NaiveDate,
        to: NaiveDate,
        derivation: &str,
        parts: Vec<TracePart>,
    ) -> Result<Self> {
        Self::build(to, Some(from), derivation, parts)
    }

    fn build(
        as_of: NaiveDate,
        from: Option<NaiveDate>,
        derivation: &str,
        parts: Vec<TracePart>,
    ) -> Result<Self> {
        Ok(InputTrace {
            value: sum_parts(&parts)?,
            as_of,
            from,
            derivation: derivation.to_owned(),
            parts,
        })
    }

    /// `true` if the value is exactly the sum of the parts' amounts.
    pub fn check(&self) -> bool {
        sum_parts(&self.parts).is_ok_and(|s| s == self.value)
    }

    /// The accounts read, in order, without repetition.
    pub fn accounts(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for a in self.parts.iter().filter_map(|p| p.account.as_deref()) {
            if !v.contains(&a) {
                v.push(a);
            }
        }
        v
    }

    /// The period or date in words: `31-12-2026` or `01-01-2026 s.d. 31-12-2026`.
    pub fn when(&self) -> String {
        let f = |d: NaiveDate| d.format("%d-%m-%Y").to_string();
        match self.from {
            Some(from) => format!("{} s.d. {}", f(from), f(self.as_of)),
            None => f(self.as_of),
        }
    }
}

fn sum_parts(parts: &[TracePart]) -> Result<Decimal> {
    let mut t = Decimal::ZERO;
    for p in parts {
        t = t
            .checked_add(p.amount)
            .ok_or(koperasi_core::Error::Overflow { op: "input trace" })?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_the_sum_of_the_parts() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let t = InputTrace::balance(
            d,
            "kas + bank",
            vec![
                TracePart::whole("role:cash", Some("1-1-01"), "Kas", Decimal::from(60)),
                TracePart::weighted(
                    "role:bank",
                    Some("1-1-02"),
                    "Bank",
                    Decimal::from(40),
                    Decimal::from(50),
                    Decimal::from(20),
                ),
            ],
        )
        .unwrap();
        assert_eq!(t.value, Decimal::from(80));
        assert!(t.check());
        assert_eq!(t.accounts(), ["1-1-01", "1-1-02"]);
        assert_eq!(t.when(), "31-12-2026");
        let mut bad = t.clone();
        bad.value = Decimal::from(81);
        assert!(!bad.check());
        let f =
            InputTrace::flow(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), d, "x", vec![]).unwrap();
        assert_eq!(f.when(), "01-01-2026 s.d. 31-12-2026");
        assert_eq!(f.value, Decimal::ZERO);
    }
}
