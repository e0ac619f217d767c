//! Bad input for every operation: a typed error, and nothing changes.
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{ActorId, Decimal, LoanId, Rate, SavingsAccountId};
use koperasi::ledger::BusinessUnit;
use koperasi::membership::Role;
use koperasi::savings_loans::{LoanTerms, Method, SavingsKind};
use koperasi::{
    Buyer, CapitalKind, Error, Item, Koperasi, Operation, PurchasePayment, ShuPayout, Via,
};

use crate::common::*;
use Operation as O;

#[track_caller]
#[allow(clippy::needless_pass_by_value)]
fn rejects(
    b: &mut Koperasi,
    date: NaiveDate,
    actor: ActorId,
    op: Operation,
    ok: impl Fn(&Error) -> bool,
) {
    let before = fingerprint(b);
    let err = b
        .run(date, actor, op.clone())
        .expect_err(&format!("{op:?} must be rejected"));
    assert!(ok(&err), "{op:?}: unexpected error {err:?}");
    assert!(!err.to_string().is_empty());
    assert!(!err.kind().is_empty());
    assert_eq!(before, fingerprint(b), "{op:?} changed the book");
}

fn loan_terms(amount: i64) -> LoanTerms {
    LoanTerms::new(
        rp(amount),
        Rate::per_month(Decimal::ONE).unwrap(),
        6,
        Method::Flat,
        d(1, 10),
    )
}

#[test]
fn every_operation_rejects_bad_input() {
    let mut b = book(3);
    let day = d(1, 10);
    let m0 = member(0);
    let stranger = member(50);
    // Dates go forward; nothing before the last operation.
    rejects(
        &mut b,
        d(1, 1),
        KASIR,
        O::Deposit {
            member: m0,
            kind: SavingsKind::Voluntary,
            amount: rp(1),
            via: Via::Cash,
        },
        |e| matches!(e, Error::DateOutOfOrder { .. }),
    );
    // Roles.
    rejects(
        &mut b,
        day,
        KASIR,
        O::GrantRole {
            grantee: OUTSIDER,
            role: Role::Chair,
        },
        |e| matches!(e, Error::Membership { .. }),
    );
    rejects(
        &mut b,
        day,
        OUTSIDER,
        O::Deposit {
            member: m0,
            kind: SavingsKind::Voluntary,
            amount: rp(1_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::Membership { .. }),
    );
    // Registration.
    rejects(
        &mut b,
        day,
        KETUA,
        O::RegisterMember {
            member: stranger,
            nik: "1234".into(),
            name: "X".into(),
            birth_date: born(),
            domicile: None,
            gender: None,
            associate: false,
        },
        |e| matches!(e, Error::Membership { .. }),
    );
    rejects(
        &mut b,
        day,
        KETUA,
        O::RegisterMember {
            member: stranger,
            nik: nik(0),
            name: "Duplikat".into(),
            birth_date: born(),
            domicile: None,
            gender: None,
            associate: false,
        },
        |e| matches!(e, Error::Membership { .. }),
    );
    // Simpanan pokok.
    rejects(
        &mut b,
        day,
        KASIR,
        O::PayPrincipalSavings {
            member: stranger,
            via: Via::Cash,
        },
        |e| matches!(e, Error::UnknownMember { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::PayPrincipalSavings {
            member: m0,
            via: Via::Cash,
        },
        |e| matches!(e, Error::MemberBlocked { .. }),
    );
    // Deposits and withdrawals.
    rejects(
        &mut b,
        day,
        KASIR,
        O::Deposit {
            member: m0,
            kind: SavingsKind::Voluntary,
            amount: rp(0),
            via: Via::Cash,
        },
        |e| matches!(e, Error::NonPositive { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::Deposit {
            member: m0,
            kind: SavingsKind::Principal,
            amount: rp(100_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::WrongSavingsKind { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::Deposit {
            member: stranger,
            kind: SavingsKind::Mandatory,
            amount: rp(10_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::UnknownMember { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::Withdraw {
            member: m0,
            amount: rp(600_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::SavingsLoans { .. }),
    );
    // A calon anggota is not an anggota yet.
    b.run(
        day,
        KETUA,
        O::RegisterMember {
            member: member(9),
            nik: nik(9),
            name: "Calon".into(),
            birth_date: born(),
            domicile: None,
            gender: None,
            associate: false,
        },
    )
    .unwrap();
    rejects(
        &mut b,
        day,
        KASIR,
        O::Deposit {
            member: member(9),
            kind: SavingsKind::Voluntary,
            amount: rp(10_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::NotActiveMember { .. }),
    );
    // Time deposits.
    b.run(
        day,
        KASIR,
        O::OpenTimeDeposit {
            account: SavingsAccountId::from_u128(1),
            member: m0,
            amount: rp(1_000_000),
            term_months: 3,
            annual_percent: Decimal::from(4),
            via: Via::Cash,
        },
    )
    .unwrap();
    rejects(
        &mut b,
        day,
        KASIR,
        O::OpenTimeDeposit {
            account: SavingsAccountId::from_u128(1),
            member: m0,
            amount: rp(1_000_000),
            term_months: 3,
            annual_percent: Decimal::from(4),
            via: Via::Cash,
        },
        |e| matches!(e, Error::Duplicate { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::OpenTimeDeposit {
            account: SavingsAccountId::from_u128(2),
            member: m0,
            amount: rp(1_000_000),
            term_months: 0,
            annual_percent: Decimal::from(4),
            via: Via::Cash,
        },
        |e| matches!(e, Error::SavingsLoans { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::WithdrawTimeDeposit {
            account: SavingsAccountId::from_u128(3),
            via: Via::Cash,
        },
        |e| matches!(e, Error::UnknownDeposit { .. }),
    );
    // Loans.
    rejects(
        &mut b,
        day,
        KASIR,
        O::ApplyLoan {
            loan: LoanId::from_u128(2),
            member: member(9),
            terms: loan_terms(1_000_000),
        },
        |e| matches!(e, Error::NotActiveMember { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::ApplyLoan {
            loan: LoanId::from_u128(1),
            member: m0,
            terms: loan_terms(1_000_000),
        },
        |e| matches!(e, Error::Duplicate { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::ApplyLoan {
            loan: LoanId::from_u128(2),
            member: m0,
            terms: loan_terms(0),
        },
        |e| matches!(e, Error::SavingsLoans { .. }),
    );
    b.run(
        day,
        KASIR,
        O::ApplyLoan {
            loan: LoanId::from_u128(2),
            member: member(1),
            terms: loan_terms(20_000_000),
        },
    )
    .unwrap();
    rejects(
        &mut b,
        day,
        MANAJER,
        O::DisburseLoan {
            loan: LoanId::from_u128(2),
            via: Via::Bank,
        },
        |e| matches!(e, Error::LoanState { .. }),
    );
    rejects(
        &mut b,
        day,
        MANAJER,
        O::ApproveLoan {
            loan: LoanId::from_u128(8),
        },
        |e| matches!(e, Error::UnknownLoan { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::RepayLoan {
            loan: LoanId::from_u128(1),
            amount: rp(10_000_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::Overpayment { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::RepayLoan {
            loan: LoanId::from_u128(8),
            amount: rp(1_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::UnknownLoan { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::ChargePenalties {
            loan: LoanId::from_u128(8),
        },
        |e| matches!(e, Error::UnknownLoan { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::WriteOffLoan {
            loan: LoanId::from_u128(1),
        },
        |e| matches!(e, Error::Membership { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::RecoverLoan {
            loan: LoanId::from_u128(1),
            amount: rp(1_000),
            via: Via::Cash,
        },
        |e| matches!(e, Error::SavingsLoans { .. }),
    );
    // Trade.
    rejects(
        &mut b,
        day,
        MANAJER,
        O::Purchase {
            unit: BusinessUnit::Sembako,
            sku: "beras-5kg".into(),
            quantity: 0,
            cost: rp(1_000),
            payment: PurchasePayment::OnCredit,
        },
        |e| matches!(e, Error::InsufficientStock { .. }),
    );
    rejects(
        &mut b,
        day,
        MANAJER,
        O::Purchase {
            unit: BusinessUnit::Sembako,
            sku: "beras-5kg".into(),
            quantity: 1,
            cost: rp(-1),
            payment: PurchasePayment::OnCredit,
        },
        |e| matches!(e, Error::NonPositive { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::PaySupplier {
            amount: rp(0),
            via: Via::Bank,
        },
        |e| matches!(e, Error::NonPositive { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::Sale {
            unit: BusinessUnit::Sembako,
            item: Item::Goods {
                sku: "beras-5kg".into(),
                quantity: 101,
            },
            price: rp(1_000),
            buyer: Buyer::NonMember,
            via: Via::Cash,
        },
        |e| matches!(e, Error::InsufficientStock { .. }),
    );
    rejects(
        &mut b,
        day,
        KASIR,
        O::Sale {
            unit: BusinessUnit::Sembako,
            item: Item::Service,
            price: rp(1_000),
            buyer: Buyer::Member(member(9)),
            via: Via::Cash,
        },
        |e| matches!(e, Error::NotActiveMember { .. }),
    );
    // QRIS.
    rejects(
        &mut b,
        day,
        KASIR,
        O::QrisSale {
            unit: BusinessUnit::Apotek,
            item: Item::Service,
            buyer: Buyer::NonMember,
            payload: static_qris(),
        },
        |e| matches!(e, Error::QrisIncomplete { .. }),
    );
    let mut broken = dynamic_qris(25_000, "A1");
    broken.replace_range(10..11, "9");
    rejects(
        &mut b,
        day,
        KASIR,
        O::QrisSale {
            unit: BusinessUnit::Apotek,
            item: Item::Service,
            buyer: Buyer::NonMember,
            payload: broken,
        },
        |e| matches!(e, Error::Qris { .. }),
    );
    b.run(
        day,
        KASIR,
        O::QrisSale {
            unit: BusinessUnit::Apotek,
            item: Item::Service,
            buyer: Buyer::NonMember,
            payload: dynamic_qris(25_000, "A1"),
        },
    )
    .unwrap();
    rejects(
        &mut b,
        day,
        KASIR,
        O::QrisSale {
            unit: BusinessUnit::Apotek,
            item: Item::Service,
            buyer: Buyer::NonMember,
            payload: dynamic_qris(25_000, "A1"),
        },
        |e| matches!(e, Error::Duplicate { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::SettleQris {
            references: vec!["ZZ".into()],
            fee: rp(0),
        },
        |e| matches!(e, Error::UnknownQrisReference { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::SettleQris {
            references: vec!["A1".into(), "A1".into()],
            fee: rp(0),
        },
        |e| matches!(e, Error::UnknownQrisReference { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::SettleQris {
            references: vec!["A1".into()],
            fee: rp(25_000),
        },
        |e| matches!(e, Error::Overpayment { .. }),
    );
    // Expenses, transfers, assets, capital.
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::Expense {
            account: "1-1-01".into(),
            amount: rp(1_000),
            unit: None,
            via: Via::Cash,
            memo: "x".into(),
        },
        |e| matches!(e, Error::NotExpenseAccount { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::Expense {
            account: "6-1-02".into(),
            amount: rp(1_000_000_000),
            unit: None,
            via: Via::Cash,
            memo: "x".into(),
        },
        |e| matches!(e, Error::Ledger { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::Transfer {
            from: Via::Bank,
            to: Via::Bank,
            amount: rp(1_000),
        },
        |e| matches!(e, Error::SameAccount { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::AcquireAsset {
            account: "1-1-06".into(),
            amount: rp(1_000),
            via: Via::Bank,
            memo: "x".into(),
        },
        |e| matches!(e, Error::NotAssetAccount { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::Capital {
            kind: CapitalKind::Grant,
            amount: rp(0),
            via: Via::Bank,
        },
        |e| matches!(e, Error::NonPositive { .. }),
    );
    // Himbara.
    rejects(
        &mut b,
        day,
        KETUA,
        O::HimbaraDrawdown {
            principal: rp(4_000_000_000),
            operational: rp(0),
            tenor_months: 60,
            grace_months: 6,
        },
        |e| matches!(e, Error::SavingsLoans { .. }),
    );
    rejects(
        &mut b,
        day,
        BENDAHARA,
        O::HimbaraInstallment { amount: rp(1_000) },
        |e| matches!(e, Error::HimbaraState { .. }),
    );
    // Month-end, exit, close, SHU.
    rejects(&mut b, day, BENDAHARA, O::MonthEnd, |e| {
        matches!(e, Error::MonthEnd { .. })
    });
    rejects(
        &mut b,
        day,
        KETUA,
        O::MemberExit {
            member: m0,
            reason: " ".into(),
        },
        |e| matches!(e, Error::MemberBlocked { .. }),
    );
    rejects(
        &mut b,
        day,
        KETUA,
        O::MemberExit {
            member: m0,
            reason: "pindah".into(),
        },
        |e| matches!(e, Error::MemberBlocked { .. }),
    );
    rejects(
        &mut b,
        day,
        KETUA,
        O::MemberExit {
            member: member(77),
            reason: "pindah".into(),
        },
        |e| matches!(e, Error::UnknownMember { .. }),
    );
    rejects(&mut b, day, KETUA, O::CloseYear { year: 2026 }, |e| {
        matches!(e, Error::YearState { .. })
    });
    rejects(
        &mut b,
        day,
        KETUA,
        O::DistributeShu {
            year: 2026,
            payout: ShuPayout::Payable,
        },
        |e| matches!(e, Error::YearState { .. }),
    );
    b.run(d(1, 31), BENDAHARA, O::MonthEnd).unwrap();
    rejects(&mut b, d(1, 31), BENDAHARA, O::MonthEnd, |e| {
        matches!(e, Error::MonthEnd { .. })
    });
}

#[test]
fn exit_sets_savings_off_against_the_loan() {
    let mut b = book(2);
    let m0 = member(0);
    let before = b.savings_balance(m0, SavingsKind::Voluntary).unwrap();
    assert_eq!(before, rp(500_000));
    b.run(
        d(2, 1),
        KETUA,
        Operation::MemberExit {
            member: m0,
            reason: "pindah domisili".into(),
        },
    )
    .unwrap();
    // 600.000 of savings against a 3.000.000 loan: all set off, the rest stays owed.
    let loan = &b.loans()[&LoanId::from_u128(1)];
    assert!(loan.loan.outstanding_principal().unwrap() < rp(3_000_000));
    assert_eq!(
        b.savings_balance(m0, SavingsKind::Voluntary).unwrap(),
        rp(0)
    );
    for c in b.reconcile().unwrap() {
        assert!(c.reconciles(), "{c:?}");
    }
}

#[test]
fn posting_map_is_checked_and_overridable() {
    let mut cfg = config();
    cfg.posting_map.set(koperasi::PostingRole::Cash, "9-9-99");
    assert!(matches!(Koperasi::new(cfg), Err(Error::PostingMap { .. })));
    let mut cfg = config();
    cfg.posting_map.set(koperasi::PostingRole::Cash, "1-1-02");
    let b = Koperasi::new(cfg).unwrap();
    assert_eq!(b.code(koperasi::PostingRole::Cash), "1-1-02");
}
