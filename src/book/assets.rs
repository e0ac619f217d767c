//! Expenses (paid, on credit, prepaid) and fixed assets: the asset register (cost,
//! acquisition date, useful life, residual value, depreciation to date), acquisition and
//! disposal with its gain or loss.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Rupiah};
use koperasi_ledger::{AccountClass, BusinessUnit, Dimensions, Side, kkmp};
use koperasi_membership::{Permission, Subject};

use crate::error::{Error, Result, ledger};
use crate::event::{PurchasePayment, Via};
use crate::posting::PostingRole as R;

use super::corrections::Restore;
use super::month_end::{months_including, straight_line};
use super::{Applied, Draft, Koperasi, Leg, Pair, add, code_line, pos, sub, via_role};

/// A fixed asset in the register (daftar aset tetap).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "aset tetap")]
pub struct FixedAsset {
    /// The non-current asset account it is booked on.
    pub account: String,
    /// What it is.
    pub memo: String,
    /// Cost (harga perolehan).
    pub cost: Rupiah,
    /// Date of acquisition.
    pub acquired: NaiveDate,
    /// Useful life in months (0: not depreciated).
    pub useful_life_months: u32,
    /// Residual value.
    pub residual: Rupiah,
    /// Accumulated depreciation booked (akumulasi penyusutan).
    pub depreciated: Rupiah,
    /// Date of disposal, once disposed of.
    pub disposed: Option<NaiveDate>,
}

impl FixedAsset {
    /// Cost less accumulated depreciation.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    #[doc(alias = "nilai buku")]
    pub fn book_value(&self) -> Result<Rupiah> {
        sub(self.cost, self.depreciated)
    }

    /// Accumulated straight-line depreciation after `months` months of use (the month of
    /// acquisition counts as the first), half-up to the rupiah, at most cost − residual.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn depreciation_through(&self, months: u32) -> Result<Rupiah> {
        straight_line(
            sub(self.cost, self.residual)?,
            months,
            self.useful_life_months,
        )
    }
}

/// An expense paid in advance, amortised month by month.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Prepaid {
    /// The expense account it is amortised into.
    pub account: String,
    /// The unit, if any.
    pub unit: Option<BusinessUnit>,
    /// The amount paid.
    pub amount: Rupiah,
    /// Months covered.
    pub months: u32,
    /// The date paid (its month is the first amortised).
    pub start: NaiveDate,
    /// Amortised so far.
    pub amortised: Rupiah,
    /// What it is.
    pub memo: String,
    /// The entry that paid it (identifies the prepayment: reversing that entry's operation
    /// removes the schedule).
    pub entry: koperasi_core::EntryId,
}

/// Default useful lives of the standard KKMP fixed-asset accounts for
/// [`Operation::AcquireAsset`](crate::Operation::AcquireAsset), in months (the groups of the
/// tax rules, PMK 72/2023: permanent buildings 20 years, vehicles group 2 = 8 years,
/// equipment group 1 = 4 years; land and participations are not depreciated).
const DEFAULT_LIVES: [(&str, u32); 6] = [
    (kkmp::TANAH, 0),
    (kkmp::GEDUNG, 240),
    (kkmp::GUDANG, 240),
    (kkmp::KENDARAAN, 96),
    (kkmp::PERALATAN, 48),
    (kkmp::PENYERTAAN, 0),
];

impl Koperasi {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn expense(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: &str,
        amount: Rupiah,
        unit: Option<BusinessUnit>,
        via: Via,
        memo: &str,
    ) -> Result<Applied> {
        let op = "expense";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        self.check_expense_account(op, account)?;
        let dims = Dimensions {
            unit,
            ..Dimensions::default()
        };
        let pair = Pair {
            memo,
            source: format!("expense:{account}"),
            amount,
            debit: Leg::Account(account, dims),
            credit: Leg::via(via),
        };
        self.post_pair(op, d, a, pair)
    }

    pub(super) fn acquire_asset(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: &str,
        amount: Rupiah,
        via: Via,
        memo: &str,
    ) -> Result<Applied> {
        let op = "acquire_asset";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        self.check_asset_account(op, account)?;
        let Some(life) = DEFAULT_LIVES
            .iter()
            .find(|(c, _)| *c == account)
            .map(|(_, l)| *l)
        else {
            return Err(Error::InvalidTerms {
                op,
                what: format!(
                    "no default useful life for {account:?}; use acquire_fixed_asset with its terms"
                ),
            });
        };
        let mut n = self.registers.assets.len().saturating_add(1);
        let mut tag = format!("{account}#{n}");
        while self.registers.assets.contains_key(&tag) {
            n = n.saturating_add(1);
            tag = format!("{account}#{n}");
        }
        let pair = Pair {
            memo,
            source: format!("asset:{tag}"),
            amount,
            debit: Leg::Account(account, Dimensions::default()),
            credit: Leg::via(via),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.undo.changed(Restore::Asset(tag.clone(), None));
        self.registers.assets.insert(
            tag,
            FixedAsset {
                account: account.to_owned(),
                memo: memo.to_owned(),
                cost: amount,
                acquired: d,
                useful_life_months: life,
                residual: Rupiah::ZERO,
                depreciated: Rupiah::ZERO,
                disposed: None,
            },
        );
        Ok(applied)
    }

    fn check_asset_account(&self, op: &'static str, account: &str) -> Result<()> {
        if self.is_fixed_asset_account(account) {
            Ok(())
        } else {
            Err(Error::NotAssetAccount {
                op,
                code: account.to_owned(),
            })
        }
    }

    /// An open, postable, non-contra asset account under `1-2` (non-current assets).
    pub(super) fn is_fixed_asset_account(&self, account: &str) -> bool {
        self.ledger.chart().get(account).is_some_and(|x| {
            x.postable
                && x.open
                && x.class == AccountClass::Asset
                && !x.contra
                && account.starts_with("1-2")
        })
    }

    fn check_expense_account(&self, op: &'static str, account: &str) -> Result<()> {
        let ok = self
            .ledger
            .chart()
            .get(account)
            .is_some_and(|x| x.postable && x.open && x.class == AccountClass::Expense);
        if ok {
            Ok(())
        } else {
            Err(Error::NotExpenseAccount {
                op,
                code: account.to_owned(),
            })
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn acquire_fixed_asset(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        tag: &str,
        account: &str,
        cost: Rupiah,
        life: u32,
        residual: Rupiah,
        payment: PurchasePayment,
        memo: &str,
    ) -> Result<Applied> {
        let op = "acquire_fixed_asset";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "cost", cost)?;
        self.check_asset_account(op, account)?;
        if tag.trim().is_empty() {
            return Err(Error::InvalidTerms {
                op,
                what: "the asset tag is empty".into(),
            });
        }
        if self.registers.assets.contains_key(tag) {
            return Err(Error::Duplicate {
                op,
                what: "fixed asset",
                id: tag.to_owned(),
            });
        }
        if residual.is_negative() || residual > cost {
            return Err(Error::InvalidTerms {
                op,
                what: format!("residual value {residual} must be between Rp0 and the cost {cost}"),
            });
        }
        let credit = match payment {
            PurchasePayment::OnCredit => R::TradePayable,
            PurchasePayment::Paid(v) => via_role(v),
        };
        let pair = Pair {
            memo,
            source: format!("asset:{tag}"),
            amount: cost,
            debit: Leg::Account(account, Dimensions::default()),
            credit: Leg::role(credit),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.undo.changed(Restore::Asset(tag.to_owned(), None));
        self.registers.assets.insert(
            tag.to_owned(),
            FixedAsset {
                account: account.to_owned(),
                memo: memo.to_owned(),
                cost,
                acquired: d,
                useful_life_months: life,
                residual,
                depreciated: Rupiah::ZERO,
                disposed: None,
            },
        );
        Ok(applied)
    }

    pub(super) fn dispose_asset(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        tag: &str,
        proceeds: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "dispose_asset";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        if proceeds.is_negative() {
            return Err(Error::NonPositive {
                op,
                what: "proceeds",
                amount: proceeds,
            });
        }
        let x = self
            .registers
            .assets
            .get(tag)
            .ok_or_else(|| Error::AssetState {
                op,
                asset: tag.to_owned(),
                state: "is unknown",
            })?;
        if x.disposed.is_some() {
            return Err(Error::AssetState {
                op,
                asset: tag.to_owned(),
                state: "is already disposed of",
            });
        }
        // Depreciation up to the previous month (the month of disposal is not charged).
        let months = months_including(x.acquired, d).saturating_sub(1);
        let through = x.depreciation_through(months)?.max(x.depreciated);
        let catch_up = sub(through, x.depreciated)?;
        let book = sub(x.cost, through)?;
        let gain = sub(proceeds, book)?;
        let nd = Dimensions::default();
        let source = format!("asset:{tag}/disposal");
        let mut dr = Draft::new();
        dr.push(
            self,
            d,
            a,
            "Penyusutan aset tetap sampai pelepasan",
            source.clone(),
            vec![
                self.line(R::DepreciationExpense, Side::Debit, catch_up, nd)?,
                self.line(R::AccumulatedDepreciation, Side::Credit, catch_up, nd)?,
            ],
        );
        let mut lines = vec![
            self.line(via_role(via), Side::Debit, proceeds, nd)?,
            self.line(R::AccumulatedDepreciation, Side::Debit, through, nd)?,
            code_line(&x.account, Side::Credit, x.cost, nd).map_err(ledger(op))?,
        ];
        if gain.is_positive() {
            lines.push(self.line(R::OtherIncome, Side::Credit, gain, nd)?);
        } else {
            lines.push(self.line(R::OtherExpense, Side::Debit, gain.abs(), nd)?);
        }
        dr.push(
            self,
            d,
            a,
            &format!("Pelepasan aset tetap {tag}"),
            source,
            lines,
        );
        let before = x.clone();
        let applied = self.post(op, &dr)?;
        self.undo
            .changed(Restore::Asset(tag.to_owned(), Some(before)));
        if let Some(x) = self.registers.assets.get_mut(tag) {
            x.depreciated = through;
            x.disposed = Some(d);
        }
        Ok(applied)
    }

    pub(super) fn expense_on_credit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: &str,
        amount: Rupiah,
        unit: Option<BusinessUnit>,
        memo: &str,
    ) -> Result<Applied> {
        let op = "expense_on_credit";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        self.check_expense_account(op, account)?;
        let dims = Dimensions {
            unit,
            ..Dimensions::default()
        };
        let pair = Pair {
            memo,
            source: format!("expense:{account}/on-credit"),
            amount,
            debit: Leg::Account(account, dims),
            credit: Leg::role(R::TradePayable),
        };
        self.post_pair(op, d, a, pair)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn prepay_expense(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: &str,
        amount: Rupiah,
        months: u32,
        unit: Option<BusinessUnit>,
        via: Via,
        memo: &str,
    ) -> Result<Applied> {
        let op = "prepay_expense";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        self.check_expense_account(op, account)?;
        if months == 0 {
            return Err(Error::InvalidTerms {
                op,
                what: "a prepaid expense covers at least one month".into(),
            });
        }
        let pair = Pair {
            memo,
            source: format!("expense:{account}/prepaid"),
            amount,
            debit: Leg::role(R::PrepaidExpense),
            credit: Leg::via(via),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        let Some(&entry) = applied.entries.first() else {
            return Err(Error::Internal {
                op,
                what: "the prepayment posted no entry".into(),
            });
        };
        self.undo.changed(Restore::Prepaid(entry));
        self.registers.prepaid.push(Prepaid {
            entry,
            account: account.to_owned(),
            unit,
            amount,
            months,
            start: d,
            amortised: Rupiah::ZERO,
            memo: memo.to_owned(),
        });
        Ok(applied)
    }

    /// The asset register by tag (disposed assets stay, with their disposal date).
    #[doc(alias = "daftar aset tetap")]
    pub fn fixed_assets(&self) -> &std::collections::BTreeMap<String, FixedAsset> {
        &self.registers.assets
    }

    /// Prepaid expenses, in the order paid.
    #[doc(alias = "biaya dibayar dimuka")]
    pub fn prepaid_expenses(&self) -> &[Prepaid] {
        &self.registers.prepaid
    }

    /// Σ cost of the registered assets in use and Σ their accumulated depreciation.
    pub(super) fn register_totals(&self) -> Result<(Rupiah, Rupiah)> {
        let (mut cost, mut dep) = (Rupiah::ZERO, Rupiah::ZERO);
        for x in self
            .registers
            .assets
            .values()
            .filter(|x| x.disposed.is_none())
        {
            cost = add(cost, x.cost)?;
            dep = add(dep, x.depreciated)?;
        }
        Ok((cost, dep))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::fixture::*;
    use crate::Error;
    use crate::event::{Operation, PurchasePayment, Via};
    use crate::posting::PostingRole as R;

    fn buy(tag: &str, account: &str, cost: i64, life: u32, residual: i64) -> Operation {
        Operation::AcquireFixedAsset {
            asset: tag.into(),
            account: account.into(),
            cost: rp(cost),
            useful_life_months: life,
            residual: rp(residual),
            payment: PurchasePayment::Paid(Via::Bank),
            memo: tag.into(),
        }
    }

    #[test]
    fn disposal_books_the_loss_against_the_book_value() {
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("TMB-1", "1-2-05", 4_800_000, 48, 0),
        );
        month_ends(&mut b, d(2026, 1, 31), d(2026, 2, 28));
        // March is the month of disposal: not depreciated. Book value 4.600.000.
        ok(
            &mut b,
            d(2026, 3, 20),
            BENDAHARA,
            Operation::DisposeAsset {
                asset: "TMB-1".into(),
                proceeds: rp(4_000_000),
                via: Via::Bank,
            },
        );
        assert_eq!(bal(&b, R::OtherExpense), rp(600_000));
        assert_eq!(bal(&b, R::AccumulatedDepreciation), rp(0));
        assert_eq!(b.ledger().balance("1-2-05", d(2026, 3, 20)).unwrap(), rp(0));
        assert_eq!(b.fixed_assets()["TMB-1"].disposed, Some(d(2026, 3, 20)));
        let e = fails(
            &mut b,
            d(2026, 3, 21),
            BENDAHARA,
            Operation::DisposeAsset {
                asset: "TMB-1".into(),
                proceeds: rp(1),
                via: Via::Bank,
            },
        );
        assert!(matches!(e, Error::AssetState { .. }), "{e}");
        ok(&mut b, d(2026, 3, 31), BENDAHARA, Operation::MonthEnd);
        reconciled(&b);
    }

    #[test]
    fn disposal_catches_up_missed_month_ends_and_books_a_gain() {
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("MTR-1", "1-2-04", 9_600_000, 96, 0),
        );
        // No month-end ran: January to April are caught up at the disposal in May.
        ok(
            &mut b,
            d(2026, 5, 2),
            BENDAHARA,
            Operation::DisposeAsset {
                asset: "MTR-1".into(),
                proceeds: rp(9_500_000),
                via: Via::Cash,
            },
        );
        assert_eq!(bal(&b, R::DepreciationExpense), rp(400_000));
        assert_eq!(bal(&b, R::OtherIncome), rp(300_000));
        reconciled(&b);
    }

    #[test]
    fn acquire_asset_registers_with_the_default_life_of_its_account() {
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            Operation::AcquireAsset {
                account: "1-2-02".into(),
                amount: rp(48_000_000),
                via: Via::Bank,
                memo: "Gedung gerai".into(),
            },
        );
        ok(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            Operation::AcquireAsset {
                account: "1-2-01".into(),
                amount: rp(20_000_000),
                via: Via::Bank,
                memo: "Tanah".into(),
            },
        );
        assert_eq!(b.fixed_assets().len(), 2);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        // 20 years for a building; land is not depreciated.
        assert_eq!(bal(&b, R::DepreciationExpense), rp(200_000));
        reconciled(&b);
    }

    #[test]
    fn asset_terms_are_checked() {
        let mut b = book(1, false);
        let e = fails(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("X", "1-2-05", 1_000, 12, 1_001),
        );
        assert!(matches!(e, Error::InvalidTerms { .. }), "{e}");
        let e = fails(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy(" ", "1-2-05", 1_000, 12, 0),
        );
        assert!(matches!(e, Error::InvalidTerms { .. }), "{e}");
        let e = fails(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("X", "1-2-06", 1_000, 12, 0),
        );
        assert!(matches!(e, Error::NotAssetAccount { .. }), "{e}");
        let e = fails(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("X", "1-2-05", 0, 12, 0),
        );
        assert!(matches!(e, Error::NonPositive { .. }), "{e}");
        ok(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("X", "1-2-05", 1_000, 12, 0),
        );
        let e = fails(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            buy("X", "1-2-05", 1_000, 12, 0),
        );
        assert!(matches!(e, Error::Duplicate { .. }), "{e}");
        let e = fails(
            &mut b,
            d(2026, 1, 10),
            BENDAHARA,
            Operation::DisposeAsset {
                asset: "Y".into(),
                proceeds: rp(0),
                via: Via::Cash,
            },
        );
        assert!(matches!(e, Error::AssetState { .. }), "{e}");
    }

    #[test]
    fn prepaid_expenses_are_amortised_month_by_month() {
        // Was missing: expenses could only be paid in cash or from the bank.
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 20),
            BENDAHARA,
            Operation::PrepayExpense {
                account: "6-1-08".into(),
                amount: rp(1_200_000),
                months: 12,
                unit: None,
                via: Via::Bank,
                memo: "Sewa gudang setahun".into(),
            },
        );
        assert_eq!(bal(&b, R::PrepaidExpense), rp(1_200_000));
        month_ends(&mut b, d(2026, 1, 31), d(2026, 3, 31));
        assert_eq!(bal(&b, R::PrepaidExpense), rp(900_000));
        assert_eq!(bal(&b, R::OtherExpense), rp(300_000));
        reconciled(&b);
        let e = fails(
            &mut b,
            d(2026, 4, 1),
            BENDAHARA,
            Operation::PrepayExpense {
                account: "6-1-08".into(),
                amount: rp(1_200_000),
                months: 0,
                unit: None,
                via: Via::Bank,
                memo: "x".into(),
            },
        );
        assert!(matches!(e, Error::InvalidTerms { .. }), "{e}");
    }
}

#[cfg(test)]
mod account_kind_tests {
    use crate::book::testkit::{BENDAHARA, book, d, rp};
    use crate::error::Error;
    use crate::event::{Operation, Via};

    #[test]
    fn expenses_and_assets_go_only_to_their_kind_of_account() {
        let mut b = book(0);
        let err = b
            .run(
                d(1, 5),
                BENDAHARA,
                Operation::Expense {
                    account: "1-2-04".into(),
                    amount: rp(1_000),
                    unit: None,
                    via: Via::Cash,
                    memo: "x".into(),
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::NotExpenseAccount { .. }), "{err:?}");
        let err = b
            .run(
                d(1, 5),
                BENDAHARA,
                Operation::AcquireAsset {
                    account: "1-1-01".into(),
                    amount: rp(1_000),
                    via: Via::Bank,
                    memo: "x".into(),
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::NotAssetAccount { .. }), "{err:?}");
        b.run(
            d(1, 5),
            BENDAHARA,
            Operation::AcquireAsset {
                account: "1-2-04".into(),
                amount: rp(25_000_000),
                via: Via::Bank,
                memo: "mobil pikap".into(),
            },
        )
        .unwrap();
        assert_eq!(b.ledger.balance("1-2-04", d(1, 5)).unwrap(), rp(25_000_000));
    }
}
