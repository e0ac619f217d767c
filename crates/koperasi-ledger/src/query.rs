//! Read access: entry views, balances, trial balance, general ledger, drill-down queries.

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, MemberId, Period, Rupiah};

use crate::chart::{AccountCode, Side};
use crate::entry::{
    BusinessUnit, Counterparty, Dimensions, EntryKind, JournalEntry, Line, PostedEntry,
};
use crate::error::{Error, Result};
use crate::fx::FxMap;
use crate::ledger::{
    Balance, GeneralLedger, GeneralLedgerRow, Ledger, NONE, StoredEntry, StoredKind, StoredLine,
    TrialBalance, TrialBalanceRow, days, from_days,
};

/// A borrowed view of one posted entry (cheap; no allocation until you ask for owned data).
#[derive(Clone, Copy)]
pub struct EntryRef<'a> {
    ledger: &'a Ledger,
    e: &'a StoredEntry,
}

impl core::fmt::Debug for EntryRef<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EntryRef")
            .field("id", &self.e.id)
            .field("date", &self.date())
            .field("leaf", &self.e.leaf)
            .finish_non_exhaustive()
    }
}

/// A borrowed view of one posted line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LineRef<'a> {
    /// The account.
    pub account: &'a AccountCode,
    /// Debit or credit.
    pub side: Side,
    /// The (positive) amount.
    pub amount: Rupiah,
    /// Unit, counterparty, member.
    pub dims: Dimensions,
}

impl LineRef<'_> {
    /// An owned [`Line`].
    pub fn to_line(self) -> Line {
        Line::new(self.account.clone(), self.side, self.amount).with_dims(self.dims)
    }
}

impl<'a> EntryRef<'a> {
    /// The id.
    pub fn id(&self) -> EntryId {
        self.e.id
    }
    /// The date.
    pub fn date(&self) -> NaiveDate {
        from_days(self.e.date)
    }
    /// The memo.
    pub fn memo(&self) -> &'a str {
        self.ledger.text_at(self.e.memo)
    }
    /// The source.
    pub fn source(&self) -> &'a str {
        self.ledger.text_at(self.e.source)
    }
    /// The actor.
    pub fn actor(&self) -> ActorId {
        self.e.actor
    }
    /// Ordinary, reversal or closing.
    pub fn kind(&self) -> EntryKind {
        match self.e.kind {
            StoredKind::Normal => EntryKind::Normal,
            StoredKind::Reversal(of) => EntryKind::Reversal {
                of: self
                    .ledger
                    .entries
                    .get(of as usize)
                    .map_or(EntryId::from_u128(0), |o| o.id),
            },
            StoredKind::Closing(year) => EntryKind::Closing { year },
        }
    }
    /// Leaf index in the audit log.
    pub fn leaf(&self) -> u64 {
        self.e.leaf
    }
    /// The entry that reversed this one.
    pub fn reversed_by(&self) -> Option<EntryId> {
        (self.e.reversed_by != NONE)
            .then(|| self.ledger.entries.get(self.e.reversed_by as usize))
            .flatten()
            .map(|r| r.id)
    }
    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.e.n_lines as usize
    }
    fn stored_lines(&self) -> &'a [StoredLine] {
        let start = self.e.first_line as usize;
        let end = start.saturating_add(self.e.n_lines as usize);
        self.ledger.lines.get(start..end).unwrap_or(&[])
    }
    /// The lines.
    pub fn lines(&self) -> impl Iterator<Item = LineRef<'a>> + 'a {
        let ledger = self.ledger;
        self.stored_lines()
            .iter()
            .filter_map(move |l| ledger.line_ref(l))
    }
    /// The entry as the caller wrote it.
    pub fn to_entry(self) -> JournalEntry {
        let mut e = JournalEntry::new(self.id(), self.date(), self.actor())
            .with_memo(self.memo())
            .with_source(self.source());
        e.lines = self.lines().map(LineRef::to_line).collect();
        e
    }
    /// The entry with its ledger metadata.
    pub fn to_posted(self) -> PostedEntry {
        PostedEntry {
            entry: self.to_entry(),
            kind: self.kind(),
            leaf: self.leaf(),
            reversed_by: self.reversed_by(),
        }
    }
}

impl Ledger {
    pub(crate) fn text_at(&self, (start, len): (u32, u32)) -> &str {
        let s = start as usize;
        self.text
            .get(s..s.saturating_add(len as usize))
            .unwrap_or("")
    }

    pub(crate) fn line_ref(&self, l: &StoredLine) -> Option<LineRef<'_>> {
        let account = &self.chart.accounts().get(l.account as usize)?.code;
        let side = if l.amount >= 0 {
            Side::Debit
        } else {
            Side::Credit
        };
        Some(LineRef {
            account,
            side,
            amount: Rupiah::from_sen(l.amount.saturating_abs()),
            dims: Dimensions {
                unit: BusinessUnit::from_number(l.unit),
                counterparty: Counterparty::from_number(l.cp),
                member: self.members.get(l.member as usize).copied(),
            },
        })
    }

    pub(crate) fn entry_ref(&self, idx: u32) -> Option<EntryRef<'_>> {
        self.entries
            .get(idx as usize)
            .map(|e| EntryRef { ledger: self, e })
    }

    /// The entry with this id.
    pub fn entry(&self, id: EntryId) -> Option<EntryRef<'_>> {
        self.by_id.get(&id).and_then(|&i| self.entry_ref(i))
    }

    /// Every posted entry, in posting order (reversals and closing entries included).
    pub fn entries(&self) -> impl ExactSizeIterator<Item = EntryRef<'_>> + '_ {
        self.entries
            .iter()
            .map(move |e| EntryRef { ledger: self, e })
    }

    fn entry_of_line(&self, line: usize) -> Option<usize> {
        let p = self
            .entries
            .partition_point(|e| (e.first_line as usize) <= line);
        p.checked_sub(1)
    }

    /// The entries with at least one line for `member`, in posting order.
    #[doc(alias = "mutasi anggota")]
    pub fn entries_by_member(&self, member: MemberId) -> Vec<EntryRef<'_>> {
        let Some(&m) = self.member_ix.get(&member) else {
            return Vec::new();
        };
        let mut out: Vec<EntryRef<'_>> = Vec::new();
        let mut last = usize::MAX;
        for (i, l) in self.lines.iter().enumerate() {
            if l.member == m
                && let Some(e) = self.entry_of_line(i)
                && e != last
            {
                last = e;
                if let Some(r) = self.entry_ref(u32::try_from(e).unwrap_or(NONE)) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// The entries whose source is exactly `source`, in posting order (a reversal carries
    /// its original's source, so both are found).
    pub fn entries_by_source(&self, source: &str) -> Vec<EntryRef<'_>> {
        self.entries().filter(|e| e.source() == source).collect()
    }

    /// The entries whose source starts with `prefix` (e.g. `loan:<id>/`), in posting order.
    pub fn entries_by_source_prefix(&self, prefix: &str) -> Vec<EntryRef<'_>> {
        self.entries()
            .filter(|e| e.source().starts_with(prefix))
            .collect()
    }

    /// Account indices at or under `code`.
    fn leaf_set(&self, code: &str) -> Result<Vec<bool>> {
        if !self.chart.contains(code) {
            return Err(Error::NoSuchAccount {
                code: AccountCode::unchecked(code),
            });
        }
        Ok(self
            .chart
            .accounts()
            .iter()
            .map(|a| self.chart.is_under(a.code.as_str(), code))
            .collect())
    }

    /// Per-account (Σ debit, Σ credit) in sen over lines dated `from..=to`; closing entries
    /// excluded when `without_closing`.
    pub(crate) fn sums(
        &self,
        from: Option<i32>,
        to: i32,
        without_closing: bool,
    ) -> Vec<(i128, i128)> {
        if from.is_none() && to >= self.max_date && !without_closing {
            return self.totals.clone();
        }
        let mut out = vec![(0i128, 0i128); self.totals.len()];
        let lo = from.unwrap_or(i32::MIN);
        let mut add = |l: &StoredLine| {
            if l.date <= to
                && l.date >= lo
                && let Some(t) = out.get_mut(l.account as usize)
            {
                if l.amount >= 0 {
                    t.0 = t.0.saturating_add(i128::from(l.amount));
                } else {
                    t.1 = t.1.saturating_add(i128::from(l.amount).saturating_neg());
                }
            }
        };
        if without_closing {
            for e in &self.entries {
                if matches!(e.kind, StoredKind::Closing(_)) || e.date > to || e.date < lo {
                    continue;
                }
                for l in (EntryRef { ledger: self, e }).stored_lines() {
                    add(l);
                }
            }
        } else {
            for l in &self.lines {
                add(l);
            }
        }
        out
    }

    fn totals_of(&self, code: &str, sums: &[(i128, i128)]) -> Result<Balance> {
        // An account without children is its own total: no walk over the chart.
        if let Some(i) = self.chart.index_of(code)
            && self.chart.children(code).next().is_none()
        {
            let (d, c) = sums.get(i).copied().unwrap_or((0, 0));
            return balance(d, c);
        }
        let set = self.leaf_set(code)?;
        let (mut d, mut c) = (0i128, 0i128);
        for (t, _) in sums.iter().zip(set).filter(|(_, u)| *u) {
            d = d.saturating_add(t.0);
            c = c.saturating_add(t.1);
        }
        balance(d, c)
    }

    /// Debit and credit totals of an account (a header sums its leaves) over every entry dated
    /// on or before `as_of`, closing entries included.
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`]; `Error::Core` if a total exceeds `Rupiah`'s range.
    pub fn totals(&self, code: &str, as_of: NaiveDate) -> Result<Balance> {
        let to = days(as_of);
        if to >= self.max_date {
            // Every line counts: the running totals, not a copy of them.
            return self.totals_of(code, &self.totals);
        }
        self.totals_of(code, &self.sums(None, to, false))
    }

    /// The balance of an account as of a date (inclusive), on the account's normal side
    /// (positive = normal). A header account sums its leaves.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use koperasi_core::{ActorId, EntryId, Rupiah};
    /// # use koperasi_ledger::{kkmp, ChartOfAccounts, JournalEntry, Ledger};
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, d(1, 1));
    /// books.post(
    ///     &JournalEntry::new(EntryId::from_u128(1), d(1, 2), ActorId::from_u128(1))
    ///         .debit(kkmp::KAS, Rupiah::from_rupiah(100_000))?
    ///         .credit(kkmp::SIMPANAN_POKOK, Rupiah::from_rupiah(100_000))?,
    /// )?;
    /// assert_eq!(books.balance(kkmp::KAS, d(1, 2))?, Rupiah::from_rupiah(100_000));
    /// assert_eq!(books.balance(kkmp::KAS, d(1, 1))?, Rupiah::ZERO);
    /// assert_eq!(books.balance("1", d(12, 31))?, Rupiah::from_rupiah(100_000)); // Aset
    /// # Ok::<(), koperasi_ledger::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`]; `Error::Core` on a total beyond `Rupiah`'s range.
    #[doc(alias = "saldo")]
    pub fn balance(&self, code: &str, as_of: NaiveDate) -> Result<Rupiah> {
        let side = self
            .chart
            .get(code)
            .map(crate::chart::Account::normal_side)
            .ok_or_else(|| Error::NoSuchAccount {
                code: AccountCode::unchecked(code),
            })?;
        Ok(self.totals(code, as_of)?.on_side(side))
    }

    /// Debit and credit totals of an account over the lines dated in `period`, **closing
    /// entries excluded**: the activity an income statement shows, also for a closed year.
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`]; `Error::Core` on a total beyond `Rupiah`'s range.
    pub fn period_totals(&self, code: &str, period: Period) -> Result<Balance> {
        self.totals_of(
            code,
            &self.sums(Some(days(period.start())), days(period.end()), true),
        )
    }

    /// The totals of every postable account as of a date, in chart order (zero accounts
    /// included).
    ///
    /// # Errors
    /// `Error::Core` on a total beyond `Rupiah`'s range.
    pub fn balances(&self, as_of: NaiveDate) -> Result<Vec<(AccountCode, Balance)>> {
        let sums = self.sums(None, days(as_of), false);
        self.chart
            .accounts()
            .iter()
            .zip(&sums)
            .filter(|(a, _)| a.postable)
            .map(|(a, t)| Ok((a.code.clone(), balance(t.0, t.1)?)))
            .collect()
    }

    /// The totals of an account split by dimensions (unit, counterparty, member) as of a
    /// date, sorted by dimensions. The parts sum to [`totals`](Self::totals).
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`]; `Error::Core` on a total beyond `Rupiah`'s range.
    #[doc(alias = "saldo per unit")]
    pub fn balance_by_dimension(
        &self,
        code: &str,
        as_of: NaiveDate,
    ) -> Result<Vec<(Dimensions, Balance)>> {
        let set = self.leaf_set(code)?;
        let to = days(as_of);
        let mut groups: FxMap<(u16, u8, u32), (i128, i128)> = FxMap::default();
        for l in &self.lines {
            if l.date <= to && set.get(l.account as usize).copied().unwrap_or(false) {
                let t = groups.entry((l.unit, l.cp, l.member)).or_insert((0, 0));
                if l.amount >= 0 {
                    t.0 = t.0.saturating_add(i128::from(l.amount));
                } else {
                    t.1 = t.1.saturating_add(i128::from(l.amount).saturating_neg());
                }
            }
        }
        let mut out = groups
            .into_iter()
            .map(|((unit, cp, m), (d, c))| {
                let dims = Dimensions {
                    unit: BusinessUnit::from_number(unit),
                    counterparty: Counterparty::from_number(cp),
                    member: self.members.get(m as usize).copied(),
                };
                Ok((dims, balance(d, c)?))
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|a| a.0);
        Ok(out)
    }

    /// The trial balance (neraca saldo) as of a date: every postable account with a non-zero
    /// balance, in code order, its balance in the debit or the credit column. The two totals
    /// are always equal. Uses the running totals when `as_of` is on or after the latest
    /// entry date (O(accounts)); otherwise one pass over the lines.
    ///
    /// # Errors
    /// `Error::Core` on a total beyond `Rupiah`'s range.
    #[doc(alias = "neraca saldo")]
    pub fn trial_balance(&self, as_of: NaiveDate) -> Result<TrialBalance> {
        let sums = self.sums(None, days(as_of), false);
        let mut rows = Vec::new();
        let (mut td, mut tc) = (0i128, 0i128);
        for (a, t) in self.chart.accounts().iter().zip(&sums) {
            let net = t.0.saturating_sub(t.1);
            if net == 0 || !a.postable {
                continue;
            }
            let (d, c) = if net > 0 {
                (net, 0)
            } else {
                (0, net.saturating_neg())
            };
            td = td.saturating_add(d);
            tc = tc.saturating_add(c);
            rows.push(TrialBalanceRow {
                account: a.code.clone(),
                name: a.name.clone(),
                debit: Rupiah::try_from_sen_i128(d)?,
                credit: Rupiah::try_from_sen_i128(c)?,
            });
        }
        rows.sort_by(|a, b| a.account.cmp(&b.account));
        Ok(TrialBalance {
            as_of,
            rows,
            total_debit: Rupiah::try_from_sen_i128(td)?,
            total_credit: Rupiah::try_from_sen_i128(tc)?,
        })
    }

    /// The general ledger (buku besar) of an account from `from` to `to` (inclusive): the
    /// balance before `from`, each line in date then posting order with the running balance
    /// on the account's normal side, and the closing balance.
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`]; `Error::Core` on a total beyond `Rupiah`'s range.
    #[doc(alias = "buku besar")]
    pub fn general_ledger(
        &self,
        code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<GeneralLedger> {
        let set = self.leaf_set(code)?;
        let account = self.chart.get(code).ok_or_else(|| Error::NoSuchAccount {
            code: AccountCode::unchecked(code),
        })?;
        let side = account.normal_side();
        let (lo, hi) = (days(from), days(to));
        let sign = |amount: i64| -> i128 {
            match side {
                Side::Debit => i128::from(amount),
                Side::Credit => i128::from(amount).saturating_neg(),
            }
        };
        let mut opening = 0i128;
        let mut picked: Vec<(i32, usize, usize)> = Vec::new();
        for (ei, e) in self.entries.iter().enumerate() {
            let start = e.first_line as usize;
            for li in start..start.saturating_add(e.n_lines as usize) {
                let Some(l) = self.lines.get(li) else {
                    continue;
                };
                if !set.get(l.account as usize).copied().unwrap_or(false) || l.date > hi {
                    continue;
                }
                if l.date < lo {
                    opening = opening.saturating_add(sign(l.amount));
                } else {
                    picked.push((l.date, ei, li));
                }
            }
        }
        picked.sort_by_key(|&(d, ei, li)| (d, ei, li));
        let mut running = opening;
        let mut rows = Vec::with_capacity(picked.len());
        for (_, ei, li) in picked {
            let (Some(e), Some(l)) = (self.entries.get(ei), self.lines.get(li)) else {
                continue;
            };
            let Some(lr) = self.line_ref(l) else { continue };
            running = running.saturating_add(sign(l.amount));
            rows.push(GeneralLedgerRow {
                date: from_days(e.date),
                entry: e.id,
                account: lr.account.clone(),
                memo: self.text_at(e.memo).to_owned(),
                source: self.text_at(e.source).to_owned(),
                side: lr.side,
                amount: lr.amount,
                dims: lr.dims,
                balance: Rupiah::try_from_sen_i128(running)?,
            });
        }
        Ok(GeneralLedger {
            account: account.code.clone(),
            normal_side: side,
            from,
            to,
            opening: Rupiah::try_from_sen_i128(opening)?,
            rows,
            closing: Rupiah::try_from_sen_i128(running)?,
        })
    }
}

fn balance(d: i128, c: i128) -> Result<Balance> {
    Ok(Balance {
        debit: Rupiah::try_from_sen_i128(d)?,
        credit: Rupiah::try_from_sen_i128(c)?,
        net_debit: Rupiah::try_from_sen_i128(d.saturating_sub(c))?,
    })
}
