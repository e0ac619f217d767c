//! Reading hledger / ledger-cli journals (plaintext accounting), and the fast trial balance
//! behind `koperasi journal balance`.
//!
//! Supported (everything else is **rejected with a line-numbered error**, never skipped):
//!
//! * comment lines (`;`, `#`, `*`, `%`, `|` in column 0; indented `;` lines) and
//!   `comment` … `end comment` blocks; trailing `; comments` (tags live there and are ignored);
//! * `account NAME` directives (declared accounts are listed even with no posting) and
//!   `commodity IDR` / `commodity IDR 1,000.00` / `commodity 1.000,00 IDR` directives;
//! * transactions `DATE [*|!] [(CODE)] DESCRIPTION`, dates `YYYY-MM-DD` (or `/`, `.`
//!   separators, one- or two-digit month and day);
//! * postings `[*|!] ACCOUNT  AMOUNT [= ASSERTED]`, amounts in `IDR` before or after the
//!   number (`IDR 1,000.50`, `-IDR 5`, `IDR -5`, `1000.50 IDR`), at most two decimals, `,`
//!   as thousands separator; one posting per transaction may omit its amount (inferred);
//! * posting-level balance assertions `= AMOUNT` (and `==`), checked after the posting is
//!   applied, in file order.
//!
//! Rejected: other directives (`include`, `alias`, `P`, `D`, `Y`, `apply`, `payee`, `tag`,
//! `decimal-mark`, `year`, …), periodic (`~`) and automated (`=`) transactions, secondary
//! dates, virtual postings (`(a)`, `[a]`), prices and costs (`@`, `@@`, `{…}`), inclusive
//! assertions (`=*`), balance assignments, commodities other than `IDR`, amounts without a
//! commodity, more than two decimals, unbalanced transactions and transactions with fewer
//! than two postings.
//!
//! Design for speed: the whole text is scanned once, byte by byte; account names are
//! interned (a hash map from the borrowed name to a dense index); amounts are integer sen
//! (`i64`), running balances a `Vec<i64>`; nothing is allocated per posting.
//!
//! ```
//! use koperasi_reporting::plaintext;
//!
//! let journal = "\
//! commodity IDR
//! account Aset:Kas
//!
//! 2026-01-05 * (BKM-001) Setoran simpanan pokok Siti Rahayu
//!     Aset:Kas                  IDR 100,000.00
//!     Ekuitas:Simpanan Pokok   IDR -100,000.00 = IDR -100,000.00
//! ";
//! let tb = plaintext::balance(journal)?;
//! assert_eq!(tb.rows[0].account, "Aset:Kas");
//! assert_eq!(tb.rows[0].balance.to_string(), "Rp100.000");
//! assert!(tb.total.is_zero());
//! # Ok::<(), koperasi_reporting::Error>(())
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use koperasi_core::Rupiah;

use crate::error::{Error, JournalErrorKind, Result};

/// The `FxHash` function (rustc's hasher): fast for short keys such as account names; no
/// denial-of-service concern for a local file.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0_u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for b in chunks.remainder() {
            self.add(u64::from(*b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX_SEED);
    }
}

impl core::fmt::Debug for FxHasher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FxHasher")
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The clearing status of a transaction or posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Status {
    /// No mark.
    #[default]
    Unmarked,
    /// `!`.
    Pending,
    /// `*`.
    Cleared,
}

/// A transaction header as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionHeader<'a> {
    /// 1-based line of the header.
    pub line: usize,
    /// Date.
    pub date: NaiveDate,
    /// Status mark.
    pub status: Status,
    /// Code in parentheses, if any.
    pub code: Option<&'a str>,
    /// Description (payee and note), trimmed.
    pub description: &'a str,
}

/// A posting as read, with its amount (inferred if it was elided).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawPosting {
    /// 1-based line.
    pub line: usize,
    /// Dense account index into [`Journal::accounts`].
    pub account: u32,
    /// Amount in sen (positive = debit).
    pub sen: i64,
    /// Status mark.
    pub status: Status,
}

/// What the reader found, besides what the visitor saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal<'a> {
    /// Account names by dense index (declared or used), in order of first appearance.
    pub accounts: Vec<&'a str>,
    /// Running balance per account at the end, in sen.
    pub balances: Vec<i64>,
    /// Whether each account was used by a posting.
    pub used: Vec<bool>,
    /// Number of transactions.
    pub transactions: usize,
    /// Number of postings.
    pub postings: usize,
}

/// Position of the first `\n`, eight bytes at a time (the "has zero byte" bit trick: the
/// lowest flagged byte is always a true match).
fn find_newline(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut chunks = s.chunks_exact(8);
    let mut base = 0_usize;
    for c in &mut chunks {
        let mut w = [0_u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w) ^ NL;
        let t = x.wrapping_sub(LO) & !x & HI;
        if t != 0 {
            return Some(base.saturating_add((t.trailing_zeros() / 8) as usize));
        }
        base = base.saturating_add(8);
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b == b'\n')
        .map(|p| base.saturating_add(p))
}

/// The lines of a text (like `split(b'\n')`: a final empty piece after a trailing newline).
fn lines(mut s: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut done = false;
    core::iter::from_fn(move || {
        if done {
            return None;
        }
        if let Some(i) = find_newline(s) {
            let line = s.get(..i).unwrap_or_default();
            s = s.get(i.saturating_add(1)..).unwrap_or_default();
            Some(line)
        } else {
            done = true;
            Some(s)
        }
    })
}

fn jerr(line: usize, kind: JournalErrorKind) -> Error {
    Error::Journal { line, kind }
}

#[inline]
fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !is_space(*b)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !is_space(*b))
        .map_or(start, |e| e.saturating_add(1));
    s.get(start..end).unwrap_or_default()
}

/// Cuts a trailing `; comment`.
fn strip_comment(s: &[u8]) -> &[u8] {
    match s.iter().position(|b| *b == b';') {
        Some(i) => s.get(..i).unwrap_or_default(),
        None => s,
    }
}

fn as_str(b: &[u8], line: usize) -> Result<&str> {
    core::str::from_utf8(b).map_err(|_| jerr(line, JournalErrorKind::NotUtf8))
}

/// Parses `YYYY-MM-DD` (or `/`, `.`), returns the date and the rest of the line.
fn parse_date(s: &[u8], line: usize) -> Result<(NaiveDate, &[u8])> {
    let bad = || jerr(line, JournalErrorKind::InvalidDate);
    let mut parts = [0_u32; 3];
    let mut i = 0_usize;
    let mut sep: Option<u8> = None;
    for (k, part) in parts.iter_mut().enumerate() {
        let start = i;
        while let Some(b) = s.get(i).copied().filter(u8::is_ascii_digit) {
            *part = part
                .checked_mul(10)
                .and_then(|p| p.checked_add(u32::from(b.wrapping_sub(b'0'))))
                .ok_or_else(bad)?;
            i = i.saturating_add(1);
        }
        let len = i.saturating_sub(start);
        let ok_len = if k == 0 {
            len == 4
        } else {
            (1..=2).contains(&len)
        };
        if !ok_len {
            return Err(bad());
        }
        if k < 2 {
            let c = s.get(i).copied().ok_or_else(bad)?;
            if !matches!(c, b'-' | b'/' | b'.') || sep.is_some_and(|x| x != c) {
                return Err(bad());
            }
            sep = Some(c);
            i = i.saturating_add(1);
        }
    }
    let [y, m, d] = parts;
    let date =
        NaiveDate::from_ymd_opt(i32::try_from(y).map_err(|_| bad())?, m, d).ok_or_else(bad)?;
    let rest = s.get(i..).unwrap_or_default();
    if rest.first().is_some_and(|b| !is_space(*b) && *b != b'=') {
        return Err(bad());
    }
    Ok((date, rest))
}

/// Parses a number `-?[0-9][0-9,]*(\.[0-9]{1,2})?` into sen.
fn parse_number(s: &[u8], line: usize) -> Result<i64> {
    let bad = || jerr(line, JournalErrorKind::InvalidAmount);
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.first().is_some_and(u8::is_ascii_digit) {
        return Err(bad());
    }
    let mut v: i64 = 0;
    let mut frac: Option<u32> = None;
    let mut prev_comma = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                if let Some(f) = frac.as_mut() {
                    *f = f.saturating_add(1);
                    if *f > 2 {
                        return Err(bad());
                    }
                }
                v = v
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(i64::from(b.wrapping_sub(b'0'))))
                    .ok_or_else(|| jerr(line, JournalErrorKind::Overflow))?;
                prev_comma = false;
            }
            b',' if frac.is_none() && !prev_comma => prev_comma = true,
            b'.' if frac.is_none() && !prev_comma => frac = Some(0),
            _ => return Err(bad()),
        }
    }
    if prev_comma || frac == Some(0) {
        return Err(bad());
    }
    for _ in frac.unwrap_or(0)..2 {
        v = v
            .checked_mul(10)
            .ok_or_else(|| jerr(line, JournalErrorKind::Overflow))?;
    }
    Ok(if neg {
        v.checked_neg().unwrap_or(i64::MIN)
    } else {
        v
    })
}

fn is_commodity_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'"' || b == b'$' || b == b'_'
}

/// Parses one amount token sequence (`IDR 1,000.00`, `-IDR 5`, `IDR -5`, `5 IDR`, `IDR5`) at
/// the start of `s`; returns the sen and the rest.
fn parse_amount(s: &[u8], line: usize) -> Result<(i64, &[u8])> {
    let s = trim_start(s);
    let (outer_neg, s) = match s.first() {
        Some(b'-') if s.get(1).copied().is_some_and(is_commodity_byte) => {
            (true, s.get(1..).unwrap_or_default())
        }
        _ => (false, s),
    };
    let commodity_end = |x: &[u8]| {
        x.iter()
            .position(|b| !is_commodity_byte(*b))
            .unwrap_or(x.len())
    };
    let number_end = |x: &[u8]| {
        x.iter()
            .position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+')))
            .unwrap_or(x.len())
    };
    let check_commodity = |c: &[u8]| -> Result<()> {
        if c == b"IDR" {
            Ok(())
        } else {
            Err(jerr(
                line,
                JournalErrorKind::UnknownCommodity(String::from_utf8_lossy(c).into_owned()),
            ))
        }
    };
    let (sen, rest) = if s.first().copied().is_some_and(is_commodity_byte) {
        let ce = commodity_end(s);
        check_commodity(s.get(..ce).unwrap_or_default())?;
        let after = trim_start(s.get(ce..).unwrap_or_default());
        let ne = number_end(after);
        let n = parse_number(after.get(..ne).unwrap_or_default(), line)?;
        (n, after.get(ne..).unwrap_or_default())
    } else {
        let ne = number_end(s);
        let n = parse_number(s.get(..ne).unwrap_or_default(), line)?;
        let after = trim_start(s.get(ne..).unwrap_or_default());
        let ce = commodity_end(after);
        let c = after.get(..ce).unwrap_or_default();
        if c.is_empty() {
            return Err(jerr(
                line,
                JournalErrorKind::UnknownCommodity(String::new()),
            ));
        }
        check_commodity(c)?;
        (n, after.get(ce..).unwrap_or_default())
    };
    let sen = if outer_neg {
        sen.checked_neg()
            .ok_or_else(|| jerr(line, JournalErrorKind::Overflow))?
    } else {
        sen
    };
    Ok((sen, rest))
}

fn trim_start(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !is_space(*b)).unwrap_or(s.len());
    s.get(start..).unwrap_or_default()
}

/// Splits a posting line (after indentation) into status, account and the rest.
fn split_account(s: &[u8], line: usize) -> Result<(Status, &[u8], &[u8])> {
    let (status, s) = match s.first() {
        Some(b'*') => (Status::Cleared, trim_start(s.get(1..).unwrap_or_default())),
        Some(b'!') => (Status::Pending, trim_start(s.get(1..).unwrap_or_default())),
        _ => (Status::Unmarked, s),
    };
    if matches!(s.first(), Some(b'(' | b'[')) {
        return Err(jerr(line, JournalErrorKind::Unsupported("virtual posting")));
    }
    // The account ends at a tab, two spaces, or the end of line (or a comment).
    let mut end = s.len();
    let mut i = 0_usize;
    while let Some(&b) = s.get(i) {
        if b == b'\t' || (b == b' ' && s.get(i.saturating_add(1)) == Some(&b' ')) || b == b';' {
            end = i;
            break;
        }
        i = i.saturating_add(1);
    }
    let account = trim(s.get(..end).unwrap_or_default());
    if account.is_empty() {
        return Err(jerr(line, JournalErrorKind::MissingAccount));
    }
    Ok((status, account, s.get(end..).unwrap_or_default()))
}

struct Pending {
    header_line: usize,
    postings: Vec<RawPosting>,
    elided: Option<usize>,
    assertions: Vec<(usize, i64)>,
}

/// The reader: interner and running balances.
struct Reader<'a> {
    index: FxMap<&'a [u8], u32>,
    names: Vec<&'a str>,
    balances: Vec<i64>,
    used: Vec<bool>,
    transactions: usize,
    postings: usize,
}

impl<'a> Reader<'a> {
    fn intern(&mut self, name: &'a [u8], line: usize) -> Result<u32> {
        if let Some(i) = self.index.get(name) {
            return Ok(*i);
        }
        let i =
            u32::try_from(self.names.len()).map_err(|_| jerr(line, JournalErrorKind::Overflow))?;
        self.names.push(as_str(name, line)?);
        self.balances.push(0);
        self.used.push(false);
        self.index.insert(name, i);
        Ok(i)
    }

    fn finish_txn<F>(
        &mut self,
        header: Option<TransactionHeader<'a>>,
        p: &mut Pending,
        visit: &mut F,
    ) -> Result<()>
    where
        F: FnMut(&TransactionHeader<'a>, &[RawPosting]) -> Result<()>,
    {
        let Some(h) = header else { return Ok(()) };
        let line = p.header_line;
        if p.postings.len() < 2 {
            return Err(jerr(line, JournalErrorKind::TooFewPostings));
        }
        let mut sum: i64 = 0;
        for x in &p.postings {
            sum = sum
                .checked_add(x.sen)
                .ok_or_else(|| jerr(x.line, JournalErrorKind::Overflow))?;
        }
        if let Some(i) = p.elided {
            let fill = sum
                .checked_neg()
                .ok_or_else(|| jerr(line, JournalErrorKind::Overflow))?;
            if let Some(x) = p.postings.get_mut(i) {
                x.sen = fill;
            }
        } else if sum != 0 {
            return Err(jerr(
                line,
                JournalErrorKind::Unbalanced {
                    sum_sen: i128::from(sum),
                },
            ));
        }
        // Apply the postings in order, checking each assertion right after its posting. An
        // error aborts the whole read, so the caller never sees half-applied balances.
        let mut ai = 0_usize;
        for (k, x) in p.postings.iter().enumerate() {
            let idx = usize::try_from(x.account).unwrap_or(usize::MAX);
            let bal = self
                .balances
                .get_mut(idx)
                .ok_or_else(|| jerr(x.line, JournalErrorKind::Overflow))?;
            *bal = bal
                .checked_add(x.sen)
                .ok_or_else(|| jerr(x.line, JournalErrorKind::Overflow))?;
            if let Some(u) = self.used.get_mut(idx) {
                *u = true;
            }
            while let Some(&(pk, expected)) = p.assertions.get(ai) {
                if pk != k {
                    break;
                }
                if *bal != expected {
                    return Err(jerr(
                        x.line,
                        JournalErrorKind::AssertionFailed {
                            account: self.names.get(idx).copied().unwrap_or_default().to_owned(),
                            expected_sen: i128::from(expected),
                            actual_sen: i128::from(*bal),
                        },
                    ));
                }
                ai = ai.saturating_add(1);
            }
        }
        self.transactions = self.transactions.saturating_add(1);
        self.postings = self.postings.saturating_add(p.postings.len());
        visit(&h, &p.postings)?;
        p.postings.clear();
        p.assertions.clear();
        p.elided = None;
        Ok(())
    }
}

/// Reads a journal, calling `visit` for every transaction (postings with inferred amounts),
/// after its balance and assertions were checked.
///
/// A failing transaction is reported with its line; the balances of the returned
/// [`Journal`] are only returned on success (bad input changes nothing for the caller).
///
/// # Errors
/// [`Error::Journal`] with the 1-based line and a [`JournalErrorKind`]; or whatever `visit`
/// returns.
pub fn read<'a, F>(text: &'a str, mut visit: F) -> Result<Journal<'a>>
where
    F: FnMut(&TransactionHeader<'a>, &[RawPosting]) -> Result<()>,
{
    let mut r = Reader {
        index: FxMap::default(),
        names: Vec::new(),
        balances: Vec::new(),
        used: Vec::new(),
        transactions: 0,
        postings: 0,
    };
    let mut pending = Pending {
        header_line: 0,
        postings: Vec::with_capacity(8),
        elided: None,
        assertions: Vec::new(),
    };
    let mut header: Option<TransactionHeader<'a>> = None;
    let mut in_comment_block: Option<usize> = None;
    let mut after_directive = false;
    let bytes = text.as_bytes();
    let mut line_no = 0_usize;
    for raw in lines(bytes) {
        line_no = line_no.saturating_add(1);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if in_comment_block.is_some() {
            if trim(raw) == b"end comment" {
                in_comment_block = None;
            }
            continue;
        }
        let Some(&first) = raw.first() else {
            r.finish_txn(header.take(), &mut pending, &mut visit)?;
            after_directive = false;
            continue;
        };
        if is_space(first) {
            let body = trim_start(raw);
            if body.is_empty() {
                r.finish_txn(header.take(), &mut pending, &mut visit)?;
                after_directive = false;
                continue;
            }
            if matches!(body.first(), Some(b';' | b'#')) {
                continue;
            }
            if header.is_none() {
                if after_directive {
                    return Err(jerr(
                        line_no,
                        JournalErrorKind::Unsupported("directive sub-directive"),
                    ));
                }
                return Err(jerr(line_no, JournalErrorKind::PostingOutsideTransaction));
            }
            let (status, account, rest) = split_account(body, line_no)?;
            let acct = r.intern(account, line_no)?;
            let rest = trim(strip_comment(rest));
            let k = pending.postings.len();
            let sen = if rest.is_empty() {
                if pending.elided.is_some() {
                    return Err(jerr(line_no, JournalErrorKind::TwoElidedAmounts));
                }
                pending.elided = Some(k);
                0
            } else {
                if rest.first() == Some(&b'=') {
                    return Err(jerr(
                        line_no,
                        JournalErrorKind::Unsupported("balance assignment"),
                    ));
                }
                let (sen, after) = parse_amount(rest, line_no)?;
                let after = trim_start(after);
                match after.first() {
                    None => {}
                    Some(b'@') => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("price or cost (@)"),
                        ));
                    }
                    Some(b'{') => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("lot price ({})"),
                        ));
                    }
                    Some(b'=') => {
                        let a = after.get(1..).unwrap_or_default();
                        let a = a.strip_prefix(b"=").unwrap_or(a);
                        if a.first() == Some(&b'*') {
                            return Err(jerr(
                                line_no,
                                JournalErrorKind::Unsupported("inclusive balance assertion (=*)"),
                            ));
                        }
                        let (expected, tail) = parse_amount(a, line_no)?;
                        if !trim(tail).is_empty() {
                            return Err(jerr(line_no, JournalErrorKind::InvalidAmount));
                        }
                        pending.assertions.push((k, expected));
                    }
                    Some(_) => return Err(jerr(line_no, JournalErrorKind::InvalidAmount)),
                }
                sen
            };
            pending.postings.push(RawPosting {
                line: line_no,
                account: acct,
                sen,
                status,
            });
            continue;
        }
        // A non-indented line ends any open transaction.
        r.finish_txn(header.take(), &mut pending, &mut visit)?;
        after_directive = false;
        match first {
            b';' | b'#' | b'*' | b'%' | b'|' => {}
            b'0'..=b'9' => {
                let (date, rest) = parse_date(raw, line_no)?;
                if rest.first() == Some(&b'=') {
                    return Err(jerr(
                        line_no,
                        JournalErrorKind::Unsupported("secondary date"),
                    ));
                }
                let rest = trim(strip_comment(rest));
                let (status, rest) = match rest.first() {
                    Some(b'*') => (
                        Status::Cleared,
                        trim_start(rest.get(1..).unwrap_or_default()),
                    ),
                    Some(b'!') => (
                        Status::Pending,
                        trim_start(rest.get(1..).unwrap_or_default()),
                    ),
                    _ => (Status::Unmarked, rest),
                };
                let (code, rest) = if rest.first() == Some(&b'(') {
                    let close = rest.iter().position(|b| *b == b')').ok_or_else(|| {
                        jerr(line_no, JournalErrorKind::Unsupported("unclosed code"))
                    })?;
                    (
                        Some(as_str(rest.get(1..close).unwrap_or_default(), line_no)?),
                        trim_start(rest.get(close.saturating_add(1)..).unwrap_or_default()),
                    )
                } else {
                    (None, rest)
                };
                header = Some(TransactionHeader {
                    line: line_no,
                    date,
                    status,
                    code,
                    description: as_str(rest, line_no)?,
                });
                pending.header_line = line_no;
            }
            b'~' => {
                return Err(jerr(
                    line_no,
                    JournalErrorKind::Unsupported("periodic transaction (~)"),
                ));
            }
            b'=' => {
                return Err(jerr(
                    line_no,
                    JournalErrorKind::Unsupported("automated transaction (=)"),
                ));
            }
            _ => {
                let body = trim(strip_comment(raw));
                let kw_end = body.iter().position(|b| is_space(*b)).unwrap_or(body.len());
                let kw = body.get(..kw_end).unwrap_or_default();
                let arg = trim(body.get(kw_end..).unwrap_or_default());
                match kw {
                    b"account" => {
                        // The name ends at two spaces or a tab (hledger), like a posting's.
                        let (_, name, _) = split_account(arg, line_no)?;
                        r.intern(name, line_no)?;
                        after_directive = true;
                    }
                    b"commodity" => {
                        let ok = arg.windows(3).any(|w| w == b"IDR")
                            && arg.iter().all(|b| {
                                b.is_ascii_digit()
                                    || matches!(b, b'I' | b'D' | b'R' | b'.' | b',' | b' ' | b'-')
                            })
                            && arg.iter().filter(|b| b.is_ascii_alphabetic()).count() == 3;
                        if !ok {
                            return Err(jerr(
                                line_no,
                                JournalErrorKind::UnknownCommodity(
                                    String::from_utf8_lossy(arg).into_owned(),
                                ),
                            ));
                        }
                        after_directive = true;
                    }
                    b"comment" => in_comment_block = Some(line_no),
                    b"include" => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("include directive"),
                        ));
                    }
                    b"alias" => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("alias directive"),
                        ));
                    }
                    b"P" => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("market price directive (P)"),
                        ));
                    }
                    b"D" => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("default commodity directive (D)"),
                        ));
                    }
                    b"Y" | b"year" => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("default year directive"),
                        ));
                    }
                    b"apply" | b"end" => {
                        return Err(jerr(
                            line_no,
                            JournalErrorKind::Unsupported("apply/end directive"),
                        ));
                    }
                    _ => return Err(jerr(line_no, JournalErrorKind::Unsupported("directive"))),
                }
            }
        }
    }
    r.finish_txn(header.take(), &mut pending, &mut visit)?;
    if let Some(start) = in_comment_block {
        return Err(jerr(start, JournalErrorKind::UnterminatedComment));
    }
    Ok(Journal {
        accounts: r.names,
        balances: r.balances,
        used: r.used,
        transactions: r.transactions,
        postings: r.postings,
    })
}

/// One row of a journal's trial balance.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BalanceRow {
    /// Full account name.
    pub account: String,
    /// Balance (positive = debit).
    pub balance: Rupiah,
}

/// The trial balance of a plaintext journal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct JournalBalance {
    /// One row per account that has postings, sorted by name.
    pub rows: Vec<BalanceRow>,
    /// Σ balances (zero for a balanced journal).
    pub total: Rupiah,
    /// Number of transactions.
    pub transactions: usize,
    /// Number of postings.
    pub postings: usize,
}

impl JournalBalance {
    /// As a document (one table, with the total row).
    pub fn document(&self) -> crate::report::Document {
        use crate::report::{Block, Cell, Document, Table};
        let mut doc = Document::new("Neraca saldo (jurnal teks)");
        doc.subtitle.push(format!(
            "{} transaksi · {} posting · {} akun",
            self.transactions,
            self.postings,
            self.rows.len()
        ));
        let mut t = Table::new(
            "Saldo per akun",
            &[("account", "Akun"), ("balance", "Saldo")],
        );
        for r in &self.rows {
            t.push(vec![r.account.as_str().into(), Cell::Money(r.balance)]);
        }
        t.total = Some(vec!["Jumlah".into(), Cell::Money(self.total)]);
        doc.blocks.push(Block::Table(t));
        doc
    }
}

/// The trial balance of a journal: one row per account with postings, exact amounts.
///
/// # Errors
/// As [`read`].
pub fn balance(text: &str) -> Result<JournalBalance> {
    let j = read(text, |_, _| Ok(()))?;
    let mut rows: Vec<(&str, i64)> = j
        .accounts
        .iter()
        .zip(j.balances.iter())
        .zip(j.used.iter())
        .filter(|(_, used)| **used)
        .map(|((a, b), _)| (*a, *b))
        .collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut total: i128 = 0;
    for (_, b) in &rows {
        total = total.saturating_add(i128::from(*b));
    }
    Ok(JournalBalance {
        rows: rows
            .into_iter()
            .map(|(a, b)| BalanceRow {
                account: a.to_owned(),
                balance: Rupiah::from_sen(b),
            })
            .collect(),
        total: Rupiah::try_from_sen_i128(total)?,
        transactions: j.transactions,
        postings: j.postings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> (usize, JournalErrorKind) {
        match balance(text) {
            Err(Error::Journal { line, kind }) => (line, kind),
            other => panic!("expected a journal error, got {other:?}"),
        }
    }

    fn bal(text: &str) -> Vec<(String, i128)> {
        balance(text)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.account, r.balance.to_sen()))
            .collect()
    }

    const TXN: &str = "2026-01-05 Setoran\n    Aset:Kas  IDR 100\n    Ekuitas:Pokok  IDR -100\n";

    #[test]
    fn comments_of_every_kind() {
        let j = format!(
            "; semicolon\n# hash\n* star\n% percent\n| bar\ncomment\nanything 2026-99-99\nend comment\n\n{TXN}    ; indented comment\n"
        );
        assert_eq!(
            bal(&j),
            [
                ("Aset:Kas".into(), 10_000),
                ("Ekuitas:Pokok".into(), -10_000)
            ]
        );
    }

    #[test]
    fn account_and_commodity_directives() {
        let j = format!(
            "commodity IDR\ncommodity IDR 1,000.00\ncommodity 1.000,00 IDR\naccount Aset:Kas  ; kas tunai\naccount Aset:Bank\n    ; note under the directive\n\n{TXN}"
        );
        let r = read(&j, |_, _| Ok(())).unwrap();
        assert_eq!(r.accounts, ["Aset:Kas", "Aset:Bank", "Ekuitas:Pokok"]);
        // Declared but unused accounts are not rows of the balance.
        assert_eq!(bal(&j).len(), 2);
    }

    #[test]
    fn status_marks_codes_and_descriptions() {
        let j = "2026-01-05 * (BKM-001) Setoran pokok | Siti Rahayu ; tag: x\n    ! Aset:Kas  IDR 100.50\n    * Ekuitas:Pokok\n\n2026/1/6 ! Lain\n    Aset:Kas  -IDR 0.50\n    Beban:Lain  IDR 0.50\n";
        let mut seen = Vec::new();
        read(j, |h, p| {
            seen.push((
                h.line,
                h.status,
                h.code.map(str::to_owned),
                h.description.to_owned(),
                p.iter().map(|x| (x.status, x.sen)).collect::<Vec<_>>(),
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen[0].0, 1);
        assert_eq!(seen[0].1, Status::Cleared);
        assert_eq!(seen[0].2.as_deref(), Some("BKM-001"));
        assert_eq!(seen[0].3, "Setoran pokok | Siti Rahayu");
        assert_eq!(
            seen[0].4,
            [(Status::Pending, 10_050), (Status::Cleared, -10_050)]
        );
        assert_eq!(seen[1].1, Status::Pending);
        assert_eq!(seen[1].0, 5);
    }

    #[test]
    fn amount_forms() {
        for a in [
            "IDR 1,000.5",
            "IDR1000.50",
            "1000.50 IDR",
            "1,000.50IDR",
            "IDR +1000.50",
        ] {
            let j = format!("2026-01-01 x\n    a  {a}\n    b  IDR -1000.50\n");
            assert_eq!(bal(&j)[0].1, 100_050, "{a}");
        }
        for a in ["-IDR 1000.50", "IDR -1000.50", "-1000.50 IDR"] {
            let j = format!("2026-01-01 x\n    a  {a}\n    b  IDR 1000.50\n");
            assert_eq!(bal(&j)[0].1, -100_050, "{a}");
        }
        // Account names with single spaces; tab separator.
        let j = "2026-01-01 x\n\tSimpanan Pokok Anggota\tIDR 5\n\tKas  IDR -5\n";
        assert_eq!(bal(j)[1], ("Simpanan Pokok Anggota".into(), 500));
    }

    #[test]
    fn balance_assertions_checked() {
        let ok = "2026-01-01 a\n    Kas  IDR 100 = IDR 100\n    Modal  IDR -100 == IDR -100\n\n2026-01-02 b\n    Kas  IDR 50 = IDR 150\n    Modal\n";
        assert_eq!(bal(ok)[0].1, 15_000);
        let bad = "2026-01-01 a\n    Kas  IDR 100 = IDR 100\n    Modal  IDR -100\n\n2026-01-02 b\n    Kas  IDR 50 = IDR 100\n    Modal  IDR -50\n";
        assert_eq!(
            kind(bad),
            (
                6,
                JournalErrorKind::AssertionFailed {
                    account: "Kas".into(),
                    expected_sen: 10_000,
                    actual_sen: 15_000
                }
            )
        );
    }

    #[test]
    fn every_rejection_is_line_numbered() {
        let cases: &[(&str, usize, JournalErrorKind)] = &[
            (
                "include other.journal\n",
                1,
                JournalErrorKind::Unsupported("include directive"),
            ),
            (
                "alias a=b\n",
                1,
                JournalErrorKind::Unsupported("alias directive"),
            ),
            (
                "P 2026-01-01 USD IDR 16000\n",
                1,
                JournalErrorKind::Unsupported("market price directive (P)"),
            ),
            (
                "D IDR 1000.00\n",
                1,
                JournalErrorKind::Unsupported("default commodity directive (D)"),
            ),
            (
                "Y 2026\n",
                1,
                JournalErrorKind::Unsupported("default year directive"),
            ),
            (
                "apply account x\n",
                1,
                JournalErrorKind::Unsupported("apply/end directive"),
            ),
            (
                "payee Toko\n",
                1,
                JournalErrorKind::Unsupported("directive"),
            ),
            (
                "~ monthly\n    a  IDR 1\n    b\n",
                1,
                JournalErrorKind::Unsupported("periodic transaction (~)"),
            ),
            (
                "= expr:kas\n    a  IDR 1\n",
                1,
                JournalErrorKind::Unsupported("automated transaction (=)"),
            ),
            (
                "2026-01-01=2026-01-02 x\n    a  IDR 1\n    b\n",
                1,
                JournalErrorKind::Unsupported("secondary date"),
            ),
            (
                "2026-01-01 x\n    (a)  IDR 1\n    b\n",
                2,
                JournalErrorKind::Unsupported("virtual posting"),
            ),
            (
                "2026-01-01 x\n    [a]  IDR 1\n    b\n",
                2,
                JournalErrorKind::Unsupported("virtual posting"),
            ),
            (
                "2026-01-01 x\n    a  IDR 1 @ USD 1\n    b\n",
                2,
                JournalErrorKind::Unsupported("price or cost (@)"),
            ),
            (
                "2026-01-01 x\n    a  IDR 1 {USD 1}\n    b\n",
                2,
                JournalErrorKind::Unsupported("lot price ({})"),
            ),
            (
                "2026-01-01 x\n    a  IDR 1 =* IDR 1\n    b\n",
                2,
                JournalErrorKind::Unsupported("inclusive balance assertion (=*)"),
            ),
            (
                "2026-01-01 x\n    a  = IDR 1\n    b  IDR 1\n",
                2,
                JournalErrorKind::Unsupported("balance assignment"),
            ),
            (
                "account a\n    alias x\n",
                2,
                JournalErrorKind::Unsupported("directive sub-directive"),
            ),
            (
                "2026-13-01 x\n    a  IDR 1\n    b\n",
                1,
                JournalErrorKind::InvalidDate,
            ),
            ("26-01-01 x\n", 1, JournalErrorKind::InvalidDate),
            ("2026-01-01x\n", 1, JournalErrorKind::InvalidDate),
            (
                "2026-01-01 x\n    a  IDR 1.005\n    b\n",
                2,
                JournalErrorKind::InvalidAmount,
            ),
            (
                "2026-01-01 x\n    a  IDR 1.\n    b\n",
                2,
                JournalErrorKind::InvalidAmount,
            ),
            (
                "2026-01-01 x\n    a  IDR 1 junk\n    b\n",
                2,
                JournalErrorKind::InvalidAmount,
            ),
            (
                "2026-01-01 x\n    a  USD 1\n    b\n",
                2,
                JournalErrorKind::UnknownCommodity("USD".into()),
            ),
            (
                "2026-01-01 x\n    a  100\n    b\n",
                2,
                JournalErrorKind::UnknownCommodity(String::new()),
            ),
            (
                "commodity USD\n",
                1,
                JournalErrorKind::UnknownCommodity("USD".into()),
            ),
            (
                "    a  IDR 1\n",
                1,
                JournalErrorKind::PostingOutsideTransaction,
            ),
            (
                "2026-01-01 x\n    a\n    b\n",
                3,
                JournalErrorKind::TwoElidedAmounts,
            ),
            (
                "2026-01-01 x\n    a  IDR 0\n",
                1,
                JournalErrorKind::TooFewPostings,
            ),
            (
                "2026-01-01 x\n    a  IDR 1\n    b  IDR -2\n",
                1,
                JournalErrorKind::Unbalanced { sum_sen: -100 },
            ),
            (
                "comment\nnever ends\n",
                1,
                JournalErrorKind::UnterminatedComment,
            ),
            (
                "2026-01-01 x\n    a  IDR 99999999999999999999\n    b\n",
                2,
                JournalErrorKind::Overflow,
            ),
            ("account\n", 1, JournalErrorKind::MissingAccount),
            (
                "2026-01-01 x\n    ! ;c\n    b\n",
                2,
                JournalErrorKind::MissingAccount,
            ),
        ];
        for (text, line, k) in cases {
            assert_eq!(kind(text), (*line, k.clone()), "{text:?}");
        }
    }

    #[test]
    fn newline_finder_agrees_with_split() {
        let texts: [&[u8]; 6] = [
            b"",
            b"\n",
            b"abc",
            b"abcdefgh\nij",
            b"0123456789abcdef\n\n\nxyz\n",
            &[0x8a, 0x0a, 0x0b, 0x8a, 0, 1, 2, 3, 4, 10],
        ];
        for t in texts {
            let a: Vec<&[u8]> = lines(t).collect();
            let b: Vec<&[u8]> = t.split(|b| *b == b'\n').collect();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn crlf_and_no_trailing_newline() {
        let j = "2026-01-01 x\r\n    a  IDR 1\r\n    b  IDR -1";
        assert_eq!(bal(j).len(), 2);
    }
}
