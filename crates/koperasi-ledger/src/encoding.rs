//! The canonical byte encoding of audit-log leaves (documented in the crate docs, section
//! "Canonical encoding").

use chrono::{Datelike, NaiveDate};
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId};

use crate::entry::{EntryKind, JournalEntry};
use crate::ledger::{Ledger, PeriodEvent};

/// Record type byte of an entry leaf.
pub const LEAF_ENTRY: u8 = 0x01;
/// Record type byte of a year-close leaf.
pub const LEAF_CLOSE: u8 = 0x02;
/// Record type byte of a year-reopen leaf.
pub const LEAF_REOPEN: u8 = 0x03;
/// Encoding version (second byte of every leaf).
pub const VERSION: u8 = 0x01;

fn put_len32(buf: &mut Vec<u8>, s: &str) {
    let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(s.as_bytes());
}

fn put_code(buf: &mut Vec<u8>, code: &str) {
    // Codes are at most 32 bytes (AccountCode::MAX_LEN).
    buf.push(u8::try_from(code.len()).unwrap_or(u8::MAX));
    buf.extend_from_slice(code.as_bytes());
}

fn put_year(buf: &mut Vec<u8>, year: FiscalYear) {
    buf.extend_from_slice(&year.year().to_be_bytes());
    buf.push(u8::try_from(year.start_month()).unwrap_or(0));
}

fn put_opt_id(buf: &mut Vec<u8>, id: Option<[u8; 16]>) {
    match id {
        Some(b) => {
            buf.push(1);
            buf.extend_from_slice(&b);
        }
        None => buf.push(0),
    }
}

/// The fields of one line, as the canonical encoding sees them.
struct LineFields<'a> {
    code: &'a str,
    side: crate::Side,
    /// The (positive) amount in sen.
    sen: i128,
    unit: u16,
    cp: u8,
    member: Option<MemberId>,
}

impl<'a> LineFields<'a> {
    fn new(
        account: &'a crate::AccountCode,
        side: crate::Side,
        amount: koperasi_core::Rupiah,
        dims: &crate::Dimensions,
    ) -> Self {
        LineFields {
            code: account.as_str(),
            side,
            sen: amount.to_sen(),
            unit: dims.unit.map_or(0, crate::BusinessUnit::number),
            cp: dims.counterparty.map_or(0, crate::Counterparty::number),
            member: dims.member,
        }
    }
}

/// The fields of an entry, as the canonical encoding sees them.
struct EntryFields<'a, I> {
    id: EntryId,
    date: NaiveDate,
    kind: EntryKind,
    actor: ActorId,
    memo: &'a str,
    source: &'a str,
    line_count: usize,
    lines: I,
}

/// The one implementation of the entry encoding; both callers below only gather fields.
fn encode_fields<'a>(f: EntryFields<'a, impl Iterator<Item = LineFields<'a>>>, buf: &mut Vec<u8>) {
    buf.push(LEAF_ENTRY);
    buf.push(VERSION);
    buf.extend_from_slice(f.id.as_uuid().as_bytes());
    buf.extend_from_slice(&f.date.year().to_be_bytes());
    buf.push(u8::try_from(f.date.month()).unwrap_or(0));
    buf.push(u8::try_from(f.date.day()).unwrap_or(0));
    match f.kind {
        EntryKind::Normal => buf.push(0),
        EntryKind::Reversal { of } => {
            buf.push(1);
            buf.extend_from_slice(of.as_uuid().as_bytes());
        }
        EntryKind::Closing { year } => {
            buf.push(2);
            put_year(buf, year);
        }
    }
    buf.extend_from_slice(f.actor.as_uuid().as_bytes());
    put_len32(buf, f.memo);
    put_len32(buf, f.source);
    let n = u32::try_from(f.line_count).unwrap_or(u32::MAX);
    buf.extend_from_slice(&n.to_be_bytes());
    for l in f.lines {
        put_code(buf, l.code);
        buf.push(match l.side {
            crate::Side::Debit => 0,
            crate::Side::Credit => 1,
        });
        buf.extend_from_slice(&l.sen.to_be_bytes());
        buf.extend_from_slice(&l.unit.to_be_bytes());
        buf.push(l.cp);
        put_opt_id(buf, l.member.map(|m: MemberId| *m.as_uuid().as_bytes()));
    }
}

/// Appends the canonical encoding of stored entry `idx` to `buf`.
pub(crate) fn encode_entry(ledger: &Ledger, idx: u32, buf: &mut Vec<u8>) {
    let Some(e) = ledger.entry_ref(idx) else {
        return;
    };
    let fields = EntryFields {
        id: e.id(),
        date: e.date(),
        kind: e.kind(),
        actor: e.actor(),
        memo: e.memo(),
        source: e.source(),
        line_count: e.line_count(),
        lines: e
            .lines()
            .map(|l| LineFields::new(l.account, l.side, l.amount, &l.dims)),
    };
    encode_fields(fields, buf);
}

/// Appends the canonical encoding that entry `e` of `kind` has once posted, straight from the
/// validated entry (the same bytes as [`encode_entry`] of the stored entry:
/// `prop_posting_encoding_equals_stored_encoding`).
pub(crate) fn encode_new_entry(e: &JournalEntry, kind: EntryKind, buf: &mut Vec<u8>) {
    let fields = EntryFields {
        id: e.id,
        date: e.date,
        kind,
        actor: e.actor,
        memo: &e.memo,
        source: &e.source,
        line_count: e.lines.len(),
        lines: e
            .lines
            .iter()
            .map(|l| LineFields::new(&l.account, l.side, l.amount, &l.dims)),
    };
    encode_fields(fields, buf);
}

/// Appends the canonical encoding of a period event to `buf`.
pub(crate) fn encode_event(ev: &PeriodEvent, buf: &mut Vec<u8>) {
    match ev {
        PeriodEvent::Close {
            year,
            actor,
            shu_account,
            closing_entry,
            ..
        } => {
            buf.push(LEAF_CLOSE);
            buf.push(VERSION);
            put_year(buf, *year);
            buf.extend_from_slice(actor.as_uuid().as_bytes());
            put_code(buf, shu_account.as_str());
            put_opt_id(buf, closing_entry.map(|id| *id.as_uuid().as_bytes()));
        }
        PeriodEvent::Reopen {
            year,
            actor,
            reason,
            reversal,
            ..
        } => {
            buf.push(LEAF_REOPEN);
            buf.push(VERSION);
            put_year(buf, *year);
            buf.extend_from_slice(actor.as_uuid().as_bytes());
            put_len32(buf, reason);
            put_opt_id(buf, reversal.map(|id| *id.as_uuid().as_bytes()));
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use koperasi_core::{ActorId, EntryId, FiscalYear};
    use proptest::prelude::*;

    use super::{encode_entry, encode_new_entry};
    use crate::audit::Hash;
    use crate::{ChartOfAccounts, Ledger, Reversal, YearClose, kkmp, strategy};

    fn date(day: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1)
            .unwrap()
            .checked_add_days(chrono::Days::new(day))
            .unwrap()
    }

    proptest! {
        /// Posting encodes an entry straight from the `JournalEntry`; the bytes (and so the
        /// leaf hash in the log) equal the encoding of the stored entry, for ordinary entries
        /// (any memo text, increasing or random ids), reversals and a closing entry.
        #[test]
        fn prop_posting_encoding_equals_stored_encoding(
            entries in proptest::collection::vec(
                strategy::balanced_entry(EntryId::from_u128(0), date(0)),
                1..10,
            ),
            ids in proptest::collection::vec(any::<u128>(), 10),
            sequential in any::<bool>(),
            memo in "\\PC{0,80}",
            reversals in any::<u16>(),
            close in any::<bool>(),
        ) {
            let mut books = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), date(0));
            let mut posted = Vec::new();
            for (i, mut e) in entries.into_iter().enumerate() {
                let n = u64::try_from(i).unwrap();
                e.id = EntryId::from_u128(if sequential { u128::from(n) + 1 } else { ids[i] });
                e.date = date(n * 17);
                if i == 0 {
                    e.memo.clone_from(&memo);
                }
                if books.post(&e).is_ok() {
                    posted.push(e.id);
                }
            }
            for (i, id) in posted.iter().enumerate() {
                if reversals & (1 << i) != 0 {
                    let r = Reversal::new(
                        EntryId::from_u128(u128::MAX - u128::from(u32::try_from(i).unwrap())),
                        date(300),
                        ActorId::from_u128(2),
                        "koreksi",
                    );
                    books.reverse(*id, &r).unwrap();
                }
            }
            if close {
                let year = FiscalYear::new(2025, 1).unwrap();
                let shu = kkmp::SHU_TAHUN_BERJALAN.parse().unwrap();
                let c = YearClose::new(year, EntryId::from_u128(u128::MAX / 2), shu, ActorId::from_u128(3));
                books.close_year(c).unwrap();
            }
            for idx in 0..u32::try_from(books.len()).unwrap() {
                let view = books.entry_ref(idx).unwrap();
                let (mut stored, mut direct) = (Vec::new(), Vec::new());
                encode_entry(&books, idx, &mut stored);
                encode_new_entry(&view.to_entry(), view.kind(), &mut direct);
                prop_assert_eq!(&stored, &direct);
                prop_assert_eq!(books.audit().leaf_hash(view.leaf()), Some(Hash::of_leaf(&stored)));
            }
            prop_assert!(books.verify().is_ok());
        }
    }
}
