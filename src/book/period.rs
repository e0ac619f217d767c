//! Year-end: closing the year and distributing the SHU.

use std::collections::{BTreeMap, BTreeSet};

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, FiscalYear, MemberId, Rupiah};
use koperasi_ledger::{AccountClass, AccountCode, Counterparty, Dimensions, Side, YearClose};
use koperasi_membership::{MemberStatus, Permission, Subject};
use koperasi_savings_loans::SavingsKind;
use koperasi_shu::{LineKind, MemberContribution, Savings, ShuOutcome, ShuYear};

use crate::error::{Error, Result, ledger, shu, sl};
use crate::event::ShuPayout;
use crate::posting::PostingRole as R;

use super::corrections::savings_key;
use super::{Applied, ClosedYear, Draft, Koperasi, WHOLE, add, member_dims, sub};

/// One line of a year's SHU allocation as booked, with its kind from the policy (fund,
/// capital pool, patronage pool, desa share…).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ShuLine {
    /// The line's name in the policy (AD/ART), e.g. `Jasa modal anggota`.
    pub name: String,
    /// What it is.
    pub kind: LineKind,
    /// Its amount.
    pub amount: Rupiah,
}

impl Koperasi {
    /// Members' pokok, wajib and sukarela balances on `date` from the ledger (the jasa modal
    /// basis at the fiscal year end, whatever the day the year is closed), for those who
    /// were anggota on that date.
    ///
    /// # Errors
    /// [`Error::Core`] on an overflow.
    fn savings_at(&self, op: &'static str, date: NaiveDate) -> Result<BTreeMap<MemberId, Savings>> {
        let codes = [
            SavingsKind::Principal,
            SavingsKind::Mandatory,
            SavingsKind::Voluntary,
        ]
        .map(|k| self.code(R::MemberSavings(k)));
        let mut out: BTreeMap<MemberId, Savings> = BTreeMap::new();
        for m in self.registry.members() {
            if m.status_on(date) == Some(MemberStatus::Member) {
                out.insert(m.id(), Savings::default());
            }
        }
        for e in self.ledger.entries() {
            if e.date() > date {
                continue;
            }
            for l in e.lines() {
                let Some(k) = codes.iter().position(|c| c == l.account.as_str()) else {
                    continue;
                };
                let Some(s) = l.dims.member.and_then(|m| out.get_mut(&m)) else {
                    continue;
                };
                let slot = match k {
                    0 => &mut s.pokok,
                    1 => &mut s.wajib,
                    _ => &mut s.sukarela,
                };
                *slot = if l.side == Side::Credit {
                    add(*slot, l.amount)?
                } else {
                    sub(*slot, l.amount)?
                };
            }
        }
        for (m, s) in &out {
            if s.pokok.is_negative() || s.wajib.is_negative() || s.sukarela.is_negative() {
                return Err(Error::Internal {
                    op,
                    what: format!("member {m} has negative savings on {date}"),
                });
            }
        }
        Ok(out)
    }

    pub(super) fn close_year(&mut self, d: NaiveDate, a: ActorId, year: i32) -> Result<Applied> {
        let op = "close_year";
        self.permit(a, op, Permission::ClosePeriod, Subject::Cooperative)?;
        let fy = FiscalYear::new(year, self.config.fiscal_start_month)?;
        if d < fy.end() {
            return Err(Error::YearState {
                op,
                year,
                reason: "the year has not ended",
            });
        }
        if self.closed.contains_key(&year) {
            return Err(Error::YearState {
                op,
                year,
                reason: "already closed",
            });
        }
        self.require_month_end(op, fy)?;
        let shu_code = AccountCode::new(self.code(R::ShuCurrentYear)).map_err(ledger(op))?;
        let close = YearClose::new(fy, self.next_id(0), shu_code.clone(), a);
        let preview = self.ledger.closing_entry(&close).map_err(ledger(op))?;
        let (mut shu, mut revenue, mut non_member) = (Rupiah::ZERO, Rupiah::ZERO, Rupiah::ZERO);
        if let Some(e) = &preview {
            for l in &e.lines {
                if l.account == shu_code {
                    shu = if l.side == Side::Credit {
                        l.amount
                    } else {
                        l.amount.negated()
                    };
                } else if self
                    .ledger
                    .chart()
                    .get(l.account.as_str())
                    .is_some_and(|x| x.class == AccountClass::Revenue)
                {
                    // Revenue is closed by a debit (a credit for a debit-balance group).
                    let signed = if l.side == Side::Debit {
                        l.amount
                    } else {
                        l.amount.negated()
                    };
                    revenue = add(revenue, signed)?;
                    if l.dims.counterparty == Some(Counterparty::NonMember) {
                        non_member = add(non_member, signed)?;
                    }
                }
            }
        }
        let from_non_members =
            if shu.is_positive() && revenue.is_positive() && non_member.is_positive() {
                let down = WHOLE.with_mode(koperasi_core::RoundingMode::Down);
                shu.mul_div(non_member.to_decimal(), revenue.to_decimal(), down)?
                    .min(shu)
            } else {
                Rupiah::ZERO
            };
        let savings = self.savings_at(op, fy.end())?;
        let id = self.ledger.close_year(close).map_err(ledger(op))?;
        if id.is_some() {
            self.entry_seq = self.entry_seq.saturating_add(1);
        }
        let departed = self.departed.get(&year).cloned().unwrap_or_default();
        self.closed.insert(
            year,
            ClosedYear {
                year: fy,
                shu,
                from_non_members,
                savings,
                departed,
                distributed: false,
                distributed_on: None,
                allocation: Vec::new(),
                lines: Vec::new(),
                reopenings: self.reopenings.get(&year).cloned().unwrap_or_default(),
            },
        );
        Ok(Applied {
            entries: id.into_iter().collect(),
            ..Applied::default()
        })
    }

    pub(super) fn distribute_shu(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        year: i32,
        payout: ShuPayout,
    ) -> Result<Applied> {
        let op = "distribute_shu";
        self.permit(a, op, Permission::RunShu, Subject::Cooperative)?;
        let c = self.closed.get(&year).ok_or(Error::YearState {
            op,
            year,
            reason: "not closed",
        })?;
        if c.distributed {
            return Err(Error::YearState {
                op,
                year,
                reason: "SHU already distributed",
            });
        }
        let source = format!("shu:{year}");
        let mut dr = Draft::new();
        let mut new_sukarela = Vec::new();
        let mut allocation = Vec::new();
        let mut shu_lines = Vec::new();
        if c.shu.is_negative() {
            dr.push(
                self,
                d,
                a,
                &format!("Rugi tahun buku {year} dibawa ke tahun berikut"),
                source,
                vec![
                    self.line(
                        R::ShuUndistributed,
                        Side::Debit,
                        c.shu.abs(),
                        Dimensions::default(),
                    )?,
                    self.line(
                        R::ShuCurrentYear,
                        Side::Credit,
                        c.shu.abs(),
                        Dimensions::default(),
                    )?,
                ],
            );
        } else if c.shu.is_positive() {
            let mut contributions = Vec::new();
            let mut keys: BTreeSet<MemberId> = c.savings.keys().copied().collect();
            keys.extend(
                self.patronage
                    .range((year, MemberId::from_u128(0))..=(year, MemberId::from_u128(u128::MAX)))
                    .map(|((_, m), _)| *m),
            );
            for m in keys {
                let savings = c.savings.get(&m).copied().unwrap_or_default();
                let tx = self.patronage.get(&(year, m)).cloned().unwrap_or_default();
                let mut mc = MemberContribution::new(m, savings, tx);
                if c.departed.contains(&m) || !c.savings.contains_key(&m) {
                    mc = mc.departed();
                }
                contributions.push(mc);
            }
            let sy = ShuYear::new(c.shu).with_non_member_part(c.from_non_members);
            let outcome = koperasi_shu::distribute(&self.config.shu_policy, &sy, &contributions)
                .map_err(shu(op))?;
            let ShuOutcome::Distributed(dist) = outcome else {
                return Err(Error::Internal {
                    op,
                    what: "a positive SHU was not distributed".into(),
                });
            };
            let nd = Dimensions::default();
            let mut lines = vec![self.line(R::ShuCurrentYear, Side::Debit, c.shu, nd)?];
            let mut credited = Rupiah::ZERO;
            for l in &dist.lines {
                allocation.push((l.name.clone(), l.amount));
                shu_lines.push(ShuLine {
                    name: l.name.clone(),
                    kind: l.kind,
                    amount: l.amount,
                });
                let role = match l.kind {
                    LineKind::Reserve => R::Reserve,
                    LineKind::ManagementFund => R::ManagementFund,
                    LineKind::EmployeeFund => R::EmployeeFund,
                    LineKind::EducationFund => R::EducationFund,
                    LineKind::SocialFund => R::SocialFund,
                    LineKind::RegionalDevelopmentFund => R::RegionalDevelopmentFund,
                    LineKind::VillageShare => R::VillageSharePayable,
                    LineKind::CapitalPool | LineKind::PatronagePool => {
                        // The pool goes to the members (below); unpaid shares stay payable;
                        // any non-member part of a pool line goes to cadangan.
                        let pool = dist.pools.iter().find(|p| p.line == l.name);
                        let (amount, unpaid) =
                            pool.map_or((Rupiah::ZERO, Rupiah::ZERO), |p| (p.amount, p.unpaid));
                        let rest = sub(l.amount, amount)?;
                        lines.push(self.line(R::MemberShuPayable, Side::Credit, unpaid, nd)?);
                        lines.push(self.line(R::Reserve, Side::Credit, rest, nd)?);
                        credited = add(add(credited, unpaid)?, rest)?;
                        continue;
                    }
                    _ => R::ShuUndistributed,
                };
                let booked = l.booked().map_err(shu(op))?;
                lines.push(self.line(role, Side::Credit, booked, nd)?);
                credited = add(credited, booked)?;
            }
            for ms in &dist.members {
                let md = member_dims(ms.id);
                let to_savings = payout == ShuPayout::Voluntary
                    && self
                        .accounts
                        .get(&ms.id)
                        .is_some_and(|x| !x.sukarela.is_closed());
                if to_savings && ms.total.is_positive() {
                    if let Some(x) = self.accounts.get(&ms.id) {
                        let mut s = x.sukarela.clone();
                        s.deposit(d, ms.total).map_err(sl(op))?;
                        new_sukarela.push((ms.id, s));
                    }
                    lines.push(self.line(
                        R::MemberSavings(SavingsKind::Voluntary),
                        Side::Credit,
                        ms.total,
                        md,
                    )?);
                } else {
                    lines.push(self.line(R::MemberShuPayable, Side::Credit, ms.total, md)?);
                }
                credited = add(credited, ms.total)?;
            }
            if credited != c.shu {
                return Err(Error::Internal {
                    op,
                    what: format!("SHU {} booked as {credited}", c.shu),
                });
            }
            dr.push(
                self,
                d,
                a,
                &format!("Pembagian SHU tahun buku {year}"),
                source,
                lines,
            );
        }
        let applied = self.post(op, &dr)?;
        for (m, s) in new_sukarela {
            if let Some(x) = self.accounts.get_mut(&m) {
                x.sukarela = s;
                self.undo.touch(savings_key(m, SavingsKind::Voluntary));
            }
        }
        if let Some(c) = self.closed.get_mut(&year) {
            c.distributed = true;
            c.distributed_on = Some(d);
            c.allocation = allocation;
            c.lines = shu_lines;
        }
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use koperasi_savings_loans::SavingsKind;

    use crate::book::testkit::{KASIR, book, d, member, rp};
    use crate::event::{Operation, Via};

    #[test]
    fn savings_at_reads_the_ledger_up_to_the_date() {
        let mut b = book(2);
        b.run(
            d(3, 1),
            KASIR,
            Operation::Deposit {
                member: member(1),
                kind: SavingsKind::Mandatory,
                amount: rp(10_000),
                via: Via::Cash,
            },
        )
        .unwrap();
        let feb = b.savings_at("test", d(2, 28)).unwrap();
        let mar = b.savings_at("test", d(3, 1)).unwrap();
        assert_eq!(feb[&member(1)].wajib, rp(0));
        assert_eq!(mar[&member(1)].wajib, rp(10_000));
        assert_eq!(mar[&member(0)].pokok, rp(100_000));
        assert_eq!(mar[&member(0)].sukarela, rp(500_000));
        // Before anyone was admitted: nobody.
        assert!(b.savings_at("test", d(1, 2)).unwrap().is_empty());
    }
}
