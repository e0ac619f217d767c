//! Every figure of a book **as of a date** ([`Koperasi::snapshot`]): balances, savings by
//! kind, loans outstanding with their collectibility, the PPAP required and booked, the
//! Himbara (or other bank) financing, members by status.
//!
//! A snapshot reads only what is dated on or before its date:
//!
//! * balances come from the ledger as of the date (so reversals, accruals and depreciation
//!   count when they are dated, like any other entry);
//! * a loan's outstanding principal is the sum of its receivable lines dated on or before the
//!   date (the entries whose source is `loan:<id>/…`, the ledger's convention for a loan's
//!   subledger — a reversal carries its original's source);
//! * a loan's collectibility is computed as of the date by `koperasi-savings-loans`
//!   ([`classify`]) from its schedule and the installments completed by then (an installment
//!   completed after the date is unpaid as of the date), never from the class stored at the
//!   last month-end;
//! * the PPAP required is `koperasi-savings-loans`' [`required_reserve`] over those classes
//!   with the book's reserve rates — the same computation the month-end posts;
//! * the Himbara loan: outstanding from the ledger, due from its schedule, paid from the
//!   installment entries dated on or before the date;
//! * members by status from the registry's history ([`Registry::counts_on`]).
//!
//! Hence the property (`prop_snapshot_ignores_later_operations`): **a snapshot as of D is
//! unchanged by any operation dated after D** — it equals the snapshot of the book replayed
//! from the events dated on or before D.
//!
//! [`Registry::counts_on`]: koperasi_membership::Registry::counts_on

use std::collections::HashMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{LoanId, MemberId, Rupiah};
use koperasi_ledger::{AccountCode, Balance, Side};
use koperasi_membership::{MemberStatus, StatusCounts};
use koperasi_reporting::city::{HimbaraStatus, LoansByCollectibility, SavingsByKind};
use koperasi_savings_loans::{
    Collectibility, CollectibilityFacts, Loan, PortfolioLine, ReserveRequirement, SavingsKind,
    classify, required_reserve,
};

use crate::book::Koperasi;
use crate::error::{Result, ledger, sl};
use crate::posting::PostingRole as R;

/// One loan as of the snapshot's date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoanAsOf {
    /// The loan.
    pub loan: LoanId,
    /// The borrower.
    pub member: MemberId,
    /// The amount lent.
    pub principal: Rupiah,
    /// Disbursement date.
    pub disbursed_on: NaiveDate,
    /// Principal outstanding as of the date (from the ledger).
    pub outstanding: Rupiah,
    /// Installments completed by the date.
    pub installments_paid: u32,
    /// Installments of the schedule.
    pub installments: u32,
    /// Days past due as of the date (oldest installment due and not completed).
    pub days_past_due: u32,
    /// Collectibility as of the date ([`classify`]).
    pub class: Collectibility,
    /// Written off on or before the date.
    pub written_off: bool,
}

/// Every figure of a book as of a date. Compare two snapshots with `==`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BookSnapshot {
    /// The date (inclusive).
    pub as_of: NaiveDate,
    /// Every postable account's debit and credit totals as of the date, in chart order.
    pub balances: Vec<(AccountCode, Balance)>,
    /// Member savings by kind (the control accounts).
    pub savings: SavingsByKind,
    /// Loans disbursed on or before the date, in id order (closed and written-off ones too).
    pub loans: Vec<LoanAsOf>,
    /// Principal outstanding of the loans on the books by collectibility.
    pub by_class: LoansByCollectibility,
    /// The PPAP required as of the date by the book's reserve rates.
    pub reserve_required: ReserveRequirement,
    /// The PPAP booked (the loan-loss reserve account) as of the date.
    pub reserve_booked: Rupiah,
    /// Kas + bank.
    pub cash_and_bank: Rupiah,
    /// The Himbara (bank) financing as of the date; all zero without one.
    pub financing: HimbaraStatus,
    /// Members by status on the date.
    pub members: StatusCounts,
}

impl BookSnapshot {
    /// The balance of an account on its normal side (zero for an unknown code).
    pub fn balance(&self, book: &Koperasi, code: &str) -> Rupiah {
        let side = book
            .ledger()
            .chart()
            .get(code)
            .map_or(Side::Debit, koperasi_ledger::Account::normal_side);
        self.balances
            .iter()
            .find(|(c, _)| c.as_str() == code)
            .map_or(Rupiah::ZERO, |(_, b)| b.on_side(side))
    }

    /// The balance of the account a posting role maps to, on its normal side.
    pub fn role(&self, book: &Koperasi, role: R) -> Rupiah {
        self.balance(book, &book.code(role))
    }

    /// Anggota (full members) on the date.
    pub fn anggota(&self) -> u64 {
        u64::try_from(self.members.get(MemberStatus::Member)).unwrap_or(u64::MAX)
    }

    /// Calon anggota on the date.
    pub fn calon_anggota(&self) -> u64 {
        u64::try_from(self.members.get(MemberStatus::Candidate)).unwrap_or(u64::MAX)
    }
}

/// Installment facts of a loan as of a date: (completed, oldest due and not completed).
fn installments_as_of(loan: &Loan, as_of: NaiveDate) -> (u32, Option<NaiveDate>) {
    let mut paid = 0u32;
    let mut oldest = None;
    for i in loan.installments() {
        let done = i.completed_on.is_some_and(|d| d <= as_of);
        if done {
            paid = paid.saturating_add(1);
        } else if i.due_date < as_of && oldest.is_none() {
            oldest = Some(i.due_date);
        }
    }
    (paid, oldest)
}

fn days(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from(to.signed_duration_since(from).num_days().max(0)).unwrap_or(u32::MAX)
}

impl Koperasi {
    /// Every figure of the book as of `as_of` (inclusive) — see the [module](crate::snapshot)
    /// documentation for where each comes from. Operations dated after `as_of` change
    /// nothing in it.
    ///
    /// # Errors
    /// [`Error::Ledger`](crate::Error::Ledger) or [`Error::Core`](crate::Error::Core) on a
    /// total beyond `Rupiah`'s range; [`Error::SavingsLoans`](crate::Error::SavingsLoans) if
    /// the classification or the reserve rates are rejected.
    #[doc(alias = "posisi per tanggal")]
    pub fn snapshot(&self, as_of: NaiveDate) -> Result<BookSnapshot> {
        let op = "snapshot";
        let ledger_ = self.ledger();
        let balances = ledger_.balances(as_of).map_err(ledger(op))?;
        let chart = ledger_.chart();
        let bal = |role: R| -> Rupiah {
            let code = self.code(role);
            let side = chart
                .get(&code)
                .map_or(Side::Debit, koperasi_ledger::Account::normal_side);
            balances
                .iter()
                .find(|(c, _)| c.as_str() == code)
                .map_or(Rupiah::ZERO, |(_, b)| b.on_side(side))
        };

        // One pass over the entries dated ≤ as_of: each loan's receivable lines and last
        // repayment, the Himbara installments paid.
        let receivable = self.code(R::LoanReceivable);
        // Each loan by its position in the book's (id) order; the sources' prefixes sorted
        // for a binary search (no hashing of every loan entry's source).
        let n_loans = self.loans().len();
        let mut prefixes: Vec<(String, usize)> = self
            .loans()
            .keys()
            .enumerate()
            .map(|(i, id)| (format!("loan:{id}/"), i))
            .collect();
        prefixes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let loan_at = |prefix: &str| -> Option<usize> {
            prefixes
                .binary_search_by(|(p, _)| p.as_str().cmp(prefix))
                .ok()
                .and_then(|k| prefixes.get(k))
                .map(|(_, i)| *i)
        };
        let mut outstanding: Vec<i128> = vec![0; n_loans];
        let mut last_repayment: Vec<Option<NaiveDate>> = vec![None; n_loans];
        let mut written_off: Vec<bool> = vec![false; n_loans];
        let mut financing_paid = 0i128;
        // Receivable lines a member's leaving posts under `member:<id>/…` (savings set off
        // against every loan of the member in the book's loan order), to be attributed below.
        let mut set_off: HashMap<MemberId, i128> = HashMap::new();
        for e in ledger_.entries() {
            if e.date() > as_of {
                continue;
            }
            let source = e.source();
            if source.starts_with("member:") {
                for l in e.lines().filter(|l| l.account.as_str() == receivable) {
                    if let Some(m) = l.dims.member {
                        let s = l.amount.to_sen();
                        let slot = set_off.entry(m).or_insert(0);
                        *slot = match l.side {
                            Side::Credit => slot.saturating_add(s),
                            Side::Debit => slot.saturating_sub(s),
                        };
                    }
                }
                continue;
            }
            if let Some(rest) = source.strip_prefix("loan:")
                && let Some(slash) = rest.find('/')
                && let Some(i) = source.get(..slash.saturating_add(6)).and_then(loan_at)
            {
                let what = rest.get(slash.saturating_add(1)..).unwrap_or("");
                let mut net = 0i128;
                for l in e.lines().filter(|l| l.account.as_str() == receivable) {
                    let s = l.amount.to_sen();
                    net = match l.side {
                        Side::Debit => net.saturating_add(s),
                        Side::Credit => net.saturating_sub(s),
                    };
                }
                if let Some(slot) = outstanding.get_mut(i) {
                    *slot = slot.saturating_add(net);
                }
                if (what.starts_with("repayment") || what.starts_with("recovery"))
                    && let Some(slot) = last_repayment.get_mut(i)
                {
                    *slot = Some(e.date());
                }
                if what.starts_with("write-off")
                    && let Some(slot) = written_off.get_mut(i)
                {
                    *slot = true;
                }
            } else if source.starts_with("himbara:installment") {
                let paid: i128 = e
                    .lines()
                    .filter(|l| l.side == Side::Debit)
                    .map(|l| l.amount.to_sen())
                    .fold(0, i128::saturating_add);
                financing_paid = financing_paid.saturating_add(paid);
            }
        }

        // A set-off pays the member's loans in the book's order (by loan id), each up to what
        // it owes, so its principal is attributed the same way.
        for (account, slot) in self.loans().values().zip(outstanding.iter_mut()) {
            if let Some(left) = set_off.get_mut(&account.member)
                && *left > 0
            {
                let take = (*slot).clamp(0, *left);
                *slot = slot.saturating_sub(take);
                *left = left.saturating_sub(take);
            }
        }

        let mut loans = Vec::new();
        let mut by_class = LoansByCollectibility::default();
        let mut portfolio = Vec::new();
        for (i, (id, account)) in self.loans().iter().enumerate() {
            let l = &account.loan;
            let terms = l.terms();
            if terms.disbursement > as_of {
                continue;
            }
            let out = Rupiah::try_from_sen_i128(outstanding.get(i).copied().unwrap_or(0))?;
            let (paid, oldest) = installments_as_of(l, as_of);
            let single = l.installments().len() == 1;
            let mut facts =
                CollectibilityFacts::new(as_of, (!single).then_some(terms.every_months), out);
            facts.oldest_unpaid_principal = oldest;
            facts.oldest_unpaid_interest = oldest;
            facts.maturity = l.installments().last().map(|s| s.due_date);
            facts.doubtful_since = l.doubtful_since().filter(|d| *d <= as_of);
            facts.last_repayment = last_repayment.get(i).copied().flatten();
            // Collateral appraised by the date, with the loan's assessment (agunan).
            let info = self.collateral_info(*id)?;
            let pledged = Rupiah::try_sum(
                self.collateral(*id)
                    .iter()
                    .filter(|c| c.appraised_on <= as_of)
                    .map(|c| c.value),
            )?;
            facts.collateral = pledged;
            facts.salvageable = !info.not_salvageable;
            facts.legal_or_insurance = info.legal_or_insurance;
            let off = written_off.get(i).copied().unwrap_or(false);
            // Hapus buku only follows macet; a repaid loan is lancar.
            let class = if off {
                Collectibility::Loss
            } else if out.is_positive() {
                classify(&facts).map_err(sl(op))?
            } else {
                Collectibility::Current
            };
            if out.is_positive() {
                let slot = match class {
                    Collectibility::Current => &mut by_class.lancar,
                    Collectibility::Substandard => &mut by_class.kurang_lancar,
                    Collectibility::Doubtful => &mut by_class.diragukan,
                    Collectibility::Loss => &mut by_class.macet,
                };
                *slot = slot.checked_add(out)?;
                portfolio.push(PortfolioLine {
                    class,
                    outstanding: out,
                    eligible_collateral: pledged,
                });
            }
            loans.push(LoanAsOf {
                loan: *id,
                member: account.member,
                principal: terms.principal,
                disbursed_on: terms.disbursement,
                outstanding: out,
                installments_paid: paid,
                installments: u32::try_from(l.installments().len()).unwrap_or(u32::MAX),
                days_past_due: oldest.map_or(0, |d| days(d, as_of)),
                class,
                written_off: off,
            });
        }
        let reserve_required =
            required_reserve(&portfolio, &self.config().reserve_rates).map_err(sl(op))?;

        let mut financing = HimbaraStatus {
            outstanding: bal(R::HimbaraLoan),
            paid: Rupiah::try_from_sen_i128(financing_paid)?,
            ..HimbaraStatus::default()
        };
        if let Some(h) = self.himbara()
            && h.terms().disbursement <= as_of
        {
            let mut due = Rupiah::ZERO;
            for i in h.installments().iter().filter(|i| i.due_date <= as_of) {
                due = due.checked_add(Rupiah::try_sum([
                    i.due.principal,
                    i.due.interest,
                    i.due.fee,
                ])?)?;
            }
            financing.due = due;
            financing.late = due.checked_sub(financing.paid)?.max(Rupiah::ZERO);
            let (_, oldest) = installments_as_of(h, as_of);
            financing.days_late = if financing.late.is_positive() {
                oldest.map_or(0, |d| days(d, as_of))
            } else {
                0
            };
        }

        Ok(BookSnapshot {
            as_of,
            savings: SavingsByKind {
                pokok: bal(R::MemberSavings(SavingsKind::Principal)),
                wajib: bal(R::MemberSavings(SavingsKind::Mandatory)),
                sukarela: bal(R::MemberSavings(SavingsKind::Voluntary)),
                berjangka: bal(R::MemberSavings(SavingsKind::TimeDeposit)),
            },
            loans,
            by_class,
            reserve_required,
            reserve_booked: bal(R::LoanLossReserve),
            cash_and_bank: bal(R::Cash).checked_add(bal(R::Bank))?,
            financing,
            members: self.registry().counts_on(as_of),
            balances,
        })
    }
}
