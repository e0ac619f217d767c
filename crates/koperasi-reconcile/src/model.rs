//! The statement model every importer produces.

use core::fmt;

use chrono::{NaiveDate, NaiveTime};
use koperasi_core::Rupiah;

use crate::error::{Error, Problem, Result};

/// Where an imported line came from: the file's name (as the caller gave it) and the 1-based
/// line (text formats) or row (XLSX).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SourceRef {
    /// The file.
    pub file: String,
    /// 1-based line or row.
    pub line: u32,
}

impl SourceRef {
    /// A file and line.
    pub fn new(file: impl Into<String>, line: u32) -> SourceRef {
        SourceRef {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A stable identity of a statement line, the same whichever file or statement the line is
/// read from: FNV-1a (64 bit) over the bank account, the booking date, the signed amount in
/// sen and the occurrence index of that (account, date, amount) within its statement.
///
/// The description is deliberately not part of it: BRI changes a line's remark between the
/// same-day and the next-day statement (`REMARK` → `REMARK WS_OB;…`), and the same line must
/// be recognised in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[doc(alias = "sidik baris")]
pub struct Fingerprint(pub u64);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        u64::from_str_radix(&s, 16)
            .map(Fingerprint)
            .map_err(serde::de::Error::custom)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

impl Fingerprint {
    /// The fingerprint of a line of `account` on `date` of `sen` (signed), the
    /// `occurrence`-th (0-based) such line of its statement.
    pub fn of(account: &str, date: NaiveDate, sen: i64, occurrence: u32) -> Fingerprint {
        let mut h = fnv(FNV_OFFSET, account.as_bytes());
        h = fnv(h, &[0xff]);
        h = fnv(h, &chrono::Datelike::num_days_from_ce(&date).to_le_bytes());
        h = fnv(h, &sen.to_le_bytes());
        h = fnv(h, &occurrence.to_le_bytes());
        Fingerprint(h)
    }
}

/// One line of a bank statement (mutasi rekening), whatever format it came from.
///
/// Amounts are signed from the account holder's side: a **credit** on the statement (money
/// in, *kredit*) is positive, a **debit** (money out, *debet*) negative.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "mutasi")]
#[doc(alias = "baris rekening koran")]
#[non_exhaustive]
pub struct StatementLine {
    /// File and line.
    pub source: SourceRef,
    /// Booking date (tanggal transaksi / entry date).
    pub booking_date: NaiveDate,
    /// Value date (tanggal valuta), when the format gives one.
    pub value_date: Option<NaiveDate>,
    /// Time of day, when the format gives one.
    pub time: Option<NaiveTime>,
    /// Description (uraian / remark / `:86:`).
    pub description: String,
    /// The bank's or customer's reference, when the format gives one.
    pub reference: Option<String>,
    /// Signed amount: + credit (money in), − debit (money out).
    pub amount: Rupiah,
    /// Running balance (saldo) after this line, when the format prints it.
    pub running_balance: Option<Rupiah>,
    /// Stable identity (see [`Fingerprint`]).
    pub fingerprint: Fingerprint,
}

/// A balance with its date and where it was stated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StatedBalance {
    /// The date of the balance.
    pub date: NaiveDate,
    /// The balance (negative for an overdraft).
    pub amount: Rupiah,
    /// Where it was stated (for a balance inferred from the first saldo, that line).
    pub source: SourceRef,
}

/// A bank statement (rekening koran): lines with their opening and closing balances, the
/// result of one importer, plus the problems the import checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "rekening koran")]
#[non_exhaustive]
pub struct Statement {
    /// The file.
    pub file: String,
    /// The bank account number, when the format gives one (`:25:`, a column).
    pub account: Option<String>,
    /// The statement's own reference or number (`:20:`/`:28C:`).
    pub reference: Option<String>,
    /// Opening balance.
    pub opening: Option<StatedBalance>,
    /// Closing balance.
    pub closing: Option<StatedBalance>,
    /// The lines in statement order.
    pub lines: Vec<StatementLine>,
    /// Problems found by the import checks (saldo continuity, opening + lines = closing).
    pub problems: Vec<Problem>,
}

impl Statement {
    /// First and last booking date of the lines (or of the balances when there are none).
    pub fn period(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self
            .lines
            .iter()
            .map(|l| l.booking_date)
            .chain(self.opening.as_ref().map(|b| b.date))
            .min()?;
        let last = self
            .lines
            .iter()
            .map(|l| l.booking_date)
            .chain(self.closing.as_ref().map(|b| b.date))
            .max()?;
        Some((first, last))
    }
}

/// Counts occurrences of (date, amount) to give each line its [`Fingerprint`].
#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    seen: crate::HashMap<(NaiveDate, i64), u32>,
}

impl Occurrences {
    pub(crate) fn next(&mut self, account: &str, date: NaiveDate, sen: i64) -> Fingerprint {
        let n = self.seen.entry((date, sen)).or_insert(0);
        let fp = Fingerprint::of(account, date, sen, *n);
        *n = n.saturating_add(1);
        fp
    }
}

/// An amount in sen as `i64` (every statement and ledger amount fits: |amount| < 9.2·10¹⁶
/// rupiah).
pub(crate) fn sen(amount: Rupiah) -> Result<i64> {
    i64::try_from(amount.to_sen()).map_err(|_| Error::Overflow {
        op: "amount in sen",
    })
}

/// Appends the balance checks of a statement: every printed running balance equals the
/// previous balance plus the line, and opening + Σ lines equals the closing balance.
pub(crate) fn check_balances(st: &mut Statement) -> Result<()> {
    let mut running: Option<i64> = match &st.opening {
        Some(b) => Some(sen(b.amount)?),
        None => None,
    };
    let mut problems = Vec::new();
    for l in &st.lines {
        let amt = sen(l.amount)?;
        let expected = match running {
            Some(r) => Some(r.checked_add(amt).ok_or(Error::Overflow {
                op: "running balance",
            })?),
            None => None,
        };
        if let Some(stated) = l.running_balance {
            let stated_sen = sen(stated)?;
            if let Some(e) = expected
                && e != stated_sen
            {
                problems.push(Problem::error(
                    l.source.clone(),
                    crate::error::ProblemKind::SaldoBreak {
                        expected: Rupiah::from_sen(e),
                        stated,
                    },
                ));
            }
            // continue from what the bank says, so one break is reported once
            running = Some(stated_sen);
        } else {
            running = expected;
        }
    }
    if let (Some(c), Some(o)) = (&st.closing, &st.opening) {
        let total = st.lines.iter().try_fold(sen(o.amount)?, |acc, l| {
            acc.checked_add(sen(l.amount)?).ok_or(Error::Overflow {
                op: "closing balance",
            })
        })?;
        if total != sen(c.amount)? {
            problems.push(Problem::error(
                c.source.clone(),
                crate::error::ProblemKind::ClosingMismatch {
                    computed: Rupiah::from_sen(total),
                    stated: c.amount,
                },
            ));
        }
    }
    st.problems.extend(problems);
    Ok(())
}
