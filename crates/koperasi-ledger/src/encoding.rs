//! The canonical byte encoding of audit-log leaves (documented in the crate docs, section
//! "Canonical encoding").

use chrono::Datelike;
use koperasi_core::{FiscalYear, MemberId};

use crate::entry::EntryKind;
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

/// Appends the canonical encoding of stored entry `idx` to `buf`.
pub(crate) fn encode_entry(ledger: &Ledger, idx: u32, buf: &mut Vec<u8>) {
    let Some(e) = ledger.entry_ref(idx) else {
        return;
    };
    buf.push(LEAF_ENTRY);
    buf.push(VERSION);
    buf.extend_from_slice(e.id().as_uuid().as_bytes());
    let date = e.date();
    buf.extend_from_slice(&date.year().to_be_bytes());
    buf.push(u8::try_from(date.month()).unwrap_or(0));
    buf.push(u8::try_from(date.day()).unwrap_or(0));
    match e.kind() {
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
    buf.extend_from_slice(e.actor().as_uuid().as_bytes());
    put_len32(buf, e.memo());
    put_len32(buf, e.source());
    let n = u32::try_from(e.line_count()).unwrap_or(u32::MAX);
    buf.extend_from_slice(&n.to_be_bytes());
    for l in e.lines() {
        put_code(buf, l.account.as_str());
        buf.push(match l.side {
            crate::Side::Debit => 0,
            crate::Side::Credit => 1,
        });
        buf.extend_from_slice(&l.amount.to_sen().to_be_bytes());
        buf.extend_from_slice(
            &l.dims
                .unit
                .map_or(0, crate::BusinessUnit::number)
                .to_be_bytes(),
        );
        buf.push(l.dims.counterparty.map_or(0, crate::Counterparty::number));
        put_opt_id(
            buf,
            l.dims.member.map(|m: MemberId| *m.as_uuid().as_bytes()),
        );
    }
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
