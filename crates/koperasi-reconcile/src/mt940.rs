//! SWIFT MT940 customer statements (as sent by Bank Mandiri and BRI for reconciliation).
//!
//! Tags read: `:20:` reference (starts a statement), `:25:` account, `:28C:` statement
//! number, `:60F:`/`:60M:` opening balance, `:61:` statement line, `:86:` its details,
//! `:62F:`/`:62M:` closing balance. `:64:`, `:65:`, `:13D:`, `:21:`, `:34F:`, `:90C:`/`:90D:`
//! and unknown tags are skipped. SWIFT block wrappers (`{1:…}{2:…}{4:` … `-}`) are accepted.
//!
//! * Amounts use a decimal **comma** (`1000000,00`); balances are `C|D YYMMDD CCY amount`;
//!   only IDR is accepted.
//! * `:61:` is `YYMMDD [MMDD] C|D|RC|RD [funds code] amount type-code reference[//bank ref]`,
//!   with an optional second line of supplementary details. The booking date is the entry
//!   date `MMDD` when present (its year taken from the value date, across a year end), else
//!   the value date. `RC` (reversal of a credit) is money out, `RD` money in.
//! * `:86:` lines are joined: without a space after a full 65-character line (a hard wrap
//!   that may split a word or reference), with a space otherwise.
//! * Two-digit years: `00`–`79` are 20xx, `80`–`99` 19xx.

use chrono::NaiveDate;
use koperasi_core::Rupiah;

use crate::amount::NumberFormat;
use crate::error::{Error, Mt940ErrorKind as K, Problem, ProblemKind, Result};
use crate::model::{
    Occurrences, SourceRef, StatedBalance, Statement, StatementLine, check_balances,
};

const COMMA: NumberFormat = NumberFormat {
    decimal: ',',
    thousands: None,
};

struct Field<'a> {
    tag: &'a str,
    line: u32,
    /// The first line's content and up to a few continuation lines (`:86:` has at most 6).
    parts: Parts<'a>,
}

/// The lines of a field without a heap allocation for the usual one or two lines.
struct Parts<'a> {
    first: &'a str,
    more: Vec<&'a str>,
}

impl<'a> Parts<'a> {
    fn push(&mut self, s: &'a str) {
        self.more.push(s);
    }
    fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        core::iter::once(self.first).chain(self.more.iter().copied())
    }
}

fn split_fields(text: &str) -> Vec<Field<'_>> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
        let mut l = raw.trim_end_matches('\r');
        if l.starts_with('{') {
            // block headers; the text block {4: may carry content after it
            match l.find("{4:") {
                Some(p) => l = l.get(p.saturating_add(3)..).unwrap_or(""),
                None => continue,
            }
            if l.trim().is_empty() {
                continue;
            }
        }
        if l == "-}" || l == "-" || l.starts_with("-}") {
            continue;
        }
        if let Some((tag, rest)) = field_start(l) {
            fields.push(Field {
                tag,
                line: n,
                parts: Parts {
                    first: rest,
                    more: Vec::new(),
                },
            });
        } else if let Some(f) = fields.last_mut() {
            if !l.trim().is_empty() {
                f.parts.push(l);
            }
        } else if !l.trim().is_empty() {
            fields.push(Field {
                tag: "",
                line: n,
                parts: Parts {
                    first: l,
                    more: Vec::new(),
                },
            });
        }
    }
    fields
}

/// `:NN:` or `:NNa:` at the start of a line.
fn field_start(l: &str) -> Option<(&str, &str)> {
    let rest = l.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = rest.get(..end)?;
    let b = tag.as_bytes();
    let ok = match b {
        [a, c] => a.is_ascii_digit() && c.is_ascii_digit(),
        [a, c, d] => a.is_ascii_digit() && c.is_ascii_digit() && d.is_ascii_alphabetic(),
        _ => false,
    };
    ok.then(|| (tag, rest.get(end.saturating_add(1)..).unwrap_or("")))
}

fn year(yy: u32) -> i32 {
    let yy = i32::try_from(yy).unwrap_or(0);
    if yy < 80 {
        yy.saturating_add(2000)
    } else {
        yy.saturating_add(1900)
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn yymmdd(s: &str) -> Option<NaiveDate> {
    let y = digits(s.get(0..2)?)?;
    let m = digits(s.get(2..4)?)?;
    let d = digits(s.get(4..6)?)?;
    NaiveDate::from_ymd_opt(year(y), m, d)
}

/// Parses MT940 text (bytes, so any input is accepted and checked) into its statements, in
/// file order, each with its import checks done (opening + lines = closing; each statement's
/// opening balance = the previous statement's closing balance).
///
/// ```
/// use koperasi_reconcile::mt940;
/// let text = "\
/// :20:STMT-0001
/// :25:1234567890
/// :28C:1/1
/// :60F:C250102IDR1000000,00
/// :61:2501020102C150000,00NTRFRRN202501020001
/// :86:SETORAN SIMPANAN WAJIB SITI RAHAYU
/// :61:2501020102D6500,00NCHGNONREF
/// :86:BIAYA ADM BULANAN
/// :62F:C250102IDR1143500,00
/// ";
/// let statements = mt940::parse("mutasi.sta", text.as_bytes())?;
/// let s = &statements[0];
/// assert_eq!(s.lines.len(), 2);
/// assert_eq!(s.lines[1].amount.to_string(), "-Rp6.500");
/// assert!(s.problems.is_empty());
/// # Ok::<(), koperasi_reconcile::Error>(())
/// ```
///
/// # Errors
/// [`Error::Mt940`] with the line and [`Mt940ErrorKind`](crate::Mt940ErrorKind) for text that
/// is not UTF-8, a record outside a statement, a malformed balance or `:61:` line, a
/// currency other than IDR, a missing or second opening/closing balance; [`Error::Empty`]
/// when there is no statement at all.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Statement>> {
    let err = |line: u32, kind: K| Error::Mt940 {
        file: file.to_owned(),
        line,
        kind,
    };
    let text = core::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(0, |b| b.split(|&c| c == b'\n').count().saturating_sub(1));
        err(
            u32::try_from(line).unwrap_or(u32::MAX).saturating_add(1),
            K::NotText,
        )
    })?;
    let fields = split_fields(text);
    let mut out: Vec<Statement> = Vec::new();
    let mut cur: Option<(Statement, Occurrences)> = None;
    let mut last_was_61 = false;
    for f in &fields {
        let first = f.parts.first;
        if f.tag == "20" {
            if let Some((st, _)) = cur.take() {
                out.push(finish(st, file)?);
            }
            cur = Some((
                Statement {
                    file: file.to_owned(),
                    account: None,
                    reference: Some(first.trim().to_owned()).filter(|s| !s.is_empty()),
                    opening: None,
                    closing: None,
                    lines: Vec::new(),
                    problems: Vec::new(),
                },
                Occurrences::default(),
            ));
            last_was_61 = false;
            continue;
        }
        let Some((st, occ)) = cur.as_mut() else {
            return Err(err(f.line, K::OutsideStatement));
        };
        let was_61 = core::mem::replace(&mut last_was_61, false);
        match f.tag {
            "25" => st.account = Some(first.trim().to_owned()),
            "60F" | "60M" => {
                if st.opening.is_some() {
                    return Err(err(f.line, K::DuplicateBalance));
                }
                st.opening = Some(balance(first, file, f.line).map_err(|k| err(f.line, k))?);
            }
            "62F" | "62M" => {
                if st.closing.is_some() {
                    return Err(err(f.line, K::DuplicateBalance));
                }
                st.closing = Some(balance(first, file, f.line).map_err(|k| err(f.line, k))?);
            }
            "61" => {
                let account = st.account.clone().unwrap_or_default();
                let line = statement_line(f, file, &account, occ).map_err(|k| err(f.line, k))?;
                st.lines.push(line);
                last_was_61 = true;
            }
            "86" if was_61 => {
                if let Some(l) = st.lines.last_mut() {
                    let details = join_details(&f.parts);
                    l.description = if l.description.is_empty() {
                        details
                    } else {
                        format!("{details} {}", l.description)
                    };
                }
            }
            "" => return Err(err(f.line, K::OutsideStatement)),
            _ => {}
        }
    }
    if let Some((st, _)) = cur.take() {
        out.push(finish(st, file)?);
    }
    if out.is_empty() {
        return Err(Error::Empty {
            file: file.to_owned(),
        });
    }
    // statements of one file follow each other
    for i in 1..out.len() {
        let prev = out
            .get(i.wrapping_sub(1))
            .and_then(|s| s.closing.as_ref())
            .map(|b| b.amount);
        if let Some(st) = out.get_mut(i)
            && let (Some(p), Some(o)) = (prev, st.opening.as_ref())
            && p != o.amount
        {
            let problem = Problem::error(
                o.source.clone(),
                ProblemKind::OpeningMismatch {
                    previous_closing: p,
                    opening: o.amount,
                },
            );
            st.problems.push(problem);
        }
    }
    Ok(out)
}

fn finish(mut st: Statement, file: &str) -> Result<Statement> {
    let line_of = |st: &Statement| st.lines.last().map_or(0, |l| l.source.line);
    if st.opening.is_none() {
        return Err(Error::Mt940 {
            file: file.to_owned(),
            line: line_of(&st),
            kind: K::MissingOpening,
        });
    }
    if st.closing.is_none() {
        return Err(Error::Mt940 {
            file: file.to_owned(),
            line: line_of(&st),
            kind: K::MissingClosing,
        });
    }
    check_balances(&mut st)?;
    Ok(st)
}

fn join_details(parts: &Parts<'_>) -> String {
    if parts.more.is_empty() {
        return parts.first.trim().to_owned();
    }
    let mut s = String::new();
    let mut prev_full = false;
    for p in parts.iter() {
        if !s.is_empty() && !prev_full {
            s.push(' ');
        }
        s.push_str(p.trim_end());
        prev_full = p.chars().count() >= 65;
    }
    s.trim().to_owned()
}

fn balance(s: &str, file: &str, line: u32) -> core::result::Result<StatedBalance, K> {
    let s = s.trim();
    let sign = match s.get(0..1) {
        Some("C") => 1,
        Some("D") => -1,
        _ => return Err(K::BadBalance),
    };
    let date = yymmdd(s.get(1..7).ok_or(K::BadBalance)?).ok_or(K::BadDate)?;
    let ccy = s.get(7..10).ok_or(K::BadBalance)?;
    if !ccy.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(K::BadBalance);
    }
    if ccy != "IDR" {
        return Err(K::NotRupiah);
    }
    let amt = s.get(10..).ok_or(K::BadBalance)?;
    if !amt.contains(',') {
        return Err(K::BadAmount);
    }
    let sen = COMMA
        .parse_sen(amt)
        .ok()
        .flatten()
        .filter(|v| *v >= 0 && !amt.starts_with('-'))
        .ok_or(K::BadAmount)?;
    Ok(StatedBalance {
        date,
        amount: Rupiah::from_sen(if sign < 0 { sen.saturating_neg() } else { sen }),
        source: SourceRef::new(file, line),
    })
}

fn statement_line(
    f: &Field<'_>,
    file: &str,
    account: &str,
    occ: &mut Occurrences,
) -> core::result::Result<StatementLine, K> {
    let s = f.parts.first.trim();
    let value_date = yymmdd(s.get(0..6).ok_or(K::BadStatementLine)?).ok_or(K::BadDate)?;
    let mut rest = s.get(6..).ok_or(K::BadStatementLine)?;
    let mut booking_date = value_date;
    if let Some(md) = rest
        .get(0..4)
        .filter(|x| x.bytes().all(|b| b.is_ascii_digit()))
    {
        let m = digits(md.get(0..2).ok_or(K::BadDate)?).ok_or(K::BadDate)?;
        let d = digits(md.get(2..4).ok_or(K::BadDate)?).ok_or(K::BadDate)?;
        let vy = chrono::Datelike::year(&value_date);
        let vm = chrono::Datelike::month(&value_date);
        let y = if m == 12 && vm == 1 {
            vy.saturating_sub(1)
        } else if m == 1 && vm == 12 {
            vy.saturating_add(1)
        } else {
            vy
        };
        booking_date = NaiveDate::from_ymd_opt(y, m, d).ok_or(K::BadDate)?;
        rest = rest.get(4..).ok_or(K::BadStatementLine)?;
    }
    let (negative, after_mark) = if let Some(r) = rest.strip_prefix("RC") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (false, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (false, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (true, r)
    } else {
        return Err(K::BadStatementLine);
    };
    // optional funds code (third letter of the currency code)
    let after_funds = match after_mark.as_bytes().first() {
        Some(b) if b.is_ascii_alphabetic() => after_mark.get(1..).ok_or(K::BadStatementLine)?,
        _ => after_mark,
    };
    let amount_len = after_funds
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',')
        .count();
    let amt_text = after_funds.get(..amount_len).ok_or(K::BadAmount)?;
    if amt_text.is_empty() || !amt_text.contains(',') {
        return Err(K::BadAmount);
    }
    let sen = COMMA
        .parse_sen(amt_text)
        .ok()
        .flatten()
        .ok_or(K::BadAmount)?;
    let tail = after_funds.get(amount_len..).ok_or(K::BadStatementLine)?;
    // transaction type: N|F|S + three characters
    let type_code = tail.get(0..4).ok_or(K::BadStatementLine)?;
    if !matches!(type_code.as_bytes().first(), Some(b'N' | b'F' | b'S')) {
        return Err(K::BadStatementLine);
    }
    let reference = tail.get(4..).unwrap_or("").trim();
    let reference = (!reference.is_empty() && reference != "NONREF").then(|| reference.to_owned());
    let supplementary: Vec<&str> = f.parts.more.iter().map(|p| p.trim()).collect();
    let amount = if negative { sen.saturating_neg() } else { sen };
    Ok(StatementLine {
        source: SourceRef::new(file, f.line),
        booking_date,
        value_date: Some(value_date),
        time: None,
        description: supplementary.join(" "),
        reference,
        amount: Rupiah::from_sen(amount),
        running_balance: None,
        fingerprint: occ.next(account, booking_date, amount),
    })
}
