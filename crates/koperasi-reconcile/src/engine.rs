//! The matching engine.

use chrono::{Datelike, NaiveDate};
use koperasi_core::{EntryId, Rupiah};
use koperasi_ledger::{EntryKind, Ledger, Side};

use crate::error::{Error, Problem, ProblemKind, Result};
use crate::model::{Fingerprint, SourceRef, Statement, StatementLine, sen};
use crate::result::{
    Ageing, BankRef, BookRef, Match, MatchKind, ProposedEntry, ProposedLine, Reconciliation,
    Suggestion, SuggestionKind, UnmatchedBank,
};
use crate::rules::Config;

/// Tokens shared by more book lines than this are not distinctive and are ignored.
const TOKEN_CAP: usize = 8;

struct Bank<'a> {
    line: &'a StatementLine,
    day: i32,
    amt: i64,
}

#[derive(Clone)]
struct Book<'a> {
    entry: EntryId,
    line_no: u32,
    date: NaiveDate,
    day: i32,
    amt: i64,
    source: &'a str,
    memo: &'a str,
}

fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// FNV-1a over the ASCII-uppercased bytes of a token.
fn token_hash(t: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in t {
        h ^= u64::from(b.to_ascii_uppercase());
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Reference tokens of a text: maximal runs of ASCII letters, digits, `-` and `_`, at least
/// six characters long with at least one digit (`RRN000123`, `TRF-2025-0001`).
fn tokens(text: &str, out: &mut Vec<u64>) {
    for t in text
        .as_bytes()
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
    {
        if t.len() >= 6 && t.iter().any(u8::is_ascii_digit) {
            out.push(token_hash(t));
        }
    }
}

fn contains_token(text: &str, token: u64) -> bool {
    text.as_bytes()
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .any(|t| t.len() >= 6 && t.iter().any(u8::is_ascii_digit) && token_hash(t) == token)
}

/// The token of a fingerprint's 16 hex digits (as a proposed entry's source carries it).
fn fingerprint_token(fp: Fingerprint) -> u64 {
    let mut buf = [0u8; 16];
    for (i, b) in buf.iter_mut().enumerate() {
        let shift = 60u32.saturating_sub(u32::try_from(i).unwrap_or(0).saturating_mul(4));
        let nibble = u8::try_from((fp.0 >> shift) & 0xf).unwrap_or(0);
        *b = if nibble < 10 {
            b'0'.saturating_add(nibble)
        } else {
            b'a'.saturating_add(nibble.saturating_sub(10))
        };
    }
    token_hash(&buf)
}

/// Book lines of `account`, signed from the account holder's side (+ debit), dated in
/// `[from, to]`, leaving out entries that were reversed and the reversals themselves.
fn book_lines<'a>(
    ledger: &'a Ledger,
    account: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Book<'a>>> {
    let mut out = Vec::new();
    for e in ledger.entries() {
        let date = e.date();
        if date < from || date > to {
            continue;
        }
        if e.reversed_by().is_some() || matches!(e.kind(), EntryKind::Reversal { .. }) {
            continue;
        }
        for (i, l) in e.lines().enumerate() {
            if l.account.as_str() != account {
                continue;
            }
            let a = sen(l.amount)?;
            let amt = match l.side {
                Side::Debit => a,
                Side::Credit => a.checked_neg().ok_or(Error::Overflow { op: "book line" })?,
            };
            out.push(Book {
                entry: e.id(),
                line_no: u32::try_from(i).unwrap_or(u32::MAX),
                date,
                day: day(date),
                amt,
                source: e.source(),
                memo: e.memo(),
            });
        }
    }
    Ok(out)
}

fn book_ref(b: &Book<'_>) -> BookRef {
    BookRef {
        entry: b.entry,
        line: b.line_no,
        date: b.date,
        amount: Rupiah::from_sen(b.amt),
        source: b.source.to_owned(),
        memo: b.memo.to_owned(),
    }
}

fn bank_ref(b: &Bank<'_>) -> BankRef {
    BankRef {
        source: b.line.source.clone(),
        date: b.line.booking_date,
        amount: b.line.amount,
        description: b.line.description.clone(),
        reference: b.line.reference.clone(),
        fingerprint: b.line.fingerprint,
    }
}

/// A tiny union-find.
struct Dsu(Vec<u32>);
impl Dsu {
    fn new(n: usize) -> Dsu {
        Dsu((0..u32::try_from(n).unwrap_or(u32::MAX)).collect())
    }
    fn find(&mut self, mut x: u32) -> u32 {
        loop {
            let p = self.0.get(x as usize).copied().unwrap_or(x);
            if p == x {
                return x;
            }
            let gp = self.0.get(p as usize).copied().unwrap_or(p);
            if let Some(slot) = self.0.get_mut(x as usize) {
                *slot = gp;
            }
            x = gp;
        }
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb
            && let Some(slot) = self.0.get_mut(ra as usize)
        {
            *slot = rb;
        }
    }
}

struct State {
    bank_done: Vec<bool>,
    book_done: Vec<bool>,
    matches: Vec<Match>,
}

/// Reconciles bank statements with the ledger account `account` (the bank account, 1-1-02
/// in the KKMP chart).
///
/// Passes, each on what the earlier ones left:
/// 1. **reference**: a reference token (≥ 6 characters with a digit: an RRN, a transfer
///    reference, an entry source, a proposed entry's `reconcile:<fingerprint>`) shared by
///    the bank line and exactly one book line of the same amount;
/// 2. **amount and date**: the same amount, dates at most `window_days` apart, one to one;
///    `n` interchangeable lines of one amount on each side are paired in date order when
///    [`Config::pair_identical_in_date_order`] is set; anything else is a suggestion;
/// 3. **many to one**: one bank line equal to all unmatched book lines of the same
///    direction on a run of consecutive days in the window (a deposit of several receipts);
///    unique or a suggestion;
/// 4. **QRIS settlement** ([`Config::qris`]): a money-in line equal to the open QRIS
///    receivable of a run of days less MDR by the schedule (and the settlement fee) —
///    explained, with a proposed settlement entry;
/// 5. **named rules** ([`Config::rules`]): bank fees, interest, tax on interest —
///    explained, with a proposed entry.
///
/// Amounts are compared exactly, to the sen. Book lines are taken from `window_days`
/// before the first statement line to `window_days` after the last one; entries that were
/// reversed, and their reversals, are left out.
///
/// # Errors
/// [`Error::UnknownAccount`] if `account` (or a rule's account) is not a postable account
/// of the ledger; [`Error::Empty`] when there are no statements; [`Error::Config`] for a
/// QRIS rule whose schedule has no rate for a sale's date; [`Error::Overflow`] for sums
/// beyond `i64` sen.
pub fn reconcile(
    ledger: &Ledger,
    account: &str,
    statements: &[Statement],
    config: &Config,
) -> Result<Reconciliation> {
    let postable = |code: &str| {
        ledger
            .chart()
            .get(code)
            .filter(|a| a.postable)
            .map(|_| ())
            .ok_or_else(|| Error::UnknownAccount {
                code: code.to_owned(),
            })
    };
    postable(account)?;
    for r in &config.rules {
        postable(&r.account)?;
    }
    if let Some(q) = &config.qris {
        postable(&q.receivable)?;
        postable(&q.mdr_expense)?;
        postable(&q.fee_account)?;
    }
    let Some(first_st) = statements.first() else {
        return Err(Error::Empty {
            file: String::new(),
        });
    };
    let w = i32::try_from(config.window_days).map_err(|_| Error::Config {
        message: "window_days too large".to_owned(),
    })?;

    // ---- merge statements, drop duplicate lines ----
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen: crate::HashMap<Fingerprint, &SourceRef> = crate::HashMap::default();
    seen.reserve(statements.iter().map(|s| s.lines.len()).sum());
    let mut bank: Vec<Bank<'_>> = Vec::new();
    let first_account = first_st.account.clone();
    for st in statements {
        problems.extend(st.problems.iter().cloned());
        if let (Some(a), Some(b)) = (&first_account, &st.account)
            && a != b
        {
            problems.push(Problem::error(
                SourceRef::new(st.file.clone(), 1),
                ProblemKind::AccountMismatch {
                    expected: a.clone(),
                    found: b.clone(),
                },
            ));
        }
        for l in &st.lines {
            if let Some(first) = seen.get(&l.fingerprint) {
                problems.push(Problem::warning(
                    l.source.clone(),
                    ProblemKind::Duplicate {
                        fingerprint: l.fingerprint,
                        first: (*first).clone(),
                    },
                ));
                continue;
            }
            seen.insert(l.fingerprint, &l.source);
            bank.push(Bank {
                line: l,
                day: day(l.booking_date),
                amt: sen(l.amount)?,
            });
        }
    }
    drop(seen);
    bank.sort_by_key(|b| b.day);
    // the statements in date order: opening of the first, closing of the last
    let mut ordered: Vec<&Statement> = statements.iter().collect();
    ordered.sort_by_key(|s| s.period().map(|p| p.0));
    let opening = ordered
        .iter()
        .find_map(|s| s.opening.as_ref())
        .map(|b| b.amount);
    let first_day = bank
        .first()
        .map(|b| b.line.booking_date)
        .or_else(|| ordered.first().and_then(|s| s.period()).map(|p| p.0))
        .ok_or_else(|| Error::Empty {
            file: first_st.file.clone(),
        })?;
    let last_day = ordered
        .iter()
        .filter_map(|s| s.period().map(|p| p.1))
        .chain(bank.last().map(|b| b.line.booking_date))
        .max()
        .unwrap_or(first_day);
    let opening_sen = match opening {
        Some(o) => sen(o)?,
        None => 0,
    };
    let bank_total = bank.iter().try_fold(0i64, |acc, b| {
        acc.checked_add(b.amt)
            .ok_or(Error::Overflow { op: "bank total" })
    })?;
    // saldo per bank: the last statement's stated closing balance
    let saldo_bank_sen = match ordered.iter().rev().find_map(|s| s.closing.as_ref()) {
        Some(c) => sen(c.amount)?,
        None => opening_sen
            .checked_add(bank_total)
            .ok_or(Error::Overflow { op: "saldo bank" })?,
    };

    let span = chrono::TimeDelta::try_days(i64::from(w)).unwrap_or_default();
    let from = first_day.checked_sub_signed(span).unwrap_or(first_day);
    let to = last_day.checked_add_signed(span).unwrap_or(last_day);
    let books = book_lines(ledger, account, from, to)?;
    let mut stt = State {
        bank_done: vec![false; bank.len()],
        book_done: vec![false; books.len()],
        matches: Vec::new(),
    };
    let mut ambiguous: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();

    pass_reference(&bank, &books, &mut stt);
    pass_amount_date(
        &bank,
        &books,
        w,
        config.pair_identical_in_date_order,
        &mut stt,
        &mut ambiguous,
    );
    pass_many_to_one(&bank, &books, w, &mut stt, &mut ambiguous)?;

    // ---- explained items: QRIS settlements and named rules ----
    let mut proposed: Vec<ProposedEntry> = Vec::new();
    let mut explained: crate::HashMap<usize, String> = crate::HashMap::default();
    let mut qris_suggestions = Vec::new();
    if let Some(q) = &config.qris {
        let labels: Vec<String> = q.labels.iter().map(|l| l.to_uppercase()).collect();
        let idx: Vec<usize> = bank
            .iter()
            .enumerate()
            .filter(|(i, b)| {
                !stt.bank_done.get(*i).copied().unwrap_or(true) && b.amt > 0 && {
                    let d = format!(
                        "{} {}",
                        b.line.description,
                        b.line.reference.as_deref().unwrap_or("")
                    )
                    .to_uppercase();
                    labels.iter().any(|l| d.contains(l.as_str()))
                }
            })
            .map(|(i, _)| i)
            .collect();
        let refs: Vec<(BankRef, i64)> = idx
            .iter()
            .filter_map(|&i| bank.get(i))
            .map(|b| (bank_ref(b), b.amt))
            .collect();
        let ctx = crate::settle::Ctx {
            ledger,
            rule: q,
            bank: &refs,
            index: &idx,
            account,
            to,
        };
        crate::settle::pass_qris(&ctx, &mut proposed, &mut explained, &mut qris_suggestions)?;
    }
    for (i, b) in bank.iter().enumerate() {
        if stt.bank_done.get(i).copied().unwrap_or(true) || explained.contains_key(&i) {
            continue;
        }
        let desc = format!(
            "{} {}",
            b.line.description,
            b.line.reference.as_deref().unwrap_or("")
        )
        .to_uppercase();
        if let Some(rule) = config.rules.iter().find(|r| r.applies(b.amt, &desc)) {
            let amount = Rupiah::from_sen(b.amt.saturating_abs());
            let (bank_side, other_side) = if b.amt > 0 {
                (Side::Debit, Side::Credit)
            } else {
                (Side::Credit, Side::Debit)
            };
            proposed.push(ProposedEntry {
                rule: rule.name.clone(),
                date: b.line.booking_date,
                memo: format!("{}: {}", rule.memo, b.line.description),
                source: format!("reconcile:{}", b.line.fingerprint),
                lines: vec![
                    ProposedLine {
                        account: account.to_owned(),
                        side: bank_side,
                        amount,
                    },
                    ProposedLine {
                        account: rule.account.clone(),
                        side: other_side,
                        amount,
                    },
                ],
                bank: vec![bank_ref(b)],
                books: Vec::new(),
            });
            explained.insert(i, rule.name.clone());
        }
    }

    // ---- the statement ----
    let saldo_books = ledger
        .totals(account, last_day)
        .map_err(|_| Error::UnknownAccount {
            code: account.to_owned(),
        })?
        .net_debit;
    let saldo_books_sen = sen(saldo_books)?;
    let day_before = first_day.pred_opt().unwrap_or(first_day);
    let books_before_sen = sen(ledger
        .totals(account, day_before)
        .map_err(|_| Error::UnknownAccount {
            code: account.to_owned(),
        })?
        .net_debit)?;
    let first_d = day(first_day);
    let last_d = day(last_day);
    let mut matched_pre: i64 = 0;
    let mut matched_post: i64 = 0;
    for (k, b) in books.iter().enumerate() {
        if stt.book_done.get(k).copied().unwrap_or(false) {
            if b.day < first_d {
                matched_pre = matched_pre.saturating_add(b.amt);
            } else if b.day > last_d {
                matched_post = matched_post.saturating_add(b.amt);
            }
        }
    }
    let unmatched_bank: Vec<UnmatchedBank> = bank
        .iter()
        .enumerate()
        .filter(|(i, _)| !stt.bank_done.get(*i).copied().unwrap_or(true))
        .map(|(i, b)| UnmatchedBank {
            line: bank_ref(b),
            rule: explained.get(&i).cloned(),
            age_days: u32::try_from(last_d.saturating_sub(b.day)).unwrap_or(0),
        })
        .collect();
    let outstanding: Vec<(usize, &Book<'_>)> = books
        .iter()
        .enumerate()
        .filter(|(k, b)| {
            !stt.book_done.get(*k).copied().unwrap_or(true) && b.day >= first_d && b.day <= last_d
        })
        .collect();
    let sum = |it: &mut dyn Iterator<Item = i64>| -> Result<i64> {
        let mut a = 0i64;
        for x in it {
            a = a.checked_add(x).ok_or(Error::Overflow { op: "sum" })?;
        }
        Ok(a)
    };
    let u_in = sum(&mut outstanding.iter().map(|(_, b)| b.amt))?;
    let u_bank = sum(&mut unmatched_bank
        .iter()
        .map(|u| sen(u.line.amount).unwrap_or(0)))?;
    let adjusted_bank = saldo_bank_sen.checked_add(u_in).ok_or(Error::Overflow {
        op: "adjusted bank",
    })?;
    let adjusted_books = saldo_books_sen
        .checked_add(u_bank)
        .and_then(|x| x.checked_add(matched_post))
        .ok_or(Error::Overflow {
            op: "adjusted books",
        })?;
    let expected_opening = books_before_sen.saturating_sub(matched_pre);
    if opening.is_some() && expected_opening != opening_sen {
        problems.push(Problem::error(
            ordered
                .first()
                .and_then(|s| s.opening.as_ref())
                .map(|o| o.source.clone())
                .unwrap_or_default(),
            ProblemKind::OpeningDiffersFromBooks {
                bank: Rupiah::from_sen(opening_sen),
                books: Rupiah::from_sen(expected_opening),
            },
        ));
    }
    let unmatched_books: Vec<crate::result::UnmatchedBook> = outstanding
        .iter()
        .map(|(_, b)| crate::result::UnmatchedBook {
            line: book_ref(b),
            age_days: u32::try_from(last_d.saturating_sub(b.day)).unwrap_or(0),
        })
        .collect();
    let mut suggestions = suggestions(&bank, &books, &stt, &explained, ambiguous);
    suggestions.extend(qris_suggestions);
    let ageing = Ageing::of(&unmatched_bank, &unmatched_books)?;
    Ok(Reconciliation {
        account: account.to_owned(),
        bank_account: first_account,
        from: first_day,
        to: last_day,
        saldo_bank: Rupiah::from_sen(saldo_bank_sen),
        saldo_books,
        difference: Rupiah::from_sen(saldo_bank_sen.saturating_sub(saldo_books_sen)),
        outstanding_deposits: Rupiah::from_sen(sum(&mut outstanding
            .iter()
            .map(|(_, b)| b.amt)
            .filter(|a| *a > 0))?),
        outstanding_payments: Rupiah::from_sen(
            sum(&mut outstanding.iter().map(|(_, b)| b.amt).filter(|a| *a < 0))?.saturating_neg(),
        ),
        unrecorded_bank: Rupiah::from_sen(u_bank),
        recorded_after: Rupiah::from_sen(matched_post),
        adjusted_bank: Rupiah::from_sen(adjusted_bank),
        adjusted_books: Rupiah::from_sen(adjusted_books),
        unexplained: Rupiah::from_sen(adjusted_bank.saturating_sub(adjusted_books)),
        matched: stt.matches,
        unmatched_bank,
        unmatched_books,
        suggestions,
        proposed_entries: proposed,
        ageing,
        problems,
    })
}

fn push_match(
    stt: &mut State,
    kind: MatchKind,
    bank: &[Bank<'_>],
    books: &[Book<'_>],
    bi: &[usize],
    ki: &[usize],
) {
    for &i in bi {
        if let Some(d) = stt.bank_done.get_mut(i) {
            *d = true;
        }
    }
    for &k in ki {
        if let Some(d) = stt.book_done.get_mut(k) {
            *d = true;
        }
    }
    stt.matches.push(Match {
        kind,
        bank: bi
            .iter()
            .filter_map(|&i| bank.get(i))
            .map(bank_ref)
            .collect(),
        books: ki
            .iter()
            .filter_map(|&k| books.get(k))
            .map(book_ref)
            .collect(),
    });
}

fn pass_reference(bank: &[Bank<'_>], books: &[Book<'_>], stt: &mut State) {
    let amounts: crate::HashSet<i64> = bank.iter().map(|b| b.amt).collect();
    let mut pairs: Vec<(u64, u32)> = Vec::new();
    let mut buf = Vec::new();
    for (k, b) in books.iter().enumerate() {
        if !amounts.contains(&b.amt) {
            continue;
        }
        buf.clear();
        tokens(b.source, &mut buf);
        tokens(b.memo, &mut buf);
        buf.sort_unstable();
        buf.dedup();
        let k = u32::try_from(k).unwrap_or(u32::MAX);
        pairs.extend(buf.iter().map(|&t| (t, k)));
    }
    pairs.sort_unstable();
    let mut index: crate::HashMap<u64, (u32, u32)> = crate::HashMap::default();
    index.reserve(pairs.len());
    let mut start = 0usize;
    while let Some(&(t, _)) = pairs.get(start) {
        let len = pairs
            .get(start..)
            .map_or(0, |r| r.iter().take_while(|p| p.0 == t).count());
        index.insert(
            t,
            (
                u32::try_from(start).unwrap_or(u32::MAX),
                u32::try_from(len).unwrap_or(u32::MAX),
            ),
        );
        start = start.saturating_add(len.max(1));
    }
    let mut claims: crate::HashMap<usize, Vec<usize>> = crate::HashMap::default();
    let mut cands: Vec<usize> = Vec::new();
    for (i, b) in bank.iter().enumerate() {
        buf.clear();
        tokens(&b.line.description, &mut buf);
        if let Some(r) = &b.line.reference {
            tokens(r, &mut buf);
        }
        buf.push(fingerprint_token(b.line.fingerprint));
        buf.sort_unstable();
        buf.dedup();
        cands.clear();
        for &t in &buf {
            let Some(&(lo, len)) = index.get(&t) else {
                continue;
            };
            let (lo, len) = (lo as usize, len as usize);
            let Some(range) = pairs.get(lo..lo.saturating_add(len)) else {
                continue;
            };
            if range.len() > TOKEN_CAP {
                continue;
            }
            for &(_, k) in range {
                let k = k as usize;
                if books.get(k).is_some_and(|bk| {
                    bk.amt == b.amt && (contains_token(bk.source, t) || contains_token(bk.memo, t))
                }) {
                    cands.push(k);
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        if let [k] = cands.as_slice() {
            claims.entry(*k).or_default().push(i);
        }
    }
    let mut claims: Vec<(usize, Vec<usize>)> = claims.into_iter().collect();
    claims.sort_unstable();
    for (k, by) in claims {
        if let [i] = by.as_slice() {
            push_match(stt, MatchKind::Reference, bank, books, &[*i], &[k]);
        }
    }
}

fn pass_amount_date(
    bank: &[Bank<'_>],
    books: &[Book<'_>],
    w: i32,
    pair_in_order: bool,
    stt: &mut State,
    ambiguous: &mut Vec<(Vec<usize>, Vec<usize>)>,
) {
    let mut bi: Vec<usize> = (0..bank.len())
        .filter(|&i| !stt.bank_done.get(i).copied().unwrap_or(true))
        .collect();
    let bank_amounts: crate::HashSet<i64> = bi
        .iter()
        .filter_map(|&i| bank.get(i))
        .map(|b| b.amt)
        .collect();
    let mut ki: Vec<usize> = (0..books.len())
        .filter(|&k| {
            !stt.book_done.get(k).copied().unwrap_or(true)
                && books.get(k).is_some_and(|b| bank_amounts.contains(&b.amt))
        })
        .collect();
    let mut bt: Vec<(i64, i32, usize)> = bi
        .iter()
        .filter_map(|&i| bank.get(i).map(|b| (b.amt, b.day, i)))
        .collect();
    let mut kt: Vec<(i64, i32, usize)> = ki
        .iter()
        .filter_map(|&k| books.get(k).map(|b| (b.amt, b.day, k)))
        .collect();
    bt.sort_unstable();
    kt.sort_unstable();
    bi = bt.iter().map(|t| t.2).collect();
    ki = kt.iter().map(|t| t.2).collect();
    let bkey = |i: &usize| bank.get(*i).map_or((0, 0, 0), |b| (b.amt, b.day, *i));
    let kkey = |k: &usize| books.get(*k).map_or((0, 0, 0), |b| (b.amt, b.day, *k));
    let (mut x, mut y) = (0usize, 0usize);
    while x < bi.len() {
        let amt = bkey(bi.get(x).unwrap_or(&0)).0;
        let x_end = x.saturating_add(
            bi.get(x..)
                .map_or(0, |s| s.iter().take_while(|i| bkey(i).0 == amt).count()),
        );
        while y < ki.len() && kkey(ki.get(y).unwrap_or(&0)).0 < amt {
            y = y.saturating_add(1);
        }
        let y_end = y.saturating_add(
            ki.get(y..)
                .map_or(0, |s| s.iter().take_while(|k| kkey(k).0 == amt).count()),
        );
        let bg: Vec<usize> = bi.get(x..x_end).map(<[usize]>::to_vec).unwrap_or_default();
        let kg: Vec<usize> = ki.get(y..y_end).map(<[usize]>::to_vec).unwrap_or_default();
        x = x_end;
        y = y_end;
        if kg.is_empty() {
            continue;
        }
        amount_group(bank, books, &bg, &kg, w, pair_in_order, stt, ambiguous);
    }
}

#[expect(clippy::too_many_arguments, reason = "one internal step of one pass")]
fn amount_group(
    bank: &[Bank<'_>],
    books: &[Book<'_>],
    bg: &[usize],
    kg: &[usize],
    w: i32,
    pair_in_order: bool,
    stt: &mut State,
    ambiguous: &mut Vec<(Vec<usize>, Vec<usize>)>,
) {
    let nb = bg.len();
    if let ([i], [k]) = (bg, kg) {
        let near = match (bank.get(*i), books.get(*k)) {
            (Some(b), Some(l)) => b.day.saturating_sub(l.day).abs() <= w,
            _ => false,
        };
        if near {
            push_match(stt, MatchKind::AmountDate, bank, books, &[*i], &[*k]);
        }
        return;
    }
    let mut dsu = Dsu::new(nb.saturating_add(kg.len()));
    let kdays: Vec<i32> = kg
        .iter()
        .map(|&k| books.get(k).map_or(0, |b| b.day))
        .collect();
    let mut linked_upto = 0usize;
    let mut has_edge = vec![false; nb.saturating_add(kg.len())];
    for (j, &i) in bg.iter().enumerate() {
        let d = bank.get(i).map_or(0, |b| b.day);
        let lo = kdays.partition_point(|&x| x < d.saturating_sub(w));
        let hi = kdays.partition_point(|&x| x <= d.saturating_add(w));
        if lo >= hi {
            continue;
        }
        let node = |q: usize| u32::try_from(nb.saturating_add(q)).unwrap_or(u32::MAX);
        let jn = u32::try_from(j).unwrap_or(u32::MAX);
        dsu.union(jn, node(lo));
        for q in lo.max(linked_upto)..hi.saturating_sub(1) {
            dsu.union(node(q), node(q.saturating_add(1)));
        }
        linked_upto = linked_upto.max(hi.saturating_sub(1));
        if let Some(h) = has_edge.get_mut(j) {
            *h = true;
        }
        for q in lo..hi {
            if let Some(h) = has_edge.get_mut(nb.saturating_add(q)) {
                *h = true;
            }
        }
    }
    let mut comps: std::collections::BTreeMap<u32, (Vec<usize>, Vec<usize>)> =
        std::collections::BTreeMap::new();
    for j in 0..nb.saturating_add(kg.len()) {
        if !has_edge.get(j).copied().unwrap_or(false) {
            continue;
        }
        let r = dsu.find(u32::try_from(j).unwrap_or(u32::MAX));
        let c = comps.entry(r).or_default();
        if j < nb {
            if let Some(&i) = bg.get(j) {
                c.0.push(i);
            }
        } else if let Some(&k) = kg.get(j.saturating_sub(nb)) {
            c.1.push(k);
        }
    }
    for (_, (cb, ck)) in comps {
        if cb.len() == 1 && ck.len() == 1 {
            push_match(stt, MatchKind::AmountDate, bank, books, &cb, &ck);
        } else if pair_in_order && cb.len() == ck.len() {
            // both lists are in date order already (sorted by amount, then date)
            let ok = cb.iter().zip(&ck).all(|(&i, &k)| {
                let (Some(b), Some(l)) = (bank.get(i), books.get(k)) else {
                    return false;
                };
                (b.day.saturating_sub(l.day)).abs() <= w
            });
            if ok {
                for (&i, &k) in cb.iter().zip(&ck) {
                    push_match(stt, MatchKind::DateOrder, bank, books, &[i], &[k]);
                }
            } else {
                ambiguous.push((cb, ck));
            }
        } else {
            ambiguous.push((cb, ck));
        }
    }
}

fn pass_many_to_one(
    bank: &[Bank<'_>],
    books: &[Book<'_>],
    w: i32,
    stt: &mut State,
    ambiguous: &mut Vec<(Vec<usize>, Vec<usize>)>,
) -> Result<()> {
    let open: Vec<usize> = (0..bank.len())
        .filter(|&i| !stt.bank_done.get(i).copied().unwrap_or(true))
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    // unmatched book lines by day (CSR over the sorted days)
    let mut by_day: Vec<usize> = (0..books.len())
        .filter(|&k| !stt.book_done.get(k).copied().unwrap_or(true))
        .collect();
    by_day.sort_by_key(|&k| books.get(k).map_or(0, |b| b.day));
    let day_of = |k: usize| books.get(k).map_or(0, |b| b.day);
    for i in open {
        let Some(b) = bank.get(i) else { continue };
        let lo = by_day.partition_point(|&k| day_of(k) < b.day.saturating_sub(w));
        let hi = by_day.partition_point(|&k| day_of(k) <= b.day.saturating_add(w));
        let Some(window) = by_day.get(lo..hi) else {
            continue;
        };
        // per-day sums of the open lines with the bank line's sign
        let mut days: Vec<(i32, i64, Vec<usize>)> = Vec::new();
        for &k in window {
            if stt.book_done.get(k).copied().unwrap_or(true) {
                continue;
            }
            let Some(l) = books.get(k) else { continue };
            if (l.amt > 0) != (b.amt > 0) {
                continue;
            }
            match days.last_mut() {
                Some(d) if d.0 == l.day => {
                    d.1 =
                        d.1.checked_add(l.amt)
                            .ok_or(Error::Overflow { op: "group" })?;
                    d.2.push(k);
                }
                _ => days.push((l.day, l.amt, vec![k])),
            }
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        for s in 0..days.len() {
            let mut total = 0i64;
            let mut count = 0usize;
            for e in s..days.len() {
                let Some(d) = days.get(e) else { break };
                total = total
                    .checked_add(d.1)
                    .ok_or(Error::Overflow { op: "group" })?;
                count = count.saturating_add(d.2.len());
                if total == b.amt && count >= 2 {
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
                push_match(stt, MatchKind::ManyToOne, bank, books, &[i], &ks);
            }
            [] => {}
            many => {
                let ks: Vec<usize> = many.iter().flat_map(|f| group(*f)).collect();
                ambiguous.push((vec![i], ks));
            }
        }
    }
    Ok(())
}

fn suggestions(
    bank: &[Bank<'_>],
    books: &[Book<'_>],
    stt: &State,
    explained: &crate::HashMap<usize, String>,
    ambiguous: Vec<(Vec<usize>, Vec<usize>)>,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for (bi, ki) in ambiguous {
        let bi: Vec<usize> = bi
            .into_iter()
            .filter(|i| {
                !stt.bank_done.get(*i).copied().unwrap_or(true) && !explained.contains_key(i)
            })
            .collect();
        let mut ki: Vec<usize> = ki
            .into_iter()
            .filter(|k| !stt.book_done.get(*k).copied().unwrap_or(true))
            .collect();
        ki.sort_unstable();
        ki.dedup();
        if bi.is_empty() || ki.is_empty() {
            continue;
        }
        out.push(Suggestion {
            kind: SuggestionKind::Ambiguous,
            bank: bi
                .iter()
                .filter_map(|&i| bank.get(i))
                .map(bank_ref)
                .collect(),
            books: ki
                .iter()
                .filter_map(|&k| books.get(k))
                .map(book_ref)
                .collect(),
        });
    }
    out
}
