//! The generator arms of month-end, the asset register, prepaid and on-credit expenses, stock
//! counts, collateral and settlements, for the integration properties; and the properties
//! that concern them (month-end idempotent per month, members' payables never negative, the
//! asset register within cost − residual).
use proptest::prelude::*;

use koperasi::core::LoanId;
use koperasi::ledger::BusinessUnit;
use koperasi::{
    Collateral, CollateralKind, Error, Koperasi, Operation, Payable, PayoutRoute, PurchasePayment,
    Via,
};

use crate::common::*;

/// One random operation of this family (valid or not).
pub fn month_end_and_settlements() -> impl Strategy<Value = Operation> {
    let m = (0u128..5).prop_map(member);
    let amount = (-1i64..3_000).prop_map(|k| rp(k * 1_000));
    let via = prop_oneof![Just(Via::Cash), Just(Via::Bank)];
    let tag = (0u8..3).prop_map(|k| format!("AT-{k}"));
    let loan = (1u128..3).prop_map(LoanId::from_u128);
    let payable = prop_oneof![
        m.clone().prop_map(|member| Payable::MemberShu { member }),
        m.clone().prop_map(|member| Payable::ExitRefund { member }),
        Just(Payable::VillageShare),
        Just(Payable::Tax),
        Just(Payable::Supplier),
        Just(Payable::EducationFund),
        Just(Payable::ManagementFund),
    ];
    let route = prop_oneof![
        Just(PayoutRoute::Cash),
        Just(PayoutRoute::Bank),
        Just(PayoutRoute::Voluntary)
    ];
    prop_oneof![
        (
            tag.clone(),
            prop_oneof![
                Just("1-2-02"),
                Just("1-2-05"),
                Just("1-2-06"),
                Just("6-1-02")
            ],
            amount.clone(),
            0u32..60,
            0i64..200,
            prop_oneof![
                via.clone().prop_map(PurchasePayment::Paid),
                Just(PurchasePayment::OnCredit)
            ],
        )
            .prop_map(|(asset, account, cost, life, residual, payment)| {
                Operation::AcquireFixedAsset {
                    asset,
                    account: account.into(),
                    cost,
                    useful_life_months: life,
                    residual: rp(residual * 1_000),
                    payment,
                    memo: "aset".into(),
                }
            }),
        (tag, amount.clone(), via.clone()).prop_map(|(asset, proceeds, via)| {
            Operation::DisposeAsset {
                asset,
                proceeds,
                via,
            }
        }),
        (
            prop_oneof![Just("1-2-01"), Just("1-2-05"), Just("1-2-99")],
            amount.clone(),
            via.clone()
        )
            .prop_map(|(account, amount, via)| Operation::AcquireAsset {
                account: account.into(),
                amount,
                via,
                memo: "aset".into(),
            }),
        amount
            .clone()
            .prop_map(|amount| Operation::ExpenseOnCredit {
                account: "6-1-02".into(),
                amount,
                unit: None,
                memo: "listrik".into(),
            }),
        (amount.clone(), 0u32..13, via.clone()).prop_map(|(amount, months, via)| {
            Operation::PrepayExpense {
                account: "6-1-08".into(),
                amount,
                months,
                unit: Some(BusinessUnit::Sembako),
                via,
                memo: "sewa".into(),
            }
        }),
        (prop_oneof![Just("beras-5kg"), Just("minyak-1l")], 0u64..120).prop_map(
            |(sku, counted)| Operation::StockCount {
                unit: BusinessUnit::Sembako,
                sku: sku.into(),
                counted,
            }
        ),
        (loan.clone(), amount.clone(), any::<bool>()).prop_map(|(loan, value, docs)| {
            Operation::PledgeCollateral {
                loan,
                collateral: Collateral::new(
                    CollateralKind::Land,
                    value,
                    d(1, 1),
                    if docs {
                        vec!["SHM 1/Mangunharjo".into()]
                    } else {
                        Vec::new()
                    },
                ),
            }
        }),
        (loan.clone(), any::<bool>(), any::<bool>()).prop_map(
            |(loan, salvageable, legal_or_insurance)| Operation::AssessLoan {
                loan,
                salvageable,
                legal_or_insurance,
            }
        ),
        (loan, any::<bool>()).prop_map(|(loan, why)| Operation::WriteOffOverride {
            loan,
            reason: if why {
                "keputusan rapat pengurus".into()
            } else {
                String::new()
            },
        }),
        (payable, amount, route).prop_map(|(payable, amount, route)| Operation::PayPayable {
            payable,
            amount,
            route,
        }),
        Just(Operation::MonthEnd),
    ]
}

/// After a successful month-end: running it again is refused and changes nothing.
pub fn month_end_again_is_refused(after: &Koperasi) {
    let Some(last) = after.last_month_end() else {
        return;
    };
    let mut again = after.clone();
    let e = again
        .run(last, BENDAHARA, Operation::MonthEnd)
        .expect_err("a second month-end of the same month");
    assert!(matches!(e, Error::MonthEnd { .. }), "{e}");
    assert_eq!(fingerprint(&again), fingerprint(after));
}

/// Members' payables and the asset register stay within bounds.
pub fn registers_within_bounds(b: &Koperasi) {
    for i in 0..5 {
        for p in [
            Payable::MemberShu { member: member(i) },
            Payable::ExitRefund { member: member(i) },
        ] {
            assert!(!b.owed(p).unwrap().is_negative(), "{p:?}");
        }
    }
    for p in [
        Payable::VillageShare,
        Payable::Tax,
        Payable::Supplier,
        Payable::ManagementFund,
        Payable::EmployeeFund,
        Payable::EducationFund,
        Payable::SocialFund,
        Payable::RegionalDevelopmentFund,
    ] {
        assert!(!b.owed(p).unwrap().is_negative(), "{p:?}");
    }
    for (tag, x) in b.fixed_assets() {
        let base = x.cost.checked_sub(x.residual).unwrap();
        assert!(
            !x.depreciated.is_negative() && x.depreciated <= base,
            "{tag}: {x:?}"
        );
    }
    for p in b.prepaid_expenses() {
        assert!(
            !p.amortised.is_negative() && p.amortised <= p.amount,
            "{p:?}"
        );
    }
}
