//! Ledger snapshots (feature `serde`): the ledger's stored state as compact bytes, and back.
//!
//! A snapshot holds what cannot be derived — the chart (with each account's open/closed
//! state), the opening date and options, the entry and line tables exactly as stored, the
//! memo/source text arena, the member table, closed years and period events, and the audit
//! log's leaf hashes — and rebuilds on load what can: the id index, the member index, the
//! per-account running totals and their periodic copies, and every interior node of the
//! audit tree. The rebuilt audit root must equal the root recorded in the snapshot, so a
//! snapshot whose leaves were altered is refused.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! "KLEDGER\0"  u32 version (1)
//! u32 len, JSON meta: opening, options, accounts, closed years, period events, max date
//! u64 n, n × entry (id 16, actor 16, leaf u64, first line u32, lines u32, memo u32 u32,
//!                   source u32 u32, date i32, kind u8 [+ u32 | i32 u32], reversed by u32)
//! u64 n, n × line  (amount i64, account u32, member u32, date i32, unit u16, counterparty u8)
//! u64 n, text (UTF-8)
//! u64 n, n × member id (16)
//! u64 n, n × leaf hash (32)
//! root (32)
//! ```

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditLog, Hash};
use crate::chart::{Account, ChartOfAccounts};
use crate::error::{Error, Result};
use crate::ledger::{
    ClosedYear, Ledger, LedgerOptions, NONE, PeriodEvent, SNAPSHOT_EVERY, StoredEntry, StoredKind,
    StoredLine,
};

/// The first bytes of a ledger snapshot.
const MAGIC: &[u8; 8] = b"KLEDGER\0";

/// The version of the layout this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// What is small enough to keep as JSON.
#[derive(Serialize, Deserialize)]
struct Meta {
    opening: NaiveDate,
    options: LedgerOptions,
    accounts: Vec<Account>,
    closed: Vec<(FiscalYear, u32)>,
    events: Vec<PeriodEvent>,
    max_date: i32,
}

fn bad(message: impl Into<String>) -> Error {
    Error::Snapshot {
        message: message.into(),
    }
}

fn len_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.bytes(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.bytes(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.bytes(&v.to_le_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.bytes(&v.to_le_bytes());
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| bad(format!("{what}: length overflows")))?;
        let out = self.buf.get(self.pos..end).ok_or_else(|| {
            bad(format!(
                "truncated at byte {} reading {what} ({n} bytes wanted, {} left)",
                self.pos,
                self.buf.len().saturating_sub(self.pos)
            ))
        })?;
        self.pos = end;
        Ok(out)
    }
    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let s = self.take(N, what)?;
        <[u8; N]>::try_from(s).map_err(|_| bad(format!("{what}: short read")))
    }
    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(u8::from_le_bytes(self.array(what)?))
    }
    fn u16(&mut self, what: &str) -> Result<u16> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    fn i32(&mut self, what: &str) -> Result<i32> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }
    fn u64(&mut self, what: &str) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
    fn i64(&mut self, what: &str) -> Result<i64> {
        Ok(i64::from_le_bytes(self.array(what)?))
    }
    fn u128(&mut self, what: &str) -> Result<u128> {
        Ok(u128::from_le_bytes(self.array(what)?))
    }
    /// A count of records of `size` bytes each that must fit in what is left.
    fn count(&mut self, size: usize, what: &str) -> Result<usize> {
        let n = self.u64(what)?;
        let n = usize::try_from(n).map_err(|_| bad(format!("{what}: count {n} too large")))?;
        let left = self.buf.len().saturating_sub(self.pos);
        if n.checked_mul(size).is_none_or(|b| b > left) {
            return Err(bad(format!(
                "{what}: {n} records of {size} bytes do not fit in the {left} bytes left"
            )));
        }
        Ok(n)
    }
}

fn text_range(text: &str, (start, len): (u32, u32), what: &str, i: usize) -> Result<()> {
    let (s, l) = (start as usize, len as usize);
    let end = s
        .checked_add(l)
        .ok_or_else(|| bad(format!("entry {i}: {what} range overflows")))?;
    if text.get(s..end).is_none() {
        return Err(bad(format!(
            "entry {i}: {what} range {s}..{end} is outside the text ({} bytes) or splits a character",
            text.len()
        )));
    }
    Ok(())
}

impl Ledger {
    /// The ledger's state as compact bytes (see the module `snapshot` of this crate for the
    /// layout): everything that cannot be derived, nothing that can.
    /// [`Ledger::from_snapshot`] gives back a ledger equal to this one (`==`, same audit
    /// root, balances and entries).
    ///
    /// # Errors
    /// [`Error::Snapshot`] if the small JSON part cannot be serialized (not expected).
    #[doc(alias = "cuplikan buku besar")]
    pub fn to_snapshot(&self) -> Result<Vec<u8>> {
        let meta = Meta {
            opening: self.opening,
            options: self.options,
            accounts: self.chart.accounts().to_vec(),
            closed: self.closed.iter().map(|c| (c.year, c.closing)).collect(),
            events: self.events.clone(),
            max_date: self.max_date,
        };
        let meta = serde_json::to_vec(&meta).map_err(|e| bad(format!("meta: {e}")))?;
        let leaves = self.audit.leaf_hashes();
        let size = 16usize
            .saturating_add(meta.len())
            .saturating_add(self.entries.len().saturating_mul(90))
            .saturating_add(self.lines.len().saturating_mul(23))
            .saturating_add(self.text.len())
            .saturating_add(self.members.len().saturating_mul(16))
            .saturating_add(leaves.len().saturating_mul(32))
            .saturating_add(72);
        let mut w = Writer {
            buf: Vec::with_capacity(size),
        };
        w.bytes(MAGIC);
        w.u32(SNAPSHOT_VERSION);
        w.u32(u32::try_from(meta.len()).map_err(|_| bad("meta larger than 4 GiB"))?);
        w.bytes(&meta);
        w.u64(len_u64(self.entries.len()));
        for e in &self.entries {
            w.u128(e.id.as_uuid().as_u128());
            w.u128(e.actor.as_uuid().as_u128());
            w.u64(e.leaf);
            w.u32(e.first_line);
            w.u32(e.n_lines);
            w.u32(e.memo.0);
            w.u32(e.memo.1);
            w.u32(e.source.0);
            w.u32(e.source.1);
            w.i32(e.date);
            match e.kind {
                StoredKind::Normal => w.u8(0),
                StoredKind::Reversal(of) => {
                    w.u8(1);
                    w.u32(of);
                }
                StoredKind::Closing(year) => {
                    w.u8(2);
                    w.i32(year.year());
                    w.u32(year.start_month());
                }
            }
            w.u32(e.reversed_by);
        }
        w.u64(len_u64(self.lines.len()));
        for l in &self.lines {
            w.i64(l.amount);
            w.u32(l.account);
            w.u32(l.member);
            w.i32(l.date);
            w.u16(l.unit);
            w.u8(l.cp);
        }
        w.u64(len_u64(self.text.len()));
        w.bytes(self.text.as_bytes());
        w.u64(len_u64(self.members.len()));
        for m in &self.members {
            w.u128(m.as_uuid().as_u128());
        }
        w.u64(len_u64(leaves.len()));
        for h in leaves {
            w.bytes(&h.0);
        }
        w.bytes(&self.audit.tree_head().root.0);
        Ok(w.buf)
    }

    /// Rebuilds a ledger from [`Ledger::to_snapshot`]'s bytes: the stored tables are read and
    /// checked (every index in range, text ranges on character boundaries, lines contiguous
    /// per entry), the indexes, running totals and audit tree are rebuilt, and the rebuilt
    /// audit root must equal the recorded one.
    ///
    /// # Errors
    /// [`Error::Snapshot`] for a wrong header or version, truncated or trailing bytes, an
    /// index out of range, or a root that does not match; an error of the chart
    /// ([`ChartOfAccounts::new`]) for an invalid chart.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Ledger> {
        let mut r = Reader { buf: bytes, pos: 0 };
        if r.take(8, "header")? != MAGIC {
            return Err(bad("not a ledger snapshot (wrong header)"));
        }
        let version = r.u32("version")?;
        if version != SNAPSHOT_VERSION {
            return Err(bad(format!(
                "version {version}, this build reads version {SNAPSHOT_VERSION}"
            )));
        }
        let meta_len = r.u32("meta length")? as usize;
        let meta: Meta = serde_json::from_slice(r.take(meta_len, "meta")?)
            .map_err(|e| bad(format!("meta: {e}")))?;
        let chart = ChartOfAccounts::new(meta.accounts)?;
        let n_accounts = chart.len();
        let mut l = Ledger::with_options(chart, meta.opening, meta.options)?;
        l.max_date = meta.max_date;
        l.events = meta.events;
        // Entries.
        let n = r.count(69, "entries")?;
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let id = EntryId::from_u128(r.u128("entry id")?);
            let actor = ActorId::from_u128(r.u128("entry actor")?);
            let leaf = r.u64("entry leaf")?;
            let first_line = r.u32("entry first line")?;
            let n_lines = r.u32("entry line count")?;
            let memo = (r.u32("memo")?, r.u32("memo")?);
            let source = (r.u32("source")?, r.u32("source")?);
            let date = r.i32("entry date")?;
            let kind = match r.u8("entry kind")? {
                0 => StoredKind::Normal,
                1 => {
                    let of = r.u32("reversed entry")?;
                    if of as usize >= i {
                        return Err(bad(format!(
                            "entry {i} reverses entry {of}, which is not before it"
                        )));
                    }
                    StoredKind::Reversal(of)
                }
                2 => {
                    let year = r.i32("closing year")?;
                    let month = r.u32("closing start month")?;
                    StoredKind::Closing(FiscalYear::new(year, month)?)
                }
                k => return Err(bad(format!("entry {i}: unknown kind {k}"))),
            };
            let reversed_by = r.u32("reversed by")?;
            if reversed_by != NONE && reversed_by as usize >= n {
                return Err(bad(format!(
                    "entry {i}: reversed by entry {reversed_by} of {n}"
                )));
            }
            entries.push(StoredEntry {
                id,
                actor,
                leaf,
                first_line,
                n_lines,
                memo,
                source,
                date,
                kind,
                reversed_by,
            });
        }
        // Lines.
        let n_lines = r.count(23, "lines")?;
        let mut lines = Vec::with_capacity(n_lines);
        for _ in 0..n_lines {
            lines.push(StoredLine {
                amount: r.i64("line amount")?,
                account: r.u32("line account")?,
                member: r.u32("line member")?,
                date: r.i32("line date")?,
                unit: r.u16("line unit")?,
                cp: r.u8("line counterparty")?,
            });
        }
        let text_len = r.count(1, "text")?;
        let text = core::str::from_utf8(r.take(text_len, "text")?)
            .map_err(|e| bad(format!("text: {e}")))?
            .to_owned();
        let n_members = r.count(16, "members")?;
        let mut members = Vec::with_capacity(n_members);
        for _ in 0..n_members {
            members.push(MemberId::from_u128(r.u128("member id")?));
        }
        let n_leaves = r.count(32, "audit leaves")?;
        let mut audit = AuditLog::new();
        audit.reserve(n_leaves);
        for _ in 0..n_leaves {
            audit.append_hash(Hash(r.array("audit leaf")?));
        }
        let root = Hash(r.array("audit root")?);
        if r.pos != bytes.len() {
            return Err(bad(format!(
                "{} bytes after the end",
                bytes.len().saturating_sub(r.pos)
            )));
        }
        if audit.tree_head().root != root {
            return Err(bad(format!(
                "the audit leaves give root {}, the snapshot records {root}",
                audit.tree_head().root
            )));
        }
        // Check the tables against each other, and rebuild the totals as posting did.
        let mut totals = vec![(0i128, 0i128); n_accounts];
        let mut snapshots = Vec::with_capacity(n.checked_div(SNAPSHOT_EVERY).unwrap_or(0));
        let mut next_line = 0usize;
        for (i, e) in entries.iter().enumerate() {
            if e.first_line as usize != next_line {
                return Err(bad(format!(
                    "entry {i}: lines start at {}, expected {next_line}",
                    e.first_line
                )));
            }
            if e.leaf >= audit.len() {
                return Err(bad(format!(
                    "entry {i}: leaf {} of {} leaves",
                    e.leaf,
                    audit.len()
                )));
            }
            text_range(&text, e.memo, "memo", i)?;
            text_range(&text, e.source, "source", i)?;
            let end = next_line
                .checked_add(e.n_lines as usize)
                .ok_or_else(|| bad(format!("entry {i}: line count overflows")))?;
            let own = lines
                .get(next_line..end)
                .ok_or_else(|| bad(format!("entry {i}: lines {next_line}..{end} missing")))?;
            for line in own {
                if line.member != NONE && line.member as usize >= members.len() {
                    return Err(bad(format!(
                        "entry {i}: member {} of {}",
                        line.member,
                        members.len()
                    )));
                }
                let t = totals.get_mut(line.account as usize).ok_or_else(|| {
                    bad(format!(
                        "entry {i}: account {} of {n_accounts}",
                        line.account
                    ))
                })?;
                if line.amount >= 0 {
                    t.0 = t.0.saturating_add(i128::from(line.amount));
                } else {
                    t.1 = t.1.saturating_add(i128::from(line.amount).saturating_neg());
                }
            }
            next_line = end;
            if i.saturating_add(1).is_multiple_of(SNAPSHOT_EVERY) {
                snapshots.push(totals.clone());
            }
        }
        if next_line != lines.len() {
            return Err(bad(format!(
                "{} lines belong to no entry",
                lines.len().saturating_sub(next_line)
            )));
        }
        for (y, closing) in meta.closed {
            if closing != NONE && closing as usize >= entries.len() {
                return Err(bad(format!("closed year {y}: closing entry {closing}")));
            }
            l.closed.push(ClosedYear { year: y, closing });
        }
        l.by_id.reserve(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let idx = u32::try_from(i).map_err(|_| bad("more than 2^32 entries"))?;
            if l.by_id.get(&e.id).is_some() {
                return Err(bad(format!("entry {i}: id {} appears twice", e.id)));
            }
            l.by_id.insert(e.id, idx);
        }
        for (i, m) in members.iter().enumerate() {
            let idx = u32::try_from(i).map_err(|_| bad("more than 2^32 members"))?;
            l.member_ix.insert(*m, idx);
        }
        l.entries = entries;
        l.lines = lines;
        l.text = text;
        l.members = members;
        l.totals = totals;
        l.snapshots = snapshots;
        l.audit = audit;
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy;
    use proptest::prelude::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|x| x.checked_add_days(chrono::Days::new(u64::from(day))))
            .unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn an_empty_ledger_round_trips() {
        let l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(0));
        let back = Ledger::from_snapshot(&l.to_snapshot().unwrap()).unwrap();
        assert_eq!(back, l);
        assert_eq!(back.audit().tree_head(), l.audit().tree_head());
    }

    #[test]
    fn a_wrong_header_version_or_truncation_is_an_error() {
        let l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(0));
        let bytes = l.to_snapshot().unwrap();
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(matches!(
            Ledger::from_snapshot(&wrong),
            Err(Error::Snapshot { .. })
        ));
        let mut v2 = bytes.clone();
        v2[8] = 2;
        let err = Ledger::from_snapshot(&v2).unwrap_err();
        assert!(err.to_string().contains("version 2"), "{err}");
        for cut in [0, 5, 11, bytes.len() - 1] {
            assert!(matches!(
                Ledger::from_snapshot(&bytes[..cut]),
                Err(Error::Snapshot { .. })
            ));
        }
        let mut longer = bytes;
        longer.push(0);
        assert!(matches!(
            Ledger::from_snapshot(&longer),
            Err(Error::Snapshot { .. })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Random ledgers (entries, reversals of earlier ones, a year close) → the snapshot's
        /// ledger is equal, with the same audit root, balances and entries, and verifies; a
        /// flipped byte anywhere is refused or gives a different ledger (never a panic).
        #[test]
        fn prop_ledger_snapshot_roundtrip(
            entries in proptest::collection::vec(
                (strategy::balanced_entry(EntryId::from_u128(0), NaiveDate::MIN), 0u32..20),
                0..40,
            ),
            reverse in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
            close in any::<bool>(),
            reopen in any::<bool>(),
            flip in any::<prop::sample::Index>(),
        ) {
            let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(0));
            let mut posted = Vec::new();
            let mut day = 0u32;
            for (k, (mut e, gap)) in entries.into_iter().enumerate() {
                day += gap;
                e.id = EntryId::from_u128(k as u128 + 1);
                e.date = d(day);
                if l.post(&e).is_ok() {
                    posted.push(e);
                }
            }
            for (k, ix) in reverse.iter().enumerate() {
                if posted.is_empty() {
                    break;
                }
                let of = ix.get(&posted);
                let date = l.last_date().unwrap_or(d(0));
                let _ = l.reverse(of.id, &Reversal::new(
                    EntryId::from_u128(0xff00 + k as u128), date, of.actor, "koreksi",
                ));
            }
            if close && let Some(last) = l.last_date() {
                let year = FiscalYear::containing(last, 1).unwrap();
                let _ = l.close_year(YearClose::new(
                    year,
                    EntryId::from_u128(0xfff0),
                    crate::AccountCode::new("3-2-02").unwrap(),
                    ActorId::from_u128(9),
                ));
                if reopen {
                    let _ = l.reopen_year(YearReopen::new(
                        year, EntryId::from_u128(0xfff1), ActorId::from_u128(9), "audit",
                    ));
                }
            }
            let bytes = l.to_snapshot().unwrap();
            let back = Ledger::from_snapshot(&bytes).unwrap();
            prop_assert_eq!(back.audit().tree_head(), l.audit().tree_head());
            prop_assert_eq!(back.trial_balance(d(4000)).ok(), l.trial_balance(d(4000)).ok());
            let a: Vec<_> = back.entries().map(crate::EntryRef::to_entry).collect();
            let b: Vec<_> = l.entries().map(crate::EntryRef::to_entry).collect();
            prop_assert_eq!(a, b);
            prop_assert!(back.verify().is_ok());
            prop_assert!(back == l);
            // A flipped byte anywhere is a typed error or some ledger, never a panic (a
            // flipped amount or memo byte still describes a ledger: integrity is the job of
            // the SHA-256 around the snapshot, see `koperasi::Koperasi::from_snapshot`).
            let mut bad = bytes.clone();
            let i = flip.index(bad.len());
            bad[i] ^= 0x41;
            match Ledger::from_snapshot(&bad) {
                Ok(other) => prop_assert!(other.audit().len() == l.audit().len()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }

    use crate::ledger::{Reversal, YearClose, YearReopen};
}
