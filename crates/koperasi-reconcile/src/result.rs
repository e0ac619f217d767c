//! The result of a reconciliation and its renderers (text, JSON, HTML, XLSX).

use core::fmt::Write as _;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{AccountCode, JournalEntry, Line, Side};

use crate::error::{Error, Problem, Result};
use crate::model::{Fingerprint, SourceRef};

/// A statement line as cited in a result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BankRef {
    /// File and line.
    pub source: SourceRef,
    /// Booking date.
    pub date: NaiveDate,
    /// Signed amount (+ money in).
    pub amount: Rupiah,
    /// Description.
    pub description: String,
    /// Reference.
    pub reference: Option<String>,
    /// Fingerprint.
    pub fingerprint: Fingerprint,
}

/// A ledger line as cited in a result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BookRef {
    /// The entry.
    pub entry: EntryId,
    /// 0-based line within the entry.
    pub line: u32,
    /// The entry's date.
    pub date: NaiveDate,
    /// Signed amount (+ debit).
    pub amount: Rupiah,
    /// The entry's source.
    pub source: String,
    /// The entry's memo.
    pub memo: String,
}

/// How a match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MatchKind {
    /// A shared reference token and the same amount.
    Reference,
    /// The same amount within the date window, the only candidate either way.
    AmountDate,
    /// One of `n` interchangeable lines of one amount on each side, paired in date order.
    DateOrder,
    /// One bank line for all unmatched book lines of a run of days.
    ManyToOne,
}

/// A bank line (or lines) matched to book lines: Σ bank = Σ books, exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Match {
    /// How.
    pub kind: MatchKind,
    /// The bank line(s).
    pub bank: Vec<BankRef>,
    /// The book line(s).
    pub books: Vec<BookRef>,
}

/// A bank line the books do not have (yet).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnmatchedBank {
    /// The line.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub line: BankRef,
    /// The rule that explains it (a proposed entry exists), if any.
    pub rule: Option<String>,
    /// Days between its date and the end of the statement.
    pub age_days: u32,
}

/// A book line not (yet) on the statement: a deposit in transit or an outstanding payment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnmatchedBook {
    /// The line.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub line: BookRef,
    /// Days between its date and the end of the statement.
    pub age_days: u32,
}

/// Why a suggestion was not matched automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SuggestionKind {
    /// Several candidates fit; a person must choose.
    Ambiguous,
    /// Several runs of QRIS sales fit a settlement.
    QrisSettlement,
}

/// Candidates for bank lines that could not be matched without a choice.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Suggestion {
    /// Why.
    pub kind: SuggestionKind,
    /// The bank lines.
    pub bank: Vec<BankRef>,
    /// The candidate book lines.
    pub books: Vec<BookRef>,
}

/// One line of a proposed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ProposedLine {
    /// Account code.
    pub account: String,
    /// Debit or credit.
    pub side: Side,
    /// Amount (positive).
    pub amount: Rupiah,
}

/// A journal entry proposed for a bank item the books lack (fee, interest, tax, QRIS
/// settlement). Its source is `reconcile:<fingerprint>`, so once posted the next run matches
/// it to its bank line by reference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "jurnal penyesuaian")]
#[non_exhaustive]
pub struct ProposedEntry {
    /// The rule that proposed it.
    pub rule: String,
    /// Date (the bank line's).
    pub date: NaiveDate,
    /// Memo.
    pub memo: String,
    /// Source: `reconcile:<fingerprint>`.
    pub source: String,
    /// Balanced lines.
    pub lines: Vec<ProposedLine>,
    /// The bank line(s) it records.
    pub bank: Vec<BankRef>,
    /// Book lines it settles (QRIS sales).
    pub books: Vec<BookRef>,
}

impl ProposedEntry {
    /// The entry to post, with the caller's id and actor.
    ///
    /// # Errors
    /// A [`koperasi_ledger::Error`] for an invalid account code or amount.
    pub fn to_journal_entry(
        &self,
        id: EntryId,
        actor: ActorId,
    ) -> koperasi_ledger::Result<JournalEntry> {
        let mut e = JournalEntry::new(id, self.date, actor)
            .with_memo(self.memo.clone())
            .with_source(self.source.clone());
        for l in &self.lines {
            e = e.with_line(Line::new(
                AccountCode::new(l.account.clone())?,
                l.side,
                l.amount,
            ));
        }
        Ok(e)
    }
}

/// One age bracket of unmatched items.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AgeBucket {
    /// Label (`0-7`, `8-30`, `31-60`, `61-90`, `>90` days).
    pub label: String,
    /// Unmatched bank lines.
    pub bank_count: usize,
    /// Their Σ (signed).
    pub bank_total: Rupiah,
    /// Unmatched book lines.
    pub books_count: usize,
    /// Their Σ (signed).
    pub books_total: Rupiah,
}

/// Ageing (umur) of unmatched items, relative to the statement's last day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "umur pos terbuka")]
#[non_exhaustive]
pub struct Ageing {
    /// Brackets, youngest first.
    pub buckets: Vec<AgeBucket>,
}

const BRACKETS: [(u32, u32, &str); 5] = [
    (0, 7, "0-7"),
    (8, 30, "8-30"),
    (31, 60, "31-60"),
    (61, 90, "61-90"),
    (91, u32::MAX, ">90"),
];

impl Ageing {
    pub(crate) fn of(bank: &[UnmatchedBank], books: &[UnmatchedBook]) -> Result<Ageing> {
        let mut buckets = Vec::new();
        for (lo, hi, label) in BRACKETS {
            let inb = |a: u32| a >= lo && a <= hi;
            let b: Vec<Rupiah> = bank
                .iter()
                .filter(|u| inb(u.age_days))
                .map(|u| u.line.amount)
                .collect();
            let k: Vec<Rupiah> = books
                .iter()
                .filter(|u| inb(u.age_days))
                .map(|u| u.line.amount)
                .collect();
            buckets.push(AgeBucket {
                label: label.to_owned(),
                bank_count: b.len(),
                bank_total: Rupiah::try_sum(b).map_err(|_| Error::Overflow { op: "ageing" })?,
                books_count: k.len(),
                books_total: Rupiah::try_sum(k).map_err(|_| Error::Overflow { op: "ageing" })?,
            });
        }
        Ok(Ageing { buckets })
    }
}

/// A bank reconciliation (rekonsiliasi bank) as of the statement's last day.
///
/// ```text
/// saldo per bank + outstanding deposits − outstanding payments            = adjusted bank
/// saldo per books + unrecorded bank items + bank items booked after the end = adjusted books
/// unexplained = adjusted bank − adjusted books
/// ```
/// `unexplained` is zero whenever the statement's opening balance ties to the books.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "rekonsiliasi bank")]
#[non_exhaustive]
pub struct Reconciliation {
    /// The ledger account reconciled.
    pub account: String,
    /// The bank account number of the statement, if known.
    pub bank_account: Option<String>,
    /// First statement day.
    pub from: NaiveDate,
    /// Last statement day (the reconciliation date).
    pub to: NaiveDate,
    /// Saldo per bank (closing balance).
    pub saldo_bank: Rupiah,
    /// Saldo per books at `to`.
    pub saldo_books: Rupiah,
    /// `saldo_bank − saldo_books`.
    pub difference: Rupiah,
    /// Book debits not on the statement (setoran dalam perjalanan).
    pub outstanding_deposits: Rupiah,
    /// Book credits not on the statement (pembayaran belum dicairkan), positive.
    pub outstanding_payments: Rupiah,
    /// Σ bank lines not in the books (signed).
    pub unrecorded_bank: Rupiah,
    /// Σ book lines dated after `to` matched to statement lines.
    pub recorded_after: Rupiah,
    /// Saldo bank adjusted.
    pub adjusted_bank: Rupiah,
    /// Saldo books adjusted.
    pub adjusted_books: Rupiah,
    /// `adjusted_bank − adjusted_books`.
    pub unexplained: Rupiah,
    /// Matches.
    pub matched: Vec<Match>,
    /// Bank lines not in the books (with the rule that explains them, if any).
    pub unmatched_bank: Vec<UnmatchedBank>,
    /// Book lines of the period not on the statement.
    pub unmatched_books: Vec<UnmatchedBook>,
    /// Candidates that need a person's choice.
    pub suggestions: Vec<Suggestion>,
    /// Entries proposed for explained bank items.
    pub proposed_entries: Vec<ProposedEntry>,
    /// Ageing of unmatched items.
    pub ageing: Ageing,
    /// Problems of import and reconciliation.
    pub problems: Vec<Problem>,
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

impl Reconciliation {
    /// `true` when everything reconciles: no unmatched bank or book line, no suggestion, no
    /// error problem, and no unexplained difference.
    pub fn is_reconciled(&self) -> bool {
        self.unmatched_bank.is_empty()
            && self.unmatched_books.is_empty()
            && self.suggestions.is_empty()
            && !self.problems.iter().any(Problem::is_error)
            && self.unexplained.is_zero()
    }

    fn summary_rows(&self) -> Vec<(&'static str, Rupiah)> {
        vec![
            ("Saldo menurut bank", self.saldo_bank),
            ("+ Setoran dalam perjalanan", self.outstanding_deposits),
            ("− Pembayaran belum dicairkan", self.outstanding_payments),
            ("Saldo bank disesuaikan", self.adjusted_bank),
            ("Saldo menurut buku", self.saldo_books),
            ("± Mutasi bank belum dicatat", self.unrecorded_bank),
            ("± Dicatat di buku setelah periode", self.recorded_after),
            ("Saldo buku disesuaikan", self.adjusted_books),
            ("Selisih belum dijelaskan", self.unexplained),
        ]
    }

    /// A readable report with Indonesian labels and amounts (`Rp1.234.567`).
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Rekonsiliasi bank akun {}{} periode {} s.d. {}",
            self.account,
            self.bank_account
                .as_ref()
                .map(|a| format!(" (rekening {a})"))
                .unwrap_or_default(),
            dmy(self.from),
            dmy(self.to)
        );
        for (label, v) in self.summary_rows() {
            let _ = writeln!(s, "  {label:<36} {v:>20}");
        }
        let _ = writeln!(
            s,
            "Status: {}",
            if self.is_reconciled() {
                "COCOK"
            } else {
                "BELUM COCOK"
            }
        );
        let _ = writeln!(s, "\nCocok: {} pasangan", self.matched.len());
        if !self.unmatched_bank.is_empty() {
            let _ = writeln!(
                s,
                "\nMutasi bank belum dicatat di buku ({}):",
                self.unmatched_bank.len()
            );
            for u in &self.unmatched_bank {
                let _ = writeln!(
                    s,
                    "  {} {:>16}  {}  [{}]{}",
                    dmy(u.line.date),
                    u.line.amount.to_string(),
                    u.line.description,
                    u.line.source,
                    u.rule
                        .as_ref()
                        .map(|r| format!(" aturan: {r}"))
                        .unwrap_or_default()
                );
            }
        }
        if !self.unmatched_books.is_empty() {
            let _ = writeln!(
                s,
                "\nTransaksi buku belum muncul di bank ({}):",
                self.unmatched_books.len()
            );
            for u in &self.unmatched_books {
                let _ = writeln!(
                    s,
                    "  {} {:>16}  {}  [{} {}] umur {} hari",
                    dmy(u.line.date),
                    u.line.amount.to_string(),
                    u.line.memo,
                    u.line.entry,
                    u.line.source,
                    u.age_days
                );
            }
        }
        if !self.suggestions.is_empty() {
            let _ = writeln!(s, "\nSaran (perlu dipilih; tidak dicocokkan otomatis):");
            for g in &self.suggestions {
                for b in &g.bank {
                    let _ = writeln!(
                        s,
                        "  bank {} {} {} [{}]",
                        dmy(b.date),
                        b.amount,
                        b.description,
                        b.source
                    );
                }
                for k in &g.books {
                    let _ = writeln!(
                        s,
                        "    calon buku {} {} {} [{}]",
                        dmy(k.date),
                        k.amount,
                        k.memo,
                        k.source
                    );
                }
            }
        }
        if !self.proposed_entries.is_empty() {
            let _ = writeln!(s, "\nJurnal usulan (perlu persetujuan dua orang):");
            for p in &self.proposed_entries {
                let _ = writeln!(
                    s,
                    "  {} {} ({}) sumber {}",
                    dmy(p.date),
                    p.memo,
                    p.rule,
                    p.source
                );
                for l in &p.lines {
                    let (d, c) = match l.side {
                        Side::Debit => (l.amount.to_string(), String::new()),
                        Side::Credit => (String::new(), l.amount.to_string()),
                    };
                    let _ = writeln!(s, "    {:<10} {d:>16} {c:>16}", l.account);
                }
            }
        }
        let aged: Vec<&AgeBucket> = self
            .ageing
            .buckets
            .iter()
            .filter(|b| b.bank_count > 0 || b.books_count > 0)
            .collect();
        if !aged.is_empty() {
            let _ = writeln!(s, "\nUmur pos terbuka (hari): bank / buku");
            for b in aged {
                let _ = writeln!(
                    s,
                    "  {:<6} {} baris {} / {} baris {}",
                    b.label, b.bank_count, b.bank_total, b.books_count, b.books_total
                );
            }
        }
        if !self.problems.is_empty() {
            let _ = writeln!(s, "\nMasalah:");
            for p in &self.problems {
                let _ = writeln!(s, "  {p}");
            }
        }
        s
    }

    /// A self-contained HTML page (no external resources).
    pub fn to_html(&self) -> String {
        let mut s = String::from(
            "<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\"><title>Rekonsiliasi bank</title>\
             <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}\
             td,th{border:1px solid #ccc;padding:.25em .5em}td.n{text-align:right}</style></head><body>\n",
        );
        let _ = writeln!(
            s,
            "<h1>Rekonsiliasi bank akun {}</h1><p>Periode {} s.d. {} — <strong>{}</strong></p>",
            esc(&self.account),
            dmy(self.from),
            dmy(self.to),
            if self.is_reconciled() {
                "COCOK"
            } else {
                "BELUM COCOK"
            }
        );
        s.push_str("<table>");
        for (label, v) in self.summary_rows() {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(label),
                v
            );
        }
        s.push_str("</table>\n");
        let _ = write!(
            s,
            "<h2>Mutasi bank belum dicatat ({})</h2><table><tr><th>Tanggal</th><th>Jumlah</th><th>Uraian</th><th>Sumber</th><th>Aturan</th></tr>",
            self.unmatched_bank.len()
        );
        for u in &self.unmatched_bank {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                dmy(u.line.date),
                u.line.amount,
                esc(&u.line.description),
                esc(&u.line.source.to_string()),
                esc(u.rule.as_deref().unwrap_or(""))
            );
        }
        let _ = write!(
            s,
            "</table>\n<h2>Transaksi buku belum muncul di bank ({})</h2><table><tr><th>Tanggal</th><th>Jumlah</th><th>Keterangan</th><th>Sumber</th><th>Umur</th></tr>",
            self.unmatched_books.len()
        );
        for u in &self.unmatched_books {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                dmy(u.line.date),
                u.line.amount,
                esc(&u.line.memo),
                esc(&u.line.source),
                u.age_days
            );
        }
        let _ = write!(
            s,
            "</table>\n<h2>Jurnal usulan ({})</h2><table><tr><th>Tanggal</th><th>Akun</th><th>Debet</th><th>Kredit</th><th>Keterangan</th></tr>",
            self.proposed_entries.len()
        );
        for p in &self.proposed_entries {
            for l in &p.lines {
                let (d, c) = match l.side {
                    Side::Debit => (l.amount.to_string(), String::new()),
                    Side::Credit => (String::new(), l.amount.to_string()),
                };
                let _ = write!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{d}</td><td class=\"n\">{c}</td><td>{}</td></tr>",
                    dmy(p.date),
                    esc(&l.account),
                    esc(&p.memo)
                );
            }
        }
        let _ = write!(
            s,
            "</table>\n<p>Cocok: {} pasangan; saran: {}.</p>",
            self.matched.len(),
            self.suggestions.len()
        );
        if !self.problems.is_empty() {
            s.push_str("<h2>Masalah</h2><ul>");
            for p in &self.problems {
                let _ = write!(s, "<li>{}</li>", esc(&p.to_string()));
            }
            s.push_str("</ul>");
        }
        s.push_str("\n</body></html>\n");
        s
    }

    /// The result as JSON: `{"saldo_bank", "saldo_books", "difference", "matched",
    /// "unmatched_bank", "unmatched_books", "proposed_entries", "problems", …}` with amounts
    /// as exact decimal strings.
    ///
    /// # Errors
    /// [`Error::Render`] if serialization fails (not expected).
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> Result<serde_json::Value> {
        let mut v = serde_json::to_value(self).map_err(|e| Error::Render {
            message: e.to_string(),
        })?;
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "reconciled".to_owned(),
                serde_json::Value::Bool(self.is_reconciled()),
            );
        }
        Ok(v)
    }

    /// An XLSX workbook: summary, unmatched bank lines, unmatched book lines, proposed
    /// entries. Amounts become `f64` here and only here (exact up to 15 significant digits).
    ///
    /// # Errors
    /// [`Error::Render`] if the writer fails.
    #[cfg(feature = "xlsx")]
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook, XlsxError};
        let re = |e: XlsxError| Error::Render {
            message: e.to_string(),
        };
        let money = Format::new().set_num_format("#,##0.00");
        let bold = Format::new().set_bold();
        #[expect(
            clippy::cast_precision_loss,
            reason = "XLSX stores numbers as f64; documented"
        )]
        let num = |r: Rupiah| r.to_sen() as f64 / 100.0;
        let mut wb = Workbook::new();
        {
            let ws = wb.add_worksheet().set_name("Ringkasan").map_err(re)?;
            ws.write_string_with_format(
                0,
                0,
                format!(
                    "Rekonsiliasi bank akun {} {} s.d. {}",
                    self.account,
                    dmy(self.from),
                    dmy(self.to)
                ),
                &bold,
            )
            .map_err(re)?;
            for (i, (label, v)) in self.summary_rows().into_iter().enumerate() {
                let r = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(2);
                ws.write_string(r, 0, label).map_err(re)?;
                ws.write_number_with_format(r, 1, num(v), &money)
                    .map_err(re)?;
            }
            ws.set_column_width(0, 40).map_err(re)?;
            ws.set_column_width(1, 20).map_err(re)?;
        }
        {
            let ws = wb
                .add_worksheet()
                .set_name("Bank belum dicatat")
                .map_err(re)?;
            for (c, h) in ["Tanggal", "Jumlah", "Uraian", "Sumber", "Aturan"]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)
                    .map_err(re)?;
            }
            for (i, u) in self.unmatched_bank.iter().enumerate() {
                let r = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
                ws.write_string(r, 0, dmy(u.line.date)).map_err(re)?;
                ws.write_number_with_format(r, 1, num(u.line.amount), &money)
                    .map_err(re)?;
                ws.write_string(r, 2, &u.line.description).map_err(re)?;
                ws.write_string(r, 3, u.line.source.to_string())
                    .map_err(re)?;
                ws.write_string(r, 4, u.rule.as_deref().unwrap_or(""))
                    .map_err(re)?;
            }
        }
        {
            let ws = wb
                .add_worksheet()
                .set_name("Buku belum di bank")
                .map_err(re)?;
            for (c, h) in ["Tanggal", "Jumlah", "Keterangan", "Sumber", "Umur (hari)"]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)
                    .map_err(re)?;
            }
            for (i, u) in self.unmatched_books.iter().enumerate() {
                let r = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
                ws.write_string(r, 0, dmy(u.line.date)).map_err(re)?;
                ws.write_number_with_format(r, 1, num(u.line.amount), &money)
                    .map_err(re)?;
                ws.write_string(r, 2, &u.line.memo).map_err(re)?;
                ws.write_string(r, 3, &u.line.source).map_err(re)?;
                ws.write_number(r, 4, f64::from(u.age_days)).map_err(re)?;
            }
        }
        {
            let ws = wb.add_worksheet().set_name("Jurnal usulan").map_err(re)?;
            for (c, h) in ["Tanggal", "Akun", "Debet", "Kredit", "Keterangan", "Sumber"]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)
                    .map_err(re)?;
            }
            let mut r = 1u32;
            for p in &self.proposed_entries {
                for l in &p.lines {
                    ws.write_string(r, 0, dmy(p.date)).map_err(re)?;
                    ws.write_string(r, 1, &l.account).map_err(re)?;
                    let col = if l.side == Side::Debit { 2 } else { 3 };
                    ws.write_number_with_format(r, col, num(l.amount), &money)
                        .map_err(re)?;
                    ws.write_string(r, 4, &p.memo).map_err(re)?;
                    ws.write_string(r, 5, &p.source).map_err(re)?;
                    r = r.saturating_add(1);
                }
            }
        }
        wb.save_to_buffer().map_err(re)
    }
}
