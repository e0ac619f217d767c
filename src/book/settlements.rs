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

use super::corrections::Restore;
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
    /// The management fund of the SHU (dana pengurus), paid to the pengurus.
    #[doc(alias = "dana pengurus")]
    ManagementFund,
    /// The employee fund of the SHU (dana karyawan), paid to the staff.
    #[doc(alias = "dana karyawan")]
    EmployeeFund,
    /// The education fund of the SHU (dana pendidikan), spent on members' education.
    #[doc(alias = "dana pendidikan")]
    EducationFund,
    /// The social fund of the SHU (dana sosial), spent on its social purpose.
    #[doc(alias = "dana sosial")]
    SocialFund,
    /// The regional development fund of the SHU (dana pembangunan daerah kerja).
    #[doc(alias = "dana pembangunan daerah kerja")]
    RegionalDevelopmentFund,
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
            Payable::ManagementFund => R::ManagementFund,
            Payable::EmployeeFund => R::EmployeeFund,
            Payable::EducationFund => R::EducationFund,
            Payable::SocialFund => R::SocialFund,
            Payable::RegionalDevelopmentFund => R::RegionalDevelopmentFund,
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
            Payable::ManagementFund => "management-fund",
            Payable::EmployeeFund => "employee-fund",
            Payable::EducationFund => "education-fund",
            Payable::SocialFund => "social-fund",
            Payable::RegionalDevelopmentFund => "regional-development-fund",
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
                let idx = self.synced_payables()?;
                let is_shu = matches!(payable, Payable::MemberShu { .. });
                Ok(idx.owed.get(&(is_shu, m)).copied().unwrap_or_default())
            }
            None => self.role_balance(payable.role()),
        }
    }

    /// What the book owes each member on their SHU and exit refunds, in one pass over the
    /// ledger (members owed nothing are left out).
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn member_payables(&self) -> Result<BTreeMap<Payable, Rupiah>> {
        let idx = self.synced_payables()?;
        Ok(idx
            .owed
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|((is_shu, member), v)| {
                let member = *member;
                let p = if *is_shu {
                    Payable::MemberShu { member }
                } else {
                    Payable::ExitRefund { member }
                };
                (p, *v)
            })
            .collect())
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
            Payable::ManagementFund => "Pembayaran dana pengurus",
            Payable::EmployeeFund => "Pembayaran dana karyawan",
            Payable::EducationFund => "Penggunaan dana pendidikan",
            Payable::SocialFund => "Penggunaan dana sosial",
            Payable::RegionalDevelopmentFund => "Penggunaan dana pembangunan daerah kerja",
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
            let old = core::mem::replace(&mut x.sukarela, s);
            self.undo
                .changed(Restore::Savings(m, SavingsKind::Voluntary, old));
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use koperasi_ledger::BusinessUnit;
    use koperasi_savings_loans::SavingsKind;

    use super::super::fixture::*;
    use super::{Payable, PayoutRoute};
    use crate::event::{Buyer, Item, Operation, PurchasePayment, ShuPayout, Via};
    use crate::posting::PostingRole as R;
    use crate::{Error, Koperasi};

    fn pay(payable: Payable, amount: i64, route: PayoutRoute) -> Operation {
        Operation::PayPayable {
            payable,
            amount: rp(amount),
            route,
        }
    }

    /// A year with sales to both members, closed and its SHU distributed as payable.
    fn distributed() -> Koperasi {
        let mut b = book(2, false);
        for (i, q) in [(0, 30u64), (1, 10)] {
            ok(
                &mut b,
                d(2026, 3, 1),
                KASIR,
                Operation::Sale {
                    unit: BusinessUnit::Sembako,
                    item: Item::Goods {
                        sku: "beras-5kg".into(),
                        quantity: q,
                    },
                    price: rp(i64::try_from(q).unwrap() * 80_000),
                    buyer: Buyer::Member(member(i)),
                    via: Via::Cash,
                },
            );
        }
        ok(&mut b, d(2026, 12, 31), BENDAHARA, Operation::MonthEnd);
        ok(
            &mut b,
            d(2026, 12, 31),
            KETUA,
            Operation::CloseYear { year: 2026 },
        );
        ok(
            &mut b,
            d(2027, 2, 1),
            KETUA,
            Operation::DistributeShu {
                year: 2026,
                payout: ShuPayout::Payable,
            },
        );
        b
    }

    #[test]
    fn shu_is_paid_out_in_cash_and_into_sukarela_never_beyond_what_is_owed() {
        // Was missing: utang SHU anggota was only ever credited.
        let mut b = distributed();
        let m = member(0);
        let owed = b.owed(Payable::MemberShu { member: m }).unwrap();
        assert!(owed.is_positive());
        let half = owed.to_sen() / 200 * 100; // whole rupiah, about half
        let half = koperasi_core::Rupiah::from_sen(i64::try_from(half).unwrap());
        let rest = owed.checked_sub(half).unwrap();
        let sukarela = b.savings_balance(m, SavingsKind::Voluntary).unwrap();
        let over = Operation::PayPayable {
            payable: Payable::MemberShu { member: m },
            amount: owed.checked_add(rp(1)).unwrap(),
            route: PayoutRoute::Cash,
        };
        let e = fails(&mut b, d(2027, 2, 2), KASIR, over);
        assert!(matches!(e, Error::Overpayment { .. }), "{e}");
        for (amount, route) in [(half, PayoutRoute::Cash), (rest, PayoutRoute::Voluntary)] {
            ok(
                &mut b,
                d(2027, 2, 2),
                KASIR,
                Operation::PayPayable {
                    payable: Payable::MemberShu { member: m },
                    amount,
                    route,
                },
            );
        }
        assert_eq!(b.owed(Payable::MemberShu { member: m }).unwrap(), rp(0));
        assert_eq!(
            b.savings_balance(m, SavingsKind::Voluntary).unwrap(),
            sukarela.checked_add(rest).unwrap()
        );
        let e = fails(
            &mut b,
            d(2027, 2, 2),
            KASIR,
            pay(Payable::MemberShu { member: m }, 1, PayoutRoute::Cash),
        );
        assert!(matches!(e, Error::Overpayment { .. }), "{e}");
        // The other member's SHU is untouched.
        assert!(
            b.owed(Payable::MemberShu { member: member(1) })
                .unwrap()
                .is_positive()
        );
        reconciled(&b);
    }

    #[test]
    fn the_desa_share_goes_to_the_village_treasury() {
        let mut b = distributed();
        let owed = b.owed(Payable::VillageShare).unwrap();
        assert!(owed.is_positive());
        assert_eq!(owed, bal(&b, R::VillageSharePayable));
        let e = fails(
            &mut b,
            d(2027, 2, 3),
            BENDAHARA,
            Operation::PayPayable {
                payable: Payable::VillageShare,
                amount: owed,
                route: PayoutRoute::Voluntary,
            },
        );
        assert!(matches!(e, Error::PayoutRoute { .. }), "{e}");
        ok(
            &mut b,
            d(2027, 2, 3),
            BENDAHARA,
            Operation::PayPayable {
                payable: Payable::VillageShare,
                amount: owed,
                route: PayoutRoute::Bank,
            },
        );
        assert_eq!(bal(&b, R::VillageSharePayable), rp(0));
    }

    #[test]
    fn the_shu_funds_are_paid_out_or_used_never_beyond_what_they_hold() {
        // Was missing: the SHU's funds (dana pengurus, karyawan, pendidikan, sosial) were
        // only ever credited.
        let mut b = distributed();
        for (fund, role) in [
            (Payable::ManagementFund, R::ManagementFund),
            (Payable::EmployeeFund, R::EmployeeFund),
            (Payable::EducationFund, R::EducationFund),
            (Payable::SocialFund, R::SocialFund),
        ] {
            let held = b.owed(fund).unwrap();
            assert!(held.is_positive(), "{fund:?}");
            assert_eq!(held, bal(&b, role));
            let over = held.checked_add(rp(1)).unwrap();
            let e = fails(
                &mut b,
                d(2027, 2, 3),
                BENDAHARA,
                Operation::PayPayable {
                    payable: fund,
                    amount: over,
                    route: PayoutRoute::Cash,
                },
            );
            assert!(matches!(e, Error::Overpayment { .. }), "{e}");
            let e = fails(
                &mut b,
                d(2027, 2, 3),
                BENDAHARA,
                Operation::PayPayable {
                    payable: fund,
                    amount: held,
                    route: PayoutRoute::Voluntary,
                },
            );
            assert!(matches!(e, Error::PayoutRoute { .. }), "{e}");
            let part = held
                .mul_div(1.into(), 3.into(), super::super::WHOLE)
                .unwrap();
            let bank = bal(&b, R::Bank);
            ok(
                &mut b,
                d(2027, 2, 3),
                BENDAHARA,
                Operation::PayPayable {
                    payable: fund,
                    amount: part,
                    route: PayoutRoute::Bank,
                },
            );
            assert_eq!(bal(&b, role), held.checked_sub(part).unwrap());
            assert_eq!(bal(&b, R::Bank), bank.checked_sub(part).unwrap());
        }
        reconciled(&b);
    }

    #[test]
    fn exit_refunds_are_paid_in_parts() {
        // Was missing: exit refunds were only ever credited.
        let mut b = book(2, true);
        let m = member(1);
        ok(
            &mut b,
            d(2026, 2, 1),
            KETUA,
            Operation::MemberExit {
                member: m,
                reason: "pindah domisili".into(),
            },
        );
        let owed = b.owed(Payable::ExitRefund { member: m }).unwrap();
        // Pokok Rp100.000 and sukarela Rp500.000.
        assert_eq!(owed, rp(600_000));
        ok(
            &mut b,
            d(2026, 2, 2),
            KASIR,
            pay(
                Payable::ExitRefund { member: m },
                100_000,
                PayoutRoute::Cash,
            ),
        );
        let e = fails(
            &mut b,
            d(2026, 2, 2),
            KASIR,
            pay(
                Payable::ExitRefund { member: m },
                500_001,
                PayoutRoute::Bank,
            ),
        );
        assert!(
            matches!(e, Error::Overpayment { owed, .. } if owed == rp(500_000)),
            "{e}"
        );
        let e = fails(
            &mut b,
            d(2026, 2, 2),
            KASIR,
            pay(
                Payable::ExitRefund { member: m },
                1_000,
                PayoutRoute::Voluntary,
            ),
        );
        assert!(matches!(e, Error::PayoutRoute { .. }), "{e}");
        // Another member is owed nothing.
        let e = fails(
            &mut b,
            d(2026, 2, 2),
            KASIR,
            pay(
                Payable::ExitRefund { member: member(0) },
                1_000,
                PayoutRoute::Cash,
            ),
        );
        assert!(matches!(e, Error::Overpayment { .. }), "{e}");
        ok(
            &mut b,
            d(2026, 2, 2),
            KASIR,
            pay(
                Payable::ExitRefund { member: m },
                500_000,
                PayoutRoute::Bank,
            ),
        );
        assert_eq!(bal(&b, R::ExitRefundPayable), rp(0));
        reconciled(&b);
    }

    #[test]
    fn suppliers_are_paid_never_beyond_what_is_owed() {
        // Was missing: a supplier payment could drive utang usaha negative.
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 10),
            MANAJER,
            Operation::Purchase {
                unit: BusinessUnit::Sembako,
                sku: "minyak-1l".into(),
                quantity: 50,
                cost: rp(1_000_000),
                payment: PurchasePayment::OnCredit,
            },
        );
        ok(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            Operation::ExpenseOnCredit {
                account: "6-1-02".into(),
                amount: rp(200_000),
                unit: None,
                memo: "Listrik Januari".into(),
            },
        );
        assert_eq!(bal(&b, R::TradePayable), rp(1_200_000));
        let e = fails(
            &mut b,
            d(2026, 1, 11),
            BENDAHARA,
            Operation::PaySupplier {
                amount: rp(1_500_000),
                via: Via::Bank,
            },
        );
        assert!(matches!(e, Error::Overpayment { .. }), "{e}");
        ok(
            &mut b,
            d(2026, 1, 11),
            BENDAHARA,
            Operation::PaySupplier {
                amount: rp(1_000_000),
                via: Via::Bank,
            },
        );
        ok(
            &mut b,
            d(2026, 1, 11),
            BENDAHARA,
            pay(Payable::Supplier, 200_000, PayoutRoute::Bank),
        );
        assert_eq!(bal(&b, R::TradePayable), rp(0));
        let e = fails(
            &mut b,
            d(2026, 1, 11),
            BENDAHARA,
            pay(Payable::Tax, 1, PayoutRoute::Bank),
        );
        assert!(matches!(e, Error::Overpayment { .. }), "{e}");
    }
}
