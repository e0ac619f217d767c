//! Expenses and fixed assets.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Rupiah};
use koperasi_ledger::{AccountClass, BusinessUnit, Dimensions};
use koperasi_membership::{Permission, Subject};

use crate::error::{Error, Result};
use crate::event::Via;

use super::{Applied, Koperasi, Leg, Pair, pos};

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
        let ok = self
            .ledger
            .chart()
            .get(account)
            .is_some_and(|x| x.postable && x.open && x.class == AccountClass::Expense);
        if !ok {
            return Err(Error::NotExpenseAccount {
                op,
                code: account.to_owned(),
            });
        }
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
        let non_current = self.ledger.chart().get(account).is_some_and(|x| {
            x.postable
                && x.open
                && x.class == AccountClass::Asset
                && !x.contra
                && account.starts_with("1-2")
        });
        if !non_current {
            return Err(Error::NotAssetAccount {
                op,
                code: account.to_owned(),
            });
        }
        let pair = Pair {
            memo,
            source: format!("asset:{account}"),
            amount,
            debit: Leg::Account(account, Dimensions::default()),
            credit: Leg::via(via),
        };
        self.post_pair(op, d, a, pair)
    }
}

#[cfg(test)]
mod tests {
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
