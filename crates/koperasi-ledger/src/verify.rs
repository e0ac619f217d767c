//! The ledger side of the audit log: leaves, verification, proofs and checkpoints.

use koperasi_core::EntryId;

use crate::audit::{
    AuditLog, BalanceProof, BalanceTree, Checkpoint, Hash, InclusionProof, TreeHead,
};
use crate::encoding::{encode_entry, encode_event};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, SNAPSHOT_EVERY};

enum Record {
    Entry(u32),
    Event(usize),
}

impl Ledger {
    /// The record (entry or period event) stored for a leaf index, by merging the two
    /// leaf-ordered sequences.
    fn leaf_records(&self) -> impl Iterator<Item = (u64, Option<Record>)> + '_ {
        let mut ei = 0usize;
        let mut vi = 0usize;
        (0..self.audit.len()).map(move |leaf| {
            let entry = self.entries.get(ei).filter(|e| e.leaf == leaf);
            if entry.is_some() {
                let r = Record::Entry(u32::try_from(ei).unwrap_or(u32::MAX));
                ei = ei.saturating_add(1);
                return (leaf, Some(r));
            }
            let event = self.events.get(vi).filter(|e| e.leaf() == leaf);
            if event.is_some() {
                let r = Record::Event(vi);
                vi = vi.saturating_add(1);
                return (leaf, Some(r));
            }
            (leaf, None)
        })
    }

    fn encode_record(&self, r: &Record, buf: &mut Vec<u8>) {
        match *r {
            Record::Entry(i) => encode_entry(self, i, buf),
            Record::Event(i) => {
                if let Some(ev) = self.events.get(i) {
                    encode_event(ev, buf);
                }
            }
        }
    }

    /// The canonical bytes of leaf `index` of the audit log, re-encoded from the stored entry
    /// or period event (see the crate docs, "Canonical encoding").
    pub fn leaf_bytes(&self, index: u64) -> Option<Vec<u8>> {
        let (_, rec) = self.leaf_records().find(|(leaf, _)| *leaf == index)?;
        let mut buf = Vec::with_capacity(128);
        self.encode_record(&rec?, &mut buf);
        Some(buf)
    }

    /// Checks the books against their audit log: every leaf is re-encoded from the stored
    /// entries and period events and compared with the log's leaf hash, the root is
    /// recomputed from scratch, and the running account totals are recomputed from the lines.
    /// Detects any changed, removed, inserted or reordered entry.
    ///
    /// (A forger who rewrites entries *and* rebuilds the whole log passes this check; what
    /// catches them is a checkpoint kept elsewhere: [`verify_tree_head`](Self::verify_tree_head).)
    ///
    /// # Errors
    /// [`Error::AuditMismatch`] with the first leaf index that differs and what differs.
    #[doc(alias = "verifikasi")]
    pub fn verify(&self) -> Result<()> {
        let n = self.audit.len();
        let records =
            u64::try_from(self.entries.len().saturating_add(self.events.len())).unwrap_or(u64::MAX);
        if records != n {
            return Err(Error::AuditMismatch {
                index: n.min(records),
                reason: "the log and the books hold different numbers of records",
            });
        }
        let mut rebuilt = AuditLog::with_capacity(usize::try_from(n).unwrap_or(0));
        let mut buf = Vec::with_capacity(256);
        let mut next_line = 0u32;
        for (leaf, rec) in self.leaf_records() {
            let Some(rec) = rec else {
                return Err(Error::AuditMismatch {
                    index: leaf,
                    reason: "no entry or period event for this leaf (removed or reordered)",
                });
            };
            if let Record::Entry(i) = rec
                && let Some(e) = self.entries.get(i as usize)
            {
                if e.first_line != next_line {
                    return Err(Error::AuditMismatch {
                        index: leaf,
                        reason: "entry lines are not contiguous (lines inserted or removed)",
                    });
                }
                next_line = next_line.saturating_add(e.n_lines);
                if let Some(reason) = self.entry_inconsistency(i) {
                    return Err(Error::AuditMismatch {
                        index: leaf,
                        reason,
                    });
                }
            }
            buf.clear();
            self.encode_record(&rec, &mut buf);
            let h = Hash::of_leaf(&buf);
            if self.audit.leaf_hash(leaf) != Some(h) {
                return Err(Error::AuditMismatch {
                    index: leaf,
                    reason: "stored record differs from the logged leaf",
                });
            }
            rebuilt.append_hash(h);
        }
        if usize::try_from(next_line).ok() != Some(self.lines.len()) {
            return Err(Error::AuditMismatch {
                index: n,
                reason: "lines exist outside every entry",
            });
        }
        if rebuilt.tree_head() != self.audit.tree_head() {
            return Err(Error::AuditMismatch {
                index: n,
                reason: "root recomputed from the leaves differs from the log's root",
            });
        }
        if self.sums_from_lines(self.lines.len()) != self.totals {
            return Err(Error::AuditMismatch {
                index: n,
                reason: "running account totals differ from the lines",
            });
        }
        Ok(())
    }

    /// Checks that the books, re-encoded, produce exactly `head` at `head.size`: proof that
    /// none of the first `head.size` records was changed since that tree head was published
    /// (e.g. in a monthly checkpoint kept by the city office).
    ///
    /// # Errors
    /// [`Error::Audit`] ([`crate::audit::Error::SizeOutOfRange`] or
    /// [`crate::audit::Error::RootMismatch`]).
    pub fn verify_tree_head(&self, head: &TreeHead) -> Result<()> {
        if head.size > self.audit.len() {
            return Err(crate::audit::Error::SizeOutOfRange {
                size: head.size,
                len: self.audit.len(),
            }
            .into());
        }
        let mut rebuilt = AuditLog::with_capacity(usize::try_from(head.size).unwrap_or(0));
        let mut buf = Vec::with_capacity(256);
        for (_, rec) in self
            .leaf_records()
            .take(usize::try_from(head.size).unwrap_or(usize::MAX))
        {
            buf.clear();
            if let Some(rec) = rec {
                self.encode_record(&rec, &mut buf);
            }
            rebuilt.append(&buf);
        }
        let computed = rebuilt.tree_head().root;
        if computed != head.root {
            return Err(crate::audit::Error::RootMismatch {
                tree_size: head.size,
                expected: head.root,
                computed,
            }
            .into());
        }
        Ok(())
    }

    /// Derived data of entry `i` that the leaf does not cover: line dates and reversal links.
    /// Checks the books against a checkpoint kept elsewhere (already signature-checked, e.g.
    /// by [`Checkpoint::verify_signed`]): its tree head, as
    /// [`verify_tree_head`](Self::verify_tree_head), and — when it carries a `balances`
    /// extension — its balances root, against the balance tree **recomputed from the entries**
    /// (the lines of the first `size` records, summed from scratch: no stored total or
    /// snapshot is trusted). A checkpoint whose balances root is only a value the cooperative
    /// signed, and does not follow from its books, is rejected.
    ///
    /// ```
    /// # use koperasi_ledger::{ChartOfAccounts, Ledger};
    /// # use chrono::NaiveDate;
    /// let books = Ledger::new(ChartOfAccounts::standard_kkmp()?, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// let cp = books.checkpoint("koperasi.example/kdmp/ledger")?;
    /// books.verify_checkpoint(&cp)?;
    /// # Ok::<(), koperasi_ledger::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`verify_tree_head`](Self::verify_tree_head) (a checkpoint larger than the books, or
    /// another root); [`Error::BalancesRootMismatch`] when the balances root differs.
    #[doc(alias = "verifikasi titik periksa")]
    pub fn verify_checkpoint(&self, checkpoint: &Checkpoint) -> Result<()> {
        let head = checkpoint.tree_head();
        self.verify_tree_head(&head)?;
        let Some(claimed) = checkpoint.balances_root() else {
            return Ok(());
        };
        let computed = self.balance_tree_from_lines(head.size)?.root();
        if computed != claimed {
            return Err(Error::BalancesRootMismatch {
                tree_size: head.size,
                claimed,
                computed,
            });
        }
        Ok(())
    }

    /// The balance tree at tree size `size`, summed from the lines of the entries logged
    /// before it (no running total or snapshot used).
    fn balance_tree_from_lines(&self, size: u64) -> Result<BalanceTree> {
        let mut sums = vec![(0i128, 0i128); self.chart.accounts().len()];
        for e in self.entries.iter().take_while(|e| e.leaf < size) {
            let first = e.first_line as usize;
            let lines = self
                .lines
                .get(first..first.saturating_add(e.n_lines as usize))
                .unwrap_or(&[]);
            for l in lines {
                if let Some(t) = sums.get_mut(l.account as usize) {
                    if l.amount >= 0 {
                        t.0 = t.0.saturating_add(i128::from(l.amount));
                    } else {
                        t.1 = t.1.saturating_add(i128::from(l.amount).saturating_neg());
                    }
                }
            }
        }
        let mut rows: Vec<(&str, i128)> = self
            .chart
            .accounts()
            .iter()
            .zip(&sums)
            .filter(|(a, _)| a.postable)
            .map(|(a, t)| (a.code.as_str(), t.0.saturating_sub(t.1)))
            .collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        Ok(BalanceTree::from_balances(size, rows)?)
    }

    fn entry_inconsistency(&self, i: u32) -> Option<&'static str> {
        use crate::ledger::{NONE, StoredKind};
        let e = self.entries.get(i as usize)?;
        let first = e.first_line as usize;
        let lines = self
            .lines
            .get(first..first.saturating_add(e.n_lines as usize))?;
        if lines.iter().any(|l| l.date != e.date) {
            return Some("a line's date differs from its entry's date");
        }
        if let StoredKind::Reversal(of) = e.kind
            && self.entries.get(of as usize).map(|o| o.reversed_by) != Some(i)
        {
            return Some("reversal link is not mirrored by the reversed entry");
        }
        if e.reversed_by != NONE {
            let ok = self
                .entries
                .get(e.reversed_by as usize)
                .is_some_and(|r| r.kind == StoredKind::Reversal(i));
            if !ok {
                return Some("entry marked reversed by an entry that does not reverse it");
            }
        }
        None
    }

    /// Per-account totals over the first `n` lines.
    fn sums_from_lines(&self, n: usize) -> Vec<(i128, i128)> {
        let mut out = vec![(0i128, 0i128); self.totals.len()];
        for l in self.lines.iter().take(n) {
            if let Some(t) = out.get_mut(l.account as usize) {
                if l.amount >= 0 {
                    t.0 = t.0.saturating_add(i128::from(l.amount));
                } else {
                    t.1 = t.1.saturating_add(i128::from(l.amount).saturating_neg());
                }
            }
        }
        out
    }

    /// Per-account totals after the records of the first `size` leaves.
    fn totals_at_size(&self, size: u64) -> Vec<(i128, i128)> {
        let n = self.entries.partition_point(|e| e.leaf < size);
        if n >= self.entries.len() {
            return self.totals.clone();
        }
        let k = n.checked_div(SNAPSHOT_EVERY).unwrap_or(0);
        let mut out = k
            .checked_sub(1)
            .and_then(|i| self.snapshots.get(i))
            .cloned()
            .unwrap_or_default();
        out.resize(self.totals.len(), (0, 0));
        let start = k.saturating_mul(SNAPSHOT_EVERY);
        for e in self.entries.get(start..n).unwrap_or(&[]) {
            let first = e.first_line as usize;
            let lines = self
                .lines
                .get(first..first.saturating_add(e.n_lines as usize))
                .unwrap_or(&[]);
            for l in lines {
                if let Some(t) = out.get_mut(l.account as usize) {
                    if l.amount >= 0 {
                        t.0 = t.0.saturating_add(i128::from(l.amount));
                    } else {
                        t.1 = t.1.saturating_add(i128::from(l.amount).saturating_neg());
                    }
                }
            }
        }
        out
    }

    /// The balance tree at log tree size `size`: every postable account's balance (net debit
    /// in sen: Σ debit − Σ credit, so credit-normal accounts are negative) after the first
    /// `size` records, in code order. Its root goes into checkpoints as the `balances`
    /// extension.
    ///
    /// # Errors
    /// [`Error::Audit`] ([`crate::audit::Error::SizeOutOfRange`]) for a size beyond the log.
    pub fn balance_tree(&self, size: u64) -> Result<BalanceTree> {
        if size > self.audit.len() {
            return Err(crate::audit::Error::SizeOutOfRange {
                size,
                len: self.audit.len(),
            }
            .into());
        }
        let totals = self.totals_at_size(size);
        let mut rows: Vec<(&str, i128)> = self
            .chart
            .accounts()
            .iter()
            .zip(&totals)
            .filter(|(a, _)| a.postable)
            .map(|(a, t)| (a.code.as_str(), t.0.saturating_sub(t.1)))
            .collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        Ok(BalanceTree::from_balances(size, rows)?)
    }

    /// Proof of an account's balance (net debit in sen) at log tree size `size`, verifiable
    /// against a checkpoint of that size carrying the `balances` root
    /// ([`checkpoint_at`](Self::checkpoint_at)).
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`] for a code not in the chart (or a header); [`Error::Audit`]
    /// for a size beyond the log.
    #[doc(alias = "bukti saldo")]
    pub fn balance_proof(&self, account: &str, size: u64) -> Result<BalanceProof> {
        if !self.chart.get(account).is_some_and(|a| a.postable) {
            return Err(Error::NoSuchAccount {
                code: crate::AccountCode::unchecked(account),
            });
        }
        Ok(self.balance_tree(size)?.prove(account)?)
    }

    /// The inclusion proof of an entry in the log at its current size.
    ///
    /// # Errors
    /// [`Error::EntryNotFound`].
    pub fn inclusion_proof(&self, id: EntryId) -> Result<InclusionProof> {
        let e = self.entry(id).ok_or(Error::EntryNotFound { id })?;
        Ok(self.audit.inclusion_proof(e.leaf(), self.audit.len())?)
    }

    /// The checkpoint of the log at its current size, with the `balances` extension
    /// (the state root of [`balance_tree`](Self::balance_tree)). Sign it with
    /// [`Checkpoint::sign`].
    ///
    /// # Errors
    /// [`Error::Audit`] for a bad origin line.
    #[doc(alias = "titik periksa")]
    pub fn checkpoint(&self, origin: &str) -> Result<Checkpoint> {
        self.checkpoint_at(origin, self.audit.len())
    }

    /// The checkpoint the log had at `size` records, with its `balances` extension.
    ///
    /// # Errors
    /// [`Error::Audit`] for a size beyond the log or a bad origin line.
    pub fn checkpoint_at(&self, origin: &str, size: u64) -> Result<Checkpoint> {
        let head = self.audit.tree_head_at(size)?;
        let tree = self.balance_tree(size)?;
        Ok(Checkpoint::new(origin, head)?.with_balances_root(tree.root())?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};

    use crate::ledger::StoredKind;
    use crate::{
        BusinessUnit, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line, Reversal,
        YearClose, kkmp,
    };

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    /// Books with members, dimensions, a reversal and a closed year.
    fn sample() -> Ledger {
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        let a = ActorId::from_u128(1);
        for n in 1..=6u128 {
            let amt = Rupiah::from_rupiah(1000 * i64::try_from(n).unwrap());
            let e = JournalEntry::new(EntryId::from_u128(n), d(2, u32::try_from(n).unwrap()), a)
                .with_memo(format!("penjualan {n}"))
                .with_source(format!("sale:{n}"))
                .with_line(Line::debit(kkmp::KAS, amt).unwrap())
                .with_line(
                    Line::credit(&kkmp::member_revenue("02"), amt)
                        .unwrap()
                        .unit(BusinessUnit::Sembako)
                        .counterparty(Counterparty::Member)
                        .member(MemberId::from_u128(n % 3)),
                );
            l.post(&e).unwrap();
        }
        l.reverse(
            EntryId::from_u128(2),
            &Reversal::new(EntryId::from_u128(7), d(3, 1), a, "salah"),
        )
        .unwrap();
        l.close_year(YearClose::new(
            FiscalYear::calendar(2025).unwrap(),
            EntryId::from_u128(8),
            kkmp::SHU_TAHUN_BERJALAN.parse().unwrap(),
            a,
        ))
        .unwrap();
        l.verify().unwrap();
        l
    }

    type Mutation = (&'static str, Box<dyn Fn(&mut Ledger)>);

    fn detected(l: &Ledger, what: &str) {
        assert!(l.verify().is_err(), "mutation not detected: {what}");
    }

    #[test]
    fn every_single_field_mutation_of_a_stored_entry_is_detected() {
        let base = sample();
        for i in 0..base.entries.len() {
            let muts: Vec<Mutation> = vec![
                (
                    "id",
                    Box::new(move |l| l.entries[i].id = EntryId::from_u128(999)),
                ),
                (
                    "actor",
                    Box::new(move |l| l.entries[i].actor = ActorId::from_u128(999)),
                ),
                ("date", Box::new(move |l| l.entries[i].date += 1)),
                ("leaf", Box::new(move |l| l.entries[i].leaf += 1)),
                (
                    "first_line",
                    Box::new(move |l| l.entries[i].first_line += 1),
                ),
                ("n_lines", Box::new(move |l| l.entries[i].n_lines -= 1)),
                (
                    "memo",
                    Box::new(move |l| l.entries[i].memo.1 = l.entries[i].memo.1.saturating_sub(1)),
                ),
                (
                    "source",
                    Box::new(move |l| {
                        l.entries[i].source.1 = l.entries[i].source.1.saturating_sub(1);
                    }),
                ),
                (
                    "kind",
                    Box::new(move |l| {
                        l.entries[i].kind = match l.entries[i].kind {
                            StoredKind::Normal => {
                                StoredKind::Closing(FiscalYear::calendar(2025).unwrap())
                            }
                            _ => StoredKind::Normal,
                        }
                    }),
                ),
                (
                    "reversed_by",
                    Box::new(move |l| {
                        l.entries[i].reversed_by = if l.entries[i].reversed_by == u32::MAX {
                            0
                        } else {
                            u32::MAX
                        }
                    }),
                ),
            ];
            for (what, m) in &muts {
                let mut l = base.clone();
                m(&mut l);
                detected(&l, &format!("entry {i} {what}"));
            }
        }
        for li in 0..base.lines.len() {
            let muts: Vec<Mutation> = vec![
                ("amount", Box::new(move |l| l.lines[li].amount += 1)),
                (
                    "sign",
                    Box::new(move |l| l.lines[li].amount = -l.lines[li].amount),
                ),
                (
                    "account",
                    Box::new(move |l| l.lines[li].account = (l.lines[li].account + 1) % 10),
                ),
                (
                    "member",
                    Box::new(move |l| {
                        l.lines[li].member = if l.lines[li].member == u32::MAX {
                            0
                        } else {
                            u32::MAX
                        }
                    }),
                ),
                ("date", Box::new(move |l| l.lines[li].date -= 1)),
                ("unit", Box::new(move |l| l.lines[li].unit ^= 1)),
                ("counterparty", Box::new(move |l| l.lines[li].cp ^= 1)),
            ];
            for (what, m) in &muts {
                let mut l = base.clone();
                m(&mut l);
                detected(&l, &format!("line {li} {what}"));
            }
        }
        // text bytes, member table, period events
        for pos in 0..base.text.len() {
            let mut l = base.clone();
            let mut bytes = l.text.clone().into_bytes();
            bytes[pos] = if bytes[pos] == b'x' { b'y' } else { b'x' };
            l.text = String::from_utf8(bytes).unwrap();
            detected(&l, &format!("text byte {pos}"));
        }
        let mut l = base.clone();
        l.members[0] = MemberId::from_u128(77);
        detected(&l, "member table");
        let mut l = base.clone();
        if let crate::PeriodEvent::Close { actor, .. } = &mut l.events[0] {
            *actor = ActorId::from_u128(5);
        }
        detected(&l, "close event");
    }

    #[test]
    fn removed_inserted_and_reordered_entries_are_detected() {
        let base = sample();
        // removed (last entry, so the rest stays consistent)
        let mut l = base.clone();
        l.entries.remove(1);
        detected(&l, "removed");
        // inserted: a copy of an entry
        let mut l = base.clone();
        let copy = l.entries[0].clone();
        l.entries.insert(1, copy);
        detected(&l, "inserted");
        // reordered: swap two entries' contents but keep their leaf numbers
        let mut l = base.clone();
        let (a, b) = (l.entries[0].clone(), l.entries[3].clone());
        l.entries[0] = crate::ledger::StoredEntry {
            leaf: a.leaf,
            ..b.clone()
        };
        l.entries[3] = crate::ledger::StoredEntry { leaf: b.leaf, ..a };
        detected(&l, "reordered");
        // a period event removed
        let mut l = base.clone();
        l.events.clear();
        detected(&l, "event removed");
    }

    #[test]
    fn a_rebuilt_log_is_caught_by_an_old_checkpoint() {
        let base = sample();
        let checkpoint = base.checkpoint("kdmp-sukamaju/ledger").unwrap();
        base.verify_tree_head(&checkpoint.tree_head()).unwrap();
        // the forger edits an amount and rebuilds the whole log and totals consistently
        let mut forged = base.clone();
        forged.lines[0].amount += 100;
        forged.lines[1].amount -= 100;
        let mut rebuilt = crate::audit::AuditLog::new();
        for i in 0..forged.audit.len() {
            rebuilt.append(&forged.leaf_bytes(i).unwrap());
        }
        forged.audit = rebuilt;
        forged.totals = forged.sums_from_lines(forged.lines.len());
        forged.verify().unwrap();
        assert!(forged.verify_tree_head(&checkpoint.tree_head()).is_err());
        // and the consistency proof from the old head to the forged log fails too
        let proof = forged
            .audit()
            .consistency_proof(checkpoint.size(), forged.audit().len())
            .unwrap();
        assert!(
            proof
                .verify(&checkpoint.tree_head(), &forged.audit().tree_head())
                .is_err()
        );
    }

    #[test]
    fn proofs_and_checkpoints() {
        let l = sample();
        let size = l.audit().len();
        let cp = l.checkpoint("kdmp-sukamaju/ledger").unwrap();
        assert_eq!(cp.size(), size);
        // inclusion of every entry
        for e in l.entries() {
            let p = l.inclusion_proof(e.id()).unwrap();
            p.verify(&l.leaf_bytes(e.leaf()).unwrap(), &cp.tree_head())
                .unwrap();
        }
        // balance of cash now and at an earlier size
        let proof = l.balance_proof(kkmp::KAS, size).unwrap();
        assert_eq!(proof.balance_sen, 1_900_000);
        proof.verify_checkpoint(&cp).unwrap();
        let early = l.checkpoint_at("kdmp-sukamaju/ledger", 2).unwrap();
        let p2 = l.balance_proof(kkmp::KAS, 2).unwrap();
        assert_eq!(p2.balance_sen, 300_000);
        p2.verify_checkpoint(&early).unwrap();
        assert!(p2.verify_checkpoint(&cp).is_err());
        assert!(l.balance_proof("1", size).is_err());
        assert!(l.balance_proof(kkmp::KAS, size + 1).is_err());
        assert!(l.leaf_bytes(size).is_none());
        // signed checkpoint round trip
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let signer = crate::audit::NoteSigner::new("kdmp-sukamaju", key).unwrap();
        let signed = cp.sign(&signer);
        let back = crate::audit::Checkpoint::verify_signed(&signed, &signer.verifier()).unwrap();
        assert_eq!(back, cp);
    }

    #[test]
    fn balances_at_past_sizes_use_snapshots_correctly() {
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        let a = ActorId::from_u128(1);
        let n = crate::ledger::SNAPSHOT_EVERY * 2 + 10;
        for i in 0..n {
            let e = JournalEntry::new(EntryId::from_u128(i as u128 + 1), d(1, 2), a)
                .debit(kkmp::KAS, Rupiah::from_rupiah(1))
                .unwrap()
                .credit(kkmp::HIBAH, Rupiah::from_rupiah(1))
                .unwrap();
            l.post(&e).unwrap();
        }
        for size in [0u64, 1, 4095, 4096, 4097, 8192, 8200, n as u64] {
            let p = l.balance_proof(kkmp::KAS, size).unwrap();
            assert_eq!(p.balance_sen, i128::from(size) * 100, "size {size}");
        }
    }

    /// Regression (issue 19): a checkpoint's balances root was only a value the cooperative
    /// signs. The verifier now recomputes the balance tree from the entries and rejects a
    /// checkpoint whose balances root differs — even with a correct tree head.
    #[test]
    fn regression_checkpoint_balances_root_is_recomputed_from_the_entries() {
        let l = sample();
        let origin = "kdmp-sukamaju/ledger";
        for size in 0..=l.audit().len() {
            let cp = l.checkpoint_at(origin, size).unwrap();
            l.verify_checkpoint(&cp).unwrap();
            // Same tree head, another balances root (the balance tree of another size).
            let other = l
                .balance_tree((size + 1) % (l.audit().len() + 1))
                .unwrap()
                .root();
            if other == cp.balances_root().unwrap() {
                continue;
            }
            let forged = crate::audit::Checkpoint::new(origin, cp.tree_head())
                .unwrap()
                .with_balances_root(other)
                .unwrap();
            match l.verify_checkpoint(&forged) {
                Err(crate::Error::BalancesRootMismatch {
                    tree_size,
                    claimed,
                    computed,
                }) => {
                    assert_eq!(tree_size, size);
                    assert_eq!(claimed, other);
                    assert_eq!(computed, cp.balances_root().unwrap());
                }
                r => panic!("size {size}: forged balances root accepted: {r:?}"),
            }
        }
        // Without the extension only the tree head is checked; a larger size is refused.
        let bare = crate::audit::Checkpoint::new(origin, l.audit().tree_head()).unwrap();
        l.verify_checkpoint(&bare).unwrap();
        let mut short = l.clone();
        short.entries.pop();
        assert!(
            short
                .verify_checkpoint(&l.checkpoint(origin).unwrap())
                .is_err()
        );
    }

    /// The recomputation does not trust the stored running totals or snapshots: a ledger
    /// whose totals were edited still yields the balances root its lines give.
    #[test]
    fn checkpoint_balances_do_not_trust_stored_totals() {
        let l = sample();
        let cp = l.checkpoint("kdmp-sukamaju/ledger").unwrap();
        let mut edited = l.clone();
        if let Some(t) = edited.totals.first_mut() {
            t.0 += 1;
        }
        edited.verify_checkpoint(&cp).unwrap();
        // …while a checkpoint signed over the edited totals is rejected.
        let lying = edited.checkpoint("kdmp-sukamaju/ledger").unwrap();
        if lying.balances_root() != cp.balances_root() {
            assert!(matches!(
                edited.verify_checkpoint(&lying),
                Err(crate::Error::BalancesRootMismatch { .. })
            ));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Invariant: for every tree size, the ledger's own checkpoint verifies, and the
        /// balance tree recomputed from the lines equals the one built from the running totals
        /// and snapshots.
        #[test]
        fn prop_checkpoint_balances_root_matches_recomputation(
            amounts in proptest::collection::vec(1i64..1_000_000, 0..12),
        ) {
            let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
            let a = ActorId::from_u128(1);
            for (i, amt) in amounts.iter().enumerate() {
                let e = JournalEntry::new(EntryId::from_u128(i as u128 + 1), d(1, 2), a)
                    .debit(kkmp::KAS, Rupiah::from_rupiah(*amt))
                    .unwrap()
                    .credit(kkmp::HIBAH, Rupiah::from_rupiah(*amt))
                    .unwrap();
                l.post(&e).unwrap();
            }
            for size in 0..=l.audit().len() {
                let cp = l.checkpoint_at("o", size).unwrap();
                proptest::prop_assert!(l.verify_checkpoint(&cp).is_ok());
                proptest::prop_assert_eq!(
                    l.balance_tree_from_lines(size).unwrap().root(),
                    l.balance_tree(size).unwrap().root()
                );
            }
        }
    }
}
