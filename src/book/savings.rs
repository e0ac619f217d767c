//! Savings: wajib and sukarela deposits and withdrawals, simpanan berjangka.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Decimal, MemberId, Rate, Rupiah, SavingsAccountId};
use koperasi_ledger::{Dimensions, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{MemberStanding, SavingsAccount, SavingsKind, SavingsProduct};

use crate::error::{Error, Result, sl};
use crate::event::{Via, kind_name};
use crate::posting::PostingRole as R;

use super::corrections::Restore;
use super::{Applied, Koperasi, Leg, Pair, add, member_dims, pos, via_role};

impl Koperasi {
    pub(super) fn deposit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        kind: SavingsKind,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "deposit";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        pos(op, "amount", amount)?;
        self.active_member(op, member)?;
        let accts = self.accounts.get(&member).ok_or(Error::NoSavingsAccount {
            op,
            member,
            kind: kind_name(kind),
        })?;
        let mut acc = match kind {
            SavingsKind::Mandatory => accts.wajib.clone(),
            SavingsKind::Voluntary => accts.sukarela.clone(),
            _ => {
                return Err(Error::WrongSavingsKind {
                    op,
                    kind: kind_name(kind),
                });
            }
        };
        acc.deposit(d, amount).map_err(sl(op))?;
        let pair = Pair {
            memo: &format!("Setoran simpanan {}", kind_name(kind)),
            source: format!("savings:{member}/{}", kind_name(kind)),
            amount,
            debit: Leg::via(via),
            credit: Leg::Role(R::MemberSavings(kind), member_dims(member)),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        if let Some(accts) = self.accounts.get_mut(&member) {
            let old = if kind == SavingsKind::Mandatory {
                core::mem::replace(&mut accts.wajib, acc)
            } else {
                core::mem::replace(&mut accts.sukarela, acc)
            };
            self.undo.changed(Restore::Savings(member, kind, old));
        }
        Ok(applied)
    }

    pub(super) fn withdraw(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "withdraw";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        pos(op, "amount", amount)?;
        self.active_member(op, member)?;
        let mut acc = self
            .accounts
            .get(&member)
            .map(|x| x.sukarela.clone())
            .ok_or(Error::NoSavingsAccount {
                op,
                member,
                kind: "sukarela",
            })?;
        acc.withdraw(d, amount, MemberStanding::Active)
            .map_err(sl(op))?;
        let pair = Pair {
            memo: "Penarikan simpanan sukarela",
            source: format!("savings:{member}/sukarela"),
            amount,
            debit: Leg::Role(
                R::MemberSavings(SavingsKind::Voluntary),
                member_dims(member),
            ),
            credit: Leg::via(via),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        if let Some(x) = self.accounts.get_mut(&member) {
            let old = core::mem::replace(&mut x.sukarela, acc);
            self.undo
                .changed(Restore::Savings(member, SavingsKind::Voluntary, old));
        }
        Ok(applied)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn open_deposit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: SavingsAccountId,
        member: MemberId,
        amount: Rupiah,
        term_months: u32,
        annual_percent: Decimal,
        via: Via,
    ) -> Result<Applied> {
        let op = "open_time_deposit";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        pos(op, "amount", amount)?;
        self.active_member(op, member)?;
        if self.deposits.contains_key(&account) {
            return Err(Error::Duplicate {
                op,
                what: "time deposit",
                id: account.to_string(),
            });
        }
        let rate = Rate::per_year(annual_percent)?;
        let product =
            SavingsProduct::time_deposit(term_months, rate, self.config.time_deposit_early);
        let (acc, _) =
            SavingsAccount::open_time_deposit(account, product, d, amount).map_err(sl(op))?;
        let pair = Pair {
            memo: "Penempatan simpanan berjangka",
            source: format!("savings:{member}/berjangka/{account}"),
            amount,
            debit: Leg::via(via),
            credit: Leg::Role(
                R::MemberSavings(SavingsKind::TimeDeposit),
                member_dims(member),
            ),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        let old = self.deposits.insert(account, (member, acc));
        self.undo.changed(Restore::Deposit(account, old));
        Ok(applied)
    }

    pub(super) fn withdraw_deposit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: SavingsAccountId,
        via: Via,
    ) -> Result<Applied> {
        let op = "withdraw_time_deposit";
        let (member, mut acc) = self
            .deposits
            .get(&account)
            .cloned()
            .ok_or(Error::UnknownDeposit { op, account })?;
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        let p = acc.withdraw_time_deposit(d).map_err(sl(op))?;
        let debits = add(p.principal, p.interest)?;
        let credits = add(add(p.net, p.tax_withheld)?, p.penalty)?;
        if debits != credits {
            return Err(Error::Internal {
                op,
                what: format!("payout {debits} ≠ {credits}"),
            });
        }
        let md = member_dims(member);
        let mut lines = vec![self.line(
            R::MemberSavings(SavingsKind::TimeDeposit),
            Side::Debit,
            p.principal,
            md,
        )?];
        lines.push(self.line(R::SavingsInterestExpense, Side::Debit, p.interest, md)?);
        lines.push(self.line(via_role(via), Side::Credit, p.net, Dimensions::default())?);
        lines.push(self.line(
            R::TaxPayable,
            Side::Credit,
            p.tax_withheld,
            Dimensions::default(),
        )?);
        lines.push(self.line(R::OtherIncome, Side::Credit, p.penalty, md)?);
        let applied = self.post_entry(
            op,
            d,
            a,
            "Pencairan simpanan berjangka",
            format!("savings:{member}/berjangka/{account}"),
            lines,
        )?;
        let old = self.deposits.insert(account, (member, acc));
        self.undo.changed(Restore::Deposit(account, old));
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use koperasi_savings_loans::SavingsKind;

    use crate::book::testkit::{KASIR, book, d, member, rp};
    use crate::error::Error;
    use crate::event::{Operation, Via};

    #[test]
    fn pokok_is_not_deposited_twice_and_sukarela_is_withdrawn() {
        let mut b = book(1);
        let err = b
            .run(
                d(1, 10),
                KASIR,
                Operation::Deposit {
                    member: member(0),
                    kind: SavingsKind::Principal,
                    amount: rp(1_000),
                    via: Via::Cash,
                },
            )
            .unwrap_err();
        assert!(
            matches!(err, Error::WrongSavingsKind { kind: "pokok", .. }),
            "{err:?}"
        );
        b.run(
            d(1, 10),
            KASIR,
            Operation::Withdraw {
                member: member(0),
                amount: rp(200_000),
                via: Via::Cash,
            },
        )
        .unwrap();
        assert_eq!(
            b.savings_balance(member(0), SavingsKind::Voluntary)
                .unwrap(),
            rp(300_000)
        );
    }
}
