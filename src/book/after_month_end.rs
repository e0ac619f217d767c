//! Corrections after a month-end (koreksi setelah tutup bulan,
//! [`Operation::CorrectAfterMonthEnd`](crate::Operation::CorrectAfterMonthEnd)).
//!
//! A month-end posts, per object, what it earns or uses up: a prepaid expense's amortisation,
//! an asset's depreciation, a loan's penalties and interest accrual, a time deposit's interest
//! accrual. Reversing the operation that created or changed such an object alone would leave
//! those postings behind, with nothing in the registers to match them. So, while the
//! operation is still the last *operation* on its objects (month-ends do not count), each
//! month-end keeps its lines for the object with the operation's undo record
//! (`MonthEndShare`: the object's own lines, its share of an entry that mixes several
//! objects, and the accrual register before). The correction, one two-person request applied
//! all or nothing:
//!
//! 1. posts, for each of those month-ends (newest first), one entry reversing exactly its
//!    lines for the object, dated on the correction with source
//!    `correction:event-<i>/month-end:<date>`;
//! 2. reverses the operation's own entries (the ledger's reversing entries, linked to them);
//! 3. puts its objects back (an asset leaves the register, a prepayment's schedule is
//!    removed, a loan or time deposit returns to its state before the operation) and each
//!    accrual register to what was booked before the first of those month-ends.
//!
//! The next month-end then re-accrues, re-classifies and re-reserves from the corrected
//! registers. The PPAP is a portfolio figure (required reserve less the reserve booked) that
//! every month-end recomputes, so it is not split per loan. Interest on sukarela is computed on
//! day balances, path by path: the correction reverses what each month-end paid on the
//! account and posts what it would have paid without the operation, closing the interest
//! periods again on the account as it was before it — so the account and the ledger are
//! exactly those of a book without the operation, without waiting for the next month-end.
//!
//! Month-ends keep their shares only for operations of open years: a month-end after the
//! operation's year is closed drops them (memory stays bounded by the open years), and the
//! operation is then no longer corrected this way.

use std::collections::BTreeMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, MemberId, Rupiah};
use koperasi_ledger::{Reversal, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{SavingsAccount, SavingsKind};

use crate::error::{Error, Result, ledger, sl};
use crate::posting::PostingRole as R;

use super::corrections::{AccrualBefore, Key, Restore, Undo, put_back};
use super::{Applied, Draft, Koperasi};

impl Koperasi {
    /// A correction after a month-end ([`Operation::CorrectAfterMonthEnd`](crate::Operation::CorrectAfterMonthEnd)): the month-ends'
    /// postings for the event's objects are reversed (newest first, one entry per month-end),
    /// then the event's own entries, and its objects and accrual registers are put back as
    /// they were before it — all or nothing: if the ledger refuses any entry, it is put back
    /// from a copy taken before.
    pub(super) fn correct_after_month_end(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        i: usize,
        reason: &str,
    ) -> Result<Applied> {
        let op = "correct_after_month_end";
        self.permit(a, op, Permission::ReverseEntry, Subject::Cooperative)?;
        if reason.trim().is_empty() {
            return Err(Error::EmptyReason { op });
        }
        let rec = self.correctable(op, i)?.clone();
        for entry in &rec.entries {
            self.refuse_negative_payable(op, *entry)?;
        }
        let mut dr = Draft::new();
        for share in rec.month_ends.iter().rev() {
            let lines = share
                .lines
                .iter()
                .map(|l| {
                    let mut l = l.clone();
                    l.side = l.side.opposite();
                    l
                })
                .collect();
            // Savings interest keeps the month-end's source shape, so that what reads interest
            // by source (the RAT's jasa column) nets the correction against it.
            let source = match share.savings_member {
                Some(_) => format!(
                    "month-end:{}/correction:event-{i}/savings-interest",
                    share.date
                ),
                None => format!("correction:event-{i}/month-end:{}", share.date),
            };
            dr.push(
                self,
                d,
                a,
                &format!("Koreksi tutup bulan {}: {reason}", share.date),
                source,
                lines,
            );
        }
        // Sukarela interest is recomputed, month-end by month-end, from the account as it was
        // before the operation (no later operation changed it): what the month-ends would
        // have paid without it.
        let mut sukarela: BTreeMap<MemberId, SavingsAccount> = BTreeMap::new();
        for share in &rec.month_ends {
            let Some(m) = share.savings_member else {
                continue;
            };
            let acc = match sukarela.entry(m) {
                std::collections::btree_map::Entry::Occupied(x) => x.into_mut(),
                std::collections::btree_map::Entry::Vacant(x) => {
                    let before = rec.restores.iter().find_map(|r| match r {
                        Restore::Savings(x, SavingsKind::Voluntary, acc) if *x == m => {
                            Some(acc.clone())
                        }
                        _ => None,
                    });
                    x.insert(before.ok_or_else(|| Error::Internal {
                        op,
                        what: format!("month-end interest kept for member {m} without the account"),
                    })?)
                }
            };
            let p = acc.close_interest_period(share.date).map_err(sl(op))?;
            let lines = self.sukarela_interest_lines(m, &p)?;
            dr.push(
                self,
                d,
                a,
                &format!(
                    "Jasa simpanan sukarela {} dihitung ulang: {reason}",
                    share.date
                ),
                format!(
                    "month-end:{}/recomputed:event-{i}/savings-interest",
                    share.date
                ),
                lines,
            );
        }
        self.refuse_tax_below_zero(op, i, &dr)?;
        // All or nothing: the copy is the price of a rare correction that posts more than one
        // entry.
        let several = !dr.entries.is_empty() || rec.entries.len() > 1;
        let saved = several.then(|| (self.ledger.clone(), self.entry_seq));
        let mut ids = if dr.entries.is_empty() {
            Vec::new()
        } else {
            self.post(op, &dr)?.entries
        };
        let memo = format!("Pembalikan: {reason}");
        for (k, entry) in rec.entries.iter().rev().enumerate() {
            let reversal = Reversal::new(self.next_id(k), d, a, memo.clone());
            match self.ledger.reverse(*entry, &reversal) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    if let Some((l, seq)) = saved {
                        self.ledger = l;
                        self.entry_seq = seq;
                    }
                    return Err(ledger(op)(e));
                }
            }
        }
        self.entry_seq = self
            .entry_seq
            .saturating_add(u64::try_from(rec.entries.len()).unwrap_or(u64::MAX));
        // Each accrual back to what was booked before the first month-end since the event
        // (accruals change only at month-ends).
        let mut seen = std::collections::BTreeSet::new();
        for share in &rec.month_ends {
            match share.accrual {
                Some(AccrualBefore::Loan(id, before)) if seen.insert(Key::Loan(id)) => {
                    put_back(
                        &mut self.registers.loan_accrual,
                        id,
                        (!before.is_zero()).then_some(before),
                    );
                }
                Some(AccrualBefore::Deposit(id, before)) if seen.insert(Key::Deposit(id)) => {
                    put_back(
                        &mut self.registers.deposit_accrual,
                        id,
                        (!before.is_zero()).then_some(before),
                    );
                }
                _ => {}
            }
        }
        for r in rec.restores {
            self.restore(r);
        }
        for (m, acc) in sukarela {
            if let Some(x) = self.accounts.get_mut(&m) {
                x.sukarela = acc;
            }
        }
        self.undo.reversed_now(i);
        Ok(Applied {
            entries: ids,
            ..Applied::default()
        })
    }

    /// Less interest recomputed means less tax withheld: refused if the tax payable no longer
    /// holds it (the tax has been paid to the state).
    fn refuse_tax_below_zero(&self, op: &'static str, i: usize, dr: &Draft) -> Result<()> {
        let code = self.code(R::TaxPayable);
        let mut net_debit = Rupiah::ZERO;
        for l in dr
            .entries
            .iter()
            .flat_map(|e| e.lines.iter())
            .filter(|l| l.account.as_str() == code)
        {
            net_debit = match l.side {
                Side::Debit => super::add(net_debit, l.amount)?,
                Side::Credit => super::sub(net_debit, l.amount)?,
            };
        }
        if net_debit > self.role_balance(R::TaxPayable)? {
            return Err(Error::NotReversible {
                op,
                what: format!("event {i}"),
                reason: "the interest tax it would take back has already been paid to the state: \
                         the tax payable would go below zero",
            });
        }
        Ok(())
    }

    /// A plain reversal leaves a month-end's postings in the books, which is right only when
    /// the next month-end trues them up: an interest accrual on a loan or time deposit that
    /// stays. Anything else a month-end posted for the object — amortisation, depreciation,
    /// penalties or a new class of the loan, an accrual on a loan or time deposit the reversal
    /// removes — is refused here, naming [`Operation::CorrectAfterMonthEnd`].
    pub(super) fn refuse_used_by_month_end(
        &self,
        op: &'static str,
        index: usize,
        rec: &Undo,
    ) -> Result<()> {
        let removes = |k: &Key| {
            rec.restores.iter().any(|r| {
                matches!(r, Restore::Loan(_, None) | Restore::Deposit(_, None)) && r.key() == *k
            })
        };
        for r in &rec.restores {
            let reason = match r {
                Restore::Prepaid(e) => self
                    .registers
                    .prepaid
                    .iter()
                    .any(|p| p.entry == *e && p.amortised.is_positive())
                    .then_some(
                        "a month-end has already amortised part of this prepaid expense: correct \
                         it with Operation::CorrectAfterMonthEnd, which reverses the \
                         amortisation too",
                    ),
                Restore::Asset(tag, None) => self
                    .registers
                    .assets
                    .get(tag)
                    .is_some_and(|x| x.depreciated.is_positive())
                    .then_some(
                        "a month-end has already depreciated this asset: correct the purchase \
                         with Operation::CorrectAfterMonthEnd (which reverses the depreciation \
                         too), or dispose of the asset (Operation::DisposeAsset)",
                    ),
                _ => None,
            };
            if let Some(reason) = reason {
                return Err(Error::NotReversible {
                    op,
                    what: format!("event {index}"),
                    reason,
                });
            }
        }
        // Format 3 and earlier reversed a disbursement or a time deposit whose interest a
        // month-end had accrued, leaving the accrual behind; their logs replay as written.
        let accrual_removed = self.undo.format() >= 4
            && (rec.month_ends.iter().any(|s| match s.accrual {
                Some(AccrualBefore::Loan(id, _)) => removes(&Key::Loan(id)),
                Some(AccrualBefore::Deposit(id, _)) => removes(&Key::Deposit(id)),
                None => false,
            }) || rec.month_ends_dropped
                && rec
                    .restores
                    .iter()
                    .any(|r| matches!(r, Restore::Loan(_, None) | Restore::Deposit(_, None))));
        let reason = if rec.month_ends.iter().any(|s| s.changed) {
            Some(
                "a month-end has since charged penalties on or reclassified this loan, or paid \
                 interest on this sukarela account: correct it with \
                 Operation::CorrectAfterMonthEnd, which reverses that month-end's postings for \
                 it too",
            )
        } else if accrual_removed {
            Some(
                "a month-end has accrued interest on this loan or time deposit, which the \
                 reversal would remove: correct it with Operation::CorrectAfterMonthEnd, which \
                 reverses the accrual too",
            )
        } else {
            None
        };
        match reason {
            Some(reason) => Err(Error::NotReversible {
                op,
                what: format!("event {index}"),
                reason,
            }),
            None => Ok(()),
        }
    }

    /// The undo record of event `i` if a correction after a month-end can be made now (the
    /// conditions of a reversal).
    fn correctable(&self, op: &'static str, i: usize) -> Result<&Undo> {
        let rec = self.reversible_record(op, i)?;
        if rec.month_ends_dropped {
            return Err(Error::NotReversible {
                op,
                what: format!("event {i}"),
                reason: "month-ends after its year was closed have posted for it, and those \
                         postings are kept only while its year is open: correct it with an \
                         adjusting entry and the domain's own operations",
            });
        }
        Ok(rec)
    }

    /// A correction of event `i` after a month-end can be made now (the two-person rule asks
    /// before making the request: a correction bound to fail is refused at once).
    pub(super) fn can_correct(&self, i: usize) -> bool {
        self.correctable("correct_after_month_end", i).is_ok()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::BTreeMap;

    use koperasi_core::chrono::NaiveDate;
    use koperasi_core::{ActorId, Decimal, LoanId, Rupiah, SavingsAccountId};
    use koperasi_membership::Permission;

    use super::super::fixture::*;
    use crate::event::{Event, Operation, PurchasePayment, ReversalTarget, Via};
    use crate::posting::PostingRole as R;
    use crate::{Applied, Error, Koperasi};

    type Step = (NaiveDate, ActorId, Operation);

    fn me(on: NaiveDate) -> Step {
        (on, BENDAHARA, Operation::MonthEnd)
    }

    fn correction(i: usize) -> Operation {
        Operation::CorrectAfterMonthEnd {
            event: i,
            reason: "salah input bulan lalu".into(),
        }
    }

    /// The book after `steps`, the event index of step `pick` in it, and its twin: the same
    /// book where step `pick` never happened.
    fn books(base: &Koperasi, steps: &[Step], pick: usize) -> (Koperasi, usize, Koperasi) {
        let (mut b, mut twin) = (base.clone(), base.clone());
        let mut index = 0;
        for (k, (on, actor, op)) in steps.iter().enumerate() {
            ok(&mut b, *on, *actor, op.clone());
            if k == pick {
                index = b.events().len() - 1;
            } else {
                ok(&mut twin, *on, *actor, op.clone());
            }
        }
        (b, index, twin)
    }

    /// The bendahara's request, approved by the ketua: nothing is posted before approval.
    fn correct(b: &mut Koperasi, i: usize, on: NaiveDate) -> Applied {
        let made = b.run(on, BENDAHARA, correction(i)).unwrap();
        assert!(made.entries.is_empty(), "a request posts nothing");
        let request = made
            .request
            .expect("a correction after month-end is a request");
        b.run(on, KETUA, Operation::Approve { request }).unwrap()
    }

    /// Non-zero balances on `on`, by account, leaving out `except`.
    fn balances(b: &Koperasi, on: NaiveDate, except: &[R]) -> BTreeMap<String, Rupiah> {
        let skip: Vec<String> = except.iter().map(|r| b.code(*r)).collect();
        b.ledger()
            .balances(on)
            .unwrap()
            .into_iter()
            .filter(|(c, x)| !x.net_debit.is_zero() && !skip.contains(&c.as_str().to_owned()))
            .map(|(c, x)| (c.as_str().to_owned(), x.net_debit))
            .collect()
    }

    /// The registers (prepaid expenses without the entry that paid them: entry ids differ).
    fn registers(b: &Koperasi) -> String {
        let prepaid: Vec<_> = b
            .prepaid_expenses()
            .iter()
            .map(|p| (&p.account, p.unit, p.amount, p.months, p.start, p.amortised))
            .collect();
        let deposits: Vec<_> = b.time_deposits().collect();
        format!(
            "{:?}\n{prepaid:?}\n{:?}\n{:?}\n{:?}\n{deposits:?}\n{:?}",
            b.fixed_assets(),
            b.loan_accruals(),
            b.deposit_accruals(),
            b.loans(),
            b.applications()
        )
    }

    /// The corrected book equals its twin on `on`: every balance but `except`, and (without
    /// exceptions) every register.
    fn same(b: &Koperasi, twin: &Koperasi, on: NaiveDate, except: &[R]) {
        assert_eq!(balances(b, on, except), balances(twin, on, except));
        if except.is_empty() {
            assert_eq!(registers(b), registers(twin));
        }
        reconciled(b);
        reconciled(twin);
    }

    fn both(b: &mut Koperasi, twin: &mut Koperasi, step: &Step) {
        ok(b, step.0, step.1, step.2.clone());
        ok(twin, step.0, step.1, step.2.clone());
    }

    fn plain_reverse(b: &mut Koperasi, i: usize, on: NaiveDate) -> Error {
        let made = b
            .run(
                on,
                BENDAHARA,
                Operation::Reverse {
                    target: ReversalTarget::Event(i),
                    reason: "salah input".into(),
                },
            )
            .unwrap();
        fails(
            b,
            on,
            KETUA,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        )
    }

    fn prepay(amount: i64, account: &str) -> Operation {
        Operation::PrepayExpense {
            account: account.into(),
            amount: rp(amount),
            months: 12,
            unit: None,
            via: Via::Bank,
            memo: "Sewa dibayar dimuka".into(),
        }
    }

    #[test]
    fn a_prepayment_amortised_over_two_months_is_corrected_with_its_amortisation() {
        let base = book(1, false);
        let steps = [
            (d(2026, 1, 20), BENDAHARA, prepay(1_200_000, "6-1-08")),
            // Another prepayment on the same account: the month-end entries mix both.
            (d(2026, 1, 20), BENDAHARA, prepay(2_400_000, "6-1-08")),
            me(d(2026, 1, 31)),
            me(d(2026, 2, 28)),
        ];
        let (mut b, i, mut twin) = books(&base, &steps, 0);
        let e = plain_reverse(&mut b, i, d(2026, 3, 2));
        assert!(
            matches!(&e, Error::NotReversible { reason, .. } if reason.contains("CorrectAfterMonthEnd")),
            "{e}"
        );
        let applied = correct(&mut b, i, d(2026, 3, 2));
        // Two month-ends' shares (Rp100.000 each), then the prepayment.
        assert_eq!(applied.entries.len(), 3);
        for id in &applied.entries[..2] {
            let e = b.ledger().entry(*id).unwrap();
            assert!(
                e.source()
                    .starts_with(&format!("correction:event-{i}/month-end:"))
            );
            assert!(e.lines().all(|l| l.amount == rp(100_000)));
        }
        assert_eq!(b.prepaid_expenses().len(), 1);
        assert_eq!(b.reversed_by(i), Some(b.events().len() - 1));
        same(&b, &twin, d(2026, 3, 2), &[]);
        both(&mut b, &mut twin, &me(d(2026, 3, 31)));
        same(&b, &twin, d(2026, 3, 31), &[]);
        // Done once.
        let e = fails(&mut b, d(2026, 4, 1), BENDAHARA, correction(i));
        assert!(matches!(e, Error::NotReversible { .. }), "{e}");
    }

    fn buy(tag: &str, account: &str, cost: i64, months: u32) -> Operation {
        Operation::AcquireFixedAsset {
            asset: tag.into(),
            account: account.into(),
            cost: rp(cost),
            useful_life_months: months,
            residual: rp(0),
            payment: PurchasePayment::Paid(Via::Bank),
            memo: tag.into(),
        }
    }

    #[test]
    fn an_asset_depreciated_over_three_months_is_corrected_with_its_depreciation() {
        let base = book(1, false);
        let steps = [
            (
                d(2026, 1, 10),
                BENDAHARA,
                buy("GDG-1", "1-2-02", 60_000_000, 240),
            ),
            (
                d(2026, 1, 10),
                BENDAHARA,
                buy("MTR-1", "1-2-04", 9_600_000, 96),
            ),
            me(d(2026, 1, 31)),
            me(d(2026, 2, 28)),
            me(d(2026, 3, 31)),
        ];
        let (mut b, i, mut twin) = books(&base, &steps, 1);
        assert_eq!(b.fixed_assets()["MTR-1"].depreciated, rp(300_000));
        let e = plain_reverse(&mut b, i, d(2026, 4, 1));
        assert!(matches!(e, Error::NotReversible { .. }), "{e}");
        let applied = correct(&mut b, i, d(2026, 4, 1));
        assert_eq!(
            applied.entries.len(),
            4,
            "three month-ends' shares and the purchase"
        );
        // Only the motorbike's share of each depreciation entry (the building's stays).
        assert_eq!(bal(&b, R::AccumulatedDepreciation), rp(750_000));
        assert!(!b.fixed_assets().contains_key("MTR-1"));
        same(&b, &twin, d(2026, 4, 1), &[]);
        both(&mut b, &mut twin, &me(d(2026, 4, 30)));
        same(&b, &twin, d(2026, 4, 30), &[]);
    }

    fn open_deposit(account: u128, amount: i64) -> Operation {
        Operation::OpenTimeDeposit {
            account: SavingsAccountId::from_u128(account),
            member: member(0),
            amount: rp(amount),
            term_months: 12,
            annual_percent: Decimal::from(6),
            via: Via::Cash,
        }
    }

    #[test]
    fn a_time_deposit_accrued_by_month_ends_is_corrected_with_its_accrual() {
        let base = book(1, false);
        let steps = [
            (d(2026, 1, 10), KASIR, open_deposit(77, 12_000_000)),
            (d(2026, 1, 12), KASIR, open_deposit(78, 5_000_000)),
            me(d(2026, 1, 31)),
            me(d(2026, 2, 28)),
        ];
        let (mut b, i, mut twin) = books(&base, &steps, 0);
        assert!(b.deposit_accruals()[&SavingsAccountId::from_u128(77)].is_positive());
        // A plain reversal would leave the accrual behind: refused.
        let e = plain_reverse(&mut b, i, d(2026, 3, 2));
        assert!(
            matches!(&e, Error::NotReversible { reason, .. } if reason.contains("accrued")),
            "{e}"
        );
        let applied = correct(&mut b, i, d(2026, 3, 2));
        assert_eq!(applied.entries.len(), 3);
        assert!(
            !b.deposit_accruals()
                .contains_key(&SavingsAccountId::from_u128(77))
        );
        same(&b, &twin, d(2026, 3, 2), &[]);
        both(&mut b, &mut twin, &me(d(2026, 3, 31)));
        same(&b, &twin, d(2026, 3, 31), &[]);
    }

    /// What the next month-end recomputes for loans: accrual, penalties, PPAP.
    const RECOMPUTED: [R; 5] = [
        R::InterestReceivable,
        R::PenaltyIncome,
        R::MemberRevenue(koperasi_ledger::BusinessUnit::SimpanPinjam),
        R::LoanLossReserve,
        R::LoanLossExpense,
    ];

    fn repay(amount: i64) -> Operation {
        Operation::RepayLoan {
            loan: LOAN,
            amount: rp(amount),
            via: Via::Cash,
        }
    }

    #[test]
    fn a_loan_repayment_after_month_end_accruals_and_penalties_is_corrected() {
        let mut base = book(2, true);
        // A second loan in both books: the month-end entries mix the two.
        disburse(&mut base, LoanId::from_u128(2), member(1), d(2026, 1, 5));
        let steps = [
            me(d(2026, 1, 31)),
            (d(2026, 2, 5), KASIR, repay(530_000)),
            me(d(2026, 2, 28)),
            // The second installment is late on 31 March: penalties, the class.
            me(d(2026, 3, 31)),
        ];
        let (mut b, i, mut twin) = books(&base, &steps, 1);
        let e = plain_reverse(&mut b, i, d(2026, 4, 1));
        assert!(
            matches!(&e, Error::NotReversible { reason, .. } if reason.contains("penalties")),
            "{e}"
        );
        let before = b.loan_accruals()[&LOAN];
        let applied = correct(&mut b, i, d(2026, 4, 1));
        assert_eq!(
            applied.entries.len(),
            3,
            "two month-ends' shares, the repayment"
        );
        // Back to the state after January's month-end: its accrual, no payment.
        assert_ne!(b.loan_accruals()[&LOAN], before);
        assert_eq!(
            b.loans()[&LOAN].loan.installments()[0].completed_on,
            None,
            "the first installment is unpaid again"
        );
        // Money, principal and everything else as if never paid; what the month-end
        // recomputes follows at the next one.
        same(&b, &twin, d(2026, 4, 1), &RECOMPUTED);
        both(&mut b, &mut twin, &me(d(2026, 4, 30)));
        same(&b, &twin, d(2026, 4, 30), &[]);
    }

    #[test]
    fn a_reversal_of_a_loan_accrued_but_unchanged_by_the_month_end_stays_allowed() {
        // The month-end's accrual is trued up by the next one: a plain reversal is right.
        let mut b = book(1, true);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        ok(&mut b, d(2026, 2, 5), KASIR, repay(530_000));
        let i = b.events().len() - 1;
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        let made = b
            .run(
                d(2026, 3, 1),
                BENDAHARA,
                Operation::Reverse {
                    target: ReversalTarget::Event(i),
                    reason: "salah input".into(),
                },
            )
            .unwrap();
        ok(
            &mut b,
            d(2026, 3, 1),
            KETUA,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        );
        reconciled(&b);
    }

    #[test]
    fn a_sukarela_deposit_a_month_end_paid_interest_on_is_corrected_with_the_interest_recomputed() {
        let base = book(2, false);
        let deposit = |m: u128, amount: i64| Operation::Deposit {
            member: member(m),
            kind: koperasi_savings_loans::SavingsKind::Voluntary,
            amount: rp(amount),
            via: Via::Cash,
        };
        let steps = [
            (d(2026, 1, 10), KASIR, deposit(0, 20_000_000)),
            (d(2026, 1, 12), KASIR, deposit(1, 3_000_000)),
            me(d(2026, 1, 31)),
            me(d(2026, 2, 28)),
        ];
        let (mut b, i, mut twin) = books(&base, &steps, 0);
        let e = plain_reverse(&mut b, i, d(2026, 3, 2));
        assert!(matches!(e, Error::NotReversible { .. }), "{e}");
        let applied = correct(&mut b, i, d(2026, 3, 2));
        // Two month-ends' interest reversed, two recomputed without the deposit, the deposit.
        assert_eq!(applied.entries.len(), 5);
        let sources: Vec<String> = applied
            .entries
            .iter()
            .map(|id| b.ledger().entry(*id).unwrap().source().to_owned())
            .collect();
        assert!(
            sources[..4]
                .iter()
                .all(|s| s.starts_with("month-end:") && s.ends_with("/savings-interest")),
            "{sources:?}"
        );
        same(&b, &twin, d(2026, 3, 2), &[]);
        assert_eq!(
            b.member_accounts(member(0)).unwrap(),
            twin.member_accounts(member(0)).unwrap()
        );
        both(&mut b, &mut twin, &me(d(2026, 3, 31)));
        same(&b, &twin, d(2026, 3, 31), &[]);
    }

    #[test]
    fn month_end_shares_are_not_kept_past_a_closed_year() {
        use crate::book::testkit;
        let mut b = testkit::book(1);
        let on = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        b.run(on, testkit::BENDAHARA, prepay(1_200_000, "6-1-08"))
            .unwrap();
        let i = b.events().len() - 1;
        for m in 11..=12 {
            let end = koperasi_core::month_end(2026, m).unwrap();
            b.run(end, testkit::BENDAHARA, Operation::MonthEnd).unwrap();
        }
        let dec = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        b.run(dec, testkit::KETUA, Operation::CloseYear { year: 2026 })
            .unwrap();
        let jan = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        b.run(jan, testkit::BENDAHARA, Operation::MonthEnd).unwrap();
        assert!(b.undo.record(i).unwrap().month_ends.is_empty(), "dropped");
        // Reopened, the year's operation is still not corrected after that month-end.
        let made = b
            .run(
                jan,
                testkit::KETUA,
                Operation::ReopenYear {
                    year: 2026,
                    reason: "koreksi".into(),
                },
            )
            .unwrap();
        b.run(
            jan,
            testkit::PENGAWAS,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        )
        .unwrap();
        let e = b.run(jan, testkit::BENDAHARA, correction(i)).unwrap_err();
        assert!(
            matches!(&e, Error::NotReversible { reason, .. } if reason.contains("closed")),
            "{e}"
        );
    }

    #[test]
    fn one_person_cannot_complete_a_correction_after_month_end() {
        let mut config = config();
        // Even where a plain reversal needs one person, this needs two.
        config.maker_checker.entry_reversal = false;
        let mut b = Koperasi::new(config).unwrap();
        ok(
            &mut b,
            d(2026, 1, 2),
            BENDAHARA,
            Operation::Capital {
                kind: crate::event::CapitalKind::Grant,
                amount: rp(10_000_000),
                via: Via::Bank,
            },
        );
        ok(
            &mut b,
            d(2026, 1, 20),
            BENDAHARA,
            prepay(1_200_000, "6-1-08"),
        );
        let i = b.events().len() - 1;
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let made = b.run(d(2026, 2, 2), BENDAHARA, correction(i)).unwrap();
        let request = made.request.expect("a request, whatever the reversal rule");
        let approve = Operation::Approve { request };
        // The maker himself.
        let e = fails(&mut b, d(2026, 2, 2), BENDAHARA, approve.clone());
        assert!(
            matches!(
                e,
                Error::Membership {
                    source: koperasi_membership::Error::SameActor { .. },
                    ..
                }
            ),
            "{e}"
        );
        // Someone without the permission.
        let e = fails(&mut b, d(2026, 2, 2), KASIR, approve.clone());
        assert!(
            matches!(
                e,
                Error::Membership {
                    source: koperasi_membership::Error::PermissionDenied {
                        permission: Permission::ReverseEntry,
                        ..
                    },
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(b.prepaid_expenses().len(), 1);
        ok(&mut b, d(2026, 2, 2), KETUA, approve);
        assert!(b.prepaid_expenses().is_empty());
        reconciled(&b);
    }

    #[test]
    fn a_correction_bound_to_fail_is_refused_at_once_and_changes_nothing() {
        let mut b = book(1, false);
        // A month-end is not corrected; an event out of range neither.
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let i = b.events().len() - 1;
        for event in [i, 9_999] {
            let e = fails(&mut b, d(2026, 2, 1), BENDAHARA, correction(event));
            assert!(matches!(e, Error::NotReversible { .. }), "{e}");
        }
        let e = fails(
            &mut b,
            d(2026, 2, 1),
            BENDAHARA,
            Operation::CorrectAfterMonthEnd {
                event: 0,
                reason: " ".into(),
            },
        );
        assert!(matches!(e, Error::EmptyReason { .. }), "{e}");
    }

    #[test]
    fn a_correction_the_ledger_refuses_posts_nothing() {
        // The deposit's money leaves the kas, so reversing it would take the kas below zero:
        // the accrual shares were posted first and are put back with the ledger.
        let mut b = book(1, false);
        ok(&mut b, d(2026, 1, 10), KASIR, open_deposit(77, 12_000_000));
        let i = b.events().len() - 1;
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let cash = bal(&b, R::Cash);
        ok(
            &mut b,
            d(2026, 2, 1),
            BENDAHARA,
            Operation::Transfer {
                from: Via::Cash,
                to: Via::Bank,
                amount: cash,
            },
        );
        let made = b.run(d(2026, 2, 2), BENDAHARA, correction(i)).unwrap();
        let e = fails(
            &mut b,
            d(2026, 2, 2),
            KETUA,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        );
        assert!(matches!(e, Error::Ledger { .. }), "{e}");
        assert!(b.reversed_by(i).is_none());
    }

    #[test]
    fn replay_reproduces_a_correction_after_month_end() {
        let mut b = book(1, true);
        ok(
            &mut b,
            d(2026, 1, 20),
            BENDAHARA,
            prepay(1_200_000, "6-1-08"),
        );
        let i = b.events().len() - 1;
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        // A pending correction replays as pending; the approved one as applied.
        let pending = b
            .run(d(2026, 2, 1), BENDAHARA, correction(i))
            .unwrap()
            .request
            .unwrap();
        correct(&mut b, i, d(2026, 2, 2));
        assert_eq!(b.requests()[&pending].state, crate::RequestState::Pending);
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        let replayed = Koperasi::replay(config(), b.events().to_vec()).unwrap();
        assert_eq!(format!("{replayed:?}"), format!("{b:?}"));
        assert_eq!(
            replayed.requests()[&pending].state,
            crate::RequestState::Pending
        );
        let loaded = Koperasi::from_json_lines(&b.to_json_lines().unwrap()).unwrap();
        assert_eq!(loaded.audit_head(), b.audit_head());
        assert_eq!(format!("{loaded:?}"), format!("{b:?}"));
    }

    #[test]
    fn a_format_3_reversal_of_an_accrued_disbursement_replays_as_written() {
        // Format 3 reversed a disbursement a month-end had accrued, leaving the accrual; a
        // format-3 log keeps doing so, a format-4 event is refused (use the correction).
        let mut b = book(1, true);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let i = b
            .events()
            .iter()
            .position(|e| matches!(e.op, Operation::DisburseLoan { .. }))
            .unwrap();
        let mut v4 = b.clone();
        let reverse = Operation::Reverse {
            target: ReversalTarget::Event(i),
            reason: "salah input".into(),
        };
        let mut old = |date, actor, op| {
            let mut e = Event::new(date, actor, op);
            e.format = 3;
            b.apply(e)
        };
        let request = old(d(2026, 2, 1), BENDAHARA, reverse.clone())
            .unwrap()
            .request
            .unwrap();
        old(d(2026, 2, 1), KETUA, Operation::Approve { request }).unwrap();
        assert!(b.loans().is_empty());
        assert!(
            b.loan_accruals().contains_key(&LOAN),
            "left behind, as written"
        );
        let log = b.to_json_lines().unwrap();
        assert!(log.contains(r#""format":3"#));
        let loaded = Koperasi::from_json_lines(&log).unwrap();
        assert_eq!(loaded.audit_head(), b.audit_head());
        // The same request in format 4 is refused at approval; the correction does it.
        let e = plain_reverse(&mut v4, i, d(2026, 2, 1));
        assert!(matches!(e, Error::NotReversible { .. }), "{e}");
        correct(&mut v4, i, d(2026, 2, 1));
        assert!(v4.loans().is_empty() && v4.loan_accruals().is_empty());
        assert_eq!(bal(&v4, R::InterestReceivable), rp(0));
        reconciled(&v4);
    }
}
