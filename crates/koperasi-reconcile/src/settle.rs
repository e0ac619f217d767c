//! The QRIS settlement pass: a bank credit explained as the open QRIS receivable of a run
//! of days, less MDR by the schedule.

use chrono::{Datelike, NaiveDate};
use koperasi_core::Rupiah;
use koperasi_ledger::{EntryKind, Ledger, Side};

use crate::error::{Error, Result};
use crate::model::sen;
use crate::result::{BankRef, BookRef, ProposedEntry, ProposedLine, Suggestion, SuggestionKind};
use crate::rules::QrisRule;

pub(crate) struct Ctx<'a> {
    pub(crate) ledger: &'a Ledger,
    pub(crate) rule: &'a QrisRule,
    /// The candidate bank lines (unmatched money in with a QRIS label) …
    pub(crate) bank: &'a [(BankRef, i64)],
    /// … and their indices among all bank lines.
    pub(crate) index: &'a [usize],
    pub(crate) account: &'a str,
    pub(crate) to: NaiveDate,
}

struct Sale {
    book: BookRef,
    day: i32,
    gross: i64,
    mdr: i64,
}

/// Open receivable debits: every debit of the account up to `to`, in date order, less the
/// credits taken first-in first-out; a debit only partly cleared is not open.
fn open_sales(ctx: &Ctx<'_>) -> Result<Vec<Sale>> {
    let code = ctx.rule.receivable.as_str();
    let mut debits: Vec<(BookRef, i64)> = Vec::new();
    let mut credits: i64 = 0;
    for e in ctx.ledger.entries() {
        if e.date() > ctx.to {
            continue;
        }
        if e.reversed_by().is_some() || matches!(e.kind(), EntryKind::Reversal { .. }) {
            continue;
        }
        for (i, l) in e.lines().enumerate() {
            if l.account.as_str() != code {
                continue;
            }
            let a = sen(l.amount)?;
            match l.side {
                Side::Debit => debits.push((
                    BookRef {
                        entry: e.id(),
                        line: u32::try_from(i).unwrap_or(u32::MAX),
                        date: e.date(),
                        amount: l.amount,
                        source: e.source().to_owned(),
                        memo: e.memo().to_owned(),
                    },
                    a,
                )),
                Side::Credit => {
                    credits = credits
                        .checked_add(a)
                        .ok_or(Error::Overflow { op: "receivable" })?;
                }
            }
        }
    }
    debits.sort_by_key(|d| d.0.date);
    let mut out = Vec::new();
    for (b, a) in debits {
        if credits >= a {
            credits = credits.saturating_sub(a);
            continue;
        }
        if credits > 0 {
            credits = 0; // partly cleared: not open
            continue;
        }
        let mdr = sen(ctx.rule.schedule.mdr(b.date, ctx.rule.category, b.amount)?)?;
        out.push(Sale {
            day: b.date.num_days_from_ce(),
            book: b,
            gross: a,
            mdr,
        });
    }
    Ok(out)
}

pub(crate) fn pass_qris(
    ctx: &Ctx<'_>,
    proposed: &mut Vec<ProposedEntry>,
    explained: &mut crate::HashMap<usize, String>,
    suggestions: &mut Vec<Suggestion>,
) -> Result<()> {
    let q = ctx.rule;
    let candidates: Vec<usize> = (0..ctx.bank.len()).collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let mut sales = open_sales(ctx)?;
    let mut used = vec![false; sales.len()];
    let fee = sen(q.settlement_fee)?;
    let max_days = i32::try_from(q.max_days).unwrap_or(i32::MAX);
    for i in candidates {
        let Some((b, amt)) = ctx.bank.get(i) else {
            continue;
        };
        let t = b.date.num_days_from_ce();
        // days (ascending) with open sales in [t - max_days, t]
        let mut days: Vec<(i32, i64, Vec<usize>)> = Vec::new();
        for (k, s) in sales.iter().enumerate() {
            if used.get(k).copied().unwrap_or(true)
                || s.day < t.saturating_sub(max_days)
                || s.day > t
            {
                continue;
            }
            let net = s
                .gross
                .checked_sub(s.mdr)
                .ok_or(Error::Overflow { op: "net" })?;
            match days.last_mut() {
                Some(d) if d.0 == s.day => {
                    d.1 = d.1.checked_add(net).ok_or(Error::Overflow { op: "net" })?;
                    d.2.push(k);
                }
                _ => days.push((s.day, net, vec![k])),
            }
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        for s in 0..days.len() {
            let mut total = fee.checked_neg().ok_or(Error::Overflow { op: "fee" })?;
            for e in s..days.len() {
                let Some(d) = days.get(e) else { break };
                total = total
                    .checked_add(d.1)
                    .ok_or(Error::Overflow { op: "net" })?;
                if total == *amt {
                    found.push((s, e));
                }
            }
        }
        let group = |(s, e): (usize, usize)| -> Vec<usize> {
            days.get(s..=e)
                .map(|ds| ds.iter().flat_map(|d| d.2.iter().copied()).collect())
                .unwrap_or_default()
        };
        match found.as_slice() {
            [one] => {
                let ks = group(*one);
                let mut gross = 0i64;
                let mut mdr = 0i64;
                for &k in &ks {
                    if let Some(s) = sales.get(k) {
                        gross = gross
                            .checked_add(s.gross)
                            .ok_or(Error::Overflow { op: "gross" })?;
                        mdr = mdr
                            .checked_add(s.mdr)
                            .ok_or(Error::Overflow { op: "mdr" })?;
                    }
                    if let Some(u) = used.get_mut(k) {
                        *u = true;
                    }
                }
                let mut lines = vec![ProposedLine {
                    account: ctx.account.to_owned(),
                    side: Side::Debit,
                    amount: Rupiah::from_sen(*amt),
                }];
                if mdr > 0 {
                    lines.push(ProposedLine {
                        account: q.mdr_expense.clone(),
                        side: Side::Debit,
                        amount: Rupiah::from_sen(mdr),
                    });
                }
                if fee > 0 {
                    lines.push(ProposedLine {
                        account: q.fee_account.clone(),
                        side: Side::Debit,
                        amount: Rupiah::from_sen(fee),
                    });
                }
                lines.push(ProposedLine {
                    account: q.receivable.clone(),
                    side: Side::Credit,
                    amount: Rupiah::from_sen(gross),
                });
                proposed.push(ProposedEntry {
                    rule: "qris_settlement".to_owned(),
                    date: b.date,
                    memo: format!(
                        "Settlement QRIS {} transaksi, MDR {}",
                        ks.len(),
                        Rupiah::from_sen(mdr)
                    ),
                    source: format!("reconcile:{}", b.fingerprint),
                    lines,
                    bank: vec![b.clone()],
                    books: ks
                        .iter()
                        .filter_map(|&k| sales.get(k))
                        .map(|s| s.book.clone())
                        .collect(),
                });
                if let Some(&bank_index) = ctx.index.get(i) {
                    explained.insert(bank_index, "qris_settlement".to_owned());
                }
            }
            [] => {}
            many => {
                let mut ks: Vec<usize> = many.iter().flat_map(|f| group(*f)).collect();
                ks.sort_unstable();
                ks.dedup();
                suggestions.push(Suggestion {
                    kind: SuggestionKind::QrisSettlement,
                    bank: vec![b.clone()],
                    books: ks
                        .iter()
                        .filter_map(|&k| sales.get(k))
                        .map(|s| s.book.clone())
                        .collect(),
                });
            }
        }
    }
    sales.clear();
    Ok(())
}
