//! Column mappings for CSV and XLSX statements (like hledger's CSV rules), with presets for
//! the column sets observed in BRI, BNI and Mandiri exports.

use chrono::NaiveDate;
use koperasi_core::Rupiah;

use crate::amount::NumberFormat;
use crate::error::{Error, FieldErrorKind, Result};
use crate::model::{
    Occurrences, SourceRef, StatedBalance, Statement, StatementLine, check_balances,
};
use crate::table::{Formats, Row, resolve};

pub use crate::table::Column;

/// Where the amount of a row is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged, deny_unknown_fields))]
#[non_exhaustive]
pub enum Amounts {
    /// One column with the amount and one with its direction (`D`/`C`, `DB`/`CR`, …).
    Directed {
        /// The (unsigned) amount.
        amount: Column,
        /// The direction.
        direction: Column,
        /// Texts meaning money out (compared trimmed, case-insensitively).
        debit_markers: Vec<String>,
        /// Texts meaning money in.
        credit_markers: Vec<String>,
    },
    /// A debit (money out, *debet*) and a credit (money in, *kredit*) column; one of them is
    /// empty or zero on each row.
    DebitCredit {
        /// Money out.
        debit: Column,
        /// Money in.
        credit: Column,
    },
    /// One signed column: positive money in, negative money out.
    Signed {
        /// The amount.
        amount: Column,
    },
}

/// A column mapping: how to read the rows of a CSV or XLSX statement.
///
/// In a TOML mapping file (the CLI's `--mapping FILE.toml`):
///
/// ```toml
/// name = "bri-csv"
/// separator = ";"          # CSV only
/// skip = 0                 # rows before the header
/// header = true
/// date_format = "%d/%m/%y" # chrono strftime; a time after the date is read too
/// decimal_mark = ","
/// thousands = "."
/// date = "Tanggal Transaksi"   # a header name, or a 1-based column number
/// description = ["Uraian Transaksi"]
/// reference = "Teller"
/// balance = "Saldo"
/// amounts = { debit = "Debet", credit = "Kredit" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[doc(alias = "pemetaan kolom")]
#[non_exhaustive]
pub struct Mapping {
    /// A name for messages.
    pub name: String,
    /// CSV field separator.
    #[cfg_attr(feature = "serde", serde(default = "default_separator"))]
    pub separator: char,
    /// Rows to skip before the header (or the data when there is no header).
    #[cfg_attr(feature = "serde", serde(default))]
    pub skip: usize,
    /// Whether the first row after `skip` is a header naming the columns.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub header: bool,
    /// The date format (chrono strftime, e.g. `%d/%m/%Y`).
    pub date_format: String,
    /// The time format of the time column, if any (default: `HH:MM:SS`, `HH:MM`, `HHMMSS`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub time_format: Option<String>,
    /// The decimal mark of text amounts.
    #[cfg_attr(feature = "serde", serde(default = "default_decimal"))]
    pub decimal_mark: char,
    /// The thousands separator of text amounts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub thousands: Option<char>,
    /// XLSX: the sheet to read (default: the first).
    #[cfg_attr(feature = "serde", serde(default))]
    pub sheet: Option<String>,
    /// The booking date column.
    pub date: Column,
    /// The value date column.
    #[cfg_attr(feature = "serde", serde(default))]
    pub value_date: Option<Column>,
    /// A time column.
    #[cfg_attr(feature = "serde", serde(default))]
    pub time: Option<Column>,
    /// Description columns, joined with a space.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: Vec<Column>,
    /// The reference column.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reference: Option<Column>,
    /// The running balance (saldo) column.
    #[cfg_attr(feature = "serde", serde(default))]
    pub balance: Option<Column>,
    /// The amounts.
    pub amounts: Amounts,
    /// Rows whose first non-empty cell is one of these (trimmed, case-insensitive) carry the
    /// opening balance in the balance column (e.g. `Saldo Awal`).
    #[cfg_attr(feature = "serde", serde(default = "opening_labels"))]
    pub opening_labels: Vec<String>,
    /// Rows whose first non-empty cell is one of these carry the closing balance
    /// (e.g. `Saldo Akhir`).
    #[cfg_attr(feature = "serde", serde(default = "closing_labels"))]
    pub closing_labels: Vec<String>,
    /// Rows whose first non-empty cell starts with one of these are totals or footers and
    /// are skipped (e.g. `Total`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub footer_labels: Vec<String>,
    /// The bank account number, used in line fingerprints (default: empty, so statements of one
    /// account from different files share fingerprints).
    #[cfg_attr(feature = "serde", serde(default))]
    pub account: Option<String>,
}

#[cfg(feature = "serde")]
fn default_separator() -> char {
    ','
}
#[cfg(feature = "serde")]
fn default_decimal() -> char {
    '.'
}
#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}
fn opening_labels() -> Vec<String> {
    vec!["Saldo Awal".to_owned(), "Opening Balance".to_owned()]
}
fn closing_labels() -> Vec<String> {
    vec!["Saldo Akhir".to_owned(), "Closing Balance".to_owned()]
}

impl Mapping {
    /// A mapping with a header row, `,` separator, `.` decimal mark, no thousands separator.
    pub fn new(
        name: impl Into<String>,
        date_format: impl Into<String>,
        date: Column,
        amounts: Amounts,
    ) -> Mapping {
        Mapping {
            name: name.into(),
            separator: ',',
            skip: 0,
            header: true,
            date_format: date_format.into(),
            time_format: None,
            decimal_mark: '.',
            thousands: None,
            sheet: None,
            date,
            value_date: None,
            time: None,
            description: Vec::new(),
            reference: None,
            balance: None,
            amounts,
            opening_labels: opening_labels(),
            closing_labels: closing_labels(),
            footer_labels: Vec::new(),
            account: None,
        }
    }

    /// BRI e-statement CSV, **as observed** (docs/system.md §3.1): `;`-separated, columns
    /// *Tanggal Transaksi, Uraian Transaksi, Teller, Debet, Kredit, Saldo*, dates
    /// `dd/mm/yy`, amounts `1.500.000,00`. The full header of BRI's own CSV is unconfirmed;
    /// override with a mapping file when yours differs.
    pub fn bri() -> Mapping {
        let mut m = Mapping::new(
            "bri",
            "%d/%m/%y",
            "Tanggal Transaksi".into(),
            Amounts::DebitCredit {
                debit: "Debet".into(),
                credit: "Kredit".into(),
            },
        );
        m.separator = ';';
        m.decimal_mark = ',';
        m.thousands = Some('.');
        m.description = vec!["Uraian Transaksi".into()];
        m.reference = Some("Teller".into());
        m.balance = Some("Saldo".into());
        m.footer_labels = vec!["Total".to_owned()];
        m
    }

    /// Mandiri Excel/CSV statement, **as observed** by a third-party importer
    /// (docs/system.md §3.1): *Tgl., Tgl. Val., Rincian Transaksi, No. Referensi, Debit,
    /// Kredit, Saldo*, dates `dd/mm/yyyy` (a time after the date is read too), amounts
    /// `1.500.000,00` in text cells (numeric XLSX cells are read exactly).
    pub fn mandiri() -> Mapping {
        let mut m = Mapping::new(
            "mandiri",
            "%d/%m/%Y",
            "Tgl.".into(),
            Amounts::DebitCredit {
                debit: "Debit".into(),
                credit: "Kredit".into(),
            },
        );
        m.separator = ',';
        m.decimal_mark = ',';
        m.thousands = Some('.');
        m.value_date = Some("Tgl. Val.".into());
        m.description = vec!["Rincian Transaksi".into()];
        m.reference = Some("No. Referensi".into());
        m.balance = Some("Saldo".into());
        m
    }

    /// BNI (`BNIDirect`) CSV: **unconfirmed** — no column set was found in a public source
    /// (docs/system.md §3.1). This preset assumes *Post Date, Value Date, Branch, Journal
    /// No., Description, Amount, Db/Cr, Balance*, dates `dd/mm/yyyy`, amounts
    /// `1,500,000.00` with `D`/`C`. Check it against your export and override it with a
    /// mapping file.
    pub fn bni() -> Mapping {
        let mut m = Mapping::new(
            "bni",
            "%d/%m/%Y",
            "Post Date".into(),
            Amounts::Directed {
                amount: "Amount".into(),
                direction: "Db/Cr".into(),
                debit_markers: vec!["D".to_owned(), "DB".to_owned()],
                credit_markers: vec!["C".to_owned(), "CR".to_owned(), "K".to_owned()],
            },
        );
        m.separator = ',';
        m.decimal_mark = '.';
        m.thousands = Some(',');
        m.value_date = Some("Value Date".into());
        m.description = vec!["Description".into()];
        m.reference = Some("Journal No.".into());
        m.balance = Some("Balance".into());
        m
    }

    /// A preset by name: `bri`, `bni`, `mandiri`.
    pub fn preset(name: &str) -> Option<Mapping> {
        match name.to_ascii_lowercase().as_str() {
            "bri" => Some(Mapping::bri()),
            "bni" => Some(Mapping::bni()),
            "mandiri" => Some(Mapping::mandiri()),
            _ => None,
        }
    }

    fn number(&self) -> NumberFormat {
        NumberFormat {
            decimal: self.decimal_mark,
            thousands: self.thousands,
        }
    }

    fn check(&self) -> Result<()> {
        let bad = |message: &str| Error::Mapping {
            mapping: self.name.clone(),
            message: message.to_owned(),
        };
        if Some(self.decimal_mark) == self.thousands {
            return Err(bad(
                "the decimal mark and the thousands separator are the same",
            ));
        }
        if self.date_format.trim().is_empty() {
            return Err(bad("empty date format"));
        }
        // a format chrono cannot use is reported here rather than as a bad date on every row
        let mut probe = String::new();
        if core::fmt::write(
            &mut probe,
            format_args!("{}", NaiveDate::MIN.format(&self.date_format)),
        )
        .is_err()
        {
            return Err(bad("the date format is not a valid strftime format"));
        }
        Ok(())
    }

    /// Reads a CSV statement.
    ///
    /// ```
    /// use koperasi_reconcile::Mapping;
    /// let csv = "Tanggal Transaksi;Uraian Transaksi;Teller;Debet;Kredit;Saldo\n\
    ///            02/01/25;SETORAN TUNAI;0001;;1.500.000,00;11.500.000,00\n\
    ///            03/01/25;BIAYA ADM;0000;6.500,00;;11.493.500,00\n";
    /// let st = Mapping::bri().import_csv("mutasi.csv", csv.as_bytes())?;
    /// assert_eq!(st.lines.len(), 2);
    /// assert_eq!(st.opening.as_ref().unwrap().amount.to_string(), "Rp10.000.000");
    /// assert!(st.problems.is_empty());
    /// # Ok::<(), koperasi_reconcile::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Csv`] for text that is not CSV, [`Error::Mapping`] for a mapping that does
    /// not fit the file (a named column missing from the header), [`Error::Field`] with the
    /// line and column for a cell that cannot be read, [`Error::Empty`] for no rows.
    pub fn import_csv(&self, file: &str, bytes: &[u8]) -> Result<Statement> {
        self.check()?;
        let rows = crate::table::csv_rows(file, bytes, self.separator)?;
        self.import_rows(file, rows)
    }

    /// Reads an XLSX statement (the first sheet, or [`sheet`](Self::sheet)). Numeric cells
    /// are read as the decimal the workbook stores; date cells as dates.
    ///
    /// # Errors
    /// [`Error::Xlsx`] for a file that is not a workbook, otherwise as
    /// [`import_csv`](Self::import_csv).
    #[cfg(feature = "xlsx")]
    pub fn import_xlsx(&self, file: &str, bytes: &[u8]) -> Result<Statement> {
        self.check()?;
        let rows = crate::table::xlsx_rows(file, bytes, self.sheet.as_deref())?;
        self.import_rows(file, rows)
    }
}

/// Resolved amount columns.
enum A {
    Dc((usize, String), (usize, String)),
    Signed((usize, String)),
    Dir((usize, String), (usize, String), Vec<String>, Vec<String>),
}

impl Mapping {
    fn import_rows(&self, file: &str, rows: Vec<Row>) -> Result<Statement> {
        let mut rows = rows.into_iter().skip(self.skip).filter(|r| !r.is_blank());
        let header = if self.header { rows.next() } else { None };
        if self.header && header.is_none() {
            return Err(Error::Empty {
                file: file.to_owned(),
            });
        }
        let h = header.as_ref();
        let name = &self.name;
        let col = |c: &Column| resolve(name, c, h).map(|i| (i, c.to_string()));
        let date = col(&self.date)?;
        let value_date = self.value_date.as_ref().map(col).transpose()?;
        let time = self.time.as_ref().map(col).transpose()?;
        let description = self
            .description
            .iter()
            .map(col)
            .collect::<Result<Vec<_>>>()?;
        let reference = self.reference.as_ref().map(col).transpose()?;
        let balance = self.balance.as_ref().map(col).transpose()?;
        let amounts = match &self.amounts {
            Amounts::DebitCredit { debit, credit } => A::Dc(col(debit)?, col(credit)?),
            Amounts::Signed { amount } => A::Signed(col(amount)?),
            Amounts::Directed {
                amount,
                direction,
                debit_markers,
                credit_markers,
            } => A::Dir(
                col(amount)?,
                col(direction)?,
                debit_markers
                    .iter()
                    .map(|s| s.trim().to_lowercase())
                    .collect(),
                credit_markers
                    .iter()
                    .map(|s| s.trim().to_lowercase())
                    .collect(),
            ),
        };
        let fm = Formats {
            file,
            date_format: &self.date_format,
            time_format: self.time_format.as_deref(),
            number: self.number(),
        };
        let account = self.account.clone().unwrap_or_default();
        let mut occ = Occurrences::default();
        let mut st = Statement {
            file: file.to_owned(),
            account: self.account.clone(),
            reference: None,
            opening: None,
            closing: None,
            lines: Vec::new(),
            problems: Vec::new(),
        };
        let label_is = |row: &Row, labels: &[String]| {
            row.cells
                .iter()
                .map(|c| c.text().trim().to_lowercase())
                .find(|t| !t.is_empty())
                .is_some_and(|t| labels.iter().any(|l| l.trim().to_lowercase() == t))
        };
        let footer = |row: &Row| {
            row.cells
                .iter()
                .map(|c| c.text().trim().to_lowercase())
                .find(|t| !t.is_empty())
                .is_some_and(|t| {
                    self.footer_labels
                        .iter()
                        .any(|l| t.starts_with(&l.trim().to_lowercase()))
                })
        };
        let mut pending_opening: Option<(Rupiah, u32)> = None;
        for row in rows {
            let opening_row = label_is(&row, &self.opening_labels);
            let closing_row = label_is(&row, &self.closing_labels);
            if opening_row || closing_row {
                let Some((bi, bn)) = &balance else {
                    return Err(Error::Mapping {
                        mapping: self.name.clone(),
                        message: format!(
                            "line {}: a balance row but the mapping has no balance column",
                            row.line
                        ),
                    });
                };
                let amount = fm
                    .amount(&row, *bi, bn)?
                    .ok_or_else(|| fm.field_err(&row, bn, FieldErrorKind::Empty, None))?;
                let amount = Rupiah::from_sen(amount);
                if opening_row {
                    pending_opening = Some((amount, row.line));
                } else {
                    let d = fm.date(&row, date.0, &date.1).ok().map(|x| x.0);
                    let d = d.or_else(|| st.lines.last().map(|l| l.booking_date));
                    if let Some(d) = d {
                        st.closing = Some(StatedBalance {
                            date: d,
                            amount,
                            source: SourceRef::new(file, row.line),
                        });
                    }
                }
                continue;
            }
            if footer(&row) {
                continue;
            }
            let (booking_date, t0) = fm.date(&row, date.0, &date.1)?;
            let value_date = match &value_date {
                Some((i, n)) => {
                    if fm.cell(&row, *i, n)?.is_empty() {
                        None
                    } else {
                        Some(fm.date(&row, *i, n)?.0)
                    }
                }
                None => None,
            };
            let time = match &time {
                Some((i, n)) => fm.time(&row, *i, n)?,
                None => t0,
            };
            let mut desc = String::new();
            for (i, n) in &description {
                let t = fm.text(&row, *i, n)?;
                if !t.is_empty() {
                    if !desc.is_empty() {
                        desc.push(' ');
                    }
                    desc.push_str(&t);
                }
            }
            let reference = match &reference {
                Some((i, n)) => Some(fm.text(&row, *i, n)?).filter(|s| !s.is_empty()),
                None => None,
            };
            let amount = match &amounts {
                A::Dc((di, dn), (ci, cn)) => {
                    let d = fm.amount(&row, *di, dn)?.unwrap_or(0);
                    let c = fm.amount(&row, *ci, cn)?.unwrap_or(0);
                    if d != 0 && c != 0 {
                        return Err(fm.field_err(
                            &row,
                            dn,
                            FieldErrorKind::DebitAndCredit,
                            fm.cell(&row, *di, dn).ok(),
                        ));
                    }
                    c.checked_sub(d.checked_abs().ok_or(Error::Overflow { op: "debit" })?)
                        .ok_or(Error::Overflow { op: "amount" })?
                }
                A::Signed((i, n)) => fm
                    .amount(&row, *i, n)?
                    .ok_or_else(|| fm.field_err(&row, n, FieldErrorKind::Empty, None))?,
                A::Dir((ai, an), (di, dn), debit_m, credit_m) => {
                    let a = fm
                        .amount(&row, *ai, an)?
                        .ok_or_else(|| fm.field_err(&row, an, FieldErrorKind::Empty, None))?
                        .checked_abs()
                        .ok_or(Error::Overflow { op: "amount" })?;
                    let dir = fm.text(&row, *di, dn)?.to_lowercase();
                    if debit_m.contains(&dir) {
                        a.checked_neg().ok_or(Error::Overflow { op: "amount" })?
                    } else if credit_m.contains(&dir) {
                        a
                    } else {
                        return Err(fm.field_err(
                            &row,
                            dn,
                            FieldErrorKind::BadDirection,
                            fm.cell(&row, *di, dn).ok(),
                        ));
                    }
                }
            };
            let running_balance = match &balance {
                Some((i, n)) => fm.amount(&row, *i, n)?.map(Rupiah::from_sen),
                None => None,
            };
            st.lines.push(StatementLine {
                source: SourceRef::new(file, row.line),
                booking_date,
                value_date,
                time,
                description: desc,
                reference,
                amount: Rupiah::from_sen(amount),
                running_balance,
                fingerprint: occ.next(&account, booking_date, amount),
            });
        }
        if st.lines.is_empty() && pending_opening.is_none() && st.closing.is_none() {
            return Err(Error::Empty {
                file: file.to_owned(),
            });
        }
        // the opening balance: a "Saldo Awal" row, else inferred from the first saldo
        let first = st.lines.first();
        if let Some((amount, line)) = pending_opening {
            let date = first
                .map(|l| l.booking_date)
                .or(st.closing.as_ref().map(|c| c.date));
            if let Some(date) = date {
                st.opening = Some(StatedBalance {
                    date,
                    amount,
                    source: SourceRef::new(file, line),
                });
            }
        } else if let Some(l) = first
            && let Some(b) = l.running_balance
        {
            st.opening = Some(StatedBalance {
                date: l.booking_date,
                amount: b
                    .checked_sub(l.amount)
                    .map_err(|_| Error::Overflow { op: "opening" })?,
                source: l.source.clone(),
            });
        }
        if st.closing.is_none()
            && let Some(l) = st.lines.last()
            && let Some(b) = l.running_balance
        {
            st.closing = Some(StatedBalance {
                date: l.booking_date,
                amount: b,
                source: l.source.clone(),
            });
        }
        check_balances(&mut st)?;
        Ok(st)
    }
}
