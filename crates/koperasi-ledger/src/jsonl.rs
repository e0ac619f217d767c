//! The JSON Lines journal format (feature `serde`) and serde for [`Ledger`].
//!
//! See the crate docs, section "Journal files (JSON Lines)", for the format.

use std::collections::HashSet;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, Rupiah};
use serde::{Deserialize, Serialize};

use crate::audit::Hash;
use crate::chart::{Account, AccountCode, ChartOfAccounts};
use crate::entry::{EntryKind, JournalEntry};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, LedgerOptions, PeriodEvent, Reversal, YearClose, YearReopen};

/// The format name written in the chart header record.
pub const FORMAT: &str = "koperasi-ledger/1";

/// One record (line) of a journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// The header: format, opening date, options and the chart of accounts.
    Chart(ChartRecord),
    /// A posted entry (a reversal carries `reverses`).
    Entry(EntryRecord),
    /// A fiscal year was closed (its closing entry is re-created on load).
    Close(CloseRecord),
    /// A fiscal year was reopened (the reversal of its closing entry is re-created on load).
    Reopen(ReopenRecord),
    /// A tree head: the audit log must have this root at this size when the record is read.
    Head(HeadRecord),
}

/// The header record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChartRecord {
    /// Always [`FORMAT`].
    pub format: String,
    /// Opening date of the books.
    pub opening_date: NaiveDate,
    /// First month of the fiscal year.
    pub fiscal_start_month: u32,
    /// Smallest unit of a line amount.
    pub unit: Rupiah,
    /// The accounts, in chart order, with their current open/closed state.
    pub accounts: Vec<Account>,
}

/// An entry record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntryRecord {
    /// The entry.
    #[serde(flatten)]
    pub entry: JournalEntry,
    /// For a reversal: the reversed entry (the record must mirror it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<EntryId>,
}

/// A close record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CloseRecord {
    /// Calendar year in which the fiscal year starts.
    pub year: i32,
    /// Its first month.
    pub start_month: u32,
    /// The closing entry's id (absent when there was nothing to close).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<EntryId>,
    /// The account that received the result.
    pub shu_account: AccountCode,
    /// Who closed.
    pub actor: ActorId,
}

/// A reopen record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReopenRecord {
    /// Calendar year in which the fiscal year starts.
    pub year: i32,
    /// Its first month.
    pub start_month: u32,
    /// Id of the reversal of the closing entry (absent when there was none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversal_id: Option<EntryId>,
    /// Who reopened.
    pub actor: ActorId,
    /// Why.
    pub reason: String,
}

/// A tree-head record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HeadRecord {
    /// Number of leaves.
    pub size: u64,
    /// Root hash (hex).
    pub root: Hash,
}

impl Ledger {
    /// The ledger as journal records: the chart header, then one record per entry, close and
    /// reopen in posting order, then the current tree head.
    pub fn records(&self) -> Vec<Record> {
        let mut out = Vec::with_capacity(self.entries.len().saturating_add(2));
        out.push(Record::Chart(ChartRecord {
            format: FORMAT.to_owned(),
            opening_date: self.opening,
            fiscal_start_month: self.options.fiscal_start_month,
            unit: self.options.unit,
            accounts: self.chart.accounts().to_vec(),
        }));
        let by_reopen: HashSet<EntryId> = self
            .events
            .iter()
            .filter_map(|e| match e {
                PeriodEvent::Reopen { reversal, .. } => *reversal,
                PeriodEvent::Close { .. } => None,
            })
            .collect();
        let mut events = self.events.iter().peekable();
        for e in self.entries() {
            while let Some(ev) = events.next_if(|ev| ev.leaf() < e.leaf()) {
                out.push(event_record(ev));
            }
            match e.kind() {
                EntryKind::Closing { .. } => {}
                EntryKind::Reversal { .. } if by_reopen.contains(&e.id()) => {}
                EntryKind::Reversal { of } => out.push(Record::Entry(EntryRecord {
                    entry: e.to_entry(),
                    reverses: Some(of),
                })),
                EntryKind::Normal => out.push(Record::Entry(EntryRecord {
                    entry: e.to_entry(),
                    reverses: None,
                })),
            }
        }
        out.extend(events.map(event_record));
        let head = self.audit.tree_head();
        out.push(Record::Head(HeadRecord {
            size: head.size,
            root: head.root,
        }));
        out
    }

    /// The ledger as a JSON Lines journal: one [`Record`] per line, each line ending in `\n`.
    /// [`from_jsonl`](Self::from_jsonl) reads it back to an equal ledger, and writing that
    /// again gives the same text.
    ///
    /// # Errors
    /// [`Error::Format`] if a record cannot be serialized (not expected).
    pub fn to_jsonl(&self) -> Result<String> {
        let mut s = String::new();
        for r in self.records() {
            s.push_str(&serde_json::to_string(&r).map_err(|e| format_error(&e))?);
            s.push('\n');
        }
        Ok(s)
    }

    /// Reads a JSON Lines journal, validating and posting every record in order (so every
    /// posting check applies) and checking every `head` record against the rebuilt audit
    /// log. Empty lines are skipped. Nothing is partially loaded: either the whole file is
    /// good and a ledger is returned, or the first bad line is reported.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use koperasi_core::{ActorId, EntryId, Rupiah};
    /// # use koperasi_ledger::{kkmp, ChartOfAccounts, JournalEntry, Ledger};
    /// let day = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
    /// let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, day);
    /// books.post(
    ///     &JournalEntry::new(EntryId::from_u128(1), day, ActorId::from_u128(1))
    ///         .debit(kkmp::KAS, Rupiah::from_rupiah(50_000))?
    ///         .credit(kkmp::SIMPANAN_WAJIB, Rupiah::from_rupiah(50_000))?,
    /// )?;
    /// let text = books.to_jsonl()?;
    /// let back = Ledger::from_jsonl(&text)?;
    /// assert_eq!(back, books);
    /// assert_eq!(back.to_jsonl()?, text);
    ///
    /// // a changed amount no longer matches the recorded tree head (line 3)
    /// let forged = text.replace("50000.00", "5000.00");
    /// assert!(matches!(Ledger::from_jsonl(&forged), Err(koperasi_ledger::Error::Journal { line: 3, .. })));
    /// # Ok::<(), koperasi_ledger::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Journal`] with the 1-based line number and the reason: [`Error::Format`] for
    /// malformed JSON or a record out of place, any posting error, or an
    /// [`Error::Audit`] root mismatch for a `head` record.
    pub fn from_jsonl(text: &str) -> Result<Ledger> {
        replay(
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    (
                        i.saturating_add(1),
                        serde_json::from_str::<Record>(l).map_err(|e| format_error(&e)),
                    )
                }),
        )
    }

    /// Rebuilds a ledger from records (as [`from_jsonl`](Self::from_jsonl), with the record's
    /// position, 1-based, as its "line").
    ///
    /// # Errors
    /// As [`from_jsonl`](Self::from_jsonl).
    pub fn from_records(records: Vec<Record>) -> Result<Ledger> {
        replay(
            records
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i.saturating_add(1), Ok(r))),
        )
    }
}

fn format_error(e: &serde_json::Error) -> Error {
    Error::Format {
        message: e.to_string(),
    }
}

fn format(message: impl Into<String>) -> Error {
    Error::Format {
        message: message.into(),
    }
}

fn event_record(ev: &PeriodEvent) -> Record {
    match ev {
        PeriodEvent::Close {
            year,
            actor,
            shu_account,
            closing_entry,
            ..
        } => Record::Close(CloseRecord {
            year: year.year(),
            start_month: year.start_month(),
            entry_id: *closing_entry,
            shu_account: shu_account.clone(),
            actor: *actor,
        }),
        PeriodEvent::Reopen {
            year,
            actor,
            reason,
            reversal,
            ..
        } => Record::Reopen(ReopenRecord {
            year: year.year(),
            start_month: year.start_month(),
            reversal_id: *reversal,
            actor: *actor,
            reason: reason.clone(),
        }),
    }
}

/// Placeholder id for a close/reopen that recorded no entry; replay checks that none is
/// created.
const NIL: EntryId = EntryId::from_u128(0);

fn replay(records: impl Iterator<Item = (usize, Result<Record>)>) -> Result<Ledger> {
    let mut ledger: Option<Ledger> = None;
    let mut final_chart: Option<ChartOfAccounts> = None;
    for (line, rec) in records {
        let at = |e: Error| Error::Journal {
            line,
            source: Box::new(e),
        };
        let rec = rec.map_err(at)?;
        match (rec, ledger.as_mut()) {
            (Record::Chart(c), None) => {
                if c.format != FORMAT {
                    return Err(at(format(format!(
                        "unknown format {:?} (expected {FORMAT:?})",
                        c.format
                    ))));
                }
                let chart = ChartOfAccounts::new(c.accounts).map_err(at)?;
                let mut open = chart.clone();
                for a in chart.accounts() {
                    open.set_open(a.code.as_str(), true).map_err(at)?;
                }
                let options = LedgerOptions::default()
                    .with_fiscal_start_month(c.fiscal_start_month)
                    .with_unit(c.unit);
                ledger = Some(Ledger::with_options(open, c.opening_date, options).map_err(at)?);
                final_chart = Some(chart);
            }
            (Record::Chart(_), Some(_)) => {
                return Err(at(format("a second chart record")));
            }
            (_, None) => return Err(at(format("the first record must be the chart"))),
            (Record::Entry(r), Some(l)) => apply_entry(l, r).map_err(at)?,
            (Record::Close(r), Some(l)) => {
                let year = FiscalYear::new(r.year, r.start_month).map_err(|e| at(e.into()))?;
                let id = r.entry_id.unwrap_or(NIL);
                let made = l
                    .close_year(YearClose::new(year, id, r.shu_account, r.actor))
                    .map_err(at)?;
                if made != r.entry_id {
                    return Err(at(format(
                        "the close record's entry_id does not match the closing entry",
                    )));
                }
            }
            (Record::Reopen(r), Some(l)) => {
                let year = FiscalYear::new(r.year, r.start_month).map_err(|e| at(e.into()))?;
                let id = r.reversal_id.unwrap_or(NIL);
                l.reopen_year(YearReopen::new(year, id, r.actor, r.reason))
                    .map_err(at)?;
                let made = match l.events.last() {
                    Some(PeriodEvent::Reopen { reversal, .. }) => *reversal,
                    _ => None,
                };
                if made != r.reversal_id {
                    return Err(at(format(
                        "the reopen record's reversal_id does not match the reversal",
                    )));
                }
            }
            (Record::Head(h), Some(l)) => {
                let root = l.audit.root_at(h.size).map_err(|e| at(e.into()))?;
                if root != h.root {
                    return Err(at(crate::audit::Error::RootMismatch {
                        tree_size: h.size,
                        expected: h.root,
                        computed: root,
                    }
                    .into()));
                }
            }
        }
    }
    let mut l = ledger.ok_or_else(|| Error::Journal {
        line: 1,
        source: Box::new(format("empty journal: no chart record")),
    })?;
    if let Some(chart) = final_chart {
        l.chart = chart;
    }
    Ok(l)
}

fn apply_entry(l: &mut Ledger, r: EntryRecord) -> Result<()> {
    match r.reverses {
        None => l.post(&r.entry).map(|_| ()),
        Some(of) => {
            let e = r.entry;
            l.reverse(of, &Reversal::new(e.id, e.date, e.actor, e.memo.clone()))?;
            let made = l.entry(e.id).map(crate::EntryRef::to_entry);
            if made.as_ref() != Some(&e) {
                return Err(format(format!(
                    "reversal {} does not mirror the lines and source of {of}",
                    e.id
                )));
            }
            Ok(())
        }
    }
}

impl Serialize for Ledger {
    /// A ledger serializes as the sequence of its journal [`Record`]s.
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        self.records().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Ledger {
    /// Replays the records with full validation (see [`Ledger::from_records`]).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let records = Vec::<Record>::deserialize(d)?;
        Ledger::from_records(records).map_err(serde::de::Error::custom)
    }
}
