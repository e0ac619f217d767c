//! QRIS: the MDR schedule (Bank Indonesia's rates with their effective dates) and acquirer
//! settlement reports read through a column mapping.

use chrono::{NaiveDate, NaiveTime};
use koperasi_core::{Decimal, RoundingPolicy, Rupiah};

use crate::amount::NumberFormat;
use crate::error::{Error, FieldErrorKind, Problem, ProblemKind, Result};
use crate::model::SourceRef;
use crate::table::{Column, Formats, Row, resolve};

/// The merchant category that decides the MDR (BI: usaha mikro, regular merchants, special
/// categories, zero-rate categories). How an acquirer classifies a koperasi is not
/// published; choose it in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[doc(alias = "usaha mikro")]
#[doc(alias = "UMi")]
#[non_exhaustive]
pub enum MerchantCategory {
    /// Usaha mikro (UMi): annual sales up to Rp2 bn (PP 7/2021 Pasal 35).
    Micro,
    /// Usaha kecil, menengah, besar (UKE): the regular rate.
    Regular,
    /// SPBU, BLU, PSO.
    Special,
    /// G2P, P2G, donations.
    Zero,
}

/// One bracket: transactions up to `up_to` (inclusive; `None` = no limit) pay `percent` of
/// the whole transaction amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MdrBracket {
    /// Upper bound of the transaction amount, inclusive.
    pub up_to: Option<Rupiah>,
    /// MDR in percent (`0.3` = 0,3%).
    pub percent: Decimal,
}

/// The MDR of one category from a date on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MdrRate {
    /// First day it applies.
    pub effective_from: NaiveDate,
    /// The category.
    pub category: MerchantCategory,
    /// Brackets by transaction amount, ascending.
    pub brackets: Vec<MdrBracket>,
}

/// An MDR schedule: rates per category with effective dates, and the rounding of the MDR
/// of one transaction (the acquirers' rounding is not published; half-up to the rupiah by
/// default).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "MDR")]
#[doc(alias = "merchant discount rate")]
#[non_exhaustive]
pub struct MdrSchedule {
    /// The rates.
    pub rates: Vec<MdrRate>,
    /// Rounding of each transaction's MDR.
    #[cfg_attr(feature = "serde", serde(skip, default = "whole_rupiah"))]
    pub rounding: RoundingPolicy,
}

#[cfg(feature = "serde")]
fn whole_rupiah() -> RoundingPolicy {
    RoundingPolicy::WHOLE_RUPIAH
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

impl MdrSchedule {
    /// Bank Indonesia's QRIS MDR (docs/system.md §3.2):
    /// * usaha mikro: 0,3% from 1 Jul 2023; 0% up to Rp100.000 and 0,3% above from
    ///   1 Sep 2023; **0% up to Rp500.000 and 0,3% above from 1 Dec 2024**;
    /// * regular merchants 0,7%; SPBU/BLU/PSO 0,4%; G2P, P2G and donations 0%.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use koperasi_core::Rupiah;
    /// use koperasi_reconcile::{MdrSchedule, MerchantCategory};
    /// let bi = MdrSchedule::bank_indonesia();
    /// let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    /// let mdr = |rp| bi.mdr(day, MerchantCategory::Micro, Rupiah::from_rupiah(rp)).unwrap();
    /// assert_eq!(mdr(500_000), Rupiah::ZERO);               // at the threshold: 0%
    /// assert_eq!(mdr(500_001), Rupiah::from_rupiah(1_500)); // above: 0,3% of all of it
    /// ```
    pub fn bank_indonesia() -> MdrSchedule {
        let pct = |mantissa: i64, scale: u32| Decimal::new(mantissa, scale);
        let br = |up_to: Option<i64>, percent| MdrBracket {
            up_to: up_to.map(Rupiah::from_rupiah),
            percent,
        };
        let rate = |from, category, brackets| MdrRate {
            effective_from: from,
            category,
            brackets,
        };
        MdrSchedule {
            rates: vec![
                rate(
                    d(2023, 7, 1),
                    MerchantCategory::Micro,
                    vec![br(None, pct(3, 1))],
                ),
                rate(
                    d(2023, 9, 1),
                    MerchantCategory::Micro,
                    vec![br(Some(100_000), Decimal::ZERO), br(None, pct(3, 1))],
                ),
                rate(
                    d(2024, 12, 1),
                    MerchantCategory::Micro,
                    vec![br(Some(500_000), Decimal::ZERO), br(None, pct(3, 1))],
                ),
                rate(
                    d(2023, 7, 1),
                    MerchantCategory::Regular,
                    vec![br(None, pct(7, 1))],
                ),
                rate(
                    d(2023, 7, 1),
                    MerchantCategory::Special,
                    vec![br(None, pct(4, 1))],
                ),
                rate(
                    d(2023, 7, 1),
                    MerchantCategory::Zero,
                    vec![br(None, Decimal::ZERO)],
                ),
            ],
            rounding: RoundingPolicy::WHOLE_RUPIAH,
        }
    }

    /// The MDR of one transaction of `gross` on `date`.
    ///
    /// # Errors
    /// [`Error::Config`] when no rate of `category` is in effect on `date`;
    /// [`Error::Overflow`] if the product does not fit.
    pub fn mdr(
        &self,
        date: NaiveDate,
        category: MerchantCategory,
        gross: Rupiah,
    ) -> Result<Rupiah> {
        let rate = self
            .rates
            .iter()
            .filter(|r| r.category == category && r.effective_from <= date)
            .max_by_key(|r| r.effective_from)
            .ok_or_else(|| Error::Config {
                message: format!("no MDR rate for {category:?} in effect on {date}"),
            })?;
        let bracket = rate
            .brackets
            .iter()
            .find(|b| b.up_to.is_none_or(|u| gross.abs() <= u))
            .ok_or_else(|| Error::Config {
                message: format!("no MDR bracket for {gross} ({category:?}, {date})"),
            })?;
        let factor = bracket
            .percent
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or(Error::Overflow { op: "MDR rate" })?;
        gross
            .mul_rounded(factor, self.rounding)
            .map_err(|_| Error::Overflow { op: "MDR" })
    }
}

/// One QRIS transaction of an acquirer's settlement report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QrisTransaction {
    /// File and line.
    pub source: SourceRef,
    /// Transaction date.
    pub date: NaiveDate,
    /// Time, when given.
    pub time: Option<NaiveTime>,
    /// Reference (RRN).
    pub reference: String,
    /// Amount the buyer paid.
    pub gross: Rupiah,
    /// MDR withheld.
    pub mdr: Rupiah,
    /// Net paid to the merchant.
    pub net: Rupiah,
    /// Settlement date, when given.
    pub settlement_date: Option<NaiveDate>,
}

/// One settlement (payout) of a QRIS report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QrisSettlement {
    /// File and line.
    pub source: SourceRef,
    /// Settlement date.
    pub date: NaiveDate,
    /// Total net paid.
    pub total_net: Rupiah,
}

/// A QRIS settlement report: transactions, settlements and the problems its checks found
/// (net = gross − MDR; each settlement total = Σ net of its transactions; MDR as the
/// schedule says).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QrisReport {
    /// The file.
    pub file: String,
    /// Transactions in file order.
    pub transactions: Vec<QrisTransaction>,
    /// Settlements in file order.
    pub settlements: Vec<QrisSettlement>,
    /// Problems found.
    pub problems: Vec<Problem>,
}

impl QrisReport {
    /// The report as a statement of the QRIS receivable account (Piutang QRIS), to
    /// [`reconcile`](crate::reconcile) against it: each transaction is a line of `+gross`
    /// (the sale the books debit, reference = RRN), each settlement a line of `−Σ gross` of
    /// its transactions (the credit of the settlement entry). No balances are stated.
    ///
    /// # Errors
    /// [`Error::Overflow`] for sums beyond `i64` sen.
    pub fn to_statement(&self) -> Result<crate::Statement> {
        let mut occ = crate::model::Occurrences::default();
        let mut lines = Vec::with_capacity(
            self.transactions
                .len()
                .saturating_add(self.settlements.len()),
        );
        for t in &self.transactions {
            let amt = crate::model::sen(t.gross)?;
            lines.push(crate::StatementLine {
                source: t.source.clone(),
                booking_date: t.date,
                value_date: t.settlement_date,
                time: t.time,
                description: format!("QRIS {}", t.reference),
                reference: Some(t.reference.clone()).filter(|r| !r.is_empty()),
                amount: t.gross,
                running_balance: None,
                fingerprint: occ.next("qris", t.date, amt),
            });
        }
        for s in &self.settlements {
            let gross = Rupiah::try_sum(
                self.transactions
                    .iter()
                    .filter(|t| t.settlement_date == Some(s.date))
                    .map(|t| t.gross),
            )
            .map_err(|_| Error::Overflow {
                op: "settlement gross",
            })?;
            let amount = gross.negated();
            lines.push(crate::StatementLine {
                source: s.source.clone(),
                booking_date: s.date,
                value_date: Some(s.date),
                time: None,
                description: format!("SETTLEMENT QRIS {}", s.date),
                reference: None,
                amount,
                running_balance: None,
                fingerprint: occ.next("qris", s.date, crate::model::sen(amount)?),
            });
        }
        Ok(crate::Statement {
            file: self.file.clone(),
            account: None,
            reference: None,
            opening: None,
            closing: None,
            lines,
            problems: self.problems.clone(),
        })
    }
}

/// How to read a QRIS settlement report (CSV). Transaction rows carry date, reference,
/// gross, MDR and net (and optionally a settlement date); settlement rows are marked by
/// `settlement_marker` in the `record` column and carry the date and the total net.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct QrisMapping {
    /// A name for messages.
    pub name: String,
    /// CSV separator.
    pub separator: char,
    /// Rows before the header.
    pub skip: usize,
    /// Date format (a time after the date is read too).
    pub date_format: String,
    /// Decimal mark.
    pub decimal_mark: char,
    /// Thousands separator.
    pub thousands: Option<char>,
    /// Record-type column (transaction or settlement row).
    pub record: Option<Column>,
    /// The record-type text of a settlement row.
    pub settlement_marker: String,
    /// Date (transaction date, or settlement date on a settlement row).
    pub date: Column,
    /// Time.
    pub time: Option<Column>,
    /// Reference (RRN).
    pub reference: Column,
    /// Gross.
    pub gross: Column,
    /// MDR.
    pub mdr: Column,
    /// Net (on a settlement row: the total net).
    pub net: Column,
    /// Settlement date of a transaction.
    pub settlement_date: Option<Column>,
}

impl QrisMapping {
    /// A semicolon-separated report with the header
    /// `Jenis;Tanggal;Waktu;RRN;Bruto;MDR;Neto;Tanggal Settlement`, dates `dd/mm/yyyy`,
    /// amounts `1.500.000,00`, settlement rows with `Jenis` = `SETTLEMENT`. Acquirers'
    /// layouts differ (DANA: `;` and amounts in cents; NICEPAY: separate fee columns), so
    /// this is a template to adapt, not an acquirer's published format.
    pub fn standard() -> QrisMapping {
        QrisMapping {
            name: "qris".to_owned(),
            separator: ';',
            skip: 0,
            date_format: "%d/%m/%Y".to_owned(),
            decimal_mark: ',',
            thousands: Some('.'),
            record: Some("Jenis".into()),
            settlement_marker: "SETTLEMENT".to_owned(),
            date: "Tanggal".into(),
            time: Some("Waktu".into()),
            reference: "RRN".into(),
            gross: "Bruto".into(),
            mdr: "MDR".into(),
            net: "Neto".into(),
            settlement_date: Some("Tanggal Settlement".into()),
        }
    }

    /// Reads a report and checks it: net = gross − MDR on every transaction, each
    /// settlement's total = Σ net of the transactions with that settlement date, and each
    /// MDR against `schedule` for `category` (a difference is a warning: the acquirer's
    /// figure is what was paid).
    ///
    /// # Errors
    /// As [`Mapping::import_csv`](crate::Mapping::import_csv).
    pub fn import_csv(
        &self,
        file: &str,
        bytes: &[u8],
        schedule: &MdrSchedule,
        category: MerchantCategory,
    ) -> Result<QrisReport> {
        let rows = crate::table::csv_rows(file, bytes, self.separator)?;
        let mut rows = rows.into_iter().skip(self.skip).filter(|r| !r.is_blank());
        let header: Option<Row> = rows.next();
        let h = header.as_ref();
        let col = |c: &Column| resolve(&self.name, c, h).map(|i| (i, c.to_string()));
        let record = self.record.as_ref().map(col).transpose()?;
        let date = col(&self.date)?;
        let time = self.time.as_ref().map(col).transpose()?;
        let reference = col(&self.reference)?;
        let gross = col(&self.gross)?;
        let mdr = col(&self.mdr)?;
        let net = col(&self.net)?;
        let settlement_date = self.settlement_date.as_ref().map(col).transpose()?;
        let fm = Formats {
            file,
            date_format: &self.date_format,
            time_format: None,
            number: NumberFormat {
                decimal: self.decimal_mark,
                thousands: self.thousands,
            },
        };
        let req = |row: &Row, (i, n): &(usize, String)| -> Result<Rupiah> {
            fm.amount(row, *i, n)?
                .map(Rupiah::from_sen)
                .ok_or_else(|| fm.field_err(row, n, FieldErrorKind::Empty, None))
        };
        let marker = self.settlement_marker.trim().to_lowercase();
        let mut report = QrisReport {
            file: file.to_owned(),
            transactions: Vec::new(),
            settlements: Vec::new(),
            problems: Vec::new(),
        };
        for row in rows {
            let is_settlement = match &record {
                Some((i, n)) => fm.text(&row, *i, n)?.to_lowercase() == marker,
                None => false,
            };
            let (day, t) = fm.date(&row, date.0, &date.1)?;
            if is_settlement {
                report.settlements.push(QrisSettlement {
                    source: SourceRef::new(file, row.line),
                    date: day,
                    total_net: req(&row, &net)?,
                });
                continue;
            }
            let t = match &time {
                Some((i, n)) => fm.time(&row, *i, n)?.or(t),
                None => t,
            };
            let sd = match &settlement_date {
                Some((i, n)) if !fm.cell(&row, *i, n)?.is_empty() => Some(fm.date(&row, *i, n)?.0),
                _ => None,
            };
            let tx = QrisTransaction {
                source: SourceRef::new(file, row.line),
                date: day,
                time: t,
                reference: fm.text(&row, reference.0, &reference.1)?,
                gross: req(&row, &gross)?,
                mdr: req(&row, &mdr)?,
                net: req(&row, &net)?,
                settlement_date: sd,
            };
            if tx.gross.checked_sub(tx.mdr).ok() != Some(tx.net) {
                report.problems.push(Problem::error(
                    tx.source.clone(),
                    ProblemKind::NetMismatch {
                        gross: tx.gross,
                        mdr: tx.mdr,
                        net: tx.net,
                    },
                ));
            }
            let expected = schedule.mdr(tx.date, category, tx.gross)?;
            if expected != tx.mdr {
                report.problems.push(Problem::warning(
                    tx.source.clone(),
                    ProblemKind::MdrDiffers {
                        reference: tx.reference.clone(),
                        charged: tx.mdr,
                        schedule: expected,
                    },
                ));
            }
            report.transactions.push(tx);
        }
        for s in &report.settlements {
            let total = Rupiah::try_sum(
                report
                    .transactions
                    .iter()
                    .filter(|t| t.settlement_date == Some(s.date))
                    .map(|t| t.net),
            )
            .map_err(|_| Error::Overflow {
                op: "settlement total",
            })?;
            if total != s.total_net {
                report.problems.push(Problem::error(
                    s.source.clone(),
                    ProblemKind::SettlementTotalMismatch {
                        date: s.date,
                        computed: total,
                        stated: s.total_net,
                    },
                ));
            }
        }
        if report.transactions.is_empty() && report.settlements.is_empty() {
            return Err(Error::Empty {
                file: file.to_owned(),
            });
        }
        Ok(report)
    }
}
