//! A small book for the unit tests of month-end, assets, collateral and settlements.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, CooperativeId, Decimal, LoanId, MemberId, Rate, Rupiah};
use koperasi_ledger::BusinessUnit;
use koperasi_membership::Role;
use koperasi_savings_loans::{LoanTerms, Method, SavingsKind};

use crate::event::{CapitalKind, Operation, PurchasePayment, Via};
use crate::posting::PostingRole;
use crate::{BookConfig, Error, Koperasi};

pub(crate) const KETUA: ActorId = ActorId::from_u128(1);
pub(crate) const BENDAHARA: ActorId = ActorId::from_u128(2);
pub(crate) const KASIR: ActorId = ActorId::from_u128(3);
pub(crate) const MANAJER: ActorId = ActorId::from_u128(4);
pub(crate) const LOAN: LoanId = LoanId::from_u128(1);

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(crate) fn rp(n: i64) -> Rupiah {
    Rupiah::from_rupiah(n)
}

pub(crate) fn member(i: u128) -> MemberId {
    MemberId::from_u128(100 + i)
}

pub(crate) fn config() -> BookConfig {
    BookConfig::kkmp(
        CooperativeId::from_u128(7),
        "KKMP Mangunharjo",
        "35.74.04.1002".parse().unwrap(),
        d(2026, 1, 1),
        vec![
            (KETUA, Role::Chair),
            (BENDAHARA, Role::Treasurer),
            (KASIR, Role::Teller),
            (MANAJER, Role::Manager),
        ],
    )
}

/// Runs an operation that must succeed.
pub(crate) fn ok(b: &mut Koperasi, date: NaiveDate, actor: ActorId, op: Operation) {
    let what = format!("{op:?} on {date}");
    if let Err(e) = b.run(date, actor, op) {
        panic!("{what}: {e}");
    }
}

/// Runs an operation that must fail, checks that nothing changed, returns the error.
pub(crate) fn fails(b: &mut Koperasi, date: NaiveDate, actor: ActorId, op: Operation) -> Error {
    let before = format!("{b:?}");
    let e = b.run(date, actor, op).expect_err("must be rejected");
    assert_eq!(
        before,
        format!("{b:?}"),
        "a rejected operation changed the book"
    );
    e
}

/// The balance of a role's account.
pub(crate) fn bal(b: &Koperasi, role: PostingRole) -> Rupiah {
    b.role_balance(role).unwrap()
}

/// Every control account reconciles.
pub(crate) fn reconciled(b: &Koperasi) {
    for c in b.reconcile().unwrap() {
        assert!(c.reconciles(), "{c:?}");
    }
    let tb = b.ledger().trial_balance(b.last_date()).unwrap();
    assert_eq!(tb.total_debit, tb.total_credit);
}

/// A flat loan of Rp3.000.000 at 1% a month over 6 months.
pub(crate) fn terms(on: NaiveDate) -> LoanTerms {
    LoanTerms::new(
        rp(3_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        6,
        Method::Flat,
        on,
    )
}

/// A book with a grant of Rp100 juta in the bank, `n` anggota with Rp500.000 sukarela each,
/// 100 sacks of rice at Rp65.000, and (when `loan`) a disbursed loan of member 0 on 5 January
/// 2026.
pub(crate) fn book(n: u128, loan: bool) -> Koperasi {
    let mut b = Koperasi::new(config()).unwrap();
    ok(
        &mut b,
        d(2026, 1, 2),
        BENDAHARA,
        Operation::Capital {
            kind: CapitalKind::Grant,
            amount: rp(100_000_000),
            via: Via::Bank,
        },
    );
    for i in 0..n {
        ok(
            &mut b,
            d(2026, 1, 3),
            KETUA,
            Operation::RegisterMember {
                member: member(i),
                nik: format!("357404050690{:04}", i + 1),
                name: format!("Anggota {i}"),
                birth_date: d(1990, 6, 5),
                domicile: None,
                gender: None,
                associate: false,
            },
        );
        ok(
            &mut b,
            d(2026, 1, 3),
            KASIR,
            Operation::PayPrincipalSavings {
                member: member(i),
                via: Via::Cash,
            },
        );
        ok(
            &mut b,
            d(2026, 1, 3),
            KASIR,
            Operation::Deposit {
                member: member(i),
                kind: SavingsKind::Voluntary,
                amount: rp(500_000),
                via: Via::Cash,
            },
        );
    }
    ok(
        &mut b,
        d(2026, 1, 4),
        MANAJER,
        Operation::Purchase {
            unit: BusinessUnit::Sembako,
            sku: "beras-5kg".into(),
            quantity: 100,
            cost: rp(6_500_000),
            payment: PurchasePayment::Paid(Via::Bank),
        },
    );
    if loan {
        disburse(&mut b, LOAN, member(0), d(2026, 1, 5));
    }
    b
}

/// Applies for, approves and disburses the standard loan.
pub(crate) fn disburse(b: &mut Koperasi, loan: LoanId, m: MemberId, on: NaiveDate) {
    ok(
        b,
        on,
        KASIR,
        Operation::ApplyLoan {
            loan,
            member: m,
            terms: terms(on),
        },
    );
    approve(b, loan, on);
    ok(
        b,
        on,
        BENDAHARA,
        Operation::DisburseLoan {
            loan,
            via: Via::Bank,
        },
    );
}

/// Approves an application (below the maker-checker limit: one person).
pub(crate) fn approve(b: &mut Koperasi, loan: LoanId, on: NaiveDate) {
    ok(b, on, MANAJER, Operation::ApproveLoan { loan });
}

/// Runs the month-end of every month from `from` to `to` (month-ends, inclusive).
pub(crate) fn month_ends(b: &mut Koperasi, from: NaiveDate, to: NaiveDate) {
    let mut m = from;
    while m <= to {
        ok(b, m, BENDAHARA, Operation::MonthEnd);
        let next = m.succ_opt().unwrap();
        m = koperasi_core::month_end(
            koperasi_core::chrono::Datelike::year(&next),
            koperasi_core::chrono::Datelike::month(&next),
        )
        .unwrap();
    }
}

/// Writes a loan off: the manager's request, approved by the ketua.
pub(crate) fn write_off(b: &mut Koperasi, loan: LoanId, on: NaiveDate) {
    let applied = b
        .run(on, MANAJER, Operation::WriteOffLoan { loan })
        .unwrap();
    let request = applied
        .request
        .expect("a write-off is a two-person request");
    assert!(
        applied.entries.is_empty(),
        "nothing is posted before approval"
    );
    ok(b, on, KETUA, Operation::Approve { request });
}
