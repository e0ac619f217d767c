//! Property tests over random operation sequences.
use proptest::prelude::*;

use koperasi::core::{ActorId, LoanId, Rate, SavingsAccountId};
use koperasi::ledger::{BusinessUnit, Side};
use koperasi::membership::Role;
use koperasi::savings_loans::{LoanTerms, Method, SavingsKind};
use koperasi::{
    AdjustLine, Buyer, CapitalKind, Item, Koperasi, Operation, PostingRole, PurchasePayment,
    RequestId, ReversalTarget, ShuPayout, Via,
};

use crate::common::*;

/// A second actor id of the bendahara's person (linked to the same member, anggota 0).
const LINKED: ActorId = ActorId::from_u128(40);

/// One random operation (valid or not) on the 4-member test book — every kind of operation,
/// by any actor (the maker approving his own request and the linked id included).
fn op() -> impl Strategy<Value = (u32, u8, Operation)> {
    prop_oneof![3 => day_to_day(), 2 => controls(), 1 => month_end_and_settlements()]
}

/// Month-end, the asset register, prepaid and on-credit expenses, stock counts, collateral,
/// write-off overrides and payouts (`gen_book2`).
fn month_end_and_settlements() -> impl Strategy<Value = (u32, u8, Operation)> {
    (
        0u32..3,
        0u8..8,
        crate::gen_book2::month_end_and_settlements(),
    )
}

/// Registration, loans' end of life, Himbara, capital, year end, SHU, membership, and the
/// two-person and correction operations.
fn controls() -> impl Strategy<Value = (u32, u8, Operation)> {
    let m = (0u128..6).prop_map(member);
    let amount = (-2i64..2_000).prop_map(|k| rp(k * 1_000));
    let via = prop_oneof![Just(Via::Cash), Just(Via::Bank)];
    let loan = (1u128..5).prop_map(LoanId::from_u128);
    let request = (1u64..8).prop_map(RequestId);
    let ops = prop_oneof![
        (4u128..7, any::<bool>(), any::<bool>()).prop_map(|(i, elsewhere, associate)| {
            Operation::RegisterMember {
                member: member(i),
                nik: nik(i),
                name: format!("Calon {i}"),
                birth_date: born(),
                domicile: elsewhere.then(|| "35.74.01.1001".parse().unwrap()),
                gender: None,
                associate,
            }
        }),
        (m.clone(), via.clone())
            .prop_map(|(member, via)| Operation::PayPrincipalSavings { member, via }),
        loan.clone()
            .prop_map(|loan| Operation::ChargePenalties { loan }),
        loan.clone()
            .prop_map(|loan| Operation::WriteOffLoan { loan }),
        (loan.clone(), amount.clone(), via.clone())
            .prop_map(|(loan, amount, via)| Operation::RecoverLoan { loan, amount, via }),
        (1i64..6, 6u32..9).prop_map(|(k, grace)| Operation::HimbaraDrawdown {
            principal: rp(k * 100_000_000),
            operational: rp(k * 10_000_000),
            tenor_months: 36,
            grace_months: grace,
        }),
        amount
            .clone()
            .prop_map(|amount| Operation::HimbaraInstallment { amount }),
        (amount.clone(), via.clone(), any::<bool>()).prop_map(|(amount, via, grant)| {
            Operation::Capital {
                kind: if grant {
                    CapitalKind::Grant
                } else {
                    CapitalKind::Participation
                },
                amount,
                via,
            }
        }),
        (amount.clone(), via.clone()).prop_map(|(amount, via)| Operation::Transfer {
            from: via,
            to: if via == Via::Cash {
                Via::Bank
            } else {
                Via::Cash
            },
            amount,
        }),
        (amount.clone(), via.clone())
            .prop_map(|(amount, via)| Operation::PaySupplier { amount, via }),
        (amount.clone(), via.clone()).prop_map(|(amount, via)| Operation::AcquireAsset {
            account: "1-2-04".into(),
            amount,
            via,
            memo: "peralatan".into(),
        }),
        Just(Operation::CloseYear { year: 2026 }),
        any::<bool>().prop_map(|v| Operation::DistributeShu {
            year: 2026,
            payout: if v {
                ShuPayout::Voluntary
            } else {
                ShuPayout::Payable
            },
        }),
        Just(Operation::ReopenYear {
            year: 2026,
            reason: "koreksi".into()
        }),
        m.clone().prop_map(|member| Operation::DismissMember {
            member,
            reason: "AD/ART".into()
        }),
        m.clone().prop_map(|member| Operation::MemberDeath {
            member,
            reason: "akta kematian".into(),
            heirs: "ahli waris".into(),
        }),
        (0u8..8, m.clone()).prop_map(|(a, member)| Operation::LinkMember {
            officer: actor(a),
            member
        }),
        (
            0u8..8,
            prop_oneof![
                Just(Role::Teller),
                Just(Role::Manager),
                Just(Role::Supervisor)
            ]
        )
            .prop_map(|(a, role)| Operation::GrantRole {
                grantee: actor(a),
                role
            }),
        request
            .clone()
            .prop_map(|request| Operation::Approve { request }),
        request
            .clone()
            .prop_map(|request| Operation::Approve { request }),
        request.clone().prop_map(|request| Operation::Reject {
            request,
            reason: "tidak disetujui".into()
        }),
        // By a random actor: the maker himself (withdrawn), anyone else (`NotMaker`).
        request.prop_map(|request| Operation::WithdrawRequest { request }),
        (10usize..80).prop_map(|i| Operation::Reverse {
            target: ReversalTarget::Event(i),
            reason: "salah input".into(),
        }),
        (10usize..80).prop_map(|event| Operation::CorrectAfterMonthEnd {
            event,
            reason: "salah input sebelum tutup bulan".into(),
        }),
        (1i64..500, any::<bool>()).prop_map(|(k, control)| Operation::Adjust {
            entry_date: d(1, 31),
            memo: "jurnal penyesuaian".into(),
            lines: vec![
                AdjustLine::new(
                    if control { "2-1-02" } else { "6-1-02" },
                    Side::Debit,
                    rp(k * 1_000)
                ),
                AdjustLine::new("1-1-01", Side::Credit, rp(k * 1_000)),
            ],
        }),
    ];
    (0u32..3, 0u8..8, ops)
}

/// Savings, loans, trade, QRIS, expenses, month-end, exit.
fn day_to_day() -> impl Strategy<Value = (u32, u8, Operation)> {
    let m = (0u128..5).prop_map(member);
    let amount = (-2i64..2_000).prop_map(|k| rp(k * 1_000));
    let via = prop_oneof![Just(Via::Cash), Just(Via::Bank)];
    let actor = 0u8..8;
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

fn actor(k: u8) -> ActorId {
    [
        KETUA, BENDAHARA, KASIR, MANAJER, OUTSIDER, SEKRETARIS, PENGAWAS, LINKED,
    ][usize::from(k)]
}

/// The test book with the bendahara's second id: a manager linked to the same member.
fn start() -> Koperasi {
    let mut b = book(4);
    let r = b
        .run(
            d(1, 9),
            KETUA,
            Operation::GrantRole {
                grantee: LINKED,
                role: Role::Manager,
            },
        )
        .unwrap()
        .request
        .unwrap();
    b.run(d(1, 9), SEKRETARIS, Operation::Approve { request: r })
        .unwrap();
    for a in [BENDAHARA, LINKED] {
        b.run(
            d(1, 9),
            KETUA,
            Operation::LinkMember {
                officer: a,
                member: member(0),
            },
        )
        .unwrap();
    }
    b
}

/// Payables the book credits; none may go below zero.
const PAYABLES: [PostingRole; 7] = [
    PostingRole::MemberShuPayable,
    PostingRole::ExitRefundPayable,
    PostingRole::VillageSharePayable,
    PostingRole::TaxPayable,
    PostingRole::TradePayable,
    PostingRole::AccruedSavingsInterest,
    PostingRole::AccruedHimbaraInterest,
];

/// Applies a sequence, month by month (day 0–2 → the 10th–12th; `MonthEnd` → the month's end).
fn run(
    seq: &[(u32, u8, Operation)],
    mut check: impl FnMut(&Koperasi, &Koperasi, bool),
) -> Koperasi {
    let mut b = start();
    let mut month = 1u32;
    for (i, (day, who, op)) in seq.iter().enumerate() {
        if i % 6 == 5 && month < 12 {
            month += 1;
        }
        let date = if matches!(op, Operation::MonthEnd) {
            koperasi::core::month_end(2026, month).unwrap()
        } else if matches!(op, Operation::CloseYear { .. }) && month == 12 {
            d(12, 31)
        } else if month == 12
            && matches!(
                op,
                Operation::DistributeShu { .. } | Operation::ReopenYear { .. }
            )
        {
            koperasi::core::chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()
        } else {
            d(month, 10 + day)
        };
        let date = date.max(b.last_date());
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
    fn prop_month_end_is_idempotent_per_month(seq in prop::collection::vec(op(), 1..40)) {
        run(&seq, |_, after, ok| {
            if ok && after.events().last().is_some_and(|e| matches!(e.op, Operation::MonthEnd)) {
                crate::gen_book2::month_end_again_is_refused(after);
            }
        });
    }

    #[test]
    fn prop_payables_and_the_asset_register_stay_within_bounds(
        seq in prop::collection::vec(op(), 1..40)
    ) {
        run(&seq, |_, after, _| crate::gen_book2::registers_within_bounds(after));
    }

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
    fn prop_no_payable_goes_negative(seq in prop::collection::vec(op(), 1..40)) {
        run(&seq, |_, after, _| {
            for role in PAYABLES {
                let bal = after.role_balance(role).unwrap();
                assert!(!bal.is_negative(), "{role:?} = {bal}");
            }
        });
    }

    /// A reversal's entry and the original's net to zero on every account, and nothing is
    /// posted for a request until a second person completes it.
    #[test]
    fn prop_reversals_net_to_zero_and_requests_post_nothing(seq in prop::collection::vec(op(), 1..40)) {
        run(&seq, |before, after, ok| {
            if !ok {
                return;
            }
            let Some(e) = after.events().last() else { return };
            let applied_request = matches!(e.op, Operation::Approve { .. } | Operation::Reject { .. });
            if after.ledger().len() > before.ledger().len() {
                // Something was posted: never by a pending request.
                assert!(after.requests().len() == before.requests().len() || applied_request);
            }
            if after.requests().len() > before.requests().len() {
                assert_eq!(after.ledger().len(), before.ledger().len(), "{e:?}");
            }
            for entry in after.ledger().entries().skip(before.ledger().len()) {
                if let koperasi::ledger::EntryKind::Reversal { of } = entry.kind() {
                    let orig = after.ledger().entry(of).unwrap();
                    let mut net = std::collections::BTreeMap::<String, i128>::new();
                    for l in orig.lines().chain(entry.lines()) {
                        let v = l.amount.to_sen();
                        let v = if l.side == Side::Debit { v } else { -v };
                        *net.entry(l.account.as_str().to_owned()).or_default() += v;
                    }
                    assert!(net.values().all(|v| *v == 0), "{net:?}");
                }
            }
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

/// An operation that a reversal restores exactly (savings, loans, trade, expenses).
fn correctable() -> impl Strategy<Value = Operation> {
    let m = (0u128..4).prop_map(member);
    let amount = (1i64..400).prop_map(|k| rp(k * 1_000));
    let via = prop_oneof![Just(Via::Cash), Just(Via::Bank)];
    prop_oneof![
        (m.clone(), amount.clone(), via.clone()).prop_map(|(member, amount, via)| {
            Operation::Deposit {
                member,
                kind: SavingsKind::Voluntary,
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
        (1u64..20, m).prop_map(|(quantity, member)| Operation::Sale {
            unit: BusinessUnit::Sembako,
            item: Item::Goods {
                sku: "beras-5kg".into(),
                quantity
            },
            price: rp(i64::try_from(quantity).unwrap() * 70_000),
            buyer: Buyer::Member(member),
            via: Via::Cash,
        }),
        (amount, via).prop_map(|(amount, via)| Operation::Expense {
            account: "6-1-02".into(),
            amount,
            unit: None,
            via,
            memo: "listrik".into()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Applying an operation, reversing it and applying it again on the same day gives the
    /// same balances and the same subledgers as applying it once: the reversal and the
    /// original net to zero, and the subledger followed.
    #[test]
    fn prop_reversal_then_replay_of_the_original_nets_to_zero(op in correctable(), day in 10u32..20) {
        let mut b = start();
        let date = d(2, day);
        prop_assume!(b.run(date, KASIR, op.clone()).is_ok());
        let once = b.clone();
        let i = b.events().len() - 1;
        let r = b
            .run(date, BENDAHARA, Operation::Reverse { target: ReversalTarget::Event(i), reason: "salah input".into() })
            .unwrap()
            .request
            .unwrap();
        b.run(date, PENGAWAS, Operation::Approve { request: r }).unwrap();
        b.run(date, KASIR, op).unwrap();
        let tb = |k: &Koperasi| {
            k.ledger()
                .balances(date)
                .unwrap()
                .into_iter()
                .map(|(code, b)| (code, b.net_debit))
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(tb(&b), tb(&once));
        let state = |k: &Koperasi| {
            format!(
                "{:?}{:?}{:?}{:?}",
                k.all_member_accounts().collect::<Vec<_>>(),
                k.loans(),
                k.stock(),
                (0..4).map(|m| k.transactions(2026, member(m)).cloned()).collect::<Vec<_>>()
            )
        };
        prop_assert_eq!(state(&b), state(&once));
        for c in b.reconcile().unwrap() {
            prop_assert!(c.reconciles(), "{:?}", c);
        }
    }
}

/// Every observable of a book that a snapshot must carry, compared one by one (the
/// `fingerprint` — the whole book's `Debug` — last).
fn same_observables(a: &Koperasi, b: &Koperasi) {
    assert_eq!(a.audit_head(), b.audit_head(), "audit root");
    assert_eq!(a.events(), b.events(), "events");
    assert_eq!(a.config(), b.config(), "configuration");
    assert!(a.ledger() == b.ledger(), "ledger");
    assert_eq!(a.last_date(), b.last_date(), "last date");
    let (da, db) = (a.last_date(), b.last_date());
    assert_eq!(
        a.ledger().trial_balance(da).unwrap(),
        b.ledger().trial_balance(db).unwrap(),
        "trial balance"
    );
    let period = koperasi::core::Period::new(d(1, 1), da.max(d(12, 31))).unwrap();
    assert_eq!(
        format!("{:?}", a.statements(period, None)),
        format!("{:?}", b.statements(period, None)),
        "statements"
    );
    assert!(a.registry() == b.registry(), "members");
    assert!(a.access() == b.access(), "access");
    assert!(
        a.all_member_accounts().eq(b.all_member_accounts()),
        "savings accounts"
    );
    assert_eq!(a.applications(), b.applications(), "applications");
    assert_eq!(a.loans(), b.loans(), "loans");
    assert_eq!(a.stock(), b.stock(), "stock");
    assert_eq!(a.pending_qris(), b.pending_qris(), "pending QRIS");
    assert_eq!(a.himbara(), b.himbara(), "Himbara loan");
    assert_eq!(a.closed_years(), b.closed_years(), "closed years");
    assert_eq!(a.requests(), b.requests(), "two-person requests");
    assert_eq!(a.fixed_assets(), b.fixed_assets(), "asset register");
    assert_eq!(a.prepaid_expenses(), b.prepaid_expenses(), "prepaid");
    assert_eq!(a.last_month_end(), b.last_month_end(), "last month-end");
    assert_eq!(a.loan_accruals(), b.loan_accruals(), "loan accruals");
    assert_eq!(
        a.deposit_accruals(),
        b.deposit_accruals(),
        "deposit accruals"
    );
    assert_eq!(a.himbara_accrual(), b.himbara_accrual(), "Himbara accrual");
    assert_eq!(
        format!("{:?}", a.member_payables()),
        format!("{:?}", b.member_payables()),
        "member payables"
    );
    assert_eq!(
        format!("{:?}", a.reconcile()),
        format!("{:?}", b.reconcile()),
        "control accounts"
    );
    assert_eq!(fingerprint(a), fingerprint(b), "the whole book");
}

/// Applies `ops` to both books on the same dates (within the month after the last date; a
/// month-end on its month's last day) and checks that each gives the same outcome.
fn continue_both(a: &mut Koperasi, b: &mut Koperasi, ops: &[(u32, u8, Operation)]) {
    use koperasi::core::chrono::Datelike;
    for (day, who, op) in ops {
        let last = a.last_date();
        let date = if matches!(op, Operation::MonthEnd) {
            koperasi::core::month_end(last.year(), last.month()).unwrap()
        } else {
            last.checked_add_days(koperasi::core::chrono::Days::new(u64::from(*day)))
                .unwrap()
        };
        let ra = a.run(date, actor(*who), op.clone());
        let rb = b.run(date, actor(*who), op.clone());
        assert_eq!(format!("{ra:?}"), format!("{rb:?}"), "{op:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random books → `from_snapshot(to_snapshot(b))` has every observable of `b` (trial
    /// balance, statements, members, savings, loans, registers, pending requests, events,
    /// audit root, the whole book's `Debug`), re-serialises to the same bytes, and the same
    /// further operations give the same results on both.
    #[test]
    fn prop_book_snapshot_roundtrip(
        seq in prop::collection::vec(op(), 0..40),
        more in prop::collection::vec(op(), 0..12),
    ) {
        let mut a = run(&seq, |_, _, _| {});
        let bytes = a.to_snapshot().unwrap();
        let mut b = Koperasi::from_snapshot(&bytes).unwrap();
        same_observables(&a, &b);
        prop_assert_eq!(b.to_snapshot().unwrap(), bytes);
        continue_both(&mut a, &mut b, &more);
        same_observables(&a, &b);
    }

    /// A snapshot with any byte changed, cut short or of another version is refused with a
    /// typed error (never a panic, never a different book).
    #[test]
    fn prop_corrupt_book_snapshot_is_refused(
        seq in prop::collection::vec(op(), 0..12),
        at in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let a = run(&seq, |_, _, _| {});
        let bytes = a.to_snapshot().unwrap();
        let i = at.index(bytes.len());
        let mut bad = bytes.clone();
        bad[i] ^= 1 << bit;
        let refused = |r: Result<Koperasi, koperasi::Error>| matches!(r, Err(koperasi::Error::Snapshot { .. }));
        prop_assert!(refused(Koperasi::from_snapshot(&bad)));
        prop_assert!(refused(Koperasi::from_snapshot(&bytes[..i])));
    }
}
