//! Property tests over random operation sequences.
use proptest::prelude::*;

use koperasi::core::{LoanId, Rate, SavingsAccountId};
use koperasi::ledger::BusinessUnit;
use koperasi::savings_loans::{LoanTerms, Method, SavingsKind};
use koperasi::{Buyer, Item, Koperasi, Operation, PurchasePayment, Via};

use crate::common::*;

/// One random operation (valid or not) on the 4-member test book.
fn op() -> impl Strategy<Value = (u32, u8, Operation)> {
    let m = (0u128..5).prop_map(member);
    let amount = (-2i64..2_000).prop_map(|k| rp(k * 1_000));
    let via = prop_oneof![Just(Via::Cash), Just(Via::Bank)];
    let actor = 0u8..5;
    let day = 0u32..3;
    let ops = prop_oneof![
        (m.clone(), amount.clone(), via.clone()).prop_map(|(member, amount, via)| {
            Operation::Deposit {
                member,
                kind: SavingsKind::Voluntary,
                amount,
                via,
            }
        }),
        (m.clone(), amount.clone(), via.clone()).prop_map(|(member, amount, via)| {
            Operation::Deposit {
                member,
                kind: SavingsKind::Mandatory,
                amount,
                via,
            }
        }),
        (m.clone(), amount.clone(), via.clone()).prop_map(|(member, amount, via)| {
            Operation::Withdraw {
                member,
                amount,
                via,
            }
        }),
        (amount.clone(), via.clone()).prop_map(|(amount, via)| Operation::RepayLoan {
            loan: LoanId::from_u128(1),
            amount,
            via
        }),
        (1u64..60, m.clone(), 0u8..3).prop_map(|(q, member, who)| Operation::Sale {
            unit: BusinessUnit::Sembako,
            item: Item::Goods {
                sku: "beras-5kg".into(),
                quantity: q
            },
            price: rp(i64::try_from(q).unwrap() * 70_000),
            buyer: if who == 0 {
                Buyer::NonMember
            } else {
                Buyer::Member(member)
            },
            via: Via::Cash,
        }),
        (1u64..50, amount.clone()).prop_map(|(quantity, cost)| Operation::Purchase {
            unit: BusinessUnit::Sembako,
            sku: "beras-5kg".into(),
            quantity,
            cost,
            payment: PurchasePayment::OnCredit
        }),
        (0u128..3, 1i64..500).prop_map(|(k, a)| Operation::QrisSale {
            unit: BusinessUnit::Apotek,
            item: Item::Service,
            buyer: Buyer::NonMember,
            payload: dynamic_qris(a * 1_000, &format!("REF{k}")),
        }),
        (0u128..3, 0i64..3_000).prop_map(|(k, fee)| Operation::SettleQris {
            references: vec![format!("REF{k}")],
            fee: rp(fee)
        }),
        (m.clone(), 2u128..5, amount.clone()).prop_map(|(member, n, amount)| {
            Operation::ApplyLoan {
                loan: LoanId::from_u128(n),
                member,
                terms: LoanTerms::new(
                    amount,
                    Rate::per_month(koperasi::core::Decimal::ONE).unwrap(),
                    4,
                    Method::Flat,
                    d(1, 5),
                ),
            }
        }),
        (2u128..5).prop_map(|n| Operation::ApproveLoan {
            loan: LoanId::from_u128(n),
        }),
        (2u128..5, via.clone()).prop_map(|(n, via)| Operation::DisburseLoan {
            loan: LoanId::from_u128(n),
            via
        }),
        (m.clone(), 0u128..3, amount.clone()).prop_map(|(member, k, amount)| {
            Operation::OpenTimeDeposit {
                account: SavingsAccountId::from_u128(900 + k),
                member,
                amount,
                term_months: 3,
                annual_percent: koperasi::core::Decimal::from(4),
                via: Via::Cash,
            }
        }),
        (0u128..3).prop_map(|k| Operation::WithdrawTimeDeposit {
            account: SavingsAccountId::from_u128(900 + k),
            via: Via::Cash
        }),
        m.clone().prop_map(|member| Operation::MemberExit {
            member,
            reason: "pindah".into()
        }),
        Just(Operation::MonthEnd),
        (amount.clone(), via).prop_map(|(amount, via)| Operation::Expense {
            account: "6-1-02".into(),
            amount,
            unit: None,
            via,
            memo: "listrik".into()
        }),
    ];
    (day, actor, ops)
}

fn actor(k: u8) -> koperasi::core::ActorId {
    [KETUA, BENDAHARA, KASIR, MANAJER, OUTSIDER][usize::from(k)]
}

/// Applies a sequence, month by month (day 0–2 → the 10th–12th; `MonthEnd` → the month's end).
fn run(
    seq: &[(u32, u8, Operation)],
    mut check: impl FnMut(&Koperasi, &Koperasi, bool),
) -> Koperasi {
    let mut b = book(4);
    let mut month = 1u32;
    for (i, (day, who, op)) in seq.iter().enumerate() {
        if i % 6 == 5 && month < 12 {
            month += 1;
        }
        let date = if matches!(op, Operation::MonthEnd) {
            koperasi::core::month_end(2026, month).unwrap()
        } else {
            d(month, 10 + day)
        };
        let before = b.clone();
        let ok = b.run(date, actor(*who), op.clone()).is_ok();
        check(&before, &b, ok);
        if matches!(op, Operation::MonthEnd) && ok && month < 12 {
            month += 1;
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn prop_control_accounts_reconcile(seq in prop::collection::vec(op(), 1..40)) {
        run(&seq, |_, after, _| {
            for c in after.reconcile().unwrap() {
                assert!(c.reconciles(), "{c:?}");
            }
            let tb = after.ledger().trial_balance(after.last_date()).unwrap();
            assert_eq!(tb.total_debit, tb.total_credit);
        });
    }

    #[test]
    fn prop_rejected_operation_changes_nothing(seq in prop::collection::vec(op(), 1..40)) {
        run(&seq, |before, after, ok| {
            if !ok {
                assert_eq!(fingerprint(before), fingerprint(after));
            }
        });
    }

    #[test]
    fn prop_replay_is_deterministic(seq in prop::collection::vec(op(), 1..40)) {
        let b = run(&seq, |_, _, _| {});
        let again = Koperasi::replay(b.config().clone(), b.events().iter().cloned()).unwrap();
        prop_assert_eq!(again.audit_head(), b.audit_head());
        prop_assert_eq!(fingerprint(&again), fingerprint(&b));
        let loaded = Koperasi::from_json_lines(&b.to_json_lines().unwrap()).unwrap();
        prop_assert_eq!(loaded.audit_head(), b.audit_head());
    }
}
