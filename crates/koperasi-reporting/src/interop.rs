//! A [`Ledger`] as an hledger/ledger-cli journal or a beancount file, and an hledger journal
//! back into a ledger.
//!
//! Account names: the five roots `Assets`, `Liabilities`, `Equity`, `Income`, `Expenses`
//! (by account class; beancount requires them, hledger infers account types from them), then
//! one component `CODE-Name` with the name's spaces and punctuation as `-`:
//! `Assets:1-1-01-Kas`, `Income:4-1-02-Kios-sembako`. Amounts are explicit on every posting,
//! in `IDR` with two decimals (debits positive). The entry id is the transaction code, the
//! memo the description, the source a comment (hledger) or metadata (beancount); dimensions
//! are written as tags (`unit:`, `counterparty:`, `member:`).
//!
//! ```
//! use chrono::NaiveDate;
//! use koperasi_core::{ActorId, EntryId, Rupiah};
//! use koperasi_ledger::{kkmp, ChartOfAccounts, JournalEntry, Ledger};
//! use koperasi_reporting::{interop, plaintext};
//!
//! let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
//! let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, d);
//! books.post(
//!     &JournalEntry::new(EntryId::from_u128(1), d, ActorId::from_u128(1))
//!         .with_memo("Setoran simpanan pokok")
//!         .debit(kkmp::KAS, Rupiah::from_rupiah(100_000))?
//!         .credit(kkmp::SIMPANAN_POKOK, Rupiah::from_rupiah(100_000))?,
//! )?;
//! let journal = interop::to_hledger(&books);
//! assert!(journal.contains("    Assets:1-1-01-Kas  IDR 100000.00"));
//! let tb = plaintext::balance(&journal)?;
//! assert_eq!(tb.rows.len(), 2);
//! let back = interop::import_hledger(&journal, ChartOfAccounts::standard_kkmp()?, d, ActorId::from_u128(1))?;
//! assert_eq!(back.trial_balance(d)?, books.trial_balance(d)?);
//! assert!(interop::to_beancount(&books).contains("2026-01-05 open Assets:1-1-01-Kas IDR"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt::Write as _;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{
    Account, AccountClass, ChartOfAccounts, Dimensions, JournalEntry, Ledger, Line, Side,
};

use crate::error::{Error, JournalErrorKind, Result};
use crate::plaintext;

fn root(class: AccountClass) -> &'static str {
    match class {
        AccountClass::Asset => "Assets",
        AccountClass::Liability => "Liabilities",
        AccountClass::Equity => "Equity",
        AccountClass::Revenue => "Income",
        _ => "Expenses",
    }
}

/// The plaintext name of an account: `Root:CODE-Name`.
pub fn account_name(account: &Account) -> String {
    let mut s = format!("{}:{}", root(account.class), account.code.as_str());
    let mut dash = false;
    for c in account.name.chars() {
        if c.is_alphanumeric() {
            if !dash {
                s.push('-');
                dash = true;
            }
            s.push(c);
        } else if dash {
            dash = false;
        }
    }
    s
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == ';' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn tags(dims: &Dimensions) -> String {
    let mut t = Vec::new();
    if let Some(u) = dims.unit {
        t.push(format!("unit: {:02}", u.number()));
    }
    if let Some(c) = dims.counterparty {
        t.push(format!("counterparty: {c:?}"));
    }
    if let Some(m) = dims.member {
        t.push(format!("member: {}", m.as_uuid()));
    }
    t.join(", ")
}

fn signed(side: Side, amount: Rupiah) -> Rupiah {
    match side {
        Side::Debit => amount,
        Side::Credit => amount.negated(),
    }
}

/// The ledger as an hledger / ledger-cli journal (every entry, closing entries included, in
/// posting order).
pub fn to_hledger(ledger: &Ledger) -> String {
    let chart = ledger.chart();
    let mut out =
        String::with_capacity(ledger.line_count().saturating_mul(60).saturating_add(4096));
    let _ = writeln!(
        out,
        "; Exported from koperasi-ledger: {} entries, opening date {}",
        ledger.len(),
        ledger.opening_date()
    );
    out.push_str("commodity IDR 1000.00\n\n");
    for a in chart.accounts().iter().filter(|a| a.postable) {
        let _ = writeln!(out, "account {}", account_name(a));
    }
    let names: Vec<String> = chart.accounts().iter().map(account_name).collect();
    for e in ledger.entries() {
        let _ = writeln!(
            out,
            "\n{} * ({}) {}",
            e.date(),
            e.id().as_uuid(),
            one_line(e.memo())
        );
        if !e.source().is_empty() {
            let _ = writeln!(out, "    ; source: {}", one_line(e.source()));
        }
        for l in e.lines() {
            let name = chart
                .index_of(l.account.as_str())
                .and_then(|i| names.get(i))
                .map_or(l.account.as_str(), String::as_str);
            let _ = write!(out, "    {name}  IDR {}", signed(l.side, l.amount).plain());
            let t = tags(&l.dims);
            if !t.is_empty() {
                let _ = write!(out, "  ; {t}");
            }
            out.push('\n');
        }
    }
    out
}

fn bean_string(s: &str) -> String {
    one_line(s).replace('\\', "\\\\").replace('"', "\\\"")
}

/// The ledger as a beancount file: `open` directives on the earliest date, one transaction per
/// entry with its id and source as metadata.
pub fn to_beancount(ledger: &Ledger) -> String {
    let chart = ledger.chart();
    let first = ledger
        .entries()
        .map(|e| e.date())
        .min()
        .map_or(ledger.opening_date(), |d| d.min(ledger.opening_date()));
    let mut out =
        String::with_capacity(ledger.line_count().saturating_mul(60).saturating_add(4096));
    out.push_str("; Exported from koperasi-ledger\noption \"operating_currency\" \"IDR\"\n\n");
    let _ = writeln!(out, "{first} commodity IDR\n");
    for a in chart.accounts().iter().filter(|a| a.postable) {
        let _ = writeln!(out, "{first} open {} IDR", account_name(a));
    }
    let names: Vec<String> = chart.accounts().iter().map(account_name).collect();
    for e in ledger.entries() {
        let _ = writeln!(out, "\n{} * \"{}\"", e.date(), bean_string(e.memo()));
        let _ = writeln!(out, "  entry: \"{}\"", e.id().as_uuid());
        if !e.source().is_empty() {
            let _ = writeln!(out, "  source: \"{}\"", bean_string(e.source()));
        }
        for l in e.lines() {
            let name = chart
                .index_of(l.account.as_str())
                .and_then(|i| names.get(i))
                .map_or(l.account.as_str(), String::as_str);
            let _ = writeln!(out, "  {name}  {} IDR", signed(l.side, l.amount).plain());
        }
    }
    out
}

/// Finds the chart account of a plaintext account name: the last component's longest prefix
/// (up to a `-`) that is a postable code; a bare code also matches.
fn resolve<'c>(chart: &'c ChartOfAccounts, name: &str) -> Option<&'c Account> {
    let last = name.rsplit(':').next().unwrap_or(name);
    let mut best = chart.get(last).filter(|a| a.postable);
    if best.is_none() {
        for (i, c) in last.char_indices() {
            if c == '-'
                && let Some(a) = last
                    .get(..i)
                    .and_then(|p| chart.get(p))
                    .filter(|a| a.postable)
            {
                best = Some(a);
            }
        }
    }
    best
}

/// Imports an hledger/ledger-cli journal into a new ledger over `chart`: every transaction
/// becomes one entry (id from a UUID transaction code, else derived from the header's line
/// number), posted all or nothing.
///
/// # Errors
/// Everything [`plaintext::read`] rejects; [`JournalErrorKind::UnknownAccount`] for an
/// account not in the chart; a zero-amount posting is rejected as unsupported;
/// [`Error::Ledger`] if the ledger refuses the entries (e.g. a balance limit).
pub fn import_hledger(
    text: &str,
    chart: ChartOfAccounts,
    opening: NaiveDate,
    actor: ActorId,
) -> Result<Ledger> {
    struct Raw {
        id: EntryId,
        date: NaiveDate,
        memo: String,
        postings: Vec<(u32, i64, usize)>,
    }
    let mut raw: Vec<Raw> = Vec::new();
    let journal = plaintext::read(text, |h, postings| {
        let id = h
            .code
            .and_then(|c| koperasi_core::uuid::Uuid::parse_str(c).ok())
            .map_or_else(
                || EntryId::from_u128(u128::try_from(h.line).unwrap_or(0)),
                EntryId::from_uuid,
            );
        if let Some(p) = postings.iter().find(|p| p.sen == 0) {
            return Err(Error::Journal {
                line: p.line,
                kind: JournalErrorKind::Unsupported("zero-amount posting"),
            });
        }
        raw.push(Raw {
            id,
            date: h.date,
            memo: h.description.to_owned(),
            postings: postings
                .iter()
                .map(|p| (p.account, p.sen, p.line))
                .collect(),
        });
        Ok(())
    })?;
    let mapped: Vec<Option<&Account>> = journal
        .accounts
        .iter()
        .map(|n| resolve(&chart, n))
        .collect();
    let mut entries = Vec::with_capacity(raw.len());
    for r in raw {
        let mut e = JournalEntry::new(r.id, r.date, actor).with_memo(r.memo);
        for (acct, sen, line) in r.postings {
            let i = usize::try_from(acct).unwrap_or(usize::MAX);
            let Some(a) = mapped.get(i).copied().flatten() else {
                let name = journal.accounts.get(i).copied().unwrap_or_default();
                return Err(Error::Journal {
                    line,
                    kind: JournalErrorKind::UnknownAccount(name.to_owned()),
                });
            };
            let side = if sen > 0 { Side::Debit } else { Side::Credit };
            e = e.with_line(Line::new(a.code.clone(), side, Rupiah::from_sen(sen).abs()));
        }
        entries.push(e);
    }
    let mut ledger = Ledger::new(chart, opening);
    ledger.post_batch(&entries)?;
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    #[test]
    fn snapshot_exports() {
        let l = crate::statements::tests::books(&[
            (3, 60, 150_000_000, 4),
            (5, 3, 2_500_050, 40),
            (0, 61, 1_000_000, 70),
        ]);
        insta::assert_snapshot!("hledger", to_hledger(&l));
        insta::assert_snapshot!("beancount", to_beancount(&l));
    }

    #[test]
    fn import_errors() {
        let chart = || ChartOfAccounts::standard_kkmp().unwrap();
        let j = "2026-01-02 x\n    Assets:9-9-Nope  IDR 1\n    Assets:1-1-01-Kas  IDR -1\n";
        assert!(matches!(
            import_hledger(j, chart(), d(), ActorId::from_u128(1)),
            Err(Error::Journal {
                line: 2,
                kind: JournalErrorKind::UnknownAccount(_)
            })
        ));
        let j = "2026-01-02 x\n    1-1-01  IDR 0\n    1-1-02  IDR 0\n";
        assert!(matches!(
            import_hledger(j, chart(), d(), ActorId::from_u128(1)),
            Err(Error::Journal {
                line: 2,
                kind: JournalErrorKind::Unsupported("zero-amount posting")
            })
        ));
        // Kas may not go below zero: the ledger refuses, nothing is imported.
        let j = "2026-01-02 x\n    1-1-02  IDR 1\n    1-1-01  IDR -1\n";
        assert!(matches!(
            import_hledger(j, chart(), d(), ActorId::from_u128(1)),
            Err(Error::Ledger(_))
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn prop_export_import_round_trip(s in proptest::collection::vec((0_usize..200, 0_usize..200, 1_i64..10_000_000_000, 0_u32..365), 0..40)) {
            let l = crate::statements::tests::books(&s);
            let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
            let j = to_hledger(&l);
            // Our own reader agrees with the ledger's trial balance, account by account.
            let tb = plaintext::balance(&j).unwrap();
            let ours = l.trial_balance(end).unwrap();
            prop_assert_eq!(tb.rows.iter().filter(|r| !r.balance.is_zero()).count(), ours.rows.len());
            prop_assert!(tb.total.is_zero());
            let back = import_hledger(&j, ChartOfAccounts::standard_kkmp().unwrap(), d(), ActorId::from_u128(1)).unwrap();
            prop_assert_eq!(back.trial_balance(end).unwrap(), ours);
            prop_assert_eq!(back.len(), l.len());
        }
    }
}
