//! Settlements: paying out the payables the book creates — a member's SHU (cash, bank or into
//! sukarela), exit refunds, the desa/kelurahan share to the village treasury, tax to the
//! state, suppliers — in full or in part, never beyond what is owed.
//!
//! What a member is owed (utang SHU anggota, utang pengembalian simpanan anggota keluar) is
//! read from the ledger: the lines on the payable's account carrying the member. The book
//! keeps a running index of those lines, brought up to date before each payout.

use std::collections::BTreeMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, MemberId, Rupiah};
use koperasi_ledger::{Dimensions, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::SavingsKind;

use crate::error::{Error, Result, sl};
use crate::posting::PostingRole as R;

use super::{Applied, Koperasi, add, member_dims, pos, sub};

/// A payable the book holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "payable", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Payable {
    /// A member's SHU (utang SHU anggota).
    #[doc(alias = "utang SHU anggota")]
    MemberShu {
        /// The member.
        member: MemberId,
    },
    /// What a leaving member is refunded (utang pengembalian simpanan anggota keluar).
    #[doc(alias = "pengembalian simpanan")]
    ExitRefund {
        /// The member.
        member: MemberId,
    },
    /// The desa/kelurahan share of the SHU, to the village treasury (utang imbal jasa desa).
    #[doc(alias = "imbal jasa desa")]
    VillageShare,
    /// Tax withheld, to the state (utang pajak).
    #[doc(alias = "utang pajak")]
    Tax,
    /// Suppliers (utang usaha).
    #[doc(alias = "utang usaha")]
    Supplier,
}

impl Payable {
    /// The payable's posting role.
    pub fn role(self) -> R {
        match self {
            Payable::MemberShu { .. } => R::MemberShuPayable,
            Payable::ExitRefund { .. } => R::ExitRefundPayable,
            Payable::VillageShare => R::VillageSharePayable,
            Payable::Tax => R::TaxPayable,
            Payable::Supplier => R::TradePayable,
        }
    }

    /// The member owed, for a member's payable.
    pub fn member(self) -> Option<MemberId> {
        match self {
            Payable::MemberShu { member } | Payable::ExitRefund { member } => Some(member),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Payable::MemberShu { .. } => "shu",
            Payable::ExitRefund { .. } => "exit-refund",
            Payable::VillageShare => "village-share",
            Payable::Tax => "tax",
            Payable::Supplier => "supplier",
        }
    }
}

/// Where a payout goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PayoutRoute {
    /// Kas.
    #[default]
    Cash,
    /// From the bank.
    Bank,
    /// Into the member's simpanan sukarela (a member's SHU only).
    Voluntary,
}

/// Members' payables as the ledger holds them: Σ credit − debit of the member's lines on the
/// SHU and exit-refund payable accounts.
#[derive(Debug, Clone, Default)]
pub(super) struct PayableIndex {
    seen: usize,
    owed: BTreeMap<(bool, MemberId), Rupiah>,
}

impl Koperasi {
    /// The members' payable index brought up to the ledger's last entry (a copy: the book
    /// keeps it only once the payout is posted, so a rejected payout changes nothing).
    fn synced_payables(&self) -> Result<PayableIndex> {
        let shu = self.code(R::MemberShuPayable);
        let exit = self.code(R::ExitRefundPayable);
        let mut idx = self.registers.payables.clone();
        scan(self, &shu, &exit, &mut idx)?;
        Ok(idx)
    }

    /// What the book owes on `payable` as of its last operation (for a member's payable, to
    /// that member).
    ///
    /// # Errors
    /// [`Error::Ledger`] or [`Error::Core`] on a failed query or overflow.
    #[doc(alias = "saldo utang")]
    pub fn owed(&self, payable: Payable) -> Result<Rupiah> {
        match payable.member() {
            Some(m) => {
                let mut idx = PayableIndex::default();
                let (shu, exit) = (
                    self.code(R::MemberShuPayable),
                    self.code(R::ExitRefundPayable),
                );
                scan(self, &shu, &exit, &mut idx)?;
                let is_shu = matches!(payable, Payable::MemberShu { .. });
                Ok(idx.owed.get(&(is_shu, m)).copied().unwrap_or_default())
            }
            None => self.role_balance(payable.role()),
        }
    }

    /// Refuses to pay `amount` on the account of `role` beyond its balance.
    pub(super) fn check_owed(&self, op: &'static str, role: R, amount: Rupiah) -> Result<()> {
        let owed = self.role_balance(role)?;
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        Ok(())
    }

    pub(super) fn pay_payable(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        payable: Payable,
        amount: Rupiah,
        route: PayoutRoute,
    ) -> Result<Applied> {
        let op = "pay_payable";
        let subject = payable
            .member()
            .map_or(Subject::Cooperative, Subject::Member);
        self.permit(a, op, Permission::PostEntry, subject)?;
        pos(op, "amount", amount)?;
        let mut index = None;
        let owed = match payable.member() {
            Some(m) => {
                let idx = self.synced_payables()?;
                let is_shu = matches!(payable, Payable::MemberShu { .. });
                let owed = idx.owed.get(&(is_shu, m)).copied().unwrap_or_default();
                index = Some(idx);
                owed
            }
            None => self.role_balance(payable.role())?,
        };
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        // The member's own payable can never go below zero; neither may the account.
        self.check_owed(op, payable.role(), amount)?;
        let dims = payable
            .member()
            .map_or_else(Dimensions::default, member_dims);
        let mut sukarela = None;
        let credit = match (route, payable) {
            (PayoutRoute::Cash, _) => {
                self.line(R::Cash, Side::Credit, amount, Dimensions::default())?
            }
            (PayoutRoute::Bank, _) => {
                self.line(R::Bank, Side::Credit, amount, Dimensions::default())?
            }
            (PayoutRoute::Voluntary, Payable::MemberShu { member }) => {
                let acc = self
                    .accounts
                    .get(&member)
                    .filter(|x| !x.sukarela.is_closed())
                    .ok_or(Error::PayoutRoute {
                        op,
                        what: "the member has no open simpanan sukarela",
                    })?;
                let mut s = acc.sukarela.clone();
                s.deposit(d, amount).map_err(sl(op))?;
                sukarela = Some((member, s));
                self.line(
                    R::MemberSavings(SavingsKind::Voluntary),
                    Side::Credit,
                    amount,
                    dims,
                )?
            }
            (PayoutRoute::Voluntary, _) => {
                return Err(Error::PayoutRoute {
                    op,
                    what: "only a member's SHU can be paid into sukarela",
                });
            }
        };
        let memo = match payable {
            Payable::MemberShu { .. } => "Pembayaran SHU anggota",
            Payable::ExitRefund { .. } => "Pengembalian simpanan anggota keluar",
            Payable::VillageShare => "Penyetoran imbal jasa desa ke kas desa",
            Payable::Tax => "Penyetoran pajak",
            Payable::Supplier => "Pembayaran utang usaha",
        };
        let source = match payable.member() {
            Some(m) => format!("payout:{}/{m}", payable.name()),
            None => format!("payout:{}", payable.name()),
        };
        let applied = self.post_entry(
            op,
            d,
            a,
            memo,
            source,
            vec![
                self.line(payable.role(), Side::Debit, amount, dims)?,
                credit,
            ],
        )?;
        if let Some(idx) = index {
            self.registers.payables = idx;
        }
        if let Some((m, s)) = sukarela
            && let Some(x) = self.accounts.get_mut(&m)
        {
            x.sukarela = s;
        }
        Ok(applied)
    }
}

/// Reads the ledger's entries after `idx.seen` into the index.
fn scan(book: &Koperasi, shu: &str, exit: &str, idx: &mut PayableIndex) -> Result<()> {
    let entries = book.ledger.entries();
    let total = entries.len();
    for e in entries.skip(idx.seen) {
        for l in e.lines() {
            let is_shu = l.account.as_str() == shu;
            if !is_shu && l.account.as_str() != exit {
                continue;
            }
            let Some(m) = l.dims.member else { continue };
            let slot = idx.owed.entry((is_shu, m)).or_default();
            *slot = if l.side == Side::Credit {
                add(*slot, l.amount)?
            } else {
                sub(*slot, l.amount)?
            };
        }
    }
    idx.seen = total;
    Ok(())
}
