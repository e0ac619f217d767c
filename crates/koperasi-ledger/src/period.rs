//! Closing and reopening fiscal years (tutup buku).

use koperasi_core::{EntryId, FiscalYear};

use crate::chart::{AccountClass, Side};
use crate::entry::{BusinessUnit, Counterparty, Dimensions, EntryKind, JournalEntry, Line};
use crate::error::{Error, Result};
use crate::fx::FxMap;
use crate::ledger::{
    ClosedYear, Ledger, NONE, PeriodEvent, Reversal, StoredKind, YearClose, YearReopen, days,
};

impl Ledger {
    fn check_year(&self, year: FiscalYear) -> Result<()> {
        if year.start_month() != self.options.fiscal_start_month {
            return Err(Error::FiscalYearMismatch {
                year,
                start_month: self.options.fiscal_start_month,
            });
        }
        Ok(())
    }

    /// The closing entry that [`close_year`](Self::close_year) would post (not posted), or
    /// `None` when every revenue and expense account nets to zero over the year.
    ///
    /// One line per (account, unit, counterparty, member) group of revenue and expense lines
    /// dated in the year, cancelling its net, and one line on `shu_account` for the result
    /// (credit for a surplus, debit for a deficit). Dated on the year's last day.
    ///
    /// # Errors
    /// [`Error::FiscalYearMismatch`]; `Error::Core` for an out-of-range date.
    pub fn closing_entry(&self, close: &YearClose) -> Result<Option<JournalEntry>> {
        self.check_year(close.year)?;
        let period = close.year.period()?;
        let (lo, hi) = (days(period.start()), days(period.end()));
        let accounts = self.chart.accounts();
        let mut groups: FxMap<(u32, u16, u8, u32), i128> = FxMap::default();
        for l in &self.lines {
            if l.date < lo || l.date > hi {
                continue;
            }
            if accounts
                .get(l.account as usize)
                .is_some_and(|a| a.class.is_nominal())
            {
                let g = groups
                    .entry((l.account, l.unit, l.cp, l.member))
                    .or_insert(0);
                *g = g.saturating_add(i128::from(l.amount));
            }
        }
        let mut keys: Vec<_> = groups.into_iter().filter(|(_, net)| *net != 0).collect();
        if keys.is_empty() {
            return Ok(None);
        }
        keys.sort_by(|a, b| {
            let ca = accounts.get(a.0.0 as usize).map(|x| &x.code);
            let cb = accounts.get(b.0.0 as usize).map(|x| &x.code);
            ca.cmp(&cb).then(a.0.cmp(&b.0))
        });
        let mut e = JournalEntry::new(close.entry_id, period.end(), close.actor)
            .with_memo(format!("Jurnal penutup tahun buku {}", close.year))
            .with_source(format!("close:{}", close.year));
        let mut total = 0i128;
        for ((acc, unit, cp, member), net) in keys {
            let Some(a) = accounts.get(acc as usize) else {
                continue;
            };
            total = total.saturating_add(net);
            let side = if net > 0 { Side::Credit } else { Side::Debit };
            let amount = koperasi_core::Rupiah::try_from_sen_i128(net.saturating_abs())?;
            e.lines.push(
                Line::new(a.code.clone(), side, amount).with_dims(Dimensions {
                    unit: BusinessUnit::from_number(unit),
                    counterparty: Counterparty::from_number(cp),
                    member: self.members.get(member as usize).copied(),
                }),
            );
        }
        if total != 0 {
            let side = if total > 0 { Side::Debit } else { Side::Credit };
            let amount = koperasi_core::Rupiah::try_from_sen_i128(total.saturating_abs())?;
            e.lines
                .push(Line::new(close.shu_account.clone(), side, amount));
        }
        Ok(Some(e))
    }

    /// Closes a fiscal year (tutup buku): posts the closing entry of
    /// [`closing_entry`](Self::closing_entry) (kind [`EntryKind::Closing`]) moving every
    /// revenue and expense balance of the year into `shu_account` (SHU tahun berjalan), then
    /// records the close in the audit log. Afterwards no entry may be dated in the year
    /// ([`Error::ClosedPeriod`]) until it is reopened with [`reopen_year`](Self::reopen_year).
    /// Returns the closing entry's id, or `None` if there was nothing to close.
    ///
    /// # Errors
    /// [`Error::FiscalYearMismatch`], [`Error::AlreadyClosed`], [`Error::InvalidShuAccount`]
    /// (unknown, header, closed or non-equity account), and the posting errors of the closing
    /// entry (e.g. [`Error::ExistsWithDifferent`] for a used id). Nothing changes on error.
    #[doc(alias = "tutup buku")]
    pub fn close_year(&mut self, close: YearClose) -> Result<Option<EntryId>> {
        self.check_year(close.year)?;
        if self.is_closed(close.year) {
            return Err(Error::AlreadyClosed { year: close.year });
        }
        if !self
            .chart
            .get(close.shu_account.as_str())
            .is_some_and(|a| a.postable && a.open && a.class == AccountClass::Equity)
        {
            return Err(Error::InvalidShuAccount {
                account: close.shu_account.clone(),
            });
        }
        let entry = self.closing_entry(&close)?;
        let mut closing = NONE;
        if let Some(e) = &entry {
            let resolved = self.check_new(e, EntryKind::Closing { year: close.year })?;
            closing = u32::try_from(self.entries.len()).unwrap_or(NONE);
            self.commit(e, StoredKind::Closing(close.year), &resolved);
        }
        self.closed.push(ClosedYear {
            year: close.year,
            closing,
        });
        self.record_event(PeriodEvent::Close {
            year: close.year,
            actor: close.actor,
            shu_account: close.shu_account,
            closing_entry: entry.as_ref().map(|e| e.id),
            leaf: 0,
        });
        Ok(entry.map(|e| e.id))
    }

    /// Reopens a closed fiscal year: records the reopening (who, why) in the audit log and
    /// reverses the year's closing entry (dated on the year's last day, id
    /// `reopen.reversal_id`). The year then accepts postings again and can be closed anew.
    ///
    /// # Errors
    /// [`Error::FiscalYearMismatch`], [`Error::NotClosed`], and the posting errors of the
    /// reversal (e.g. [`Error::ExistsWithDifferent`] for a used id). Nothing changes on error.
    #[doc(alias = "buka buku")]
    pub fn reopen_year(&mut self, reopen: YearReopen) -> Result<()> {
        self.check_year(reopen.year)?;
        let pos = self
            .closed
            .iter()
            .position(|c| c.year == reopen.year)
            .ok_or(Error::NotClosed { year: reopen.year })?;
        let closing = self.closed.get(pos).map_or(NONE, |c| c.closing);
        let saved = self.closed.clone();
        self.closed.remove(pos);
        let mut planned = None;
        if let Some(orig) = self.entries.get(closing as usize) {
            let orig_id = orig.id;
            let r = Reversal::new(
                reopen.reversal_id,
                reopen.year.end(),
                reopen.actor,
                reopen.reason.clone(),
            );
            let checked = self.reversal_entry(orig_id, &r).and_then(|(e, idx)| {
                let resolved = self.check_new(&e, EntryKind::Reversal { of: orig_id })?;
                Ok((e, idx, resolved))
            });
            match checked {
                Ok(p) => planned = Some(p),
                Err(err) => {
                    self.closed = saved;
                    return Err(err);
                }
            }
        }
        self.record_event(PeriodEvent::Reopen {
            year: reopen.year,
            actor: reopen.actor,
            reason: reopen.reason,
            reversal: planned.as_ref().map(|p| p.0.id),
            leaf: 0,
        });
        if let Some((e, idx, resolved)) = planned {
            self.commit(&e, StoredKind::Reversal(idx), &resolved);
        }
        Ok(())
    }

    fn record_event(&mut self, mut ev: PeriodEvent) {
        let leaf = self.audit.len();
        match &mut ev {
            PeriodEvent::Close { leaf: l, .. } | PeriodEvent::Reopen { leaf: l, .. } => *l = leaf,
        }
        let mut buf = Vec::with_capacity(96);
        crate::encoding::encode_event(&ev, &mut buf);
        self.audit.append(&buf);
        self.events.push(ev);
    }
}
