//! Bank reconciliation in the book (issue 18): a reconciliation made with
//! `koperasi-reconcile`, once a second person approves it, is recorded as an event (so it is
//! replayed and audited with the rest of the log) and its adjustments are posted through the
//! book's own posting path — the entries the ordinary operations post: an expense paid from
//! the bank (`Operation::Expense`), other income received in the bank, and a QRIS settlement
//! of pending sales net of MDR (`Operation::SettleQris`) — as one all-or-nothing batch.

use std::collections::BTreeSet;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Rupiah};
use koperasi_ledger::{AccountClass, Dimensions, Side};
use koperasi_membership::{Permission, Subject};

use crate::error::{Error, Result, ledger};
use crate::posting::PostingRole as R;

use super::{Applied, Draft, Koperasi, add, code_line, pos, sub};

/// One adjustment of an approved bank reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BankAdjustment {
    /// A bank-only item explained by a named rule: money out (a fee, tax on interest) is
    /// debited to `account` (an expense), money in (interest) credited to it (revenue).
    BankItem {
        /// The rule that explained it (`bank_fee`, `interest_tax`, `bank_interest`, …).
        rule: String,
        /// The bank line's date.
        date: NaiveDate,
        /// Signed amount: + money in, − money out.
        amount: Rupiah,
        /// The counter account.
        account: String,
        /// Memo.
        memo: String,
        /// The bank line's fingerprint (the entry's source is `reconcile:<fingerprint>`).
        fingerprint: String,
    },
    /// A QRIS settlement of pending sales: bank (net), MDR expense, QRIS receivable (gross).
    QrisSettlement {
        /// The bank line's date.
        date: NaiveDate,
        /// The settled sales' references.
        references: Vec<String>,
        /// MDR withheld, by the reconciler's configured schedule.
        mdr: Rupiah,
        /// Net received.
        net: Rupiah,
        /// The bank line's fingerprint.
        fingerprint: String,
    },
}

/// A bank reconciliation (rekonsiliasi bank) as the book records it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "rekonsiliasi bank")]
#[non_exhaustive]
pub struct BankReconciliation {
    /// The ledger account reconciled (the book's bank account).
    pub account: String,
    /// First statement day.
    pub from: NaiveDate,
    /// Last statement day.
    pub to: NaiveDate,
    /// Saldo per bank at `to`.
    pub saldo_bank: Rupiah,
    /// Saldo per books at `to`, before the adjustments.
    pub saldo_books: Rupiah,
    /// Number of matched groups.
    pub matched: usize,
    /// The adjustments to post.
    pub adjustments: Vec<BankAdjustment>,
}

impl BankReconciliation {
    /// The book's record of a reconciliation result: its proposed entries become
    /// adjustments (a `qris_settlement` proposal a [`BankAdjustment::QrisSettlement`] of the
    /// sales whose sources are `qris:<reference>`, every other rule a
    /// [`BankAdjustment::BankItem`]).
    ///
    /// # Errors
    /// [`Error::BankReconciliation`] for a proposal that does not have the expected shape.
    pub fn from_result(r: &koperasi_reconcile::Reconciliation) -> Result<BankReconciliation> {
        let op = "bank_reconciliation";
        let bad = |what: String| Error::BankReconciliation { op, what };
        let mut adjustments = Vec::with_capacity(r.proposed_entries.len());
        for p in &r.proposed_entries {
            let bank = p
                .bank
                .first()
                .ok_or_else(|| bad(format!("proposal {} has no bank line", p.source)))?;
            let fingerprint = bank.fingerprint.to_string();
            if p.rule == "qris_settlement" {
                let references = p
                    .books
                    .iter()
                    .map(|b| {
                        b.source
                            .strip_prefix("qris:")
                            .map(str::to_owned)
                            .ok_or_else(|| bad(format!("{} is not a QRIS sale", b.source)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let mdr = Rupiah::try_sum(
                    p.lines
                        .iter()
                        .filter(|l| l.side == Side::Debit && l.account != r.account)
                        .map(|l| l.amount),
                )?;
                adjustments.push(BankAdjustment::QrisSettlement {
                    date: p.date,
                    references,
                    mdr,
                    net: bank.amount,
                    fingerprint,
                });
            } else {
                let counter = p
                    .lines
                    .iter()
                    .find(|l| l.account != r.account)
                    .ok_or_else(|| bad(format!("proposal {} has no counter account", p.source)))?;
                adjustments.push(BankAdjustment::BankItem {
                    rule: p.rule.clone(),
                    date: p.date,
                    amount: bank.amount,
                    account: counter.account.clone(),
                    memo: p.memo.clone(),
                    fingerprint,
                });
            }
        }
        Ok(BankReconciliation {
            account: r.account.clone(),
            from: r.from,
            to: r.to,
            saldo_bank: r.saldo_bank,
            saldo_books: r.saldo_books,
            matched: r.matched.len(),
            adjustments,
        })
    }
}

impl Koperasi {
    /// Records an approved reconciliation: checks every adjustment against the book, then
    /// posts them all in one batch, or nothing.
    pub(super) fn record_bank_reconciliation(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        rec: &BankReconciliation,
    ) -> Result<Applied> {
        let op = "record_bank_reconciliation";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        let bad = |what: String| Error::BankReconciliation { op, what };
        let bank = self.code(R::Bank);
        if rec.account != bank {
            return Err(bad(format!(
                "reconciles {:?}, the book's bank account is {bank:?}",
                rec.account
            )));
        }
        let mut dr = Draft::new();
        let mut settled: BTreeSet<&str> = BTreeSet::new();
        let mut sources: BTreeSet<String> = BTreeSet::new();
        for adj in &rec.adjustments {
            let (date, fingerprint) = match adj {
                BankAdjustment::BankItem {
                    date, fingerprint, ..
                }
                | BankAdjustment::QrisSettlement {
                    date, fingerprint, ..
                } => (*date, fingerprint),
            };
            if date > d {
                return Err(Error::DateOutOfOrder {
                    op,
                    date: d,
                    last: date,
                });
            }
            let source = format!("reconcile:{fingerprint}");
            if !sources.insert(source.clone()) || !self.ledger.entries_by_source(&source).is_empty()
            {
                return Err(Error::Duplicate {
                    op,
                    what: "bank line",
                    id: fingerprint.clone(),
                });
            }
            match adj {
                BankAdjustment::BankItem {
                    amount,
                    account,
                    memo,
                    ..
                } => {
                    let class = self
                        .ledger
                        .chart()
                        .get(account)
                        .filter(|x| x.postable && x.open)
                        .map(|x| x.class);
                    let magnitude = amount.abs();
                    pos(op, "amount", magnitude)?;
                    let (debit, credit) = if amount.is_negative() {
                        if class != Some(AccountClass::Expense) {
                            return Err(Error::NotExpenseAccount {
                                op,
                                code: account.clone(),
                            });
                        }
                        (account.as_str(), bank.as_str())
                    } else {
                        if class != Some(AccountClass::Revenue) {
                            return Err(bad(format!("{account:?} is not an open revenue account")));
                        }
                        (bank.as_str(), account.as_str())
                    };
                    let lines = vec![
                        code_line(debit, Side::Debit, magnitude, Dimensions::default())
                            .map_err(ledger(op))?,
                        code_line(credit, Side::Credit, magnitude, Dimensions::default())
                            .map_err(ledger(op))?,
                    ];
                    dr.push(self, date, a, memo, source, lines);
                }
                BankAdjustment::QrisSettlement {
                    references,
                    mdr,
                    net,
                    ..
                } => {
                    let mut gross = Rupiah::ZERO;
                    for r in references {
                        let p = self
                            .qris_pending
                            .get(r)
                            .filter(|_| settled.insert(r.as_str()))
                            .ok_or_else(|| Error::UnknownQrisReference {
                                op,
                                reference: r.clone(),
                            })?;
                        gross = add(gross, p.amount)?;
                    }
                    pos(op, "settled amount", gross)?;
                    if mdr.is_negative() || sub(gross, *mdr)? != *net {
                        return Err(bad(format!(
                            "settlement {fingerprint}: net {net} is not gross {gross} − MDR {mdr}"
                        )));
                    }
                    let lines = vec![
                        self.line(R::Bank, Side::Debit, *net, Dimensions::default())?,
                        self.line(R::QrisFeeExpense, Side::Debit, *mdr, Dimensions::default())?,
                        self.line(
                            R::QrisReceivable,
                            Side::Credit,
                            gross,
                            Dimensions::default(),
                        )?,
                    ];
                    dr.push(self, date, a, "Settlement QRIS", source, lines);
                }
            }
        }
        let applied = self.post(op, &dr)?;
        for r in settled {
            self.qris_pending.remove(r);
        }
        Ok(applied)
    }
}

impl Koperasi {
    /// The MDR of settling the pending QRIS sales `references` by a configured schedule: each
    /// sale's MDR by its date and amount (BI: 0% up to Rp500.000 for usaha mikro since
    /// 1 December 2024, 0,3% above; 0,7% for regular merchants), rounded by the schedule's
    /// policy, summed. This is the `fee` of [`Operation::SettleQris`](crate::Operation::SettleQris)
    /// "per the configured rule".
    ///
    /// # Errors
    /// [`Error::UnknownQrisReference`] for a reference that is not pending;
    /// [`Error::BankReconciliation`] when the schedule has no rate for a sale.
    pub fn qris_mdr(
        &self,
        references: &[String],
        schedule: &koperasi_reconcile::MdrSchedule,
        category: koperasi_reconcile::MerchantCategory,
    ) -> Result<Rupiah> {
        let op = "qris_mdr";
        let mut total = Rupiah::ZERO;
        for r in references {
            let p = self
                .qris_pending
                .get(r)
                .ok_or_else(|| Error::UnknownQrisReference {
                    op,
                    reference: r.clone(),
                })?;
            let mdr = schedule.mdr(p.date, category, p.amount).map_err(|e| {
                Error::BankReconciliation {
                    op,
                    what: e.to_string(),
                }
            })?;
            total = add(total, mdr)?;
        }
        Ok(total)
    }
}
